"""Fill the database with realistic volumes: `python -m benchmarks.fill --citizens 100000`.

Uses the database of the usual settings (DATABASE_URL, or the SQLite file). Migrates first. Each
`--<name> N` brings that kind of row up to N (see benchmarks/fillers.py); `--reset` removes the rows
benchmarks made before filling (units and agencies stay: they are the city's real list).
"""

import argparse
import sys
import time

from benchmarks.django_setup import setup


def main(argv=None):
    setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.fillers import FILLERS

    parser = argparse.ArgumentParser(prog="python -m benchmarks.fill", description=__doc__.splitlines()[0])
    for filler in sorted(FILLERS.values(), key=lambda f: f.order):
        if filler.counted:
            parser.add_argument(f"--{filler.name}", type=int, metavar="N", help=f"{filler.help}: up to N rows")
        else:
            parser.add_argument(f"--{filler.name}", action="store_const", const=0, help=filler.help)
    parser.add_argument("--reset", action="store_true", help="remove earlier benchmark rows first")
    args = parser.parse_args(argv)

    def log(message):
        print(f"  {message}", flush=True)

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    wanted = {name: getattr(args, name) for name in FILLERS if getattr(args, name) is not None}
    ordered = sorted(FILLERS.values(), key=lambda f: f.order)
    if args.reset:
        for filler in reversed(ordered):
            if filler.reset:
                filler.reset(log=log)
    for filler in ordered:
        if filler.name not in wanted:
            continue
        started = time.perf_counter()
        result = filler.fill(wanted[filler.name], log=log)
        print(f"{filler.name}: {result} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
