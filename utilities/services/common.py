"""What every write of a place checks: the same rules for an editor's form, a GeoJSON feature and a
CSV row, so an import cannot store what the form would refuse."""

import math

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from government import geo

from .. import hours
from ..models import Place, PlaceKind

TEXT_LIMITS = {"name": 200, "address": 255, "phone": 30, "opening_hours": 255, "website": 300, "note": 300}
PHONE_CHARACTERS = set("0123456789+-.() ;,/")


class PlaceError(Exception):
    """A write refused, with a message for the person (or, for an import, its row)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def _text(value):
    return " ".join(str(value if value is not None else "").split())


def clean_place_fields(*, name, kind, lat, lng, address="", phone="", opening_hours="", website="", note=""):
    """The fields of a place, cleaned, with its ward from its point; raises PlaceError (with the field
    at fault) for a missing name, an unknown kind, a point outside the city, hours the opening_hours
    library cannot read, a malformed phone or web address, or text too long."""
    values = {
        "name": _text(name),
        "address": _text(address),
        "phone": _text(phone),
        "website": _text(website),
        "note": _text(note),
    }
    if not values["name"]:
        raise PlaceError(_("Thiếu tên địa điểm."), "name")
    if kind not in PlaceKind.values:
        raise PlaceError(_("Loại địa điểm không hợp lệ."), "kind")
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        raise PlaceError(_("Tọa độ (vĩ độ, kinh độ) không hợp lệ."), "lat") from None
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        raise PlaceError(_("Tọa độ (vĩ độ, kinh độ) không hợp lệ."), "lat")
    unit = geo.unit_at(lat, lng)
    if unit is None:
        raise PlaceError(_("Vị trí này nằm ngoài thành phố Hải Phòng."), "lat")
    try:
        values["opening_hours"] = hours.normalize(opening_hours)
    except hours.InvalidHours:
        raise PlaceError(
            _("Giờ mở cửa không đúng cú pháp opening_hours của OpenStreetMap (ví dụ: Mo-Sa 07:00-21:00)."),
            "opening_hours",
        ) from None
    if values["phone"] and not set(values["phone"]) <= PHONE_CHARACTERS:
        raise PlaceError(_("Số điện thoại chỉ gồm chữ số, dấu cách và các dấu + - ( )."), "phone")
    if values["website"]:
        if "://" not in values["website"]:
            values["website"] = "https://" + values["website"]
        try:
            URLValidator(schemes=["http", "https"])(values["website"])
        except ValidationError:
            raise PlaceError(_("Địa chỉ trang web không hợp lệ."), "website") from None
    for field, limit in TEXT_LIMITS.items():
        if len(values[field]) > limit:
            label = Place._meta.get_field(field).verbose_name
            raise PlaceError(
                _("%(field)s dài quá %(limit)d ký tự.") % {"field": str(label).capitalize(), "limit": limit}, field
            )
    return {**values, "kind": kind, "lat": lat, "lng": lng, "unit": unit}
