"""After the answer: the reporter rates it and may reopen within 7 days; others follow reports."""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from feedback import services
from feedback.models import Answer, AnswerStatus, EventKind, Follow, Rating, Report, ReportStatus
from notices.models import Notice
from tests.feedback.citizen_world import file_report, fresh_geo_index, world  # noqa: F401


def answer(report, officer, agency, *, days_ago=0):
    """Publish an answer as the officer side does (its services are tested on their own)."""
    published = timezone.now() - datetime.timedelta(days=days_ago)
    Answer.objects.create(
        report=report,
        agency=agency,
        author=officer,
        text="Đã vá ổ gà ngày 12/11. Cảm ơn bạn.",
        status=AnswerStatus.PUBLISHED,
        published_at=published,
    )
    with transaction.atomic():
        locked = services.lock_report(report.pk)
        locked.answered_at = published
        event = services.set_status(
            locked, ReportStatus.ANSWERED, kind=EventKind.ANSWERED, actor=officer, agency=agency, fields=["answered_at"]
        )
    services.notify_event(event.pk)
    locked.refresh_from_db()
    return locked


@pytest.fixture
def answered(world):
    report = file_report(world.alice, world.roads)
    return answer(report, world.ward_officer, world.lechan_committee)


def test_the_reporter_rates_the_answer(client, world, answered):
    client.force_login(world.alice)
    page = client.get(answered.get_absolute_url()).content.decode()
    assert "Đánh giá trả lời" in page and "Rất hài lòng" in page and "Đã vá ổ gà" in page
    response = client.post(
        reverse("feedback:rate", args=[answered.code]), {"score": "unsatisfied", "comment": "Vá xong lại bong."}
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert rating.score == "unsatisfied" and rating.agency == world.lechan_committee
    assert rating.comment == "Vá xong lại bong."
    event = answered.events.get(kind=EventKind.RATED)
    assert event.message == "Không hài lòng" and "bong" not in event.message  # the comment stays private
    page = client.get(answered.get_absolute_url()).content.decode()
    rate_url = reverse("feedback:rate", args=[answered.code])
    assert "Bạn đã đánh giá" in page and f'action="{rate_url}"' not in page


def test_an_answer_is_rated_once(world, answered):
    services.rate_answer(report_id=answered.pk, user=world.alice, score="satisfied")
    with pytest.raises(services.ReportActionError, match="đã đánh giá"):
        services.rate_answer(report_id=answered.pk, user=world.alice, score="very_satisfied")
    assert Rating.objects.count() == 1


def test_only_the_reporter_rates(client, world, answered):
    with pytest.raises(services.ReportActionError):
        services.rate_answer(report_id=answered.pk, user=world.bob, score="satisfied")
    client.force_login(world.bob)
    client.post(reverse("feedback:rate", args=[answered.code]), {"score": "satisfied"})
    assert Rating.objects.count() == 0
    assert "Đánh giá trả lời" not in client.get(answered.get_absolute_url()).content.decode()


def test_a_report_without_an_answer_cannot_be_rated(world):
    report = file_report(world.alice, world.roads)
    with pytest.raises(services.ReportActionError, match="chưa có trả lời"):
        services.rate_answer(report_id=report.pk, user=world.alice, score="satisfied")


def test_an_unknown_score_is_refused(world, answered):
    with pytest.raises(services.ReportActionError):
        services.rate_answer(report_id=answered.pk, user=world.alice, score="10/10")


def test_reopening_sends_it_back_to_the_same_agency(client, world, answered):
    Follow.objects.create(user=world.bob, report=answered)
    client.force_login(world.alice)
    assert "Mở lại phản ánh" in client.get(answered.get_absolute_url()).content.decode()
    response = client.post(
        reverse("feedback:reopen", args=[answered.code]),
        {"reason": "Ổ gà lại xuất hiện sau trận mưa hôm qua.", "version": answered.version},
    )
    assert response.status_code == 302
    report = Report.objects.get(pk=answered.pk)
    assert report.status == ReportStatus.REOPENED
    assert report.agency == world.lechan_committee
    assert report.answer_due_at > timezone.now()
    event = report.events.get(kind=EventKind.REOPENED)
    assert event.actor == world.alice and "mưa" in event.message
    # The follower hears of it; the reporter, who did it, does not.
    assert Notice.objects.from_source(event).filter(user=world.bob).exists()
    assert not Notice.objects.from_source(event).filter(user=world.alice).exists()


def test_reopening_after_seven_days_is_refused(client, world):
    report = file_report(world.alice, world.roads)
    late = answer(report, world.ward_officer, world.lechan_committee, days_ago=8)
    with pytest.raises(services.ReportActionError, match="quá 7 ngày"):
        services.reopen_report(report_id=late.pk, user=world.alice, reason="Vẫn chưa được sửa chữa gì cả.")
    client.force_login(world.alice)
    assert "Mở lại phản ánh" not in client.get(late.get_absolute_url()).content.decode()
    assert Report.objects.get(pk=late.pk).status == ReportStatus.ANSWERED


def test_only_the_reporter_reopens_and_only_an_answered_report(world, answered):
    with pytest.raises(services.ReportActionError):
        services.reopen_report(report_id=answered.pk, user=world.bob, reason="Tôi thấy vẫn chưa sửa xong.")
    open_report = file_report(world.alice, world.roads)
    with pytest.raises(services.ReportActionError, match="đã có trả lời"):
        services.reopen_report(report_id=open_report.pk, user=world.alice, reason="Chưa thấy ai đến xử lý cả.")


def test_a_stale_reopen_form_does_nothing(world, answered):
    with pytest.raises(services.ReportActionError, match="vừa được người khác cập nhật"):
        services.reopen_report(
            report_id=answered.pk,
            user=world.alice,
            reason="Ổ gà lại xuất hiện sau mưa.",
            expected_version=answered.version - 1,
        )


def test_a_reason_is_required_to_reopen(client, world, answered):
    client.force_login(world.alice)
    client.post(reverse("feedback:reopen", args=[answered.code]), {"reason": "", "version": answered.version})
    assert Report.objects.get(pk=answered.pk).status == ReportStatus.ANSWERED


def test_following_and_unfollowing(client, world):
    report = file_report(world.alice, world.roads)
    client.force_login(world.bob)
    url = reverse("feedback:follow", args=[report.code])
    client.post(url, {"action": "follow"})
    client.post(url, {"action": "follow"})
    assert Follow.objects.filter(user=world.bob, report=report).count() == 1
    assert Report.objects.get(pk=report.pk).follower_count == 1
    mine = client.get(reverse("feedback:mine") + "?tab=theo-doi").content.decode()
    assert report.code in mine
    client.post(url, {"action": "unfollow"})
    assert not Follow.objects.filter(user=world.bob).exists()
    assert Report.objects.get(pk=report.pk).follower_count == 0
    assert client.get(url).status_code == 405


def test_my_reports_lists_mine_with_their_status(client, world):
    mine = file_report(world.alice, world.roads, title="Ổ gà của tôi")
    private = file_report(world.alice, world.ideas, title="Góp ý riêng", is_public=False)
    others = file_report(world.bob, world.roads, title="Của người khác")
    client.force_login(world.alice)
    html = client.get(reverse("feedback:mine")).content.decode()
    assert mine.code in html and private.code in html and others.code not in html
    assert "Chờ phân loại" in html and "Riêng tư" in html


def test_notices_page_lists_and_marks_read(client, world):
    report = file_report(world.alice, world.roads)
    client.force_login(world.alice)
    page = client.get(reverse("notices:index")).content.decode()
    assert report.code in page and "Chưa đọc" in page
    client.post(reverse("notices:index"))
    assert not Notice.objects.filter(user=world.alice, read_at__isnull=True).exists()
