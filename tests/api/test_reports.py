"""Reports through the API: filed with a photo and an Idempotency-Key, followed to the answer."""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.models import Channel, Rating, Report, ReportStatus
from tests.api.helpers import API, AppClient, error, session_token_for
from tests.feedback.citizen_world import (  # noqa: F401
    LE_CHAN_POINT,
    OUTSIDE_POINT,
    file_report,
    fresh_geo_index,
    image_bytes,
    world,
)
from tests.feedback.test_rating import answer


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAKN_PAGE_CACHE_SECONDS = 0


def app_for(user, language="vi"):
    app = AppClient(language)
    app.token = session_token_for(user)
    return app


def report_fields(world, **extra):
    fields = {
        "category": str(world.roads.pk),
        "title": "Ổ gà trước số 12 Lạch Tray",
        "description": "Ổ gà sâu, xe máy đi qua rất dễ ngã vào buổi tối.",
        "lat": str(LE_CHAN_POINT[0]),
        "lng": str(LE_CHAN_POINT[1]),
        "address": "12 Lạch Tray",
    }
    fields.update(extra)
    return fields


def photo():
    return SimpleUploadedFile("o-ga.jpg", image_bytes(), content_type="image/jpeg")


def test_a_report_with_a_photo_sent_twice_with_one_key_is_filed_once(world):
    app = app_for(world.alice)
    key = {"Idempotency-Key": "8d1f3a5e-app-draft-1"}
    first = app.post_multipart(f"{API}/reports/", {**report_fields(world), "photos": [photo()]}, headers=key)
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["code"].startswith("PA-") and body["is_reporter"] is True
    assert body["status"] == "assigned" and body["agency"] == "UBND Phường Lê Chân"  # routed on commit
    assert len(body["photos"]) == 1
    report = Report.objects.get()
    assert report.channel == Channel.API and report.reporter == world.alice

    again = app.post_multipart(f"{API}/reports/", {**report_fields(world), "photos": [photo()]}, headers=key)
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json()["code"] == body["code"]
    assert Report.objects.count() == 1 and report.photos.count() == 1

    # The photo is served through the API to the reporter (re-encoded JPEG).
    image = app.get(body["photos"][0]["url"].removeprefix("http://testserver"))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    # Another person's key never matches: bob's same key files his own report.
    bob = app_for(world.bob).post(f"{API}/reports/", report_fields(world), headers=key)
    assert bob.status_code == 201 and Report.objects.count() == 2


def test_a_report_is_followed_to_its_answer_then_rated(world):
    app = app_for(world.alice)
    code = app.post(f"{API}/reports/", report_fields(world), headers={"Idempotency-Key": "k1"}).json()["code"]
    report = Report.objects.get(code=code)
    assert app.get(f"{API}/reports/{code}/").json()["answers"] == []
    answer(report, world.ward_officer, world.lechan_committee)

    detail = app.get(f"{API}/reports/{code}/").json()
    assert detail["status"] == "answered" and detail["can_rate"] is True and detail["can_reopen"] is True
    assert detail["answers"][0]["text"].startswith("Đã vá ổ gà") and detail["answers"][0]["rating"] is None
    assert [step["kind"] for step in detail["timeline"]][-1] == "answered"
    assert [item["code"] for item in app.get(f"{API}/reports/mine/").json()["results"]] == [code]

    rated = app.post(f"{API}/reports/{code}/rating/", {"score": "satisfied", "comment": "Cảm ơn"})
    assert rated.status_code == 201 and rated.json()["label"] == "Hài lòng"
    assert Rating.objects.get().score == "satisfied"
    twice = app.post(f"{API}/reports/{code}/rating/", {"score": "satisfied"})
    assert twice.status_code == 409 and error(twice)["message"] == "Bạn đã đánh giá trả lời này."

    reopened = app.post(f"{API}/reports/{code}/reopen/", {"reason": "Vá xong lại bong ra sau hai ngày."})
    assert reopened.status_code == 200 and reopened.json()["status"] == ReportStatus.REOPENED


def test_others_follow_a_public_report_and_find_it_in_their_list(world):
    report = file_report(world.alice, world.roads)
    bob = app_for(world.bob)
    assert bob.post(f"{API}/reports/{report.code}/follow/").json() == {"following": True}
    assert [item["code"] for item in bob.get(f"{API}/reports/followed/").json()["results"]] == [report.code]
    assert bob.get(f"{API}/reports/{report.code}/").json()["following"] is True
    own = app_for(world.alice).post(f"{API}/reports/{report.code}/follow/")
    assert own.status_code == 409 and error(own)["code"] == "own_report"
    assert bob.send("delete", f"{API}/reports/{report.code}/follow/").json() == {"following": False}


def test_someone_elses_private_report_is_a_404(world):
    report = file_report(world.alice, world.roads, is_public=False)
    bob = app_for(world.bob)
    for path in (f"/reports/{report.code}/", f"/reports/{report.code}/follow/"):
        response = bob.get(API + path) if path.endswith("s/" + report.code + "/") else bob.post(API + path)
        assert response.status_code == 404 and error(response)["code"] == "not_found"
    assert AppClient().get(f"{API}/reports/{report.code}/").status_code == 404
    assert app_for(world.alice).get(f"{API}/reports/{report.code}/").status_code == 200


def test_the_public_feed_filters_as_the_page_does(world):
    road = file_report(world.alice, world.roads, title="Ổ gà đường Lạch Tray")
    file_report(world.bob, world.ideas, title="Góp ý trồng thêm cây xanh", point=None, unit=world.lechan)
    anonymous = AppClient()
    feed = anonymous.get(f"{API}/reports/").json()
    assert len(feed["results"]) == 2 and feed["next"] is None
    only_roads = anonymous.get(f"{API}/reports/", {"category": world.infra.pk}).json()["results"]
    assert [item["code"] for item in only_roads] == [road.code]
    searched = anonymous.get(f"{API}/reports/", {"q": "cay xanh"}).json()["results"]
    assert [item["title"] for item in searched] == ["Góp ý trồng thêm cây xanh"]
    assert "reporter" not in str(feed) and world.alice.phone not in str(feed)
    bad = anonymous.get(f"{API}/reports/", {"cursor": "nonsense!"})
    assert bad.status_code == 400 and error(bad)["code"] == "invalid_cursor"
