"""Citizen pages of the directory of places (Tiện ích): the kinds, search, near me, a place's page,
which ward am I in, reporting a wrong place. HTTP only: reads in selectors, writes in services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from government import geo

from . import kinds, selectors, services
from .forms import NearForm, ReportPlaceForm, SearchForm, WardLookupForm


def _map_settings():
    return {
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_center": settings.LEAFLET_CONFIG["DEFAULT_CENTER"],
    }


def _groups():
    return [(label, [(kind, kinds.SLUGS[kind]) for kind in members]) for label, members in kinds.GROUPS]


@require_GET
def index(request):
    """The kinds of places, a search of them, and the way to "near me" and "which ward"."""
    form = SearchForm(request.GET or None)
    results, query = None, ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        found = selectors.search(query, kind=kinds.kind_of(form.cleaned_data["loai"]))
        results = [{"place": place} for place in found]
    # The near-me form's ids start "near_": the page has two forms with a kind list each.
    context = {
        "form": form,
        "groups": _groups(),
        "results": results,
        "query": query,
        "near_options": NearForm().options(),
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
        found = selectors.nearest(lat=origin[0], lng=origin[1], kind=kind)
        if not found and geo.unit_at(*origin) is None:
            error = _("Vị trí này nằm ngoài thành phố Hải Phòng.")
    rows = [
        {
            "place": item.place,
            "distance": selectors.format_distance(item.distance_km),
            "directions": item.place.directions_url(origin),
            "hours": item.place.hours_state(),
        }
        for item in found or []
    ]
    context = {
        "options": form.options(),
        "kind": kind,
        "kind_slug": kinds.SLUGS.get(kind, ""),
        "origin": origin,
        "unit": unit,
        "rows": rows,
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
