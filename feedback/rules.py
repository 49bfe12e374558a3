"""The rules of a report that both the forms and the services check, kept in one place.

A form refuses early with a message beside the field; the service refuses again for callers that
use no form (the API, 1022 intake). Both read the limits from here. Imports only the models and the
government app, so every module of feedback/ may import it.
"""

from django.utils.translation import gettext as _

from government import geo

TITLE_MIN_LENGTH = 5
DESCRIPTION_MIN_LENGTH = 10
MAX_PHOTOS = 5


class ReportActionError(Exception):
    """An action that is not allowed now; `message` is shown to the user as it is."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def check_point(lat, lng):
    """The unit at a map point; ReportActionError when the point is incomplete or outside the city."""
    if (lat is None) != (lng is None):
        raise ReportActionError(_("Vị trí trên bản đồ chưa đầy đủ. Vui lòng đánh dấu lại."))
    if lat is None:
        return None
    unit = geo.unit_at(lat, lng)
    if unit is None:
        raise ReportActionError(
            _("Vị trí đã chọn nằm ngoài thành phố Hải Phòng. Vui lòng đánh dấu một điểm trong thành phố.")
        )
    return unit
