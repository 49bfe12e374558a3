"""Fan-out of ward notices and outage warnings through the one notice pipeline, in batches.

A Delivery row is the progress of one fan-out: recipients are walked by user id, one batch per
transaction (its notices and the new cursor commit together). A worker killed mid-batch loses the
batch's transaction and the next run starts again from the last committed cursor; notify() also
skips anyone this source already told. Consent to notices is respected (`unsolicited`), and the
SMS go through the pipeline's daily cap.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from notices.models import key_of
from notices.services import notify
from smarthp.sweeping import publish_on_commit, queue_again

from ..models import Delivery, Outage, OutageKind, UtilityKind, WardNotice
from .common import now

RETRY_AFTER = datetime.timedelta(minutes=2)
GIVE_UP_AFTER = datetime.timedelta(days=2)


def batch_size():
    return getattr(settings, "NEWS_DELIVERY_BATCH", 500)


def start(obj):
    """Open the fan-out of `obj` (a WardNotice or an Outage), queued when the transaction commits."""
    from ..tasks import deliver_task

    delivery, created = Delivery.objects.get_or_create(source=key_of(obj), defaults={"queued_at": now()})
    if created:
        publish_on_commit(deliver_task, delivery.pk)
    return delivery


def _resolve(source):
    label, _sep, pk = source.partition(":")
    model = {"news.wardnotice": WardNotice, "news.outage": Outage}[label]
    return model.objects.filter(pk=int(pk)).first()


def recipients(obj):
    """The users `obj` concerns, before consent (notify filters it)."""
    users = get_user_model().objects.filter(is_active=True)
    ward_codes = list(obj.wards.values_list("code", flat=True))
    match = Q(profile__ward_id__in=ward_codes)
    if isinstance(obj, Outage) and obj.utility == UtilityKind.POWER:
        keys = [key for key in obj.place_keys.splitlines() if key]
        if keys:
            match |= Q(outage_follow__substation_key__in=keys) | Q(outage_follow__street_key__in=keys)
    return users.filter(match)


def _when(value):
    return formats.date_format(timezone.localtime(value), "H:i d/m/Y")


def message(obj):
    """(text, url, sms) of the notice `obj` sends."""
    if isinstance(obj, WardNotice):
        if obj.is_urgent:
            text = _("Thông báo khẩn: %(title)s") % {"title": obj.title}
        else:
            text = _("Thông báo của phường: %(title)s") % {"title": obj.title}
        return text, obj.get_absolute_url(), obj.is_urgent
    what = _("cắt điện") if obj.utility == UtilityKind.POWER else _("cắt nước")
    if obj.kind == OutageKind.EMERGENCY:
        what = _("mất điện do sự cố") if obj.utility == UtilityKind.POWER else _("mất nước do sự cố")
    text = _("Lịch %(what)s từ %(start)s đến %(end)s: %(area)s") % {
        "what": what,
        "start": _when(obj.starts_at),
        "end": _when(obj.ends_at),
        "area": obj.area[:160],
    }
    return text, obj.get_absolute_url(), True


def deliver(delivery_id, *, size=None):
    """Send the fan-out's remaining batches. Returns how many notices this call created."""
    size = size or batch_size()
    created = 0
    while True:
        with transaction.atomic():
            delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
            if delivery is None or delivery.finished_at is not None:
                return created
            obj = _resolve(delivery.source)
            if obj is None or getattr(obj, "cancelled_at", None) is not None:
                delivery.finished_at = now()
                delivery.save(update_fields=["finished_at"])
                return created
            ids = list(
                recipients(obj)
                .filter(pk__gt=delivery.cursor)
                .order_by("pk")
                .values_list("pk", flat=True)
                .distinct()[:size]
            )
            if not ids:
                delivery.finished_at = now()
                delivery.save(update_fields=["finished_at"])
                return created
            text, url, sms = message(obj)
            kind = "news.notice" if isinstance(obj, WardNotice) else "news.outage"
            notices = notify(
                user_ids=ids, text=text, kind=kind, url=url, target=obj, source=obj, sms=sms, unsolicited=True
            )
            delivery.cursor = ids[-1]
            delivery.sent += len(notices)
            delivery.queued_at = now()
            delivery.save(update_fields=["cursor", "sent", "queued_at"])
            created += len(notices)


def sweep_deliveries(*, older_than=RETRY_AFTER):
    """Queue again the fan-outs left unfinished (a lost message, a killed worker)."""
    from ..tasks import deliver_task

    current = now()
    pending = (
        Delivery.objects.filter(
            finished_at__isnull=True,
            queued_at__lt=current - older_than,
            created_at__gte=current - GIVE_UP_AFTER,
        )
        .order_by("queued_at")
        .values_list("pk", "queued_at")[:100]
    )
    return queue_again(pending, Delivery.objects, "queued_at", deliver_task)
