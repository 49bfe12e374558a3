"""The schema class of every DRF view (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]).

A module of its own: drf-spectacular imports it while its own views are being defined, so it
must not import them (smarthp.api_docs does).
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema of a view, with every error the shared machinery can answer: an
    operation that does not declare them gets them here (throttled, not signed in, refused, bad
    input, not found under a path parameter), all in the one error shape."""

    def _get_response_bodies(self, direction="response"):
        from . import api

        responses = super()._get_response_bodies(direction)
        if direction != "response" or not self.path.startswith("/api/v1/"):
            return responses
        wanted = {**api.COMMON_ERRORS, **api.BAD_REQUEST}
        # DRF's page-number pagination answers a page past the end with a 404.
        paginator = getattr(self.view, "pagination_class", None)
        if "{" in self.path or (paginator is not None and "page" in getattr(paginator, "page_query_param", "")):
            wanted.update(api.NOT_FOUND)
        for code, response in wanted.items():
            responses.setdefault(str(code), self._get_response_for_code(response, str(code)))
        return responses
