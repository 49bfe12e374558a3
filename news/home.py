"""News' panel of the home page (smarthp.home): for a signed-in citizen, the notices, outages ahead
and reception schedules of their profile's ward and the city's latest news; for a visitor, the
city's latest news and notices.

Budget: one query (the citizen's profile ward, read once per request and shared, see
`profile_of`); the rest comes from the cache (news.selectors.cached), kept under a generation that
every save of news bumps.
"""

from django.urls import reverse

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
    return Panel(
        "news/_home_citizen.html",
        {
            "ward_code": ward_code,
            "ward_name": ward_name,
            "evn_code": evn_code,
            "summary": summary,
            "articles": summary["articles"] if summary else selectors.latest_city_news(3),
            "news_url": reverse("news:index"),
        },
    )
