"""The map's own background: the boundary layer (government.maps) over HTTP."""

import re

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from . import maps

# A day: boundaries change when the city publishes new ones, not from one hour to the next.
MAX_AGE = 24 * 60 * 60
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@require_safe
def boundaries(request):
    """Every unit's code, name, simplified outline and label point, as a GeoJSON FeatureCollection.

    Public and the same for everyone: cached a day by browsers and proxies; a browser that already
    holds this version (If-None-Match, If-Modified-Since) gets a 304. Sent gzipped to a browser that
    accepts it (116 KB instead of 482 KB for the 114 bundled units).
    """
    layer = maps.boundary_layer()
    gzipped = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    response = HttpResponse(layer.gzipped if gzipped else layer.body, content_type="application/geo+json")
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["ETag"] = layer.etag
    last_modified = int(layer.changed_at.timestamp()) if layer.changed_at else None
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    patch_vary_headers(response, ["Accept-Encoding"])
    return get_conditional_response(request, etag=layer.etag, last_modified=last_modified, response=response)
