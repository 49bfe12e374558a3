"""Mounted at the site root (one include in smarthp.urls): the app's sign-in (allauth headless,
/_allauth/app/v1/ with the portal's inputs: citizens.headless), allauth's own OpenAPI description
(/_allauth/openapi.json), and the API's schema and documentation pages (smarthp.api_docs)."""

from allauth.headless.spec import views as allauth_spec
from django.urls import include, path

from citizens.headless import app_urlpatterns

from . import api_docs

headless = [
    path("app/", include((app_urlpatterns(), "headless"), namespace="app")),
    # allauth's own description, its views drawn once per language (api_docs.kept_view)
    path("openapi.yaml", api_docs.kept_view(allauth_spec.OpenAPIYAMLView), name="openapi_yaml"),
    path("openapi.json", api_docs.kept_view(allauth_spec.OpenAPIJSONView), name="openapi_json"),
]

urlpatterns = [
    path("_allauth/", include((headless, "headless"), namespace="headless")),
    path("api/schema/", api_docs.SchemaView.as_view(), name="api_schema"),
    path("api/docs/", api_docs.SwaggerView.as_view(), name="api_docs"),
    path("api/docs/redoc/", api_docs.RedocView.as_view(), name="api_redoc"),
]
