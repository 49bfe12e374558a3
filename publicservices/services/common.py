"""What every dossier write shares: the error, the row lock, the timeline, telling the applicant."""

from django.utils import timezone
from django.utils.translation import gettext as _

from government.calendar import add_working_days, add_working_hours

from ..models import Dossier, DossierEvent

NOTICE_KIND = "dossier"


class DossierActionError(Exception):
    """A step that cannot be taken now; the message says why, in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def now():
    return timezone.now()


def lock(dossier, *, expected=None):
    """The dossier's row, locked, re-read. With `expected` (statuses), a dossier that moved meanwhile
    (another officer acted first, or the citizen withdrew) is refused with a clear message."""
    locked = Dossier.objects.select_for_update().select_related("procedure", "agency").get(pk=dossier.pk)
    if expected is not None and locked.status not in expected:
        raise DossierActionError(
            _("Hồ sơ đã chuyển sang trạng thái “%(status)s” (có thể do người khác vừa xử lý). Vui lòng xem lại.")
            % {"status": locked.get_status_display()}
        )
    return locked


def due_from(procedure, start):
    """When a dossier received at `start` is due: working hours or working days of the government calendar."""
    if procedure.processing_hours:
        return add_working_hours(start, procedure.processing_hours)
    return add_working_days(start, procedure.processing_days or 0)


def log_event(dossier, kind, *, actor=None, note="", items=None, due_at=None, at=None):
    return DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        actor=actor,
        actor_name=(actor.full_name or actor.get_username()) if actor is not None else "",
        status=dossier.status,
        note=note,
        items=items or [],
        holder_name=(dossier.holder.full_name or dossier.holder.get_username()) if dossier.holder_id else "",
        holder_unit=dossier.holder_unit,
        due_at=due_at,
        at=at or now(),
    )


def tell_applicant(dossier, text, *, source):
    """In-site notice and SMS to an applicant with an account; SMS alone to a confirmed phone without one."""
    from notices.services import notify, text_phone

    if dossier.applicant_id:
        notify(
            user_ids=[dossier.applicant_id],
            text=text,
            kind=NOTICE_KIND,
            url=dossier.get_absolute_url(),
            target=dossier,
            source=source,
            sms=True,
        )
    elif dossier.applicant_phone:
        text_phone(
            phone=dossier.applicant_phone,
            text=text,
            kind=NOTICE_KIND,
            url=dossier.lookup_url(),
            target=dossier,
            source=source,
        )


def local_date(value):
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else ""
