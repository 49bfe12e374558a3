"""The officer pages: queue, workspace and its actions, the 1022 centre's pages, query budgets."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import services
from feedback.models import Answer, AnswerStatus, AnswerTemplate, EventKind, Report, ReportStatus
from tests.feedback.officer_world import build, file_report, jpeg_upload
from tests.helpers import OFFICER_PAGE_MAX_QUERIES, assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_user):
    return build(make_user)


def signed_in(client, user):
    client.force_login(user)
    return client


def workspace_url(report):
    return reverse("feedback_officer:workspace", args=[report.code])


def action_url(report, action):
    return reverse(f"feedback_officer:act_{action}", args=[report.code])


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


class TestQueue:
    def test_overdue_first_then_due_soon_then_the_rest(self, w, client):
        now = timezone.now()
        later = file_report(w, title="Còn lâu", accept_due_at=now + dt.timedelta(days=20))
        late = file_report(w, title="Quá hạn", accept_due_at=now - dt.timedelta(hours=3))
        soon = file_report(w, title="Sắp hạn", accept_due_at=now + dt.timedelta(minutes=30))
        file_report(w, agency="other", title="Của phường khác")
        page = signed_in(client, w.officer).get(reverse("feedback_officer:queue")).content.decode()
        assert page.index(late.code) < page.index(soon.code) < page.index(later.code)
        assert "Của phường khác" not in page
        assert "Quá hạn" in page and "Sắp đến hạn" in page

    def test_tabs_count_each_group(self, w, client):
        file_report(w)
        file_report(w, status=ReportStatus.IN_PROGRESS)
        file_report(w, status=ReportStatus.ANSWERED)
        response = signed_in(client, w.officer).get(reverse("feedback_officer:queue"))
        counts = {tab["key"]: tab["count"] for tab in response.context["tabs"]}
        assert (counts["can-xu-ly"], counts["moi"], counts["dang-xu-ly"], counts["da-tra-lai"]) == (2, 1, 1, 0)
        assert counts["da-tra-loi"] is None  # finished work is not counted on every visit
        answered = client.get(reverse("feedback_officer:queue") + "?tab=da-tra-loi")
        assert [row.status for row in answered.context["rows"]] == [ReportStatus.ANSWERED]

    def test_pending_answers_tab(self, w, client):
        report = file_report(w, status=ReportStatus.IN_PROGRESS, category=w.procedures)
        file_report(w, status=ReportStatus.IN_PROGRESS)
        services.save_answer(report_id=report.pk, actor=w.officer, text="Xong.", submit=True, expected_version=0)
        response = signed_in(client, w.leader).get(reverse("feedback_officer:queue") + "?tab=cho-duyet")
        assert [row.pk for row in response.context["rows"]] == [report.pk]

    def test_search_ignores_diacritics(self, w, client):
        wanted = file_report(w, title="Ổ gà đường Lạch Tray", address="Số 5 Lạch Tray")
        file_report(w, title="Cây đổ")
        response = signed_in(client, w.officer).get(reverse("feedback_officer:queue") + "?q=lach tray")
        assert [row.pk for row in response.context["rows"]] == [wanted.pk]

    def test_filters(self, w, client):
        mine = file_report(w, status=ReportStatus.IN_PROGRESS, assignee=w.officer, category=w.procedures)
        theirs = file_report(w, status=ReportStatus.IN_PROGRESS, assignee=w.officer2)
        nobody = file_report(w)
        queue = reverse("feedback_officer:queue")
        signed_in(client, w.leader)

        def rows(query):
            return {row.pk for row in client.get(queue + query).context["rows"]}

        assert rows(f"?can-bo={w.officer.pk}") == {mine.pk}
        assert rows("?can-bo=chua-giao") == {nobody.pk}
        assert rows(f"?linh-vuc={w.infra.pk}") == {theirs.pk, nobody.pk}  # sub-categories included
        assert rows(f"?linh-vuc={w.procedures.pk}") == {mine.pk}
        assert rows(f"?phuong={w.ngoquyen.code}") == set()
        Report.objects.filter(pk=nobody.pk).update(accept_due_at=timezone.now() - dt.timedelta(hours=1))
        assert rows("?han=qua-han") == {nobody.pk}
        assert rows("?linh-vuc=x&phuong=&can-bo=y&han=z") == {mine.pk, theirs.pk, nobody.pk}

    def test_keyset_pages_walk_every_report_once(self, w, client, settings):
        from feedback.officer_views import common as views

        settings.DEBUG = False
        original = views.PAGE_SIZE
        views.PAGE_SIZE = 3
        try:
            reports = [file_report(w) for _ in range(8)]
            signed_in(client, w.officer)
            seen, url = [], reverse("feedback_officer:queue")
            while url:
                response = client.get(url)
                seen += [row.pk for row in response.context["rows"]]
                url = response.context["next_url"] and reverse("feedback_officer:queue") + response.context["next_url"]
            assert sorted(seen) == sorted(r.pk for r in reports) and len(seen) == 8
        finally:
            views.PAGE_SIZE = original

    def test_pages_merge_both_clocks_in_deadline_order(self, w, client):
        """Waiting reports (accept deadline) and reports being answered (answer deadline) come in one
        order, page after page; a report with no deadline comes last."""
        from feedback.officer_views import common as views

        now = timezone.now()
        hours = [5, -3, 40, -30, 1, 12, -1]
        made = []
        for number, offset in enumerate(hours):
            due = now + dt.timedelta(hours=offset)
            if number % 2:
                made.append(file_report(w, accept_due_at=due))
            else:
                made.append(file_report(w, status=ReportStatus.IN_PROGRESS, answer_due_at=due))
        undated = file_report(w)
        Report.objects.filter(pk=undated.pk).update(accept_due_at=None)
        expected = [r.pk for _offset, r in sorted(zip(hours, made, strict=True), key=lambda pair: pair[0])]
        expected.append(undated.pk)

        original = views.PAGE_SIZE
        views.PAGE_SIZE = 2
        try:
            signed_in(client, w.officer)
            seen, url = [], reverse("feedback_officer:queue")
            while url:
                response = client.get(url)
                seen += [row.pk for row in response.context["rows"]]
                url = response.context["next_url"] and reverse("feedback_officer:queue") + response.context["next_url"]
        finally:
            views.PAGE_SIZE = original
        assert seen == expected

    def test_queue_queries_stay_constant(self, w, client, settings):
        settings.PAKN_OFFICER_PAGE_CACHE_SECONDS = 0  # count the queries of drawing the page
        signed_in(client, w.leader)
        file_report(w)

        def grow():
            for _ in range(5):
                file_report(w, assignee=w.officer)
                file_report(w, status=ReportStatus.IN_PROGRESS, assignee=w.officer2)

        assert_constant_queries(
            client, reverse("feedback_officer:queue"), grow=grow, max_queries=OFFICER_PAGE_MAX_QUERIES
        )

    def test_an_operator_without_an_agency_queue_goes_to_the_board(self, w, client):
        response = signed_in(client, w.operator).get(reverse("feedback_officer:queue"))
        assert response.status_code == 302 and response["Location"] == reverse("feedback_officer:board")


class TestWorkspace:
    def test_accepting_through_the_page(self, w, client):
        report = file_report(w)
        signed_in(client, w.officer)
        page = client.get(workspace_url(report)).content.decode()
        assert 'name="version" value="0"' in page and action_url(report, "tiep_nhan") in page
        response = client.post(action_url(report, "tiep_nhan"), {"version": "0"}, follow=True)
        assert response.redirect_chain[-1][0] == workspace_url(report)
        assert "Đã tiếp nhận phản ánh." in messages_of(response)
        assert Report.objects.get(pk=report.pk).status == ReportStatus.IN_PROGRESS

    def test_a_second_officer_on_a_stale_screen_gets_a_message_and_a_fresh_view(self, w, client):
        report = file_report(w)
        services.accept_report(report_id=report.pk, actor=w.officer, expected_version=0)
        response = signed_in(client, w.officer2).post(
            action_url(report, "tra_lai_1022"), {"version": "0", "reason": "Không thuộc."}, follow=True
        )
        assert response.redirect_chain[-1][0] == workspace_url(report)
        assert any("vừa được người khác cập nhật" in m for m in messages_of(response))
        assert response.context["report"].status == ReportStatus.IN_PROGRESS  # the fresh state
        assert 'name="version" value="1"' in response.content.decode()
        assert Report.objects.get(pk=report.pk).status == ReportStatus.IN_PROGRESS

    def test_bad_input_gets_a_message_and_nothing_changes(self, w, client):
        report = file_report(w)
        signed_in(client, w.officer)
        response = client.post(action_url(report, "tu_choi"), {"version": "0", "reason": ""}, follow=True)
        assert "Vui lòng nêu lý do không tiếp nhận." in messages_of(response)
        assert Report.objects.get(pk=report.pk).status == ReportStatus.ASSIGNED
        response = client.post(action_url(report, "tiep_nhan"), {}, follow=True)
        assert any("Biểu mẫu đã cũ" in m for m in messages_of(response))

    def test_answer_with_photo_then_leader_approves(self, w, client):
        report = file_report(w, status=ReportStatus.IN_PROGRESS)
        signed_in(client, w.officer)
        response = client.post(
            action_url(report, "tra_loi"), {"version": "0", "text": "Đã thay bóng đèn.", "submit": "1"}, follow=True
        )
        assert any("cần ít nhất một ảnh" in m for m in messages_of(response))
        response = client.post(
            action_url(report, "tra_loi"),
            {"version": "0", "text": "Đã thay bóng đèn.", "submit": "1", "photos": [jpeg_upload()]},
            follow=True,
        )
        assert "Đã gửi trả lời cho lãnh đạo duyệt." in messages_of(response)
        page = signed_in(client, w.leader).get(workspace_url(report)).content.decode()
        assert action_url(report, "duyet") in page and "Đã thay bóng đèn." in page
        photo = report.photos.get()
        assert client.get(reverse("feedback_officer:thumbnail", args=[report.code, photo.pk])).status_code == 200
        response = client.post(action_url(report, "duyet"), {"version": "1", "text": "Đã thay bóng đèn."}, follow=True)
        assert "Đã duyệt và công bố trả lời." in messages_of(response)
        assert Answer.objects.get(report=report).status == AnswerStatus.PUBLISHED

    def test_answer_templates_fill_the_answer(self, w, client):
        report = file_report(w, status=ReportStatus.IN_PROGRESS)
        template = AnswerTemplate.objects.create(category=w.infra, title="Đã sửa đèn", body="Đơn vị đã thay bóng.")
        AnswerTemplate.objects.create(category=w.procedures, title="Thủ tục", body="Không liên quan.")
        page = signed_in(client, w.officer).get(workspace_url(report)).content.decode()
        assert "Đã sửa đèn" in page and "Không liên quan" not in page
        page = client.get(workspace_url(report) + f"?mau={template.pk}").content.decode()
        assert re.search(r'<textarea id="answer-text"[^>]*>Đơn vị đã thay bóng.</textarea>', page)

    def test_internal_notes_show_to_officers_but_not_on_the_public_page(self, w, client):
        report = file_report(w)
        services.add_internal_note(report_id=report.pk, actor=w.officer, text="Ghi chú nội bộ bí mật")
        assert "Ghi chú nội bộ bí mật" in signed_in(client, w.leader).get(workspace_url(report)).content.decode()
        client.logout()
        public = client.get(report.get_absolute_url())
        assert public.status_code == 200
        assert "Ghi chú nội bộ bí mật" not in public.content.decode()

    def test_hidden_identity_is_not_shown_to_the_agency_but_to_1022(self, w, client):
        report = file_report(w, hide_identity=True)
        page = signed_in(client, w.officer).get(workspace_url(report)).content.decode()
        assert "Nguyễn Thị Lan" not in page and "+84911000011" not in page
        assert "giữ bí mật danh tính" in page
        page = signed_in(client, w.operator).get(workspace_url(report)).content.decode()
        assert "Nguyễn Thị Lan" in page
        shown = file_report(w)
        page = signed_in(client, w.officer).get(workspace_url(shown)).content.decode()
        assert "Nguyễn Thị Lan" in page and "+84911000011" in page

    def test_hidden_identity_also_hides_the_reporter_on_the_timeline(self, w, client):
        report = file_report(w, hide_identity=True)
        report.events.create(kind=EventKind.SUBMITTED, actor=w.citizen, to_status=ReportStatus.SUBMITTED)
        page = signed_in(client, w.officer).get(workspace_url(report)).content.decode()
        assert "Nguyễn Thị Lan" not in page

    def test_workspace_queries_stay_within_budget(self, w, client):
        report = file_report(w, status=ReportStatus.IN_PROGRESS)
        signed_in(client, w.leader)

        def grow():
            for number in range(5):
                services.add_internal_note(report_id=report.pk, actor=w.officer, text=f"Ghi chú {number}")

        assert_constant_queries(client, workspace_url(report), grow=grow, max_queries=OFFICER_PAGE_MAX_QUERIES)

    def test_merge_moves_to_the_queue_message(self, w, client):
        original = file_report(w)
        duplicate = file_report(w)
        response = signed_in(client, w.officer).post(
            action_url(duplicate, "gop"), {"version": "0", "original": original.code}, follow=True
        )
        assert "Đã gộp phản ánh trùng." in messages_of(response)
        assert Report.objects.get(pk=duplicate.pk).merged_into_id == original.pk

    def test_correct_page_re_routes(self, w, client):
        report = file_report(w)
        url = reverse("feedback_officer:correct", args=[report.code])
        signed_in(client, w.officer)
        assert client.get(url).status_code == 200
        response = client.post(url, {"version": "0", "category": w.ideas.pk, "unit": w.lechan.code, "address": ""})
        # The report went to another agency: this officer no longer sees it, so back to the queue.
        assert response.status_code == 302 and response["Location"] == reverse("feedback_officer:queue")
        assert Report.objects.get(pk=report.pk).agency == w.other

    def test_redact_page(self, w, client):
        report = file_report(w)
        url = reverse("feedback_officer:redact", args=[report.code])
        signed_in(client, w.officer)
        assert client.get(url).status_code == 200
        client.post(url, {"version": "0", "title": "Đèn hỏng", "description": "Đèn hỏng ở ngõ 5."})
        assert Report.objects.get(pk=report.pk).description == "Đèn hỏng ở ngõ 5."


class TestCentre:
    def test_triage_lists_unrouted_and_returned(self, w, client):
        waiting = file_report(w, status=ReportStatus.TRIAGE, agency="hotline")
        returned = file_report(w, status=ReportStatus.RETURNED)
        file_report(w)
        signed_in(client, w.operator)
        response = client.get(reverse("feedback_officer:triage"))
        assert [row.pk for row in response.context["rows"]] == [waiting.pk]
        response = client.get(reverse("feedback_officer:triage") + "?tab=bi-tra-lai")
        assert [row.pk for row in response.context["rows"]] == [returned.pk]

    def test_route_from_the_workspace(self, w, client):
        report = file_report(w, status=ReportStatus.TRIAGE, agency="hotline")
        signed_in(client, w.operator)
        page = client.get(workspace_url(report)).content.decode()
        assert "UBND Phường Ngô Quyền" in page
        response = client.post(
            action_url(report, "chuyen_co_quan"), {"version": "0", "agency": w.other.pk}, follow=True
        )
        assert "Đã chuyển phản ánh cho cơ quan xử lý." in messages_of(response)
        assert Report.objects.get(pk=report.pk).agency == w.other

    def test_the_board_counts_every_agency(self, w, client):
        now = timezone.now()
        file_report(w, accept_due_at=now - dt.timedelta(hours=1))
        file_report(w, accept_due_at=now + dt.timedelta(days=30))
        late_other = file_report(w, agency="other", accept_due_at=now - dt.timedelta(hours=5))
        file_report(w, agency="other", status=ReportStatus.CLOSED)
        response = signed_in(client, w.operator).get(reverse("feedback_officer:board"))
        summary = {row["agency__name"]: (row["open"], row["overdue"]) for row in response.context["summary"]}
        assert summary == {"UBND Phường Lê Chân": (2, 1), "UBND Phường Ngô Quyền": (1, 1)}
        assert response.context["totals"]["overdue"] == 2
        assert response.context["rows"][0].pk == late_other.pk  # the most overdue first

    def test_board_and_triage_queries_stay_constant(self, w, client, settings):
        settings.PAKN_OFFICER_PAGE_CACHE_SECONDS = 0
        signed_in(client, w.operator)
        file_report(w, status=ReportStatus.TRIAGE, agency="hotline")
        file_report(w, accept_due_at=timezone.now() - dt.timedelta(hours=1))

        def grow():
            for _ in range(4):
                file_report(w, accept_due_at=timezone.now() - dt.timedelta(hours=1))
                file_report(w, agency="other", accept_due_at=timezone.now() - dt.timedelta(hours=2))
                file_report(w, status=ReportStatus.TRIAGE, agency="hotline")

        assert_constant_queries(
            client, reverse("feedback_officer:board"), grow=grow, max_queries=OFFICER_PAGE_MAX_QUERIES
        )
        assert_constant_queries(
            client, reverse("feedback_officer:triage"), grow=grow, max_queries=OFFICER_PAGE_MAX_QUERIES
        )

    def test_phone_intake_page(self, w, client, django_capture_on_commit_callbacks):
        from citizens.models import OutboundSms

        signed_in(client, w.operator)
        url = reverse("feedback_officer:intake")
        form = client.get(url).context["form"]
        data = {
            "caller_name": "Lê Văn Gọi",
            "caller_phone": "0987654321",
            "category": w.procedures.pk,
            "unit": w.lechan.code,
            "address": "Số 1 Lạch Tray",
            "title": "Chậm trả kết quả hồ sơ",
            "description": "Hồ sơ nộp từ tháng trước chưa có kết quả.",
            "is_public": "on",
            "idempotency_key": form.initial["idempotency_key"],
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        report = Report.objects.get()
        assert response.status_code == 302 and response["Location"] == workspace_url(report)
        assert report.channel == "phone" and report.agency == w.ward
        assert report.code in OutboundSms.objects.get(phone="+84987654321").text
        # The same form sent again files nothing new.
        client.post(url, data)
        assert Report.objects.count() == 1
        response = client.post(url, {**data, "caller_phone": "123"})
        assert response.status_code == 200 and "không hợp lệ" in response.content.decode()

    def test_caller_lookup_by_phone(self, w, client):
        called = file_report(w, reporter=None, contact_name="Lê Văn Gọi", contact_phone="+84987654321")
        online = file_report(w)  # filed by the citizen +84911000011
        file_report(w, reporter=None, contact_phone="+84900000000")
        signed_in(client, w.operator)
        response = client.get(reverse("feedback_officer:lookup") + "?phone=0987 654 321")
        assert [row.pk for row in response.context["rows"]] == [called.pk]
        response = client.get(reverse("feedback_officer:lookup") + "?phone=0911000011")
        assert [row.pk for row in response.context["rows"]] == [online.pk]


class TestPageCache:
    """Lists are served again from the cache while nothing changed, never across browsers, and an
    officer's own action shows on the next load."""

    def test_a_reload_is_served_from_the_cache_until_a_report_changes(self, w, client, django_assert_max_num_queries):
        report = file_report(w)
        signed_in(client, w.officer)
        queue = reverse("feedback_officer:queue")
        assert report.code in client.get(queue).content.decode()
        # The session and the user with their roles (government.access); the page and the
        # generations from the cache.
        with django_assert_max_num_queries(2):
            assert report.code in client.get(queue).content.decode()
        services.accept_report(report_id=report.pk, actor=w.officer2, expected_version=0)
        response = client.get(queue)
        assert response.context is not None  # drawn again
        row = next(row for row in response.context["rows"] if row.pk == report.pk)
        assert row.status == ReportStatus.IN_PROGRESS

    def test_another_browser_never_gets_the_cached_page(self, w, client):
        from django.test import Client

        file_report(w)
        signed_in(client, w.officer)
        client.get(reverse("feedback_officer:queue"))
        other = Client()
        other.force_login(w.officer2)
        response = other.get(reverse("feedback_officer:queue"))
        assert response.context is not None
        assert "Đỗ Thị Hoa" in response.content.decode() or response.context["user"] == w.officer2

    def test_a_report_moved_to_another_agency_leaves_the_old_queue_at_once(self, w, client):
        report = file_report(w, status=ReportStatus.TRIAGE, agency="hotline")
        services.route_to_agency(report_id=report.pk, actor=w.operator, agency_id=w.ward.pk, expected_version=0)
        signed_in(client, w.officer)
        assert report.code in client.get(reverse("feedback_officer:queue")).content.decode()
        report.refresh_from_db()
        services.correct_report(
            report_id=report.pk, actor=w.operator, category_id=w.ideas.pk, expected_version=report.version
        )
        assert report.code not in client.get(reverse("feedback_officer:queue")).content.decode()

    def test_a_page_with_a_message_is_drawn_fresh(self, w, client):
        report = file_report(w)
        signed_in(client, w.officer)
        client.get(reverse("feedback_officer:queue"))
        response = client.post(action_url(report, "ghi_chu"), {"text": "Ghi chú"}, follow=True)
        assert "Đã thêm ghi chú nội bộ." in messages_of(response)
