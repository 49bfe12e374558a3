"""/api/v1/: each app's API (its own api.py) mounted in one place (DESIGN §2, "The API")."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("citizens.api")),
    path("", include("notices.api")),
    path("", include("feedback.api")),
    path("", include("publicservices.api")),
    path("", include("utilities.api")),
    path("", include("news.api")),
]
