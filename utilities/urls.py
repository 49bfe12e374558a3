"""The citizen site's pages of utilities (under /tien-ich/)."""

from django.urls import path

from . import views

app_name = "utilities"

urlpatterns = [
    path("", views.index, name="index"),
    path("gan-toi/", views.near, name="near"),
    path("phuong-nao/", views.which_ward, name="which_ward"),
    path("dia-diem/<int:pk>/", views.place, name="place"),
    path("dia-diem/<int:pk>/bao-sai/", views.report, name="report"),
]
