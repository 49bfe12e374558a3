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
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import translation
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


# --- Drawn once ------------------------------------------------------------------------------------
# A schema is the same for everyone until the code changes, and drawing one cost 0.2–0.4 s of CPU
# (the YAML alone half of it): a request any visitor could repeat in a loop. So each answer is kept
# in memory per language, format and version; a few keys in all, and the memo is bounded because
# `?version=` and `?lang=` take any string.
KEPT_MAX = 32
_kept = {}


@receiver(setting_changed)
def _forget(**kwargs):
    _kept.clear()


def _language():
    try:
        return translation.get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE  # an unknown ?lang= is answered from the default catalogue


def _kept_response(key, draw):
    """An HttpResponse of what `draw()` returned for `key`: (content, content type, headers)."""
    kept = _kept.get(key)
    if kept is None:
        if len(_kept) >= KEPT_MAX:
            _kept.clear()
        kept = _kept[key] = draw()
    content, content_type, headers = kept
    return HttpResponse(content, content_type=content_type, headers=headers)


def kept_view(view_class):
    """allauth's own description views (/_allauth/openapi.json, .yaml), answered once per language;
    they read nothing of the request."""
    view = view_class.as_view()

    def answer(request, *args, **kwargs):
        def draw():
            response = view(request, *args, **kwargs)
            return response.content, response["Content-Type"], {"Content-Disposition": response["Content-Disposition"]}

        return _kept_response((view_class.__name__, _language()), draw)

    return answer


class SchemaView(SpectacularAPIView):
    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        renderer, media_type = request.accepted_renderer, request.accepted_media_type

        def draw():
            response = super(SchemaView, self)._get_schema_response(request)
            context = {"request": request, "response": response, "view": self}
            content = renderer.render(response.data, media_type, context)
            charset = renderer.charset
            if isinstance(content, str):
                content = content.encode(charset or "utf-8")
            content_type = f"{media_type}; charset={charset}" if charset else media_type
            return content, content_type, {"Content-Disposition": response["Content-Disposition"]}

        return _kept_response(("schema", _language(), version, renderer.format, media_type), draw)


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "api_schema"


@method_decorator(csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}), name="get")
class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"
    url_name = "api_schema"
