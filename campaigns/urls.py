"""The citizen site's pages of campaigns (under /chien-dich/)."""

from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.index, name="index"),
]
