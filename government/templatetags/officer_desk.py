from django import template

from government import desk
from smarthp.layout import csrf_input, drawn

register = template.Library()


@register.simple_tag(takes_context=True)
def officer_nav(context):
    """The officer's navigation bar (government.desk.nav_for), for pages behind officer_required,
    drawn once per language and set of links; only the sign-out link elsewhere (an error page drawn
    with the officer layout knows no memberships)."""
    request = context.get("request")
    memberships = getattr(request, "memberships", None)
    links = () if request is None or memberships is None else desk.nav_for(request, memberships)
    key = tuple((str(link.label), link.url, link.current) for link in links)
    return drawn("government/_officer_nav.html", links=key, fill_csrf=csrf_input(context))
