"""Figures of dossiers per agency and per officer, the ones the province publishes (TT 01/2018).

- received: dossiers the agency received (a receipt was issued);
- on time / late: of those finished (done or returned), finished by the due date or after it; a
  dossier still running past its due date counts as late too; on time % = on time / (on time + late);
- satisfaction: share of ratings "Rất hài lòng" or "Hài lòng" among all ratings.
Two queries, whatever the number of agencies.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q
from django.utils import timezone

from .models import RUNNING, Dossier, DossierStatus, Rating, Satisfaction

FINISHED_WITH_RESULT = (DossierStatus.DONE, DossierStatus.RETURNED)


def _percent(part, whole):
    return round(100 * part / whole) if whole else None


def agency_figures(agency_ids=None):
    """{agency id: figures} for these agencies (all when None)."""
    now = timezone.now()
    dossiers = Dossier.objects.filter(received_at__isnull=False)
    ratings = Rating.objects.all()
    if agency_ids is not None:
        dossiers = dossiers.filter(agency_id__in=agency_ids)
        ratings = ratings.filter(agency_id__in=agency_ids)
    finished = Q(status__in=FINISHED_WITH_RESULT)
    rows = (
        dossiers.values("agency_id")
        .annotate(
            received=Count("pk"),
            on_time=Count("pk", filter=finished & Q(finished_at__lte=F("due_at"))),
            late_done=Count("pk", filter=finished & Q(finished_at__gt=F("due_at"))),
            late_running=Count("pk", filter=Q(status__in=RUNNING, due_at__lt=now)),
            running=Count("pk", filter=Q(status__in=[*RUNNING, DossierStatus.SUPPLEMENT])),
        )
        .order_by()
    )
    figures = {}
    for row in rows:
        late = row["late_done"] + row["late_running"]
        figures[row["agency_id"]] = {
            "received": row["received"],
            "on_time": row["on_time"],
            "late": late,
            "running": row["running"],
            "on_time_percent": _percent(row["on_time"], row["on_time"] + late),
            "ratings": 0,
            "satisfied_percent": None,
        }
    satisfied = Q(satisfaction__in=[Satisfaction.VERY, Satisfaction.SATISFIED])
    for row in ratings.values("agency_id").annotate(n=Count("pk"), ok=Count("pk", filter=satisfied)).order_by():
        entry = figures.setdefault(
            row["agency_id"],
            {"received": 0, "on_time": 0, "late": 0, "running": 0, "on_time_percent": None},
        )
        entry["ratings"] = row["n"]
        entry["satisfied_percent"] = _percent(row["ok"], row["n"])
    return figures


def cached_agency_figures(agency_id=None):
    """The public pages' figures (all agencies, or one), counted again at most every
    PUBLICSERVICES_STATS_CACHE_SECONDS: at a million dossiers one agency's take a tenth of a second."""
    ttl = settings.PUBLICSERVICES_STATS_CACHE_SECONDS
    scope = None if agency_id is None else [agency_id]
    if ttl <= 0:
        return agency_figures(scope)
    key = f"publicservices:figures:{agency_id or 'all'}"
    figures = cache.get(key)
    if figures is None:
        figures = agency_figures(scope)
        cache.set(key, figures, ttl)
    return figures


def officer_figures(agency_ids):
    """Per officer rated at these agencies: number of ratings and their shares. Never who rated."""
    satisfied = Q(satisfaction__in=[Satisfaction.VERY, Satisfaction.SATISFIED])
    rows = (
        Rating.objects.filter(agency_id__in=agency_ids, officer__isnull=False)
        .values("agency_id", "officer_id", "officer__full_name", "officer__username")
        .annotate(
            n=Count("pk"),
            ok=Count("pk", filter=satisfied),
            very=Count("pk", filter=Q(satisfaction=Satisfaction.VERY)),
            unhappy=Count("pk", filter=Q(satisfaction=Satisfaction.UNSATISFIED)),
            polite=Count("pk", filter=Q(attitude="good")),
        )
        .order_by("agency_id", "officer__full_name")
    )
    return [
        {
            "agency_id": row["agency_id"],
            "name": row["officer__full_name"] or row["officer__username"],
            "ratings": row["n"],
            "very": row["very"],
            "unhappy": row["unhappy"],
            "satisfied_percent": _percent(row["ok"], row["n"]),
            "polite_percent": _percent(row["polite"], row["n"]),
        }
        for row in rows
    ]
