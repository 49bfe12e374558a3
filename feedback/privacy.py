"""PAKN's part in a citizen's privacy rights (citizens.signals): their data export, and what
erasing their account does to their reports.

Erasure: the reports stay (the city must keep what it was told and how it answered) but lose every
link to the person: the reporter becomes empty (on_delete=SET_NULL), and the contact name and phone,
and the idempotency key that carries the account's id, are cleared here. Follows go with the
account (notices are the notice pipeline's: notices.privacy); the follower counts they added are taken back.
"""

from django.db.models import F

from .models import Follow, Rating, Report


def _iso(value):
    return value.isoformat() if value else None


def export_sections(sender, user, **kwargs):
    reports = (
        Report.objects.filter(reporter=user)
        .select_related("category", "unit", "agency")
        .prefetch_related("photos")
        .order_by("created_at", "pk")
    )
    return {
        "reports": [
            {
                "code": report.code,
                "category": report.category.name,
                "title": report.title,
                "description": report.description,
                "address": report.address,
                "lat": report.lat,
                "lng": report.lng,
                "ward": report.unit.name,
                "public": report.is_public,
                "identity_hidden_from_agency": report.hide_identity,
                "status": report.status,
                "agency": report.agency.name if report.agency else None,
                "created_at": _iso(report.created_at),
                "photos": len(report.photos.all()),
            }
            for report in reports
        ],
        "report_ratings": [
            {
                "report": rating.report.code,
                "score": rating.score,
                "comment": rating.comment,
                "at": _iso(rating.created_at),
            }
            for rating in Rating.objects.filter(report__reporter=user).select_related("report").order_by("created_at")
        ],
        "followed_reports": list(
            Follow.objects.filter(user=user).order_by("created_at").values_list("report__code", flat=True)
        ),
    }


def erase(sender, user, **kwargs):
    Report.objects.filter(reporter=user).update(contact_name="", contact_phone="", idempotency_key=None)
    followed = Follow.objects.filter(user=user).values("report_id")
    Report.objects.filter(pk__in=followed, follower_count__gt=0).update(follower_count=F("follower_count") - 1)
