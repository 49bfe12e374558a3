"""What every news service shares: the error callers show, who may write, the clock, unit lookups."""

from django.utils import timezone
from django.utils.translation import gettext as _

from government.models import AdministrativeUnit, AgencyKind, Membership, Role

# Roles of a utility company's staff that may enter its outages.
UTILITY_ROLES = (Role.OFFICER, Role.LEADER)


class NewsError(ValueError):
    """A refused write; `message` is shown to the user as it is. Nothing was saved."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def now():
    return timezone.now()


def is_editor(user):
    """Checked against the database again before every write (the session's facts may be a minute old)."""
    return bool(user and user.is_authenticated) and (
        Membership.objects.active().filter(user=user, role=Role.EDITOR).exists()
    )


def require_editor(user):
    if not is_editor(user):
        raise NewsError(_("Chỉ biên tập viên mới làm được việc này."))


def utility_agency_ids(user):
    if not (user and user.is_authenticated):
        return set()
    return set(
        Membership.objects.active()
        .filter(user=user, role__in=UTILITY_ROLES, agency__kind=AgencyKind.UTILITY)
        .values_list("agency_id", flat=True)
    )


def units(codes, *, required=True):
    """The units of these codes, all of them or a NewsError."""
    codes = {str(code).strip() for code in codes or () if str(code).strip()}
    if not codes:
        if required:
            raise NewsError(_("Hãy chọn ít nhất một phường, xã."), field="wards")
        return []
    found = list(AdministrativeUnit.objects.filter(code__in=codes).only("code", "name"))
    missing = codes - {unit.code for unit in found}
    if missing:
        raise NewsError(_("Không có phường, xã mã %(codes)s.") % {"codes": ", ".join(sorted(missing))}, field="wards")
    return found
