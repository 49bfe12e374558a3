from django.http import HttpResponse

from government.models import AdministrativeUnit


def bare(request):
    """The least a Django page can be: the full middleware stack, one query, a short answer."""
    unit = AdministrativeUnit.objects.order_by("code").values_list("name", flat=True).first()
    return HttpResponse(f"<!doctype html><title>bare</title><p>{unit}</p>")
