"""Which kind of place an OpenStreetMap feature is, from its tags, and how kinds are grouped on the
citizen pages. The first tag that names a kind wins, most specific first: a bank with public wifi
is a bank; a café whose only listed trait is `internet_access=wlan` is a public wifi spot."""

from django.utils.translation import gettext_lazy as _

from .models import PlaceKind

# (tag key, tag value, kind); value None matches any value but "no".
TAG_KINDS = [
    ("amenity", "hospital", PlaceKind.HOSPITAL),
    ("healthcare", "hospital", PlaceKind.HOSPITAL),
    ("amenity", "clinic", PlaceKind.CLINIC),
    ("amenity", "doctors", PlaceKind.CLINIC),
    ("healthcare", "clinic", PlaceKind.CLINIC),
    ("healthcare", "centre", PlaceKind.CLINIC),
    ("amenity", "pharmacy", PlaceKind.PHARMACY),
    ("healthcare", "pharmacy", PlaceKind.PHARMACY),
    ("shop", "chemist", PlaceKind.PHARMACY),
    ("amenity", "kindergarten", PlaceKind.KINDERGARTEN),
    ("amenity", "school", PlaceKind.SCHOOL),
    ("amenity", "university", PlaceKind.UNIVERSITY),
    ("amenity", "college", PlaceKind.UNIVERSITY),
    ("amenity", "police", PlaceKind.POLICE),
    ("amenity", "townhall", PlaceKind.GOVERNMENT),
    ("office", "government", PlaceKind.GOVERNMENT),
    ("amenity", "bus_station", PlaceKind.BUS_STATION),
    ("highway", "bus_stop", PlaceKind.BUS_STOP),
    ("amenity", "fuel", PlaceKind.FUEL),
    ("amenity", "atm", PlaceKind.ATM),
    ("amenity", "bank", PlaceKind.BANK),
    ("tourism", None, PlaceKind.TOURISM),
    ("historic", None, PlaceKind.TOURISM),
    ("internet_access", "wlan", PlaceKind.WIFI),
    ("internet_access", "wifi", PlaceKind.WIFI),
    ("internet_access", "yes", PlaceKind.WIFI),
]


def kind_from_tags(tags):
    """The PlaceKind of a feature with these OSM tags (a dict), or None when none applies."""
    for key, value, kind in TAG_KINDS:
        found = str(tags.get(key) or "").strip().lower()
        if not found or found == "no":
            continue
        if value is None or found == value:
            return kind
    # A bus stop mapped the newer way (public_transport=platform + bus=yes).
    if tags.get("public_transport") == "platform" and tags.get("bus") == "yes":
        return PlaceKind.BUS_STOP
    return None


# The citizen page's groups, in the order people look for them.
GROUPS = [
    (_("Y tế"), [PlaceKind.PHARMACY, PlaceKind.HOSPITAL, PlaceKind.CLINIC]),
    (_("Cơ quan, công an"), [PlaceKind.GOVERNMENT, PlaceKind.POLICE]),
    (_("Trường học"), [PlaceKind.KINDERGARTEN, PlaceKind.SCHOOL, PlaceKind.UNIVERSITY]),
    (_("Đi lại"), [PlaceKind.BUS_STATION, PlaceKind.BUS_STOP, PlaceKind.FUEL]),
    (_("Ngân hàng, ATM"), [PlaceKind.ATM, PlaceKind.BANK]),
    (_("Wifi, du lịch"), [PlaceKind.WIFI, PlaceKind.TOURISM]),
]

# The kinds as they appear in addresses (/tien-ich/gan-toi/?loai=nha-thuoc): Vietnamese words a
# person can read and type, without diacritics.
SLUGS = {
    PlaceKind.HOSPITAL: "benh-vien",
    PlaceKind.CLINIC: "phong-kham",
    PlaceKind.PHARMACY: "nha-thuoc",
    PlaceKind.KINDERGARTEN: "mam-non",
    PlaceKind.SCHOOL: "truong-hoc",
    PlaceKind.UNIVERSITY: "dai-hoc",
    PlaceKind.GOVERNMENT: "co-quan",
    PlaceKind.POLICE: "cong-an",
    PlaceKind.BUS_STATION: "ben-xe",
    PlaceKind.BUS_STOP: "xe-buyt",
    PlaceKind.FUEL: "cay-xang",
    PlaceKind.ATM: "atm",
    PlaceKind.BANK: "ngan-hang",
    PlaceKind.WIFI: "wifi",
    PlaceKind.TOURISM: "du-lich",
}
KINDS_BY_SLUG = {slug: kind for kind, slug in SLUGS.items()}


def kind_of(value):
    """The PlaceKind named by a slug ("nha-thuoc") or a kind value ("pharmacy"); None otherwise."""
    value = (value or "").strip().lower()
    if value in KINDS_BY_SLUG:
        return KINDS_BY_SLUG[value]
    return PlaceKind(value) if value in PlaceKind.values else None
