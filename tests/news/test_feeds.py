"""RSS 2.0 and Atom feeds of the city and of each ward; reception schedules as iCalendar."""

# Fixtures come from tests.news.world, imported by name.
# ruff: noqa: F811, S314

import datetime
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from django.utils import timezone

from news import services
from news.models import ScheduleKind
from tests.news.world import publish, world  # noqa: F401

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_city_rss_feed_is_valid_rss_2(world, client):
    publish(world, "Tin thành phố & <đặc biệt>")
    publish(world, "Tin Lê Chân", ward=world.lechan)
    response = client.get("/tin-tuc/rss/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")

    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channels = root.findall("channel")
    assert len(channels) == 1
    channel = channels[0]
    for required in ("title", "link", "description"):  # RSS 2.0: a channel's required elements
        assert (channel.findtext(required) or "").strip(), required
    assert channel.findtext("link").startswith("http")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Tin Lê Chân", "Tin thành phố & <đặc biệt>"]
    for item in items:
        assert item.findtext("title") or item.findtext("description")  # an item needs one of them
        assert item.findtext("link").startswith("http")
        parsedate_to_datetime(item.findtext("pubDate"))  # RFC 822 dates
        assert item.find("guid").get("isPermaLink") == "false"


def test_a_ward_feed_lists_that_wards_articles_and_atom_parses(world, client):
    publish(world, "Tin thành phố")
    publish(world, "Tin Lê Chân", ward=world.lechan)
    rss = ET.fromstring(client.get(f"/tin-tuc/phuong/{world.lechan.code}/rss/").content)
    assert [i.findtext("title") for i in rss.iter("item")] == ["Tin Lê Chân"]
    atom = ET.fromstring(client.get(f"/tin-tuc/phuong/{world.lechan.code}/atom/").content)
    assert atom.tag == f"{ATOM}feed"
    assert [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")] == ["Tin Lê Chân"]
    assert client.get("/tin-tuc/phuong/99999/rss/").status_code == 404


def test_a_draft_never_reaches_a_feed(world, client):
    services.save_article(
        editor=world.editor, title="Bản nháp bí mật", summary="T", body="<p>x</p>", category="thoi-su"
    )
    publish(world, "Tin hẹn giờ", at=timezone.now() + datetime.timedelta(hours=1))
    assert b"item" not in client.get("/tin-tuc/rss/").content.split(b"</description>", 1)[1]


def _unfold(text):
    return text.replace("\r\n ", "")


def test_a_schedule_downloads_as_rfc_5545_icalendar(world, client):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    schedule = services.save_schedule(
        editor=world.editor, kind=ScheduleKind.RECEPTION, title="Chủ tịch tiếp công dân; định kỳ, tháng 12",
        starts_at=start, ends_at=start + datetime.timedelta(hours=3), place="Trụ sở UBND, 1 Lê Chân",
        host="Chủ tịch UBND phường " * 5, ward_code=world.lechan.code, note="Mang theo\nCCCD",
    )  # fmt: skip
    response = client.get(f"/tin-tuc/lich-tiep-dan/{schedule.pk}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    raw.decode("utf-8")  # folding never splits a character
    text = _unfold(raw.decode())
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and "VERSION:2.0" in lines and lines[-2] == "END:VCALENDAR"
    assert f"UID:schedule-{schedule.pk}@127.0.0.1" in lines
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)
    utc = start.astimezone(datetime.UTC)
    assert f"DTSTART:{utc:%Y%m%dT%H%M%S}Z" in lines
    assert "SUMMARY:Chủ tịch tiếp công dân\\; định kỳ\\, tháng 12" in lines
    assert "LOCATION:Trụ sở UBND\\, 1 Lê Chân" in lines
    assert any("Mang theo\\nCCCD" in line for line in lines)


def test_a_wards_calendar_lists_its_schedules(world, client):
    start = timezone.now() + datetime.timedelta(days=2)
    for title, ward in (("Lịch Lê Chân", world.lechan.code), ("Lịch Ngô Quyền", world.ngoquyen.code)):
        services.save_schedule(
            editor=world.editor, kind=ScheduleKind.VOTERS, title=title, starts_at=start,
            ends_at=start + datetime.timedelta(hours=2), place="Nhà văn hóa", host="Đại biểu", ward_code=ward,
        )  # fmt: skip
    text = _unfold(client.get("/tin-tuc/lich-tiep-dan/lich.ics", {"phuong": world.lechan.code}).content.decode())
    assert text.count("BEGIN:VEVENT") == 1 and "Lịch Lê Chân" in text
    assert client.get("/tin-tuc/lich-tiep-dan/lich.ics", {"phuong": "00000"}).status_code == 404
    page = client.get("/tin-tuc/lich-tiep-dan/", {"phuong": world.lechan.code}).content.decode()
    assert "Lịch Lê Chân" in page and "Lịch Ngô Quyền" not in page
