"""Citizen pages of the directory of places (Tiện ích): the kinds, search, near me, a place's page,
which ward am I in, reporting a wrong place. HTTP only: reads in selectors, writes in services."""

import html

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.dateformat import time_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from government import geo

from . import hours, kinds, selectors, services
from .forms import NearForm, ReportPlaceForm, SearchForm, WardLookupForm, kind_options
from .models import PlaceKind, directions_url, tel_href


def _map_settings():
    return {
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_center": settings.LEAFLET_CONFIG["DEFAULT_CENTER"],
    }


def _groups():
    """(group name, [(kind name, its near-me address)]): the index's links, one reverse for them all."""
    near_url = reverse("utilities:near")
    return [
        (str(label), [(str(kind.label), f"{near_url}?loai={kinds.SLUGS[kind]}") for kind in members])
        for label, members in kinds.GROUPS
    ]


def hours_label(state):
    """(is open, what to say) of an opening-hours state, or None when the hours are not known."""
    if not state.known:
        return None
    change = timezone.localtime(state.next_change) if state.next_change else None
    if state.is_open:
        label = _("Đang mở cửa")
        if change:
            label += " · " + _("đóng lúc %(time)s") % {"time": time_format(change, "H:i")}
        return state.is_open, label
    label = _("Đã đóng cửa")
    if change and state.next_change_today:
        label += " · " + _("mở lúc %(time)s") % {"time": time_format(change, "H:i")}
    elif change:
        label += " · " + _("mở lúc %(time)s, %(day)s") % {
            "time": time_format(change, "H:i"),
            "day": date_format(change, "l d/m"),
        }
    return state.is_open, label


def place_rows(places, *, origin=None, with_hours=True):
    """What the list of places shows, as plain values: `places` are (row, distance in km or None),
    each row a dict of selectors.NEAR_COLUMNS.

    Built here rather than in the template: twenty rows of model lookups, choice labels and
    translated sentences cost the page more than its query. Opening hours are read once per
    distinct text (most places share a few), at one moment for the whole list."""
    kind_labels = {}  # each kind's name translated once, for the kinds on the page
    place_url = reverse("utilities:place", args=[0]).removesuffix("0/")  # one reverse, not twenty
    # The sentences are the template's own msgids (as {% blocktranslate %} wrote them), names escaped.
    away = _("cách %(distance)s")
    call = _('Gọi <span class="visually-hidden">%(name)s</span>')
    directions = _('Chỉ đường <span class="visually-hidden">tới %(name)s</span>')
    moment = timezone.now()
    labels = {}
    rows = []
    for place, distance in places:
        kind, text = place["kind"], place["opening_hours"]
        if with_hours and text not in labels:
            labels[text] = hours_label(hours.state(text, at=moment))
        if kind not in kind_labels:
            kind_labels[kind] = str(PlaceKind(kind).label) if kind in PlaceKind.values else kind
        name = html.escape(place["name"])
        rows.append(
            {
                "pk": place["pk"],
                "name": place["name"],
                "url": f"{place_url}{place['pk']}/",
                "lat": f"{place['lat']:f}",
                "lng": f"{place['lng']:f}",
                "kind": kind_labels[kind],
                "away": away % {"distance": selectors.format_distance(distance)} if distance is not None else "",
                "where": ", ".join(part for part in (place["address"], place["unit_name"]) if part),
                "hours": labels.get(text) if with_hours else None,
                "tel_href": tel_href(place["phone"]),
                "call": call % {"name": name},  # HTML, the name escaped: for rows_html
                "directions": directions_url(place["lat"], place["lng"], origin) if distance is not None else "",
                "directions_label": directions % {"name": name},  # as above
            }
        )
    return rows


