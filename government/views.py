from django.shortcuts import render

from .access import officer_required


@officer_required
def officer_home(request):
    return render(request, "government/officer_home.html", {"memberships": request.memberships})
