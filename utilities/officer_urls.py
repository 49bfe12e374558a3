"""The officer site's pages of utilities (under /can-bo/tien-ich/): editors' places."""

from django.urls import path

from .officer_views import places, reports

app_name = "utilities_officer"

urlpatterns = [
    path("", places.index, name="index"),
    path("them/", places.add, name="add"),
    path("<int:pk>/sua/", places.edit, name="edit"),
    path("nhap/", places.import_places, name="import"),
    path("nhap/co-quan/", places.sync_agencies, name="sync_agencies"),
    path("bao-sai/", reports.queue, name="reports"),
    path("bao-sai/<int:pk>/xu-ly/", reports.handle, name="handle_report"),
]
