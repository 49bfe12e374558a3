"""What ward staff keep: the group survey, the workplaces, the CSV imports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from government.models import ResidentialGroup
from government.services import DataImportError

from .. import services
from ..access import campaign_required, unit_for
from ..forms import CsvUploadForm, GroupSurveyForm, WorkplaceForm
from ..models import Workplace


def _errors(exc):
    return [str(m) for m in (exc.messages if hasattr(exc, "messages") else [exc])]


@campaign_required
def edit_group(request, code, group_id):
    unit = unit_for(request, code, need="names")
    group = get_object_or_404(ResidentialGroup, pk=group_id, unit=unit)
    if request.method == "POST":
        form = GroupSurveyForm(request.POST)
        if form.is_valid():
            try:
                services.update_group_survey(group_id=group.pk, unit=unit, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã lưu số liệu của %(group)s.") % {"group": group.name})
                return redirect("campaigns_officer:ward", code)
    else:
        form = GroupSurveyForm(
            initial={
                "households": group.households,
                "smartphone_households": group.smartphone_households,
                "surveyed_on": group.surveyed_on,
                "leader_name": group.leader_name,
            }
        )
    return render(request, "campaigns/officer/group_form.html", {"unit": unit, "group": group, "form": form})


def _import_page(request, code, *, kind):
    unit = unit_for(request, code, need="names")
    problems = []
    if request.method == "POST":
        form = CsvUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                if kind == "groups":
                    result = services.import_groups(unit=unit, file=form.cleaned_data["file"])
                    messages.success(request, _("Đã nhập danh sách tổ dân phố: %(result)s.") % {"result": result})
                else:
                    result = services.import_roster(unit=unit, file=form.cleaned_data["file"])
                    messages.success(
                        request,
                        _("Đã nhập %(households)s hộ (%(phones)s số điện thoại) của %(groups)s tổ dân phố.") % result,
                    )
            except DataImportError as exc:
                problems = exc.lines()
            else:
                return redirect("campaigns_officer:ward", code)
    else:
        form = CsvUploadForm()
    return render(
        request,
        "campaigns/officer/import.html",
        {"unit": unit, "form": form, "problems": problems, "kind": kind},
    )


@campaign_required
def import_groups(request, code):
    return _import_page(request, code, kind="groups")


@campaign_required
def import_roster(request, code):
    return _import_page(request, code, kind="roster")


@campaign_required
def workplaces(request, code, workplace_id=None):
    unit = unit_for(request, code, need="names")
    place = get_object_or_404(Workplace, pk=workplace_id, unit=unit) if workplace_id else None
    if request.method == "POST" and request.POST.get("delete") and place:
        services.delete_workplace(unit=unit, workplace_id=place.pk)
        messages.success(request, _("Đã xóa %(name)s.") % {"name": place.name})
        return redirect("campaigns_officer:workplaces", code)
    if request.method == "POST":
        form = WorkplaceForm(request.POST)
        if form.is_valid():
            try:
                services.save_workplace(unit=unit, workplace_id=place.pk if place else None, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã lưu %(name)s.") % {"name": form.cleaned_data["name"]})
                return redirect("campaigns_officer:workplaces", code)
    else:
        form = WorkplaceForm(
            initial={"name": place.name, "kind": place.kind, "headcount": place.headcount} if place else None
        )
    places = Workplace.objects.filter(unit=unit).order_by("name")
    return render(
        request,
        "campaigns/officer/workplaces.html",
        {"unit": unit, "form": form, "place": place, "places": places},
    )