def rows_html(rows):
    """The <li>s of place_rows' rows, every value escaped: written here rather than by a template,
    which spent four milliseconds on twenty rows (the page's query takes one)."""
    parts = []
    for row in rows:
        name, url = html.escape(row["name"]), html.escape(row["url"])
        away = f" · <strong>{html.escape(row['away'])}</strong>" if row["away"] else ""
        hours_part = ""
        if row["hours"]:
            is_open, label = row["hours"]
            hours_part = f'<span class="{"places-open" if is_open else "places-closed"}">{html.escape(label)}</span>'
        actions = ""
        if row["directions"]:
            call = (
                f'<a class="button" href="{html.escape(row["tel_href"])}">{row["call"]}</a>' if row["tel_href"] else ""
            )
            href = html.escape(row["directions"])
            actions = (
                f'<span class="places-actions">{call}<a class="button secondary" href="{href}"'
                f' rel="noopener">{row["directions_label"]}</a></span>'
            )
        parts.append(
            f'<li class="places-item" data-lat="{row["lat"]}" data-lng="{row["lng"]}" data-name="{name}"'
            f' data-url="{url}">\n  <a class="places-name" href="{url}">{name}</a>\n'
            f'  <span class="places-meta">{html.escape(row["kind"])}{away}</span>\n'
            f'  <span class="places-meta">{html.escape(row["where"])}</span>\n  {hours_part}\n  {actions}\n</li>\n'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above; call, directions_label by place_rows


def _as_row(place):
    """A Place as the row selectors.nearest_rows gives."""
    return {
        "pk": place.pk, "name": place.name, "kind": place.kind, "address": place.address,
        "unit_name": place.unit.name, "lat": place.lat, "lng": place.lng, "phone": place.phone,
        "opening_hours": place.opening_hours,
    }  # fmt: skip


@require_GET
def index(request):
    """The kinds of places, a search of them, and the way to "near me" and "which ward"."""
    form = SearchForm(request.GET or None)
    results, query = None, ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        found = selectors.search(query, kind=kinds.kind_of(form.cleaned_data["loai"]))
        results = place_rows([(_as_row(place), None) for place in found], with_hours=False)
    # The near-me form's ids start "near_": the page has two forms with a kind list each.
    context = {
        "form": form,
        "groups": _groups(),
        "results": results,
        "results_html": rows_html(results or []),
        "query": query,
        "near_options": NearForm().options(),
        "search_options": kind_options(_("Mọi loại"), form.data.get("loai", "") if form.is_bound else ""),
    }
    return render(request, "utilities/index.html", context)


@require_GET
def near(request):
    """The nearest places of a kind to a point: the browser's location (sent as lat, lng after the
    person taps the button), or the seat of a ward chosen from the list (no JavaScript needed)."""
    form = NearForm(request.GET or None)
    origin, unit, error, found = None, None, None, None
    kind = None
    if form.is_bound:
        if not form.is_valid():
            error = _("Vị trí không hợp lệ. Hãy chọn phường, xã trong danh sách.")
        else:
            kind = form.kind
            lat, lng = form.cleaned_data.get("lat"), form.cleaned_data.get("lng")
            if lat is not None and lng is not None:
                origin = (lat, lng)
            elif form.cleaned_data.get("phuong"):
                unit, origin = selectors.unit_point(form.cleaned_data["phuong"])
                if origin is None:
                    error = _("Chưa có vị trí của phường, xã này. Hãy dùng vị trí của bạn.")
            else:
                error = _("Hãy chọn phường, xã, hoặc chạm “Dùng vị trí của tôi”.")
    if origin is not None:
        found = selectors.nearest_rows(lat=origin[0], lng=origin[1], kind=kind)
        if not found and geo.unit_at(*origin) is None:
            error = _("Vị trí này nằm ngoài thành phố Hải Phòng.")
    rows = place_rows(found or [], origin=origin)
    # The template's own sentence (its {% blocktranslate count %} msgids), said here: the tag and its
    # filters cost the page more than the sentence is worth.
    found_text = ngettext(
        "%(counter)s địa điểm trong bán kính %(radius)s km, gần nhất trước.",
        "%(counter)s địa điểm trong bán kính %(radius)s km, gần nhất trước.",
        len(rows),
    ) % {"counter": len(rows), "radius": floatformat(selectors.DEFAULT_RADIUS_KM, "0")}
    context = {
        "options": form.options(),
        "kind": kind,
        "kind_slug": kinds.SLUGS.get(kind, ""),
        "origin": origin,
        "unit": unit,
        "rows": rows,
        "rows_html": rows_html(rows),
        "found_text": found_text,
        "lat_text": f"{origin[0]:f}" if origin else "",
        "lng_text": f"{origin[1]:f}" if origin else "",
        "searched": found is not None,
        "error": error,
        "radius_km": selectors.DEFAULT_RADIUS_KM,
        **_map_settings(),
    }
    return render(request, "utilities/near.html", context)


@require_GET
def place(request, pk):
    """A place's page: call, directions, opening hours and whether it is open now, its ward."""
    found = selectors.place_for_page(pk)
    if found is None:
        raise Http404
    context = {"place": found, "hours": found.hours_state(), **_map_settings()}
    return render(request, "utilities/place.html", context)


@login_required
def report(request, pk):
    """Tell the editors that a place's details are wrong."""
    found = selectors.place_for_page(pk)
    if found is None:
        raise Http404
    form = ReportPlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _report, created = services.report_place(place=found, reporter=request.user, **form.cleaned_data)
        except services.PlaceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if created:
                messages.success(request, _("Cảm ơn bạn. Biên tập viên sẽ kiểm tra và sửa thông tin địa điểm."))
            else:
                messages.info(request, _("Bạn đã báo địa điểm này; biên tập viên đang kiểm tra."))
            return redirect(found)
    return render(request, "utilities/report.html", {"place": found, "form": form})


@require_GET
def which_ward(request):
    """ "Tôi đang ở phường nào?": a point (typed, tapped on the map, or the phone's location) → its
    ward or commune, with the People's Committee and the police."""
    form = WardLookupForm(request.GET or None)
    answer, outside = None, False
    if form.is_bound and form.is_valid():
        answer = selectors.ward_at(form.cleaned_data["lat"], form.cleaned_data["lng"])
        outside = answer is None
    context = {"form": form, "answer": answer, "outside": outside, **_map_settings()}
    return render(request, "utilities/which_ward.html", context)
