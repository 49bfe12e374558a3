"""The figures' pages: the ward's campaign page, the city's page, the people behind a number,
the helpers, and the log of exports."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from citizens.phones import display_phone
from smarthp.layout import drawn

from .. import drawing, exports, figures, services
from ..access import campaign_required, check_access, unit_for
from ..models import ExportKind, ExportLog
from .rows import city_rows as render_city_rows
from .rows import city_shapes as render_city_shapes
from .rows import countdown as render_countdown
from .rows import escape, index_url, jobs_section, labels_for, rate_cell, unit_links
from .rows import group_rows as render_group_rows
from .rows import workplace_rows as render_workplace_rows

PEOPLE_PER_PAGE = 50
WHOLE_WARD = "tat-ca"  # ?to=tat-ca: the list of every resident of the unit
CITY_SORTS = {
    "ten": lambda r: (r.name,),
    "ty-le": lambda r: (-(r.rate if r.rate is not None else -1), r.name),
    "dang-ky": lambda r: (-r.registered, r.name),
    "ho": lambda r: (-r.covered, r.name),
    "ho-co-dttm": lambda r: (-r.smartphone_households, r.name),
}


@campaign_required
def index(request):
    """Where the officer's campaign work is: their ward, or the city for city staff."""
    access = request.campaign_access
    units = sorted(access.ward_units | access.leader_units)
    if access.is_city and not units:
        return redirect("campaigns_officer:city")
    if len(units) == 1 and not access.is_city:
        return redirect("campaigns_officer:ward", units[0])
    from government.models import AdministrativeUnit

    choices = AdministrativeUnit.objects.filter(code__in=units).only("code", "name").order_by("name")
    return render(request, "campaigns/officer/index.html", {"units": choices, "access": access})


@campaign_required
def ward(request, code):
    """The ward's campaign page: one statement (figures.read_ward), the body drawn once per
    language, unit and variant ({% drawn %}) with this request's figures and rows put in."""
    access = request.campaign_access
    check_access(access, code)
    names = access.sees_names(code)
    found = figures.read_ward(code, user_id=request.user.pk if names else None)
    if found is None:
        raise Http404
    data = found.figures
    links = unit_links(code)
    labels = labels_for(get_language())
    totals = data.totals
    campaign = data.campaign or {}
    staff_countdown = render_countdown(data.staff_countdown)
    without_group = data.without_group
    if names and without_group:
        without_group = mark_safe(f'<a href="{escape(links["people"])}?to=0">{without_group}</a>')  # noqa: S308
    page = drawn(
        "campaigns/officer/_ward.html",
        code=code,
        names=names,
        sees_log=access.sees_log(code),
        is_city=access.is_city,
        campaign=bool(campaign),
        groups=bool(data.groups),
        workplaces=bool(data.workplaces),
        fill_unit=data.unit_name,
        fill_campaign_name=campaign.get("name", ""),
        fill_target=campaign.get("target_percent", ""),
        fill_start=campaign["starts_on"].strftime("%d/%m/%Y") if campaign else "",
        fill_residents_countdown=render_countdown(data.residents_countdown),
        fill_staff_countdown=staff_countdown,
        fill_smartphone_households=totals["smartphone_households"],
        fill_covered=totals["covered"],
        fill_rate=mark_safe(rate_cell(totals["rate"], totals["level"], labels)),  # noqa: S308 - escaped there
        fill_registered=totals["registered"],
        fill_active=totals["active"],
        fill_without_group=without_group,
        fill_at=timezone.localtime(data.computed_at).strftime("%H:%M"),
        fill_jobs=jobs_section(found.jobs, links),
        fill_group_rows=render_group_rows(data.groups, links if names else None),
        fill_workplace_rows=render_workplace_rows(data.workplaces, links if names else None),
        fill_chart=drawing.weekly_chart_for(figures.weekly_series(found.past_weeks, data)),
    )
    return render(request, "campaigns/officer/ward.html", {"unit_name": data.unit_name, "page": page})


