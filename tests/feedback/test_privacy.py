"""A citizen's PAKN data in their export, and what erasing their account leaves of their reports."""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import json

from citizens.services import erase_account, export_user_data
from feedback.models import Follow, Report
from notices.models import Notice
from tests.feedback.citizen_world import file_report, fresh_geo_index, world  # noqa: F401


def test_the_export_holds_the_citizens_reports_follows_and_notices(world):
    mine = file_report(world.alice, world.roads, title="Ổ gà của tôi", is_public=False)
    followed = file_report(world.bob, world.roads)
    Follow.objects.create(user=world.alice, report=followed)

    data = export_user_data(world.alice)

    json.dumps(data)  # the download is JSON
    assert [r["code"] for r in data["reports"]] == [mine.code]
    assert data["reports"][0]["title"] == "Ổ gà của tôi" and data["reports"][0]["public"] is False
    assert data["followed_reports"] == [followed.code]
    assert any(mine.code in notice["text"] for notice in data["notifications"])
    assert all(followed.code not in notice["text"] for notice in data["notifications"])


def test_erasing_an_account_keeps_its_reports_without_any_link_to_the_person(client, world):
    report = file_report(world.alice, world.roads, title="Ổ gà trước nhà")
    followed = file_report(world.bob, world.roads)
    Follow.objects.create(user=world.alice, report=followed)
    Report.objects.filter(pk=followed.pk).update(follower_count=1)

    erase_account(user=world.alice)

    report.refresh_from_db()
    assert report.reporter is None and report.idempotency_key is None
    assert (report.contact_name, report.contact_phone) == ("", "")
    assert report.title == "Ổ gà trước nhà"  # what the city was told stays
    assert Report.objects.get(pk=followed.pk).follower_count == 0
    assert not Notice.objects.about(report).exists()
    assert client.get(report.get_absolute_url()).status_code == 200
