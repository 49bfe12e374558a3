"""Mounted at the site root (one include in smarthp.urls): the app's sign-in (allauth headless,
/_allauth/app/v1/ with the portal's inputs: citizens.headless), allauth's own OpenAPI description
(/_allauth/openapi.json), and the API's schema and documentation pages (smarthp.api_docs)."""

from django.urls import include, path

from citizens.headless import app_urlpatterns

from . import api_docs

headless = [
    path("app/", include((app_urlpatterns(), "headless"), namespace="app")),
    path("", include("allauth.headless.spec.urls")),
]

urlpatterns = [
    path("_allauth/", include((headless, "headless"), namespace="headless")),
    path("api/schema/", api_docs.SchemaView.as_view(), name="api_schema"),
    path("api/docs/", api_docs.SwaggerView.as_view(), name="api_docs"),
    path("api/docs/redoc/", api_docs.RedocView.as_view(), name="api_redoc"),
]
