"""The boundary layer that maps draw: every unit's code, name, simplified outline and label point.

The outlines are simplified with shapely's `simplify` (preserve_topology) at SIMPLIFY_DEGREES and
their coordinates rounded to 5 decimals (about 1 m). Measured on the 114 bundled units: 88,310
points become about 22,000; the outline moves at most 16 m from the published line (the lookup
of a pin, government.geo, uses the full boundaries, not these); the layer is 482 KB as
JSON and 116 KB gzipped (level 9), which is what a phone downloads (once a day: the response is cached).
Two neighbours are simplified apart, so at street zoom their common border may show as two lines
a few metres apart; shapely's coverage_simplify keeps shared borders together, but the published
boundaries are not quite a coverage (one overlap, one hole) and it doubles the size.

The layer is computed once per GeoDataVersion in each process (about half a second) and kept;
each request then costs the one-row version query.
"""

import gzip
import json
import threading
from dataclasses import dataclass
from datetime import datetime

import numpy
import shapely
from django.utils.translation import gettext_lazy as _
from shapely.ops import polylabel

from .geo import boundary_shape
from .models import AdministrativeUnit, GeoDataVersion

# Degrees: about 11 m of latitude; the outline stays within 16 m of the published one.
SIMPLIFY_DEGREES = 0.0001
DECIMALS = 5
GZIP_LEVEL = 9

# The credit the boundaries' source asks for wherever they are shown (government/data/README.md).
BOUNDARY_CREDIT = _(
    "Ranh giới hành chính: Bản đồ đơn vị hành chính Việt Nam (NXB Tài nguyên – Môi trường và Bản đồ Việt Nam)"
)


@dataclass(frozen=True)
class BoundaryLayer:
    version: int
    changed_at: datetime | None
    body: bytes  # GeoJSON FeatureCollection, UTF-8
    gzipped: bytes
    features: int

    @property
    def etag(self):
        # Weak: the plain and the gzipped bodies are the same layer.
        return f'W/"ranh-gioi-{self.version}"'


_layer = None
_lock = threading.Lock()


def boundary_layer():
    """The layer for the current GeoDataVersion, built on first use in this process."""
    global _layer
    version, changed_at = GeoDataVersion.objects.filter(pk=1).values_list("number", "changed_at").first() or (0, None)
    layer = _layer
    if layer is None or layer.version != version:
        with _lock:
            layer = _layer
            if layer is None or layer.version != version:
                layer = _layer = _build(version, changed_at)
    return layer


def forget_layer():
    """Drop this process's layer (tests)."""
    global _layer
    _layer = None


def _build(version, changed_at):
    features = [
        _feature(code, name, boundary_shape(boundary))
        for code, name, boundary in AdministrativeUnit.objects.filter(boundary__isnull=False)
        .order_by("code")
        .values_list("code", "name", "boundary")
    ]
    body = json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")
    ).encode()
    return BoundaryLayer(
        version=version,
        changed_at=changed_at,
        body=body,
        gzipped=gzip.compress(body, GZIP_LEVEL, mtime=0),
        features=len(features),
    )


def _feature(code, name, geometry):
    outline = shapely.set_precision(geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True), 10**-DECIMALS)
    polygons = list(outline.geoms) if outline.geom_type == "MultiPolygon" else [outline]
    polygons = [polygon for polygon in polygons if not polygon.is_empty]
    # The label goes inside the largest part (the main island of a special zone), where it is widest.
    largest = max(polygons, key=lambda polygon: polygon.area)
    label = polylabel(largest, tolerance=SIMPLIFY_DEGREES)
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "label": _rounded([label.x, label.y])},
        "geometry": {"type": "MultiPolygon", "coordinates": [_rings(polygon) for polygon in polygons]},
    }


def _rings(polygon):
    return [_rounded(shapely.get_coordinates(ring)) for ring in (polygon.exterior, *polygon.interiors)]


def _rounded(coordinates):
    # numpy's round, then tolist(): Python floats, written in their shortest form (106.68812).
    return numpy.round(numpy.asarray(coordinates, dtype=float), DECIMALS).tolist()
