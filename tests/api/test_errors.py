"""One error shape for the whole API, in the request's language; notifications are one's own."""

# ruff: noqa: F811

import pytest

from notices import services as notices
from notices.models import Notice
from tests.api.helpers import API, AppClient, error, session_token_for
from tests.feedback.citizen_world import OUTSIDE_POINT, fresh_geo_index, world  # noqa: F401


def app_for(user, language="vi"):
    app = AppClient(language)
    app.token = session_token_for(user)
    return app


def outside_report(world):
    return {
        "category": str(world.roads.pk),
        "title": "Ổ gà trước số 12",
        "description": "Ổ gà sâu, xe máy đi qua rất dễ ngã.",
        "lat": OUTSIDE_POINT[0],
        "lng": OUTSIDE_POINT[1],
    }


def test_a_refused_report_says_why_in_vietnamese_and_in_english(world):
    vi = app_for(world.alice, "vi").post(f"{API}/reports/", outside_report(world))
    assert vi.status_code == 400
    body = error(vi)
    assert body["code"] == "invalid"
    assert body["fields"]["lat"] == [
        "Vị trí đã chọn nằm ngoài thành phố Hải Phòng. Vui lòng đánh dấu một điểm trong thành phố."
    ]
    en = app_for(world.alice, "en").post(f"{API}/reports/", outside_report(world))
    assert en.status_code == 400
    assert error(en)["fields"]["lat"] == [
        "The chosen location is outside Hải Phòng city. Please mark a point inside the city."
    ]
    from feedback.models import Report

    assert not Report.objects.exists()


def test_missing_fields_are_named_one_by_one(world):
    response = app_for(world.alice).post(f"{API}/reports/", {"title": "x"})
    body = error(response)
    assert response.status_code == 400 and {"category", "title", "description"} <= set(body["fields"])


@pytest.mark.django_db
def test_without_a_token_the_api_asks_to_sign_in():
    response = AppClient().get(f"{API}/me/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "X-Session-Token"
    assert error(response)["code"] == "not_authenticated"
    bad = AppClient()
    bad.token = "not-a-session"
    assert error(bad.get(f"{API}/me/"))["code"] == "authentication_failed"


@pytest.mark.django_db
def test_unknown_addresses_and_methods_and_bad_json_have_the_shape(alice):
    app = app_for(alice)
    assert error(app.get(f"{API}/notifications/123456/read/"))["code"] == "method_not_allowed"
    response = app.client.post(
        f"{API}/reports/", "{not json", content_type="application/json", headers={"X-Session-Token": app.token}
    )
    assert response.status_code == 400 and error(response)["code"] == "parse_error"


@pytest.mark.django_db
def test_my_notifications_are_mine_and_marked_read_and_unread(alice, bob):
    for number in range(3):
        notices.notify(
            user_ids=[alice.pk], text=f"Phản ánh {number} có trả lời", kind="feedback.report", url="/phan-anh/"
        )
    (bobs,) = notices.notify(user_ids=[bob.pk], text="Của Bình", kind="feedback.report")
    app = app_for(alice)
    page = app.get(f"{API}/notifications/").json()
    assert [item["text"] for item in page["results"]] == [f"Phản ánh {n} có trả lời" for n in (2, 1, 0)]
    first = page["results"][0]
    assert first["read"] is False and first["url"] == "http://testserver/phan-anh/"

    assert app.post(f"{API}/notifications/{first['id']}/read/").json()["read"] is True
    assert app.get(f"{API}/notifications/", {"unread": "true"}).json()["results"][0]["id"] != first["id"]
    assert app.send("delete", f"{API}/notifications/{first['id']}/read/").json()["read"] is False
    assert app.post(f"{API}/notifications/read-all/").json() == {"marked": 3}

    response = app.post(f"{API}/notifications/{bobs.pk}/read/")
    assert response.status_code == 404 and error(response)["code"] == "not_found"
    assert Notice.objects.get(pk=bobs.pk).read_at is None


@pytest.mark.django_db
def test_notifications_page_by_keyset(alice, monkeypatch):
    from notices import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    for number in range(5):
        notices.notify(user_ids=[alice.pk], text=f"Tin {number}", kind="news")
    app, seen, url = app_for(alice), [], f"{API}/notifications/"
    while url:
        page = app.get(url.removeprefix("http://testserver")).json()
        seen += [item["text"] for item in page["results"]]
        url = page["next"]
    assert seen == [f"Tin {n}" for n in (4, 3, 2, 1, 0)]
    bad = app.get(f"{API}/notifications/", {"cursor": "abc"})
    assert bad.status_code == 400 and error(bad)["code"] == "invalid_cursor"


@pytest.mark.django_db
def test_my_profile_is_saved_by_the_profile_forms_rules(alice):
    app = app_for(alice)
    changed = app.send("patch", f"{API}/me/", {"full_name": "Nguyễn Thị Hoa", "citizen_id": "12"})
    assert changed.status_code == 400 and "citizen_id" in error(changed)["fields"]
    changed = app.send("patch", f"{API}/me/", {"full_name": "Nguyễn Thị Hoa", "street_address": "5 Lạch Tray"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["full_name"] == "Nguyễn Thị Hoa" and changed.json()["street_address"] == "5 Lạch Tray"
    alice.refresh_from_db()
    assert alice.full_name == "Nguyễn Thị Hoa" and alice.profile.street_address == "5 Lạch Tray"
    kept = app.send("patch", f"{API}/me/", {"workplace_name": "Cảng Hải Phòng"}).json()
    assert kept["street_address"] == "5 Lạch Tray"  # PATCH keeps what it does not name
    consents = app.send("put", f"{API}/me/consents/", {"notices": True}).json()
    assert consents["notices"] is True and consents["processing"] is False
