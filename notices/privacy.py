"""The notice pipeline's part in a citizen's privacy rights (citizens.signals): every notice the
portal sent them is in their data export. Erasure needs nothing here: notices go with the account
(on_delete=CASCADE)."""

from .models import Notice


def export_sections(sender, user, **kwargs):
    return {
        "notifications": [
            {"text": text, "url": url, "at": at.isoformat(), "read": read_at is not None}
            for text, url, at, read_at in Notice.objects.filter(user=user)
            .order_by("created_at", "pk")
            .values_list("text", "url", "created_at", "read_at")
        ]
    }
