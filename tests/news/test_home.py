"""What the home page shows of a ward (news.selectors.ward_summary, one hand-written query): the
same rows as the models' own rules (current notices, outages ahead, schedules ahead, public
articles), in their order, within their limits, on SQLite and PostgreSQL alike."""

# Fixtures come from tests.news.world, imported by name.
# ruff: noqa: F811

import datetime

import pytest
from django.utils import timezone

from news import selectors, services
from news.models import Article, Outage, Schedule, ScheduleKind, WardNotice
from tests.news.world import outage, publish, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_cache(settings):
    settings.NEWS_CACHE_SECONDS = 0


def notice(world, title, ward, *, urgent=False, expires_at=None):
    return services.publish_notice(
        editor=world.editor,
        title=title,
        body="Nội dung",
        ward_codes=[ward.code],
        is_urgent=urgent,
        expires_at=expires_at,
    )


def test_a_ward_sees_its_current_notices_urgent_first(world):
    now = timezone.now()
    plain = notice(world, "Thông báo thường", world.lechan)
    urgent = notice(world, "Thông báo khẩn", world.lechan, urgent=True)
    expired = notice(world, "Đã hết hạn", world.lechan)
    WardNotice.objects.filter(pk=expired.pk).update(expires_at=now - datetime.timedelta(hours=1))
    later = notice(world, "Chưa đến giờ", world.lechan)
    WardNotice.objects.filter(pk=later.pk).update(published_at=now + datetime.timedelta(days=1))
    notice(world, "Của phường khác", world.ngoquyen)

    summary = selectors.ward_summary(world.lechan.code)
    assert [(n["pk"], n["is_urgent"]) for n in summary["notices"]] == [(urgent.pk, True), (plain.pk, False)]
    assert summary["notices"][0]["url"] == urgent.get_absolute_url()
    expected = list(WardNotice.objects.current().for_ward(world.lechan.code).order_by("-is_urgent", "-published_at"))
    assert [n["pk"] for n in summary["notices"]] == [n.pk for n in expected]


def test_a_ward_sees_the_outages_ahead_soonest_first_with_the_company(world):
    later = outage(world, days=8)
    sooner = outage(world, days=2, kind="emergency")
    over = outage(world, days=7)
    Outage.objects.filter(pk=over.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3), ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    cancelled = outage(world, days=9)
    services.cancel_outage(staff=world.power, outage_id=cancelled.pk)
    outage(world, days=6, ward=world.ngoquyen)

    rows = selectors.ward_summary(world.lechan.code)["outages"]
    assert [row["pk"] for row in rows] == [sooner.pk, later.pk]
    assert rows[0]["kind"] == "emergency" and rows[1]["kind"] == "planned"
    assert rows[0]["company"] == "Điện lực Hải Phòng" and rows[0]["utility"] == "dien"
    assert rows[0]["starts_at"] == Outage.objects.get(pk=sooner.pk).starts_at
    assert rows[0]["url"] == sooner.get_absolute_url()


def test_at_most_five_of_each_and_three_articles(world):
    for number in range(7):
        notice(world, f"Thông báo {number}", world.lechan)
        outage(world, days=number + 6)
    for number in range(5):
        publish(world, f"Tin {number}", at=timezone.now() - datetime.timedelta(minutes=number))
    summary = selectors.ward_summary(world.lechan.code)
    assert len(summary["notices"]) == 5 and len(summary["outages"]) == 5
    assert [a["title"] for a in summary["articles"]] == ["Tin 0", "Tin 1", "Tin 2"]


def test_schedules_and_articles_follow_their_own_rules(world):
    now = timezone.now()
    Schedule.objects.create(
        kind=ScheduleKind.RECEPTION, title="Tiếp dân", starts_at=now + datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=1, hours=2), place="Trụ sở", host="Chủ tịch", ward=world.lechan,
    )  # fmt: skip
    Schedule.objects.create(
        kind=ScheduleKind.RECEPTION, title="Đã qua", starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=2, hours=-2), place="Trụ sở", host="Chủ tịch", ward=world.lechan,
    )  # fmt: skip
    public = publish(world, "Tin đã đăng")
    publish(world, "Tin hẹn giờ", at=now + datetime.timedelta(days=1))
    services.save_article(
        editor=world.editor, title="Bản nháp", summary="Tóm tắt", body="<p>x</p>", category="thoi-su",
        is_citywide=True, ward_codes=[],
    )  # fmt: skip

    summary = selectors.ward_summary(world.lechan.code)
    assert [(s["title"], s["kind_label"], s["place"]) for s in summary["schedules"]] == [
        ("Tiếp dân", "Lịch tiếp công dân", "Trụ sở")
    ]
    assert [a["pk"] for a in summary["articles"]] == [public.pk]
    assert summary["articles"][0]["published_at"] == Article.objects.get(pk=public.pk).published_at
    assert summary["articles"][0]["url"] == f"/tin-tuc/{public.pk}/"


def test_times_come_written_in_the_citys_time(world, client):
    made = outage(world, days=7)
    start = datetime.datetime(2030, 1, 2, 0, 30, tzinfo=datetime.UTC)  # 07:30 in Hải Phòng
    Outage.objects.filter(pk=made.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=9))
    article = publish(world, "Tin sáng", at=datetime.datetime(2026, 11, 30, 1, 5, tzinfo=datetime.UTC))
    summary = selectors.ward_summary(world.lechan.code)
    assert summary["outages"][0]["short_time"] == "07:30 02/01 – 16:30 02/01"
    assert [a["short_time"] for a in summary["articles"] if a["pk"] == article.pk] == ["30/11 08:05"]
    client.force_login(world.lan)
    page = client.get("/").content.decode()
    assert "07:30 02/01 – 16:30 02/01" in page and "30/11 08:05" in page


def _panel(page):
    start = page.index('<section class="home-panel card" aria-labelledby="home-ward">')
    return page[start : page.index("</section>", start) + len("</section>")]


def test_the_panel_writes_its_rows_escaped_and_says_when_lists_are_empty(world, client, make_user):
    """The panel's frame is drawn once per language and per which lists are empty (news.home):
    the rows still say what is there, escaped, and an empty list says so."""
    from citizens.models import Profile

    client.force_login(world.lan)
    empty = _panel(client.get("/").content.decode())
    assert "Tại Phường Lê Chân" in empty and "Không có thông báo mới của phường." in empty
    assert "Không có lịch cắt điện, nước sắp tới ở phường của bạn." in empty and "Lịch tiếp dân" not in empty
    notice(world, "Cúp nước <b>&</b>", world.lechan, urgent=True)
    made = outage(world, days=7)
    Outage.objects.filter(pk=made.pk).update(area="Ngõ <i>5</i>")
    panel = _panel(client.get("/").content.decode())
    assert '<span class="tag-urgent">Khẩn</span> Cúp nước &lt;b&gt;&amp;&lt;/b&gt;</a>' in panel
    assert f'<li class="outage-planned"><a href="/tin-tuc/cat-dien-nuoc/{made.pk}/">Cắt điện ' in panel
    assert "Ngõ &lt;i&gt;5&lt;/i&gt; (Điện lực Hải Phòng)" in panel and "<b>" not in panel
    assert "Không có thông báo mới" not in panel and 'href="/tin-tuc/cat-dien-nuoc/theo-doi/"' in panel
    nowhere = make_user(username="khach", full_name="Khách")
    Profile.objects.create(user=nowhere)
    client.force_login(nowhere)
    asked = _panel(client.get("/").content.decode())
    assert "Phường, xã của bạn" in asked and "Cập nhật hồ sơ" in asked and "Cúp nước" not in asked
