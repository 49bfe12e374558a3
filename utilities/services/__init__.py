"""Every write of the directory of places: editors' places, imports, agencies as places, citizens'
reports of a wrong place. Views, the API, commands and the demo call these."""

from .common import PlaceError, clean_place_fields
from .imports import ImportFailed, ImportResult, import_csv, import_geojson, sync_agency_places
from .places import create_place, handle_report, report_place, update_place

__all__ = [
    "ImportFailed",
    "ImportResult",
    "PlaceError",
    "clean_place_fields",
    "create_place",
    "handle_report",
    "import_csv",
    "import_geojson",
    "report_place",
    "sync_agency_places",
    "update_place",
]
