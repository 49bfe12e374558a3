"""Benchmark fillers of utilities (registered with benchmarks.fillers.filler on import).

`--places N`: places (source ids "bench/<n>") of every kind, two in five in the central wards
(the box around Lê Chân, Ngô Quyền, Hồng Bàng, where a city's shops and stops crowd) and the rest
over the whole city; each point's ward from the bundled boundaries (imported first if missing),
points outside every ward dropped and drawn again. Pharmacies, bus stops and ATMs are the most
common kinds, as in OpenStreetMap's data for Vietnamese cities. bulk_create in batches.
"""

import random

from django.db import transaction
from django.utils import timezone

from benchmarks.fillers import BATCH, filler, in_batches
from smarthp.text import search_key

PREFIX = "bench/"
CENTRE = (20.80, 20.88, 106.62, 106.76)  # south, north, west, east
CITY = (20.55, 21.15, 106.10, 107.05)
KINDS = [
    ("pharmacy", 18), ("bus_stop", 20), ("atm", 14), ("bank", 6), ("school", 10), ("kindergarten", 6),
    ("clinic", 6), ("fuel", 6), ("wifi", 4), ("tourism", 4), ("government", 2), ("hospital", 1),
    ("bus_station", 1), ("police", 1), ("university", 1),
]  # fmt: skip
HOURS = ["Mo-Su 07:00-22:00", "Mo-Sa 07:30-21:30; Su 08:00-12:00", "24/7", "Mo-Fr 07:30-11:30,13:00-16:30; PH off", ""]
STREETS = ["Lạch Tray", "Tô Hiệu", "Hai Bà Trưng", "Trần Nguyên Hãn", "Lê Lợi", "Điện Biên Phủ", "Văn Cao"]
LABELS = {
    "pharmacy": "Nhà thuốc", "bus_stop": "Điểm dừng xe buýt", "atm": "ATM", "bank": "Ngân hàng",
    "school": "Trường", "kindergarten": "Trường mầm non", "clinic": "Phòng khám", "fuel": "Cây xăng",
    "wifi": "Wifi", "tourism": "Điểm tham quan", "government": "Cơ quan", "hospital": "Bệnh viện",
    "bus_station": "Bến xe", "police": "Công an", "university": "Trường đại học",
}  # fmt: skip


def reset_places(*, log):
    from utilities.models import Place

    deleted, _ = Place.objects.filter(source_id__startswith=PREFIX).delete()
    log(f"places: {deleted} rows deleted")


def _point(rng):
    south, north, west, east = CENTRE if rng.random() < 0.4 else CITY
    return rng.uniform(south, north), rng.uniform(west, east)


@filler("places", order=70, help="places on the map (utilities)", reset=reset_places)
def fill_places(count, *, log):
    from benchmarks.fillers import fill_units
    from government import geo
    from government.models import AdministrativeUnit
    from government.services import import_boundaries
    from utilities.models import Place, PlaceSource

    fill_units(0, log=log)
    if not AdministrativeUnit.objects.filter(boundary__isnull=False).exists():
        import_boundaries()
    geo.forget_index()
    existing = Place.objects.filter(source_id__startswith=PREFIX).count()
    rng = random.Random(existing)
    kinds = [kind for kind, weight in KINDS for _ in range(weight)]
    now = timezone.now()

    def rows():
        for number in range(existing, count):
            unit = None
            while unit is None:
                lat, lng = _point(rng)
                unit = geo.unit_at(lat, lng)
            kind = rng.choice(kinds)
            name = f"{LABELS[kind]} mẫu {number}"
            address = f"{rng.randint(1, 500)} {rng.choice(STREETS)}"
            yield Place(
                name=name,
                kind=kind,
                address=address,
                unit_id=unit.code,
                lat=lat,
                lng=lng,
                phone=f"0225 3{rng.randint(0, 999999):06d}",
                opening_hours=rng.choice(HOURS),
                source=PlaceSource.CSV,
                source_id=f"{PREFIX}{number}",
                search_key=search_key(f"{name} {address}"),
                created_at=now,
                updated_at=now,
            )

    created = 0
    for batch in in_batches(rows(), BATCH):
        with transaction.atomic():
            Place.objects.bulk_create(batch)
        created += len(batch)
        log(f"places: {existing + created}")
    return created