@campaign_required
def city(request):
    if not request.campaign_access.is_city:
        raise Http404
    rows, computed_at = figures.city_figures()
    sort = request.GET.get("sap-xep", "ty-le")
    if sort not in CITY_SORTS:
        sort = "ty-le"
    descending = request.GET.get("chieu") == "nguoc"
    ordered = sorted(rows, key=CITY_SORTS[sort], reverse=descending)
    totals = {
        "smartphone_households": sum(r.smartphone_households for r in rows),
        "registered": sum(r.registered for r in rows),
        "covered": sum(r.covered for r in rows),
    }
    totals["rate"] = figures.rate(totals["covered"], totals["smartphone_households"])
    city_map = drawing.city_map(rows)
    page = drawn(
        "campaigns/officer/_city.html",
        sort=sort,  # one of CITY_SORTS
        descending=descending,
        has_map=bool(city_map),
        fill_smartphone_households=totals["smartphone_households"],
        fill_covered=totals["covered"],
        fill_rate=mark_safe(rate_cell(totals["rate"], "", labels_for(get_language()))),  # noqa: S308 - escaped there
        fill_registered=totals["registered"],
        fill_at=timezone.localtime(computed_at).strftime("%H:%M"),
        fill_map_width=city_map["width"] if city_map else "",
        fill_map_height=city_map["height"] if city_map else "",
        fill_map_shapes=render_city_shapes(city_map["shapes"]) if city_map else "",
        fill_unit_rows=render_city_rows(ordered, index_url()),
    )
    return render(request, "campaigns/officer/city.html", {"page": page})


def _spec_from_query(request, unit):
    """The list a people page or an export is about: ?to=<group> (0: no group, tat-ca: every
    resident of the unit) or ?noi-lam-viec=<id>."""
    group, place = request.GET.get("to"), request.GET.get("noi-lam-viec")
    if group == WHOLE_WARD:
        return services.spec_for(unit=unit, kind=ExportKind.WARD_LIST, target_id=None), ExportKind.WARD_LIST, None
    if place and place.isdigit():
        spec = services.spec_for(unit=unit, kind=ExportKind.WORKPLACE_LIST, target_id=int(place))
        return spec, ExportKind.WORKPLACE_LIST, int(place)
    if group and group.isdigit():
        target = int(group) or None
        return services.spec_for(unit=unit, kind=ExportKind.GROUP_LIST, target_id=target), ExportKind.GROUP_LIST, target
    return None, None, None


@campaign_required
def people(request, code):
    """The registered people behind a figure: names only of those who agreed to be named."""
    unit = unit_for(request, code, need="names")
    spec, kind, target = _spec_from_query(request, unit)
    if spec is None:
        raise Http404
    qs = exports.people(spec).filter(named=True)
    active = request.GET.get("hoat-dong") == "1"
    if active:
        import datetime as dt

        from django.utils import timezone

        qs = qs.filter(user__last_login__gte=timezone.now() - dt.timedelta(days=figures.ACTIVE_DAYS))
    qs = (
        qs.select_related("user")
        .only("user__full_name", "user__phone", "street_address", "workplace_name", "user__last_login")
        .order_by("user__full_name", "pk")
    )
    page = Paginator(qs, PEOPLE_PER_PAGE).get_page(request.GET.get("trang"))
    named, others = exports.counts(spec)
    rows = [(p.user.full_name, display_phone(p.user.phone), p.street_address, p.workplace_name) for p in page]
    if kind == ExportKind.WARD_LIST:
        query = f"to={WHOLE_WARD}"
    elif kind == ExportKind.GROUP_LIST:
        query = f"to={target or 0}"
    else:
        query = f"noi-lam-viec={target}"
    return render(
        request,
        "campaigns/officer/people.html",
        {
            "unit": unit,
            "spec": spec,
            "page": page,
            "rows": rows,
            "named": named,
            "others": others,
            "active": active,
            "query": query,
            "kind": kind,
            "target": target or 0,
        },
    )


@campaign_required
def helpers(request, code):
    unit = unit_for(request, code, need="names")
    rows = figures.helpers(unit)
    for row in rows:
        row.display_phone = display_phone(row.phone)
    return render(
        request,
        "campaigns/officer/helpers.html",
        {"unit": unit, "rows": rows, "target": figures.HELPER_TARGET},
    )


@campaign_required
def export_log(request, code):
    unit = unit_for(request, code, need="log")
    entries = ExportLog.objects.filter(unit=unit).select_related("user").order_by("-at", "-id")
    page = Paginator(entries, 50).get_page(request.GET.get("trang"))
    return render(request, "campaigns/officer/log.html", {"unit": unit, "page": page})


def ward_url(code):
    return reverse("campaigns_officer:ward", args=[code])
