"""The officer desk (/can-bo/) and the navigation bar of every officer page, by role."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Answer, AnswerStatus, ReportStatus
from government import desk
from government.models import Membership, Role
from tests.feedback.officer_world import build, file_report, give_totp
from tests.helpers import OFFICER_PAGE_MAX_QUERIES, assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db

DESK = "/can-bo/"


@pytest.fixture
def w(make_user):
    return build(make_user)


def desk_of(client, user):
    client.force_login(user)
    response = client.get(DESK)
    assert response.status_code == 200
    return response


def sections_by_title(response):
    return {section.title: section for section in response.context["sections"]}


def figures(section):
    """{label: (count, url)} of a desk section."""
    return {str(item.label): (item.count, item.url) for item in section.items}


def nav_links(content):
    """[(label, url, current)] of the officer navigation bar in a page."""
    bar = re.search(r'<nav class="officer-nav".*?</nav>', content, re.S).group(0)
    return [
        (label.strip(), url, bool(current))
        for url, current, label in re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', bar)
    ]


def codes_listed(client, url):
    return set(re.findall(r"PA-2026-\d{6}", client.get(url).content.decode()))


def fill_agency(w):
    """The ward's open reports: one overdue and one later waiting to be accepted, one being answered
    due soon, one answered; and one of the other ward, which the ward's desk must not count."""
    now = timezone.now()
    return {
        "late": file_report(w, accept_due_at=now - dt.timedelta(hours=2)),
        "later": file_report(w, accept_due_at=now + dt.timedelta(days=30)),
        "soon": file_report(w, status=ReportStatus.IN_PROGRESS, answer_due_at=now + dt.timedelta(minutes=1)),
        "answered": file_report(w, status=ReportStatus.ANSWERED),
        "elsewhere": file_report(w, agency="other", accept_due_at=now - dt.timedelta(hours=2)),
    }


class TestAccess:
    def test_a_visitor_is_sent_to_sign_in(self, client):
        response = client.get(DESK)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_a_citizen_gets_404(self, w, client):
        client.force_login(w.citizen)
        assert client.get(DESK).status_code == 404


class TestAgencyQueue:
    def test_an_officer_sees_the_agency_figures_each_linking_to_that_list(self, w, client):
        reports = fill_agency(w)
        response = desk_of(client, w.officer)
        section = sections_by_title(response)["UBND Phường Lê Chân"]
        found = figures(section)
        assert found["Quá hạn"][0] == 1
        assert found["Sắp đến hạn"][0] == 1
        assert found["Mới, chờ tiếp nhận"][0] == 2
        assert found["Tất cả việc cần xử lý"][0] == 3
        assert "Trả lời chờ bạn duyệt" not in found  # approving is the leader's
        # Each figure opens the queue filtered the same way: the list is as long as the figure says.
        assert codes_listed(client, found["Quá hạn"][1]) == {reports["late"].code}
        assert codes_listed(client, found["Sắp đến hạn"][1]) == {reports["soon"].code}
        assert codes_listed(client, found["Mới, chờ tiếp nhận"][1]) == {reports["late"].code, reports["later"].code}
        assert codes_listed(client, found["Tất cả việc cần xử lý"][1]) == {
            reports[key].code for key in ("late", "later", "soon")
        }

    def test_the_figures_are_the_officers_own_agency_only(self, w, client):
        fill_agency(w)
        section = sections_by_title(desk_of(client, w.other_officer))["UBND Phường Ngô Quyền"]
        found = figures(section)
        assert (found["Quá hạn"][0], found["Mới, chờ tiếp nhận"][0], found["Tất cả việc cần xử lý"][0]) == (1, 1, 1)
        assert "UBND Phường Lê Chân" not in sections_by_title(desk_of(client, w.other_officer))

    def test_a_leader_sees_the_answers_waiting_for_approval(self, w, client):
        waiting = file_report(w, status=ReportStatus.IN_PROGRESS)
        Answer.objects.create(
            report=waiting, agency=w.ward, author=w.officer, text="Đã sửa.", status=AnswerStatus.PENDING
        )
        draft = file_report(w, status=ReportStatus.IN_PROGRESS)
        Answer.objects.create(report=draft, agency=w.ward, author=w.officer, text="Nháp.", status=AnswerStatus.DRAFT)
        found = figures(sections_by_title(desk_of(client, w.leader))["UBND Phường Lê Chân"])
        count, url = found["Trả lời chờ bạn duyệt"]
        assert count == 1
        assert codes_listed(client, url) == {waiting.code}
        # Another ward's leader has nothing to approve.
        other = figures(sections_by_title(desk_of(client, w.other_leader))["UBND Phường Ngô Quyền"])
        assert other["Trả lời chờ bạn duyệt"][0] == 0

    def test_an_officer_of_two_agencies_gets_a_section_each_linking_to_its_own_queue(self, w, client):
        Membership.objects.create(user=w.officer, agency=w.other, role=Role.OFFICER)
        reports = fill_agency(w)
        titles = sections_by_title(desk_of(client, w.officer))
        mine, other = figures(titles["UBND Phường Lê Chân"]), figures(titles["UBND Phường Ngô Quyền"])
        assert (mine["Quá hạn"][0], other["Quá hạn"][0]) == (1, 1)
        assert codes_listed(client, other["Quá hạn"][1]) == {reports["elsewhere"].code}

    def test_the_figures_follow_a_change_at_once_with_the_cache_on(self, w, client, settings):
        settings.PAKN_OFFICER_PAGE_CACHE_SECONDS = 30
        fill_agency(w)
        assert figures(sections_by_title(desk_of(client, w.officer))["UBND Phường Lê Chân"])["Quá hạn"][0] == 1
        file_report(w, accept_due_at=timezone.now() - dt.timedelta(hours=1))
        assert figures(sections_by_title(desk_of(client, w.officer))["UBND Phường Lê Chân"])["Quá hạn"][0] == 2

    def test_a_second_visit_within_the_cache_slot_does_not_count_again(self, w, client, settings):
        settings.PAKN_OFFICER_PAGE_CACHE_SECONDS = 30
        fill_agency(w)
        client.force_login(w.leader)

        def counting(queries):
            return [sql for sql in queries if "feedback_report" in sql or "feedback_answer" in sql]

        _response, first = count_queries(client, DESK)
        _response, second = count_queries(client, DESK)
        assert counting(first) and not counting(second)


