"""Figures drawn on the server, as the PAKN figures are: the week-by-week coverage chart, and the
city's map coloured by rate (an SVG of the 114 outlines, no map library, works without JavaScript).

The map's outlines are the bundled boundaries (government), simplified much further than the
pin map's layer (about 200 m: a city-wide picture at phone width needs no street detail) and
projected once per GeoDataVersion in each process.
"""

import functools
import math
import threading

import shapely
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from government import geo
from government.geo import boundary_shape
from government.models import AdministrativeUnit

from .figures import rate_level
from .officer_views.rows import escape

CHART_WIDTH, CHART_HEIGHT = 640, 220
MAP_WIDTH = 640
MAP_SIMPLIFY_DEGREES = 0.002


def weekly_chart(points):
    """Bars of the ward's rate (or households covered, without a survey) per week, oldest first."""
    if not points:
        return None
    use_rate = all(p[2] is not None for p in points)
    values = [(p[2] if use_rate else p[1]) for p in points]
    top = max([100.0] if use_rate else [1, *values])
    top = max(top, max(values) if values else 0) or 1
    left, bottom, plot_h = 40, 28, CHART_HEIGHT - 48
    slot = (CHART_WIDTH - left - 8) / len(points)
    bars = []
    for index, ((week, covered, rate), value) in enumerate(zip(points, values, strict=True)):
        height = round(plot_h * value / top, 1)
        x = round(left + index * slot + slot * 0.15, 1)
        bars.append(
            {
                "x": x,
                "y": round(CHART_HEIGHT - bottom - height, 1),
                "width": round(slot * 0.7, 1),
                "height": height,
                "label": f"{week:%d/%m}",
                "label_x": round(x + slot * 0.35, 1),
                "value": value,
                "covered": covered,
                "rate": rate,
                "level": rate_level(rate),
                "value_y": round(CHART_HEIGHT - bottom - height - 4, 1),
            }
        )
    axis = [{"y": round(CHART_HEIGHT - bottom - plot_h * f, 1), "label": round(top * f)} for f in (0, 0.5, 1)]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bars": bars,
        "axis": axis,
        "use_rate": use_rate,
        "baseline": CHART_HEIGHT - bottom,
        "left": left,
        "label_y": CHART_HEIGHT - 8,
    }


def weekly_chart_html(chart):
    """The chart's <figure> (weekly_chart()) as HTML, with the markup and msgids its template had:
    the template engine spent about 0.2 ms on each of its dozen bars. Every text is escaped."""
    if not chart:
        return ""
    if chart["use_rate"]:
        # The template's msgid: {% translate %} doubles a percent sign, and undoes it after.
        caption = _("Tỷ lệ hộ đã có người đăng ký theo tuần (%%)").replace("%%", "%")
    else:
        caption = _("Số hộ đã có người đăng ký theo tuần")
    week_title = _("Tuần từ %(week)s: %(covered)s hộ")
    decimal = get_format("DECIMAL_SEPARATOR")
    left, width = chart["left"], chart["width"]
    ticks = "".join(
        f'<line x1="{left}" x2="{width}" y1="{tick["y"]}" y2="{tick["y"]}" class="chart-grid"></line>'
        f'<text x="{left - 6}" y="{tick["y"]}" class="chart-axis" text-anchor="end" dominant-baseline="middle">'
        f"{tick['label']}</text>"
        for tick in chart["axis"]
    )
    bars = []
    for bar in chart["bars"]:
        label = escape(bar["label"])
        title = escape(week_title % {"week": bar["label"], "covered": bar["covered"]})
        if bar["rate"] is not None:
            title += f" ({bar['rate']:.1f}%)".replace(".", decimal)
        bars.append(
            f"    <g>\n      <title>{title}</title>\n"
            f'      <rect x="{bar["x"]}" y="{bar["y"]}" width="{bar["width"]}" height="{bar["height"]}"'
            f' class="bar-level-{bar["level"]}"></rect>\n'
            f'      <text x="{bar["label_x"]}" y="{chart["label_y"]}" text-anchor="middle" class="chart-axis">'
            f"{label}</text>\n    </g>\n"
        )
    return mark_safe(  # noqa: S308 - every text escaped above; the rest are numbers
        '<figure class="chart">\n'
        f'  <figcaption id="chart-weekly-title">{escape(caption)}</figcaption>\n'
        f'  <svg viewBox="0 0 {width} {chart["height"]}" role="img" aria-labelledby="chart-weekly-title"'
        ' class="week-chart" preserveAspectRatio="xMinYMin meet">\n'
        f"    {ticks}\n{''.join(bars)}  </svg>\n</figure>"
    )


def weekly_chart_for(points):
    """weekly_chart_html(weekly_chart(points)), memoised by the points and the language: the chart
    changes when a week's figure does, not on every request."""
    return _weekly_chart_for(get_language(), tuple(points))


@functools.lru_cache(maxsize=512)
def _weekly_chart_for(_language, points):
    return weekly_chart_html(weekly_chart(list(points)))


@receiver(setting_changed)
def _forget(**kwargs):
    _weekly_chart_for.cache_clear()  # tests change the languages and formats


# --- The city's map ------------------------------------------------------------------------------

_outlines = None
_lock = threading.Lock()


def _project(bounds):
    min_x, min_y, max_x, max_y = bounds
    scale_x = math.cos(math.radians((min_y + max_y) / 2))
    width_deg = (max_x - min_x) * scale_x
    factor = MAP_WIDTH / width_deg
    height = round((max_y - min_y) * factor)

    def point(x, y):
        return f"{(x - min_x) * scale_x * factor:.1f} {(max_y - y) * factor:.1f}"

    return point, height


def outlines():
    """(width, height, {code: (name, path data)}) for the current GeoDataVersion."""
    global _outlines
    # The boundaries' version as government.geo reads it for its map index: at most once a second
    # per process (a query on every city page before), at once in the process that imported them.
    version = geo.current_version()
    found = _outlines
    if found is not None and found[0] == version:
        return found[1]
    with _lock:
        shapes = {}
        for code, name, boundary in AdministrativeUnit.objects.filter(boundary__isnull=False).values_list(
            "code", "name", "boundary"
        ):
            shapes[code] = (name, boundary_shape(boundary).simplify(MAP_SIMPLIFY_DEGREES, preserve_topology=True))
        if not shapes:
            result = (MAP_WIDTH, 0, {})
        else:
            bounds = shapely.GeometryCollection([s for _n, s in shapes.values()]).bounds
            point, height = _project(bounds)
            paths = {}
            for code, (name, geometry) in shapes.items():
                polygons = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
                parts = []
                for polygon in polygons:
                    if polygon.is_empty:
                        continue
                    for ring in (polygon.exterior, *polygon.interiors):
                        coords = list(ring.coords)
                        parts.append("M" + "L".join(point(x, y) for x, y in coords) + "Z")
                paths[code] = (name, "".join(parts))
            result = (MAP_WIDTH, height, paths)
        _outlines = (version, result)
    return result


def city_map(rows):
    """The map's shapes, each (code, name, rate, path data) of its unit, in the order of `rows`."""
    width, height, paths = outlines()
    if not paths:
        return None
    shapes = []
    for row in rows:
        found = paths.get(row.code)
        if found:
            shapes.append((row.code, row.name, row.rate, found[1]))
    return {"width": width, "height": height, "shapes": shapes}
