from django.urls import path

from . import views

app_name = "government"
urlpatterns = [
    path("", views.officer_home, name="officer_home"),
]
