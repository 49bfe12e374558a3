"""The portal's URLs plus the baseline a page is compared with (/bench/bare/) and the citizen layout
alone (/bench/shell/)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/bare/", views.bare, name="bench-bare"),
    path("bench/shell/", views.shell, name="bench-shell"),
    path("bench/bare-user/", views.bare_signed_in, name="bench-bare-user"),
    path("bench/officer-shell/", views.officer_shell, name="bench-officer-shell"),
    path("", include("smarthp.urls")),
]
