"""Time the install campaign's official list of a whole ward, and its peak memory.

    STATIC_PLAIN=1 DATABASE_URL=... .venv/bin/python -m benchmarks.campaigns_export [--unit 11383] [--fmt xlsx]

Runs the export service as a worker does (campaigns.exports: one pass over everyone on the list,
from a queryset iterator, the named ones into the workbook's sheet or the CSV writer, into a
file, the others counted for the closing line) for the
list of every registered resident of the unit, after `python -m benchmarks.fill --citizens 1000000
--campaign 1000000` (Lê Chân: 60,000). Prints the rows named, the seconds, the peak of Python's
allocations during the export (tracemalloc) and the process's peak resident size (RSS), before
and after. tracemalloc slows Python down: the time is measured in a first run without it.
"""

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from benchmarks.django_setup import setup


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def export(spec, fmt, path):
    from campaigns import exports

    if fmt == "xlsx":
        return exports.write_list_xlsx(path, spec)
    lines = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for lines, line in enumerate(exports.list_csv_lines(spec), 1):  # noqa: B007
            handle.write(line)
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.campaigns_export", description=__doc__.splitlines()[0])
    parser.add_argument("--unit", default="11383", help="the unit's code (default 11383, Phường Lê Chân)")
    parser.add_argument("--fmt", choices=("xlsx", "csv"), default="xlsx")
    args = parser.parse_args(argv)
    setup()
    from django.db import connection

    from campaigns import services
    from campaigns.models import ExportKind
    from government.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.get(code=args.unit)
    spec = services.spec_for(unit=unit, kind=ExportKind.WARD_LIST, target_id=None)
    rss_before = peak_rss_mb()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"list.{args.fmt}"
        started = time.perf_counter()
        rows = export(spec, args.fmt, path)
        seconds = time.perf_counter() - started
        size = path.stat().st_size
        rss_after = peak_rss_mb()
        tracemalloc.start()
        export(spec, args.fmt, path)
        _current, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"database: {connection.vendor}; unit {unit.code} {unit.name}; format {args.fmt}")
    print(f"rows: {rows} ({'named' if args.fmt == 'xlsx' else 'lines'}); file {size / 1e6:.1f} MB")
    print(f"time: {seconds:.1f} s")
    print(f"peak Python allocations during the export (tracemalloc): {traced_peak / 1e6:.1f} MB")
    print(f"peak RSS of the process: {rss_before:.0f} MB before, {rss_after:.0f} MB after the export")
    return 0


if __name__ == "__main__":
    sys.exit(main())
