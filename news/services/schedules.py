"""Reception schedules (lịch tiếp dân, lịch tiếp xúc cử tri). Editors only."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Schedule, ScheduleKind
from .common import NewsError, require_editor, units


def save_schedule(*, editor, kind, title, starts_at, ends_at, place, host, ward_code=None, note="", schedule_id=None):
    require_editor(editor)
    if kind not in ScheduleKind.values:
        raise NewsError(_("Loại lịch không hợp lệ."), field="kind")
    if not (title or "").strip() or not (place or "").strip() or not (host or "").strip():
        raise NewsError(_("Hãy ghi nội dung, địa điểm và người tiếp."))
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise NewsError(_("Thời điểm kết thúc phải ở sau thời điểm bắt đầu."), field="ends_at")
    ward = units([ward_code], required=False)[0] if ward_code else None
    with transaction.atomic():
        if schedule_id is None:
            schedule = Schedule(author=editor)
        else:
            schedule = Schedule.objects.select_for_update().filter(pk=schedule_id).first()
            if schedule is None:
                raise NewsError(_("Không tìm thấy lịch này."))
        schedule.kind, schedule.title, schedule.place, schedule.host = kind, title.strip(), place.strip(), host.strip()
        schedule.starts_at, schedule.ends_at, schedule.ward, schedule.note = starts_at, ends_at, ward, note.strip()
        schedule.save()
    return schedule


def delete_schedule(*, editor, schedule_id):
    require_editor(editor)
    return Schedule.objects.filter(pk=schedule_id).delete()[0]
