"""Opening hours: OSM syntax read by the opening_hours library, open or closed in the city's time."""

# ruff: noqa: F811
import datetime
import zoneinfo

import pytest

from tests.utilities.world import LE_CHAN_POINT, fresh_geo_index, make_place, world  # noqa: F401
from utilities import hours, services

CITY = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args):
    return datetime.datetime(*args, tzinfo=CITY)


@pytest.mark.parametrize(
    "text, moment, is_open",
    [
        ("Mo-Sa 07:30-21:30; Su 08:00-12:00", at(2026, 12, 2, 10, 0), True),  # a Wednesday morning
        ("Mo-Sa 07:30-21:30; Su 08:00-12:00", at(2026, 12, 2, 22, 0), False),
        ("Mo-Sa 07:30-21:30; Su 08:00-12:00", at(2026, 12, 6, 14, 0), False),  # Sunday afternoon
        ("Mo-Sa 07:30-21:30; Su 08:00-12:00", at(2026, 12, 6, 9, 0), True),
        ("Mo-Fr 07:30-11:30,13:00-16:30", at(2026, 12, 2, 12, 15), False),  # lunch break
        ("24/7", at(2026, 12, 2, 3, 0), True),
        ("Mo-Fr 08:00-17:00; PH off", at(2026, 9, 2, 10, 0), False),  # Quốc khánh, a Wednesday
        ("Mo-Fr 08:00-17:00; PH off", at(2026, 9, 3, 10, 0), True),
    ],
)
def test_open_or_closed_at_a_fixed_time(text, moment, is_open):
    state = hours.state(text, at=moment)
    assert state.known and state.is_open is is_open


def test_the_citys_time_decides_not_utc():
    # 03:30 UTC is 10:30 in Hải Phòng: open; 15:00 UTC is 22:00 there: closed.
    text = "Mo-Su 07:00-21:00"
    assert hours.state(text, at=datetime.datetime(2026, 12, 2, 3, 30, tzinfo=datetime.UTC)).is_open
    assert not hours.state(text, at=datetime.datetime(2026, 12, 2, 15, 0, tzinfo=datetime.UTC)).is_open


def test_the_next_change_is_given_in_the_citys_time():
    state = hours.state("Mo-Sa 07:30-21:30; Su 08:00-12:00", at=at(2026, 12, 5, 22, 0))  # Saturday night
    assert not state.is_open and not state.next_change_today
    assert state.next_change == at(2026, 12, 6, 8, 0)
    assert hours.state("Mo-Su 07:00-21:00", at=at(2026, 12, 2, 10, 0)).next_change_today


def test_no_hours_or_unknown_hours_say_nothing():
    assert not hours.state("").known
    assert not hours.state("Mo-Su unknown", at=at(2026, 12, 2, 10, 0)).known


def test_a_places_state_comes_from_its_hours(world):
    place = make_place(opening_hours="Mo-Su 07:00-21:00")
    assert place.hours_state(at=at(2026, 12, 2, 10, 0)).is_open
    assert not place.hours_state(at=at(2026, 12, 2, 23, 0)).is_open


@pytest.mark.parametrize("text", ["sáng 7 giờ", "Mo-Fr 25:00-26:00", "Mo-Fr 08:00-", "Thứ 2 - Thứ 6"])
def test_an_editor_cannot_save_hours_the_library_cannot_read(world, text):
    with pytest.raises(services.PlaceError) as refused:
        services.create_place(
            editor=world.editor, name="Nhà thuốc", kind="pharmacy", lat=LE_CHAN_POINT[0], lng=LE_CHAN_POINT[1],
            opening_hours=text,
        )  # fmt: skip
    assert refused.value.field == "opening_hours" and "opening_hours" in refused.value.message
