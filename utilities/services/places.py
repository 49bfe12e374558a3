"""Editors' writes of places, and citizens' reports of a wrong place."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from government.models import Membership, Role

from ..models import Place, PlaceReport, PlaceReportStatus, PlaceSource, Problem
from .common import PlaceError, clean_place_fields

EDITABLE = ("name", "kind", "address", "unit", "lat", "lng", "phone", "opening_hours", "website", "note")


def editor_ids():
    """The ids of everyone who holds the editor role in an active agency."""
    return set(Membership.objects.active().filter(role=Role.EDITOR).values_list("user_id", flat=True))


def is_editor(user):
    return bool(user.is_authenticated and Membership.objects.active().filter(user=user, role=Role.EDITOR).exists())


def _require_editor(user):
    if not is_editor(user):
        raise PlaceError(_("Chỉ biên tập viên được sửa địa điểm."))


@transaction.atomic
def create_place(*, editor, name, kind, lat, lng, address="", phone="", opening_hours="", website="", note=""):
    """A new place entered by an editor; raises PlaceError (see clean_place_fields)."""
    _require_editor(editor)
    values = clean_place_fields(
        name=name,
        kind=kind,
        lat=lat,
        lng=lng,
        address=address,
        phone=phone,
        opening_hours=opening_hours,
        website=website,
        note=note,
    )
    return Place.objects.create(**values, source=PlaceSource.EDITOR, updated_by=editor)


@transaction.atomic
def update_place(*, editor, place_id, version, is_active=True, **fields):
    """Correct a place. `version` is the one the editor's form was read at: when another editor saved
    the place since, nothing is written and PlaceError says so (their correction is not overwritten).
    Returns (place, changed fields)."""
    _require_editor(editor)
    place = Place.objects.select_for_update().filter(pk=place_id).first()
    if place is None:
        raise PlaceError(_("Không tìm thấy địa điểm."))
    if int(version) != place.version:
        raise PlaceError(
            _("Một biên tập viên khác vừa sửa địa điểm này. Hãy xem lại thông tin mới rồi sửa lại nếu cần.")
        )
    values = clean_place_fields(**{name: fields.get(name, getattr(place, name)) for name in EDITABLE if name != "unit"})
    values["is_active"] = bool(is_active)
    changed = [name for name, value in values.items() if getattr(place, name) != value]
    if not changed:
        return place, []
    for name in changed:
        setattr(place, name, values[name])
    place.version += 1
    place.updated_at = timezone.now()
    place.updated_by = editor
    place.save(update_fields=[*changed, "version", "updated_at", "updated_by"])
    return place, changed


def report_place(*, place, reporter, problem, message=""):
    """A citizen's report that `place` is wrong; it reaches the editors (the desk's count, their queue,
    an in-site notice). Sent again while the first is still open, it is the same report. Returns
    (report, created)."""
    if problem not in Problem.values:
        raise PlaceError(_("Hãy chọn thông tin nào bị sai."), "problem")
    message = " ".join(str(message or "").split())
    if len(message) > 500:
        raise PlaceError(_("Mô tả dài quá 500 ký tự."), "message")
    existing = PlaceReport.objects.filter(place=place, reporter=reporter, status=PlaceReportStatus.OPEN).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            report = PlaceReport.objects.create(place=place, reporter=reporter, problem=problem, message=message)
            from notices.services import notify

            notify(
                user_ids=editor_ids() - {reporter.pk},
                text=_("Có người báo thông tin sai ở địa điểm “%(place)s”: %(problem)s.")
                % {"place": place.name, "problem": report.get_problem_display()},
                kind="utilities.placereport",
                url=reverse("utilities_officer:reports"),
                target=place,
                source=report,
            )
    except IntegrityError:
        # The same person's second tap, committed in between: theirs is the open one.
        return PlaceReport.objects.get(place=place, reporter=reporter, status=PlaceReportStatus.OPEN), False
    return report, True


@transaction.atomic
def handle_report(*, editor, report_id, status):
    """An editor closes a citizen's report as fixed or as needing no change. A report another editor
    closed meanwhile is left as they closed it, and PlaceError says so."""
    _require_editor(editor)
    if status not in (PlaceReportStatus.FIXED, PlaceReportStatus.DISMISSED):
        raise PlaceError(_("Trạng thái không hợp lệ."))
    report = PlaceReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise PlaceError(_("Không tìm thấy báo cáo."))
    if report.status != PlaceReportStatus.OPEN:
        raise PlaceError(_("Báo cáo này đã được một biên tập viên khác xử lý."))
    report.status = status
    report.handled_at = timezone.now()
    report.handled_by = editor
    report.save(update_fields=["status", "handled_at", "handled_by"])
    return report
