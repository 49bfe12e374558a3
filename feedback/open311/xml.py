"""GeoReport v2's XML: the JSON documents as elements, with the wrappers the standard names.

    [{...}, {...}]  under ("services", "service")  ->  <services><service>...</service>...</services>
    {"endpoints": [{"formats": ["a"]}]}            ->  <endpoints><endpoint><formats><format>a</format>...

A null is an empty element, a boolean is true/false. Lists inside a document take their item name
from LIST_ITEMS.
"""

import re
from xml.etree import ElementTree

from rest_framework.renderers import BaseRenderer

LIST_ITEMS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}
# Characters XML 1.0 cannot carry, even escaped (a description may hold them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element, value):
    if isinstance(value, dict):
        for name, child in value.items():
            _fill(ElementTree.SubElement(element, name), child)
    elif isinstance(value, (list, tuple)):
        item = LIST_ITEMS.get(element.tag, "item")
        for child in value:
            _fill(ElementTree.SubElement(element, item), child)
    else:
        element.text = _text(value)


def to_xml(data, root, item=None):
    """The XML document (bytes) for `data`: a list under <root><item>…, or a dict as <root>…."""
    element = ElementTree.Element(root)
    if isinstance(data, (list, tuple)):
        for child in data:
            _fill(ElementTree.SubElement(element, item), child)
    else:
        _fill(element, data)
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)


class XMLRenderer(BaseRenderer):
    """Renders what an Open311 view answers; the view names the wrappers on the response
    (`response.xml_names = (root, item)`); an error list is always <errors><error>."""

    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            names = ("errors", "error")
        else:
            names = getattr(response, "xml_names", ("response", "item"))
        return to_xml(data, *names)
