from django import template

from government import desk

register = template.Library()


@register.simple_tag(takes_context=True)
def officer_nav(context):
    """The officer's navigation links (government.desk.nav_for), for pages behind officer_required;
    none elsewhere (an error page drawn with the officer layout knows no memberships)."""
    request = context.get("request")
    memberships = getattr(request, "memberships", None)
    if request is None or memberships is None:
        return []
    return desk.nav_for(request, memberships)
