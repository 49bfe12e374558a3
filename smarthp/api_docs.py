"""The API's OpenAPI 3 schema (/api/schema/) and its documentation pages (/api/docs/, Swagger UI;
/api/docs/redoc/, Redoc), served by the portal itself from drf-spectacular-sidecar's files.

The schema is one document for a client that holds nothing else: drf-spectacular describes
/api/v1/, and allauth's own description of its headless app endpoints (sign-up by phone, SMS code,
password, the officers' TOTP step) is merged in under /_allauth/app/v1/, its components renamed
with an "Allauth" prefix so that no name collides with ours.

Content-Security-Policy: both pages load scripts and styles from our static files only; Redoc
draws with styled-components, which injects <style> elements and runs its search in a blob:
worker, so its page alone allows inline styles and blob: workers.
"""

import copy

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

HEADLESS_PREFIX = "Allauth"
HEADLESS_TAG_PREFIX = "Sign-in (allauth): "
COMPONENT_KINDS = ("schemas", "responses", "parameters", "requestBodies", "examples", "headers")


def _renamed(node):
    """A copy of `node` with every "#/components/<kind>/<Name>" reference prefixed."""
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/components/"):
                head, _, name = value.rpartition("/")
                result[key] = f"{head}/{HEADLESS_PREFIX}{name}"
            elif key == "required" and value == []:
                continue  # OpenAPI 3.0 wants a non-empty list, or none
            else:
                result[key] = _renamed(value)
        return result
    if isinstance(node, list):
        return [_renamed(item) for item in node]
    return node


def _consent_properties():
    from citizens.consent import CONSENT_TEXTS
    from citizens.models import ConsentPurpose

    return {
        f"consent_{purpose.value}": {
            "type": "boolean",
            "default": False,
            "description": str(CONSENT_TEXTS[purpose]["label"]),
        }
        for purpose in ConsentPurpose
    }


def merge_allauth_headless(result, generator, request, public):
    """drf-spectacular postprocessing hook: add allauth's headless app endpoints to the schema."""
    from allauth.headless.spec.internal.schema import get_schema

    spec = copy.deepcopy(get_schema())
    components = spec.get("components", {})
    base_signup = components.get("schemas", {}).get("BaseSignup")
    if base_signup is not None:
        # The portal's sign-up input also records consent per purpose (citizens.headless).
        base_signup.setdefault("properties", {}).update(_consent_properties())
    merged = result.setdefault("components", {})
    for kind in COMPONENT_KINDS:
        for name, value in components.get(kind, {}).items():
            merged.setdefault(kind, {})[f"{HEADLESS_PREFIX}{name}"] = _renamed(value)
    for path, item in spec.get("paths", {}).items():
        item = _renamed(item)
        for method, operation in item.items():
            if isinstance(operation, dict) and "tags" in operation:
                words = path.removeprefix("/_allauth/app/v1/").replace("-", "/").split("/")
                operation.setdefault("operationId", "_".join(["allauth", *filter(None, words), method]))
                operation["tags"] = [HEADLESS_TAG_PREFIX + tag for tag in operation["tags"]]
                # Sign-in goes by its own token handling (X-Session-Token as a parameter).
                operation.setdefault("security", [{}])
        result.setdefault("paths", {})[path] = item
    tags = result.setdefault("tags", [])
    for tag in spec.get("tags", []):
        tags.append({**tag, "name": HEADLESS_TAG_PREFIX + tag["name"]})
    return result


class SessionTokenScheme(OpenApiAuthenticationExtension):
    target_class = "smarthp.api_auth.SessionTokenAuthentication"
    name = "sessionToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Session-Token",
            "description": (
                "The session token that allauth's headless app endpoints (/_allauth/app/v1/auth/…) "
                "return in `meta.session_token` once signed in."
            ),
        }


class BrowserSessionScheme(OpenApiAuthenticationExtension):
    target_class = "smarthp.api_auth.SessionAuthentication"
    name = "browserSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid", "description": "The portal's own pages."}


class SchemaView(SpectacularAPIView):
    pass


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "api_schema"


@method_decorator(csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}), name="get")
class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"
    url_name = "api_schema"
