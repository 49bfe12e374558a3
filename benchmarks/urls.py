"""The portal's URLs plus the baseline a page is compared with: /bench/bare/."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/bare/", views.bare, name="bench-bare"),
    path("", include("smarthp.urls")),
]
