"""Citizen pages of publicservices: the catalogue, the applicant's dossiers, lookup, public figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from government.models import Agency

from . import lists, selectors, services, stats
from .access import dossier_access
from .forms import CatalogueFilterForm, LookupForm, RatingForm, SupplementForm, WithdrawForm, catalogue_filters
from .limits import allow_lookup
from .models import Dossier, DossierFile, DossierStatus, FileKind, Procedure, Rating
from .services import DossierActionError

PAGE_SIZE = lists.PAGE_SIZE


def index(request):
    """The catalogue: search without diacritics, filters by field, level, agency and online submission."""
    fields, agencies = lists.catalogue_choices()
    data, shown = catalogue_filters(request.GET, fields=fields, agencies=agencies)
    # The filters accept only the slugs of these lists, so each chosen one has its id here.
    field_ids = {slug: pk for slug, _name, pk in fields}
    agency_ids = {slug: pk for slug, _name, pk in agencies}
    rows = lists.CatalogueRows(
        query=data.get("q", ""),
        field_id=field_ids.get(data.get("linh_vuc")),
        level=data.get("cap", ""),
        agency_id=agency_ids.get(data.get("co_quan")),
        online=data.get("truc_tuyen", False),
        number=request.GET.get("trang"),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    page.object_list = lists.procedure_rows(page.object_list, fields, agencies)
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "publicservices/index.html",
        {
            "q": shown,
            "field_options": lists.options([("", _("Tất cả")), *fields], data.get("linh_vuc", "")),
            "level_options": lists.options(CatalogueFilterForm.base_fields["cap"].choices, data.get("cap", "")),
            "agency_options": lists.options([("", _("Tất cả")), *agencies], data.get("co_quan", "")),
            "online_only": data.get("truc_tuyen", False),
            "page": page,
            "heading": catalogue_heading(page.paginator.count),
            "found": bool(page.object_list),
            "items": lists.procedure_items(page.object_list),
            "query": query.urlencode(),
            "previous_number": page.previous_page_number() if page.has_previous() else "",
            "next_number": page.next_page_number() if page.has_next() else "",
            "filtered": bool(data and any(data.values())),
        },
    )


def catalogue_heading(count):
    """The catalogue's "N thủ tục", as the template's blocktranslate tag wrote it."""
    heading = ngettext("%(counter)s thủ tục", "%(counter)s thủ tục", count) % {"counter": count}
    return mark_safe(heading)  # noqa: S308 - a number in a msgstr


def procedure(request, code):
    procedure = get_object_or_404(Procedure.objects.published().select_related("field", "agency"), code=code)
    documents = list(procedure.documents.all())
    return render(request, "publicservices/procedure.html", {"procedure": procedure, "documents": documents})


@login_required
def mine(request):
    page = Paginator(selectors.dossiers_of(request.user).order_by("-submitted_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(request, "publicservices/mine.html", {"page": page})


def _dossier_context(access, *, supplement_form=None, rating_form=None):
    dossier = access.dossier
    events = selectors.timeline(dossier)
    files = selectors.files_of(dossier)
    asked = selectors.supplement_request(events) if dossier.status == DossierStatus.SUPPLEMENT else None
    rated = Rating.objects.filter(dossier=dossier).exists() if dossier.status == DossierStatus.RETURNED else False
    if asked and supplement_form is None:
        supplement_form = SupplementForm(items=asked.items)
    if dossier.status == DossierStatus.RETURNED and not rated and rating_form is None:
        rating_form = RatingForm()
    return {
        "dossier": dossier,
        "access": access,
        "events": events,
        "files": [f for f in files if f.kind != FileKind.RESULT],
        "results": [f for f in files if f.kind == FileKind.RESULT],
        "asked": asked,
        "supplement_form": supplement_form,
        "rating_form": rating_form if not rated else None,
        "rated": rated,
        "withdraw_form": WithdrawForm() if dossier.can_withdraw else None,
        "secret_query": urlencode({"k": access.secret}) if access.secret else "",
    }


def dossier(request, code):
    """The applicant's view of a dossier: the whole timeline, documents, result and the next step."""
    access = dossier_access(request, code, allow_officer=False)
    return render(request, "publicservices/dossier.html", _dossier_context(access))


def _back(access):
    url = reverse("publicservices:dossier", args=[access.dossier.code])
    return redirect(f"{url}?{urlencode({'k': access.secret})}" if access.secret else url)


