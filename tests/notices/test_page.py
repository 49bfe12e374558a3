"""The citizen's notifications page: every kind of notice, newest first, only their own."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notices import services
from notices.models import Notice
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/thong-bao/"


def test_it_needs_a_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_it_lists_every_kind_newest_first_with_links(client, alice, bob):
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    services.notify(
        user_ids=[alice.pk],
        text="Phản ánh PA-1 đã có trả lời",
        kind="feedback.report",
        url="/phan-anh/PA-1/",
        when=hour_ago,
    )
    services.notify(
        user_ids=[alice.pk], text="Hồ sơ H-9 cần bổ sung", kind="publicservices.dossier", url="/dich-vu-cong/H-9/"
    )
    services.notify(user_ids=[bob.pk], text="Thông báo của Bình", kind="news.notice", url="/tin-tuc/1/")
    client.login(username="alice", password=PASSWORD)
    page = client.get(URL).content.decode()
    assert page.index("Hồ sơ H-9 cần bổ sung") < page.index("Phản ánh PA-1 đã có trả lời")
    assert 'href="/phan-anh/PA-1/"' in page and 'href="/dich-vu-cong/H-9/"' in page
    assert "Thông báo của Bình" not in page


def test_marking_read_clears_the_unread_count(client, alice):
    services.notify(user_ids=[alice.pk], text="x", kind="test")
    client.login(username="alice", password=PASSWORD)
    assert client.get(URL).context["unread_notices"] == 1
    response = client.post(URL)
    assert response.status_code == 302
    assert not Notice.objects.filter(user=alice, read_at__isnull=True).exists()


def test_older_notices_are_a_page_away(client, alice):
    start = timezone.now() - datetime.timedelta(days=1)
    for i in range(35):
        services.notify(
            user_ids=[alice.pk], text=f"Thông báo số {i}", kind="test", when=start + datetime.timedelta(minutes=i)
        )
    client.login(username="alice", password=PASSWORD)
    first = client.get(URL)
    assert len(first.context["notices"]) == 30 and "Thông báo số 34" in first.content.decode()
    older = client.get(URL, {"truoc": first.context["older"]})
    texts = [n.text for n in older.context["notices"]]
    assert texts == [f"Thông báo số {i}" for i in range(4, -1, -1)]


@pytest.mark.parametrize("cursor", ["abc", "9" * 40, "-1", ""])
def test_a_bad_cursor_shows_the_first_page(client, alice, cursor):
    services.notify(user_ids=[alice.pk], text="x", kind="test")
    client.login(username="alice", password=PASSWORD)
    response = client.get(URL, {"truoc": cursor})
    assert response.status_code == 200 and len(response.context["notices"]) == 1


def test_another_persons_cursor_reveals_nothing(client, alice, bob):
    theirs = services.notify(user_ids=[bob.pk], text="của Bình", kind="test")[0]
    services.notify(user_ids=[alice.pk], text="của Lan", kind="test")
    client.login(username="alice", password=PASSWORD)
    response = client.get(URL, {"truoc": theirs.pk})
    assert [n.text for n in response.context["notices"]] == ["của Lan"]


def test_the_header_bell_shows_the_unread_count_on_every_page(client, alice):
    services.notify(user_ids=[alice.pk], text="một", kind="test")
    services.notify(user_ids=[alice.pk], text="hai", kind="test")
    client.login(username="alice", password=PASSWORD)
    page = client.get("/phan-anh/").content.decode()
    assert '<span class="bell-count">2</span>' in page
    services.mark_read(user=alice)
    page = client.get("/phan-anh/").content.decode()
    assert "bell-count" not in page and 'class="bell"' in page


def test_an_officer_reads_notices_in_the_officer_layout(client, officer):
    services.notify(user_ids=[officer.pk], text="Bạn được giao xử lý phản ánh PA-1", kind="test", url="/can-bo/")
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert "officer_base.html" in [t.name for t in response.templates]
    assert "Bạn được giao xử lý phản ánh PA-1" in response.content.decode()


def test_the_bells_count_comes_with_the_user_and_follows_every_change(client, alice, bob):
    """citizens.backends counts the unread notices in its read of the signed-in person: the bell
    makes no query of its own, and a change made in the same request is not hidden by it."""
    from django.contrib.auth import get_user
    from django.test import RequestFactory

    from notices import selectors

    def signed_in(person):
        client.force_login(person)
        request = RequestFactory().get("/")
        request.session = client.session
        return get_user(request)

    services.notify(user_ids=[alice.pk], text="một", kind="test")
    services.notify(user_ids=[alice.pk, bob.pk], text="hai", kind="test")
    user = signed_in(alice)
    with CaptureQueriesContext(connection) as queries:
        assert selectors.unread_count(user) == 2
    assert len(queries) == 0
    assert selectors.unread_count(signed_in(bob)) == 1
    assert selectors.unread_count(alice) == 2  # a user read elsewhere: counted then
    services.mark_read(user=user)
    assert selectors.unread_count(user) == 0
    first = Notice.objects.filter(user=alice).order_by("pk").first()
    services.mark_unread(user=user, notice_ids=[first.pk])
    assert selectors.unread_count(user) == 1
    assert selectors.unread_count(signed_in(alice)) == 1
