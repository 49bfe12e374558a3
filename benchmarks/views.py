from django.http import HttpResponse
from django.shortcuts import render

from government.access import officer_required
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


@officer_required
def officer_shell(request):
    """The bare view's one query behind the officer site's door (`officer_required`: memberships and
    the second factor), drawn in the officer layout around an empty page (nav, bell): what every
    officer page pays before its own content. Use with `--user` an officer with a second factor."""
    unit = AdministrativeUnit.objects.order_by("code").values_list("name", flat=True).first()
    return render(request, "officer_base.html", {"unit": unit})
