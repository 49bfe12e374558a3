from django.shortcuts import render

from . import desk
from .access import officer_required


@officer_required
def officer_home(request):
    """The officer's desk: what waits for them and where their tools are, section by section from
    the apps that serve their roles (government.desk)."""
    memberships = request.memberships
    return render(
        request,
        "government/officer_home.html",
        {
            "memberships": memberships,
            "sections": desk.sections_for(request, memberships),
            "waiting_roles": desk.waiting_roles(memberships),
        },
    )
