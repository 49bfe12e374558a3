"""Ward notices (thông báo): to one or more wards, shown on their citizens' home pages and sent to them."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import WardNotice
from . import delivery
from .common import NewsError, now, require_editor, units


def publish_notice(*, editor, title, body, ward_codes, is_urgent=False, expires_at=None):
    """Publish a notice to these wards and start sending it (SMS too when urgent). A notice to no
    ward is refused. Returns the notice."""
    require_editor(editor)
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise NewsError(_("Hãy nhập tiêu đề thông báo."), field="title")
    if not body:
        raise NewsError(_("Hãy nhập nội dung thông báo."), field="body")
    wards = units(ward_codes, required=True)
    current = now()
    if expires_at is not None and expires_at <= current:
        raise NewsError(_("Thời điểm hết hiển thị phải ở sau bây giờ."), field="expires_at")
    with transaction.atomic():
        notice = WardNotice.objects.create(
            title=title,
            body=body,
            is_urgent=bool(is_urgent),
            author=editor,
            published_at=current,
            expires_at=expires_at,
        )
        notice.wards.set(wards)
        delivery.start(notice)
    return notice


def withdraw_notice(*, editor, notice_id):
    """Stop showing a notice (what was sent stays sent)."""
    require_editor(editor)
    with transaction.atomic():
        notice = WardNotice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None:
            raise NewsError(_("Không tìm thấy thông báo."))
        notice.expires_at = now()
        notice.save(update_fields=["expires_at"])
    return notice
