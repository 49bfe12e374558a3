from django.urls import path

from . import push_views, views

app_name = "notices"
urlpatterns = [
    path("", views.index, name="index"),
    path("day/dang-ky/", push_views.subscribe, name="push_subscribe"),
    path("day/huy/", push_views.unsubscribe, name="push_unsubscribe"),
]
