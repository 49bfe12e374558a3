"""{% drawn %} (smarthp/layout.py): a page's parts that are the same on every visit of
a language drawn once per language and variant, with what changes per request put in, escaped.
The near-me page and the news list use it; their HTML is the same as the templates alone drew."""

# ruff: noqa: F811
from unittest import mock

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from smarthp import layout as drawn_module
from tests.utilities.world import LE_CHAN_POINT, make_place, world  # noqa: F401
from utilities.models import PlaceKind

pytestmark = pytest.mark.django_db

FORM = '{% drawn "utilities/_near_form.html" prefix=prefix fill_loai=loai fill_phuong=phuong %}'


def render(source, **context):
    return Template(source).render(Context(context))


@pytest.fixture(autouse=True)
def forget():
    drawn_module._DRAWN.clear()
    language = translation.get_language()
    yield
    drawn_module._DRAWN.clear()
    translation.activate(language)  # a request in English leaves English active in this thread


def test_it_is_what_the_template_draws_with_the_fills_put_in():
    options = mark_safe('<option value="a" selected>A</option>')
    drawn = render(FORM, prefix="id_", loai=options, phuong="<b>&")
    plain = render(
        '{% include "utilities/_near_form.html" with prefix="id_" fill_loai=loai fill_phuong=phuong %}',
        loai=options,
        phuong="<b>&",
    )
    assert drawn == plain.removesuffix("\n")
    assert '<select name="loai" id="id_loai"><option value="a" selected>A</option></select>' in drawn
    assert "&lt;b&gt;&amp;" in drawn and "<b>" not in drawn  # plain text is escaped, as {{ }} does


def test_it_is_drawn_once_per_language_and_variant():
    with mock.patch.object(drawn_module, "render_to_string", wraps=drawn_module.render_to_string) as draws:
        for prefix in ("id_", "near_", "id_"):
            for value in ("x", "y"):
                with translation.override("vi"):
                    vietnamese = render(FORM, prefix=prefix, loai=value, phuong="")
                with translation.override("en"):
                    english = render(FORM, prefix=prefix, loai=value, phuong="")
                assert "Loại địa điểm cần tìm" in vietnamese and "Type of place to find" in english
                assert f'id="{prefix}loai">{value}</select>' in vietnamese and f">{value}</select>" in english
    assert draws.call_count == 4  # two prefixes, two languages; the values never drew anything


def test_near_me_in_english_and_in_vietnamese(world, client):
    make_place(name="Nhà thuốc Hồng Đức", point=LE_CHAN_POINT)
    params = {"loai": "nha-thuoc", "lat": LE_CHAN_POINT[0], "lng": LE_CHAN_POINT[1]}
    vietnamese = client.get("/tien-ich/gan-toi/", params).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/tien-ich/gan-toi/", params).content.decode()
    assert "<h1>Nhà thuốc gần tôi</h1>" in vietnamese and "Loại địa điểm cần tìm" in vietnamese
    assert "near me</h1>" in english and "Type of place to find" in english
    for page in (vietnamese, english):
        assert '<option value="nha-thuoc" selected>' in page and "Nhà thuốc Hồng Đức" in page
        assert f'data-lat="{LE_CHAN_POINT[0]:f}" data-lng="{LE_CHAN_POINT[1]:f}"' in page
        assert 'data-kind="nha-thuoc"' in page and "places.js" in page and "leaflet.css" in page
    assert "1 địa điểm trong bán kính 5 km, gần nhất trước." in vietnamese


def test_the_heading_follows_the_kind_asked_for(world, client):
    make_place(name="Cây xăng Lạch Tray", kind=PlaceKind.FUEL, point=LE_CHAN_POINT)
    page = client.get("/tien-ich/gan-toi/", {"loai": "cay-xang", "phuong": "11383"}).content.decode()
    assert "<h1>Cây xăng gần tôi</h1>" in page and "<title>Cây xăng gần tôi" in page
    bare = client.get("/tien-ich/gan-toi/").content.decode()
    assert "<h1>Địa điểm gần tôi</h1>" in bare and "<title>Địa điểm gần tôi" in bare
