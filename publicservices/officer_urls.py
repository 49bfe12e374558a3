"""The officer site's pages of publicservices (under /can-bo/dich-vu-cong/)."""

from django.urls import path

from . import officer_views

app_name = "publicservices_officer"

urlpatterns = [
    path("", officer_views.queue, name="queue"),
    path("so-lieu/", officer_views.figures, name="figures"),
    path("ho-so/<str:code>/", officer_views.detail, name="dossier"),
    path("ho-so/<str:code>/tep/<str:token>/", officer_views.officer_file, name="file"),
    path("ho-so/<str:code>/phieu/<slug:form>/", officer_views.officer_printout, name="printout"),
    path("ho-so/<str:code>/<slug:action>/", officer_views.act, name="act"),
]