class TestCentre:
    def test_the_operator_sees_triage_and_returned_counts_and_the_centre_tools(self, w, client):
        triage = file_report(w, status=ReportStatus.TRIAGE, agency="hotline")
        returned = file_report(w, status=ReportStatus.RETURNED, agency="hotline")
        file_report(w)  # at an agency: not the centre's to triage
        titles = sections_by_title(desk_of(client, w.operator))
        found = figures(titles["Trung tâm 1022"])
        assert found["Chờ phân loại"][0] == 1
        assert found["Bị cơ quan trả lại"][0] == 1
        assert codes_listed(client, found["Chờ phân loại"][1]) == {triage.code}
        assert codes_listed(client, found["Bị cơ quan trả lại"][1]) == {returned.code}
        for label, name in (
            ("Nhập phản ánh qua điện thoại", "intake"),
            ("Tra cứu người gọi", "lookup"),
            ("Thời hạn toàn thành phố", "board"),
        ):
            assert found[label] == (None, reverse(f"feedback_officer:{name}"))
        assert figures(titles["Số liệu"])["Thống kê phản ánh, kiến nghị"][1] == reverse("feedback_officer:stats")
        assert "UBND Phường Lê Chân" not in titles  # an operator handles no agency's queue

    def test_an_agency_officer_sees_no_centre_section(self, w, client):
        titles = sections_by_title(desk_of(client, w.officer))
        assert "Trung tâm 1022" not in titles
        assert "Số liệu" in titles


@pytest.fixture(autouse=True)
def _only_feedback_on_the_desk():
    """These tests read the desk as PAKN draws it; the other apps' sections are their own tests'."""
    saved = dict(desk._contributions)
    for name in saved:
        if name != "feedback":
            desk.unregister(name)
    yield
    desk._contributions.clear()
    desk._contributions.update(saved)


@pytest.fixture
def unserved():
    """Every role is served by some app now: take the apps that serve `roles` off the desk for a test."""
    saved = dict(desk._contributions)

    def take_off(*roles):
        for name, contribution in saved.items():
            if contribution.roles & set(roles):
                desk.unregister(name)

    yield take_off
    desk._contributions.clear()
    desk._contributions.update(saved)


