"""The notice pipeline's part in a citizen's privacy rights (citizens.signals): every notice the
portal sent them, and every browser that takes their push messages, is in their data export. Erasure
needs nothing here: notices and push subscriptions go with the account (on_delete=CASCADE)."""

from .models import Notice, PushSubscription


def export_sections(sender, user, **kwargs):
    return {
        "notifications": [
            {"text": text, "url": url, "at": at.isoformat(), "read": read_at is not None}
            for text, url, at, read_at in Notice.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values_list("text", "url", "created_at", "read_at")
        ],
        # The browser's push address and keys are not the person's to read: which device, and since when.
        "push_subscriptions": [
            {"device": device, "since": since.isoformat()}
            for device, since in PushSubscription.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values_list("device", "created_at")
        ],
    }
