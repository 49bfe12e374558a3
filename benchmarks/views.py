from django.http import HttpResponse
from django.shortcuts import render

from government.models import AdministrativeUnit


def bare(request):
    """The least a Django page can be: the full middleware stack, one query, a short answer."""
    unit = AdministrativeUnit.objects.order_by("code").values_list("name", flat=True).first()
    return HttpResponse(f"<!doctype html><title>bare</title><p>{unit}</p>")


def shell(request):
    """The bare view's one query, then the citizen layout around an empty page (header, bottom
    navigation, context processors): what every citizen page pays before its own content."""
    unit = AdministrativeUnit.objects.order_by("code").values_list("name", flat=True).first()
    return render(request, "citizen_base.html", {"unit": unit})


def bare_signed_in(request):
    """The bare view, having read who is signed in (the session, then the user: two queries where
    the session is in the database) as any page for a signed-in person must; with `--user`, what a
    signed-in page pays before it does anything of its own."""
    unit = AdministrativeUnit.objects.order_by("code").values_list("name", flat=True).first()
    return HttpResponse(f"<!doctype html><title>bare</title><p>{unit} {request.user.is_authenticated}</p>")
