"""The citizen's page of the campaign: how far their group is, and how to help a neighbour sign up."""

from django.shortcuts import render

from .home import group_progress


def index(request):
    progress = group_progress(request) if request.user.is_authenticated else None
    return render(request, "campaigns/index.html", {"progress": progress})
