"""The demo's places: loaded twice, nothing doubles; the pharmacy journey works on them."""

import pytest
from django.core.management import call_command

from utilities import selectors
from utilities.models import Place, PlaceKind, PlaceReport


@pytest.fixture
def demo(db):
    from government import demo as government_demo
    from government import geo
    from utilities import demo as places_demo

    geo.forget_index()
    government_demo.load()
    places_demo.load()
    yield
    geo.forget_index()


def test_loading_twice_changes_nothing(demo):
    from utilities import demo as places_demo

    def state():
        versions = sorted(Place.objects.values_list("source_id", "version"))
        return Place.objects.count(), versions, PlaceReport.objects.count()

    before = state()
    places_demo.load()
    after = state()
    assert after == before
    assert before[0] >= 24 + 114


def test_the_nearest_pharmacy_to_a_point_in_le_chan_has_a_phone_and_hours(demo):
    found = selectors.nearest(lat=20.8400, lng=106.6790, kind=PlaceKind.PHARMACY, limit=5)
    assert len(found) >= 4
    nearest = found[0].place
    assert nearest.unit.name == "Phường Lê Chân"
    assert nearest.tel_href.startswith("tel:0225") and nearest.opening_hours
    assert found[0].distance_m < 500


def test_the_ward_lookup_of_le_chan_has_its_committee_and_police(demo):
    answer = selectors.ward_at(20.8400, 106.6790)
    assert answer.unit.code == "11383"
    assert answer.committees[0].phone and answer.police[0].name == "Công an Phường Lê Chân"


def test_load_demo_runs_it(db, capsys):
    call_command("load_demo")
    assert "Địa điểm mẫu" in capsys.readouterr().out
    assert Place.objects.filter(source_id__startswith="demo/").count() == 24
