"""The citizen site's pages of publicservices (under /dich-vu-cong/)."""

from django.urls import path

from . import printouts, submit_views, views

app_name = "publicservices"

urlpatterns = [
    path("", views.index, name="index"),
    path("thu-tuc/<str:code>/", views.procedure, name="procedure"),
    path("thu-tuc/<str:code>/nop/", submit_views.submit, name="submit"),
    path("ho-so/", views.mine, name="mine"),
    path("ho-so/<str:code>/", views.dossier, name="dossier"),
    path("ho-so/<str:code>/bo-sung/", views.supply, name="supply"),
    path("ho-so/<str:code>/rut/", views.withdraw, name="withdraw"),
    path("ho-so/<str:code>/danh-gia/", views.rate, name="rate"),
    path("ho-so/<str:code>/tep/<str:token>/", views.dossier_file, name="file"),
    path("ho-so/<str:code>/phieu/<slug:form>/", printouts.printout, name="printout"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("so-lieu/", views.figures, name="figures"),
    path("so-lieu/<slug:slug>/", views.agency_figures, name="agency_figures"),
]