@require_POST
def supply(request, code):
    access = dossier_access(request, code, allow_officer=False)
    events = selectors.timeline(access.dossier)
    asked = selectors.supplement_request(events)
    form = SupplementForm(request.POST, request.FILES, items=asked.items if asked else [])
    if asked and form.is_valid():
        try:
            services.supply(
                dossier=access.dossier,
                user=request.user,
                secret=access.secret,
                uploads=form.checked,
                note=form.cleaned_data["note"],
            )
        except DossierActionError as exc:
            messages.error(request, exc.message)
            return _back(access)
        messages.success(request, _("Đã gửi giấy tờ bổ sung."))
        return _back(access)
    if not asked:
        messages.error(request, _("Hồ sơ này không có yêu cầu bổ sung giấy tờ."))
        return _back(access)
    return render(request, "publicservices/dossier.html", _dossier_context(access, supplement_form=form), status=400)


@require_POST
def withdraw(request, code):
    access = dossier_access(request, code, allow_officer=False)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.withdraw(
            dossier=access.dossier, user=request.user, secret=access.secret, reason=form.cleaned_data.get("reason", "")
        )
    except DossierActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã rút hồ sơ."))
    return _back(access)


@require_POST
def rate(request, code):
    access = dossier_access(request, code, allow_officer=False)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return render(request, "publicservices/dossier.html", _dossier_context(access, rating_form=form), status=400)
    try:
        services.rate(dossier=access.dossier, user=request.user, secret=access.secret, **form.cleaned_data)
    except DossierActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return _back(access)


def dossier_file(request, code, token):
    """A file of a dossier, for its applicant (officers have their own address on the officer site)."""
    access = dossier_access(request, code, allow_officer=False)
    row = DossierFile.objects.filter(dossier=access.dossier, token=token).first()
    if row is None:
        raise Http404
    return serve_file(row)


def serve_file(row):
    try:
        handle = row.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    extension = "pdf" if row.content_type == "application/pdf" else "jpg"
    response = FileResponse(
        handle, content_type=row.content_type, as_attachment=True, filename=f"{row.dossier.code}-{row.pk}.{extension}"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def lookup(request):
    """By code, anyone sees the procedure, status, received and due dates (TT 01/2018 Art. 16.2.d);
    the applicant (signed in or with the receipt's secret) goes on to the whole dossier. A code that
    does not exist and one that is not yours read the same; lookups per IP address are limited."""
    form = LookupForm(request.GET or None)
    found = None
    not_found = False
    code = ""
    if form.is_valid() and form.cleaned_data["ma"]:
        code = form.cleaned_data["ma"].strip().upper()
        if not allow_lookup(request):
            return render(request, "429.html", status=429)
        found = lists.lookup_row(code)
        if found is not None:
            from .services.citizen import is_applicant

            if is_applicant(found, user=request.user, secret=form.cleaned_data["k"]):
                url = reverse("publicservices:dossier", args=[found.code])
                secret = form.cleaned_data["k"]
                signed_in_applicant = request.user.is_authenticated and request.user.pk == found.applicant_id
                return redirect(url if signed_in_applicant or not secret else f"{url}?{urlencode({'k': secret})}")
        else:
            not_found = True
    by_id = None
    if request.user.is_authenticated and request.GET.get("cccd") is not None:
        by_id = _dossiers_by_citizen_id(request.user)
    return render(
        request,
        "publicservices/lookup.html",
        {"form": form, "found": found, "not_found": not_found, "code": code, "by_id": by_id},
    )


def _dossiers_by_citizen_id(user):
    """Dossiers filed under the signed-in person's own CCCD (from their profile), with or without an account."""
    from citizens.models import Profile

    citizen_id = Profile.objects.filter(user=user).values_list("citizen_id", flat=True).first()
    if not citizen_id:
        return []
    return list(
        Dossier.objects.filter(applicant_id_number=citizen_id)
        .select_related("procedure")
        .order_by("-submitted_at")[:50]
    )


def figures(request):
    """The public figures of every agency that received dossiers."""
    numbers = stats.cached_agency_figures()
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=list(numbers)).only("pk", "name", "slug")}
    rows = sorted(
        ({"agency": agencies[pk], **values} for pk, values in numbers.items() if pk in agencies),
        key=lambda row: row["agency"].name,
    )
    return render(request, "publicservices/figures.html", {"rows": rows})


def agency_figures(request, slug):
    agency = get_object_or_404(Agency.objects.only("pk", "name", "slug"), slug=slug)
    values = stats.cached_agency_figures(agency.pk).get(agency.pk)
    return render(request, "publicservices/agency_figures.html", {"agency": agency, "figures": values})
