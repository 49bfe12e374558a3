"""News' panel of the home page (smarthp.home): for a signed-in citizen, the notices, outages ahead
and reception schedules of their profile's ward and the city's latest news; for a visitor, the
city's latest news and notices.

Budget: one query (the citizen's profile ward, read once per request and shared, see
`profile_of`); the rest comes from the cache (news.selectors.cached), kept under a generation that
every save of news bumps.
"""

from html import escape

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from smarthp import home
from smarthp.home import Panel

from . import selectors


def profile_of(request):
    """(ward code, ward name, EVN customer code) of the signed-in citizen, from the profile the home
    page reads once per request for every panel (smarthp.home.profile_row)."""
    row = home.profile_row(request)
    if row is None:
        return (None, None, "")
    return row["ward_id"], row["ward__name"], row["evn_customer_code"]


def panel(request):
    if not request.user.is_authenticated:
        return Panel(
            "news/_home_visitor.html",
            {
                "articles": selectors.latest_city_news(4),
                "notices": selectors.city_notices(3),
                "news_url": reverse("news:index"),
            },
        )
    ward_code, ward_name, evn_code = profile_of(request)
    summary = selectors.ward_summary(ward_code) if ward_code else None
    articles = summary["articles"] if summary else selectors.latest_city_news(3)
    notices, outages, schedules = (
        (summary["notices"], summary["outages"], summary["schedules"]) if summary else ([], [], [])
    )
    return Panel(
        "news/_home_citizen.html",
        {
            "ward_code": ward_code,
            "ward_name": ward_name,
            "evn_code": evn_code,
            "summary": summary,
            "articles": articles,
            "news_url": reverse("news:index"),
            # The panel's frame is drawn once per language and per which lists are empty
            # (templates/news/_home_citizen_parts.html); its rows are written here, escaped.
            "has_ward": bool(ward_code),
            "has_ward_name": bool(ward_name),
            "has_notices": bool(notices),
            "has_outages": bool(outages),
            "has_schedules": bool(schedules),
            "has_articles": bool(articles),
            "notices_html": notices_html(notices),
            "outages_html": outages_html(outages),
            "schedules_html": schedules_html(schedules),
            "articles_html": articles_html(articles),
        },
    )


# The rows of the panel, as the template's loops wrote them: a {% for %} over sixteen rows with
# their {% if %}s and translations cost the home page more than the panel's query.


def notices_html(notices):
    urgent = f'<span class="tag-urgent">{escape(_("Khẩn"))}</span> '
    parts = []
    for n in notices:
        mark, tag = (' class="urgent"', urgent) if n["is_urgent"] else ("", "")
        parts.append(
            f'<li{mark}><a href="{escape(n["url"])}">{tag}{escape(n["title"])}</a>'
            f' <span class="news-meta">{escape(n["short_time"])}</span></li>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped


def outages_html(outages):
    power, water = escape(_("Cắt điện")), escape(_("Cắt nước"))
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<li class="outage-{escape(o["kind"])}"><a href="{escape(o["url"])}">'
            f"{power if o['utility'] == 'dien' else water} {escape(o['short_time'])}</a><br>"
            f'<span class="news-meta">{escape(o["short_area"])} ({escape(o["company"])})</span></li>'
            for o in outages
        )
    )


def schedules_html(schedules):
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f"<li>{escape(str(s['kind_label']))}: {escape(s['title'])} "
            f'<span class="news-meta">{escape(s["short_time"])}, {escape(s["place"])}</span></li>'
            for s in schedules
        )
    )


def articles_html(articles):
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<li><a href="{escape(a["url"])}">{escape(a["title"])}</a>'
            f' <span class="news-meta">{escape(a["short_time"])}</span></li>'
            for a in articles
        )
    )
