"""Editors' list of places, adding and correcting one, importing a file, agencies as places."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smarthp.text import search_key

from .. import kinds, services
from ..forms import ImportForm, PlaceForm, SearchForm
from ..models import Place, PlaceReportStatus
from .common import editor_required

PAGE_SIZE = 50


@editor_required
def index(request):
    """Every place (hidden ones too), searchable; newest changes first, pages by id."""
    form = SearchForm(request.GET or None)
    places = Place.objects.select_related("unit").defer("unit__boundary")
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        for word in search_key(query).split()[:8]:
            places = places.filter(search_key__contains=word)
        kind = kinds.kind_of(form.cleaned_data["loai"])
        if kind:
            places = places.filter(kind=kind)
    try:
        before = int(request.GET.get("truoc", ""))
    except ValueError:
        before = None
    if before:
        places = places.filter(pk__lt=before)
    places = places.annotate(open_reports=Count("reports", filter=Q(reports__status=PlaceReportStatus.OPEN))).order_by(
        "-pk"
    )
    rows = list(places[: PAGE_SIZE + 1])
    older = rows[PAGE_SIZE - 1].pk if len(rows) > PAGE_SIZE else None
    params = request.GET.copy()
    params.pop("truoc", None)
    if older:
        params["truoc"] = older
    context = {
        "form": form,
        "query": query,
        "places": rows[:PAGE_SIZE],
        "older_url": f"?{params.urlencode()}" if older else None,
    }
    return render(request, "utilities/officer/places.html", context)


def _save_errors(form, exc):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@editor_required
def add(request):
    form = PlaceForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            place = services.create_place(editor=request.user, **form.place_fields())
        except services.PlaceError as exc:
            _save_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm địa điểm “%(name)s”.") % {"name": place.name})
            return redirect("utilities_officer:edit", pk=place.pk)
    return render(request, "utilities/officer/place_form.html", {"form": form, "place": None})


@editor_required
def edit(request, pk):
    place = Place.objects.select_related("unit").defer("unit__boundary").filter(pk=pk).first()
    if place is None:
        raise Http404
    initial = {name: getattr(place, name) for name in PlaceForm.base_fields if name != "version"}
    initial["version"] = place.version
    form = PlaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            place, changed = services.update_place(
                editor=request.user,
                place_id=place.pk,
                version=form.cleaned_data["version"] or 0,
                is_active=form.cleaned_data["is_active"],
                **form.place_fields(),
            )
        except services.PlaceError as exc:
            _save_errors(form, exc)
        else:
            if changed:
                messages.success(request, _("Đã lưu địa điểm “%(name)s”.") % {"name": place.name})
            else:
                messages.info(request, _("Không có gì thay đổi."))
            return redirect("utilities_officer:edit", pk=place.pk)
    reports = list(place.reports.filter(status=PlaceReportStatus.OPEN).order_by("created_at")[:20])
    return render(request, "utilities/officer/place_form.html", {"form": form, "place": place, "reports": reports})


@editor_required
def import_places(request):
    """A GeoJSON (OSM export) or CSV file: all of it, or, with the rows at fault named, nothing."""
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        reader = services.import_csv if upload.name.lower().endswith(".csv") else services.import_geojson
        try:
            result = reader(upload)
        except services.ImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Đã nhập địa điểm: %(result)s.") % {"result": result})
            return redirect("utilities_officer:import")
    return render(request, "utilities/officer/import.html", {"form": form, "errors": errors})


@editor_required
@require_POST
def sync_agencies(request):
    result = services.sync_agency_places()
    messages.success(request, _("Đã cập nhật UBND và công an phường, xã: %(result)s.") % {"result": result})
    return redirect("utilities_officer:import")