class TestRolesNoAppServesYet:
    @pytest.mark.parametrize("role", [Role.WARD_STAFF, Role.EDITOR])
    def test_the_desk_says_their_tools_are_coming_and_shows_no_pakn(self, w, client, make_user, role, unserved):
        unserved(role)
        person = give_totp(make_user(username="phuong", full_name="Trịnh Văn Phường"))
        Membership.objects.create(user=person, agency=w.ward, role=role)
        response = desk_of(client, person)
        assert response.context["sections"] == []
        assert [waiting.role for waiting in response.context["waiting_roles"]] == [role]
        content = response.content.decode()
        assert "Các công cụ dành cho vai trò này đang được xây dựng" in content
        assert str(Role(role).label) in content and "UBND Phường Lê Chân" in content
        assert [label for label, _url, _current in nav_links(content)] == ["Tổng quan"]

    def test_the_notice_goes_once_an_app_serves_the_role(self, w, client, make_user, unserved):
        unserved(Role.EDITOR)
        person = give_totp(make_user(username="bientap"))
        Membership.objects.create(user=person, agency=w.ward, role=Role.EDITOR)
        desk.register(
            "test-news",
            roles=[Role.EDITOR],
            sections=lambda request, memberships: [desk.Section("Tin tức", (desk.Item("Viết tin", "/can-bo/tin/"),))],
            nav=lambda request, memberships: [desk.Link("Tin tức", "/can-bo/tin/")],
        )
        try:
            response = desk_of(client, person)
        finally:
            desk.unregister("test-news")
        assert response.context["waiting_roles"] == []
        assert [section.title for section in response.context["sections"]] == ["Tin tức"]
        assert ("Tin tức", "/can-bo/tin/", False) in nav_links(response.content.decode())

    def test_a_person_with_a_served_and_an_unserved_role_gets_both(self, w, client, unserved):
        unserved(Role.WARD_STAFF)
        Membership.objects.create(user=w.officer, agency=w.ward, role=Role.WARD_STAFF)
        response = desk_of(client, w.officer)
        assert "UBND Phường Lê Chân" in sections_by_title(response)
        assert [waiting.role for waiting in response.context["waiting_roles"]] == [Role.WARD_STAFF]


class TestNavigation:
    def test_every_officer_page_shows_the_officers_links_the_current_one_marked(self, w, client):
        report = file_report(w)
        client.force_login(w.officer)
        queue = reverse("feedback_officer:queue")
        stats = reverse("feedback_officer:stats")
        expected = [("Tổng quan", DESK), ("Phản ánh của cơ quan", queue), ("Thống kê", stats)]
        for url, current in (
            (DESK, DESK),
            (queue, queue),
            (reverse("feedback_officer:workspace", args=[report.code]), queue),
            (reverse("feedback_officer:redact", args=[report.code]), queue),
            (stats, stats),
        ):
            links = nav_links(client.get(url).content.decode())
            assert [(label, href) for label, href, _current in links] == expected, url
            assert [href for _label, href, is_current in links if is_current] == [current], url

    def test_the_operator_has_the_centre_links_the_deepest_one_current(self, w, client):
        client.force_login(w.operator)
        board = reverse("feedback_officer:board")
        links = nav_links(client.get(board).content.decode())
        assert [label for label, _href, _current in links] == [
            "Tổng quan",
            "Chờ phân loại",
            "Toàn thành phố",
            "Nhập phản ánh",
            "Tra cứu người gọi",
            "Thống kê",
        ]
        # The board sits below the triage queue's URL: only the board is the current page.
        assert [href for _label, href, current in links if current] == [board]

    def test_a_leader_signs_out_from_the_bar(self, w, client):
        content = desk_of(client, w.leader).content.decode()
        bar = re.search(r'<nav class="officer-nav".*?</nav>', content, re.S).group(0)
        assert f'action="{reverse("account_logout")}"' in bar


class TestQueryBudget:
    @pytest.mark.parametrize("person", ["officer", "leader", "operator"])
    def test_the_desk_stays_within_the_officer_budget_whatever_the_reports(self, w, client, settings, person):
        settings.PAKN_OFFICER_PAGE_CACHE_SECONDS = 0  # count the queries of drawing the page
        client.force_login(getattr(w, person))
        fill_agency(w)

        def grow():
            fill_agency(w)
            for status in (ReportStatus.TRIAGE, ReportStatus.RETURNED):
                file_report(w, status=status, agency="hotline")
            pending = file_report(w, status=ReportStatus.IN_PROGRESS)
            Answer.objects.create(report=pending, agency=w.ward, text="Đã xử lý.", status=AnswerStatus.PENDING)

        assert_constant_queries(client, DESK, grow=grow, max_queries=OFFICER_PAGE_MAX_QUERIES)
