"""`{% how_counted as lines %}`: how the figures are counted (figures.HOW_COUNTED), for the pages'
"Cách tính các số liệu" box, whichever context draws it (the ward page's body is drawn once per
language and unit: smarthp.layout's {% drawn %})."""

from django import template

from campaigns.figures import HOW_COUNTED

register = template.Library()


@register.simple_tag
def how_counted():
    return HOW_COUNTED
