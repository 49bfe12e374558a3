from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from government.access import memberships_of

from . import selectors, services


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    """Every notice of every app, newest first; a button marks them all read."""
    if request.method == "POST":
        services.mark_read(user=request.user)
        return redirect("notices:index")
    before = request.GET.get("truoc", "")
    before = int(before) if before.isdigit() and len(before) < 19 else None
    notices = selectors.for_user(request.user, before=before, limit=selectors.PAGE_SIZE + 1)
    older = notices[selectors.PAGE_SIZE - 1].pk if len(notices) > selectors.PAGE_SIZE else None
    # Officers read their notices in the officer site's layout, with its navigation bar.
    memberships = list(memberships_of(request.user))
    if memberships:
        request.memberships = memberships
    context = {
        "notices": notices[: selectors.PAGE_SIZE],
        "older": older,
        "base_template": "officer_base.html" if memberships else "citizen_base.html",
    }
    return render(request, "notices/index.html", context)
