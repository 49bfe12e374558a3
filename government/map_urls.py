from django.urls import path

from . import map_views

app_name = "maps"
urlpatterns = [
    path("ranh-gioi.geojson", map_views.boundaries, name="boundaries"),
]
