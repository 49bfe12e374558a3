"""publicservices' part of the officer desk (government.desk) and the home page's panel (smarthp.home)."""

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from government.desk import Item, Link, Section
from government.models import Role
from smarthp.links import url
from smarthp.sql import Compiled, aware, id_marker, moment_marker

from .models import RUNNING, Dossier, DossierEvent, DossierStatus, EventKind
from .selectors import handling_agency_ids, led_agency_ids

ROLES = (Role.OFFICER, Role.LEADER)


def counts(agency_ids):
    """{agency id: {"new", "running", "overdue", "supplement", "to_return"}}. One query."""
    now = timezone.now()
    result = {pk: dict.fromkeys(("new", "running", "overdue", "supplement", "to_return"), 0) for pk in agency_ids}
    rows = (
        Dossier.objects.filter(
            agency_id__in=agency_ids,
            status__in=[DossierStatus.NEW, DossierStatus.SUPPLEMENT, DossierStatus.DONE, *RUNNING],
        )
        .values("agency_id")
        .annotate(
            new=Count("pk", filter=Q(status=DossierStatus.NEW)),
            running=Count("pk", filter=Q(status__in=RUNNING)),
            overdue=Count("pk", filter=Q(status__in=RUNNING, due_at__lt=now)),
            supplement=Count("pk", filter=Q(status=DossierStatus.SUPPLEMENT)),
            to_return=Count("pk", filter=Q(status=DossierStatus.DONE)),
        )
        .order_by()
    )
    for row in rows:
        result[row.pop("agency_id")].update(row)
    return result


def sections(request, memberships):
    agency_ids = handling_agency_ids(memberships)
    if not agency_ids:
        return []
    figures = counts(agency_ids)
    agencies = {m.agency_id: m.agency for m in memberships}
    queue = reverse("publicservices_officer:queue")
    several = len(agency_ids) > 1
    result = []
    for pk in agency_ids:
        suffix = f"&co-quan={pk}" if several else ""
        f = figures[pk]
        items = [
            Item(_("Hồ sơ mới chờ tiếp nhận"), f"{queue}?tab=moi{suffix}", f["new"], "new"),
            Item(_("Hồ sơ quá hạn"), f"{queue}?tab=dang-xu-ly&han=qua-han{suffix}", f["overdue"], "overdue"),
            Item(_("Đang giải quyết"), f"{queue}?tab=dang-xu-ly{suffix}", f["running"]),
            Item(_("Chờ công dân bổ sung"), f"{queue}?tab=bo-sung{suffix}", f["supplement"]),
            Item(_("Chờ trả kết quả"), f"{queue}?tab=tra-ket-qua{suffix}", f["to_return"], "new"),
        ]
        if pk in led_agency_ids(memberships):
            items.append(Item(_("Số liệu và đánh giá của cơ quan"), reverse("publicservices_officer:figures")))
        result.append(
            Section(title=agencies[pk].name, items=tuple(items), note=_("Dịch vụ công: hồ sơ thủ tục hành chính"))
        )
    return result


def nav(request, memberships):
    links = []
    if handling_agency_ids(memberships):
        links.append(Link(_("Hồ sơ dịch vụ công"), url("publicservices_officer:queue")))
    if led_agency_ids(memberships):
        links.append(Link(_("Số liệu DVC"), url("publicservices_officer:figures")))
    return links


def _moved(applicant, since):
    return (
        DossierEvent.objects.filter(dossier__applicant_id=applicant, at__gte=since)
        .exclude(kind="submitted")
        .order_by("-at")
        .values_list("dossier_id", "dossier__code", "kind", "at")[:20]
    )


# Compiled once (smarthp.sql): the home page's every visit by a signed-in person reads it.
_moved_query = Compiled(_moved, applicant=id_marker(), since=moment_marker())


def home_panel(request):
    """ "My dossiers that moved": the signed-in applicant's dossiers with a step in the last 14 days. One query."""
    from smarthp.home import Panel

    if not request.user.is_authenticated:
        return None
    since = timezone.now() - dt.timedelta(days=14)
    labels = dict(EventKind.choices)
    seen, moved = set(), []
    for dossier_id, code, kind, at in _moved_query.run(applicant=request.user.pk, since=since):
        if dossier_id not in seen:
            seen.add(dossier_id)
            url = reverse("publicservices:dossier", args=[code])
            moved.append({"code": code, "url": url, "kind": labels.get(kind, kind), "at": aware(at)})
            if len(moved) == 3:
                break
    if not moved:
        return None
    return Panel("publicservices/_home_panel.html", {"moved": moved})
