"""The deadline engine: policies, working-day arithmetic over Tết and make-up days, computed overdue."""

import datetime as dt

import pytest

from feedback import deadlines
from feedback.models import Category, DeadlinePolicy, Report, ReportStatus, TimeUnit, Urgency
from government.models import AdministrativeUnit, CalendarDay, DayKind, UnitKind

VN = dt.timezone(dt.timedelta(hours=7))

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=10, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture
def tree():
    infra = Category.objects.create(name="Sự cố hạ tầng kỹ thuật", slug="ha-tang")
    lights = Category.objects.create(name="Đèn chiếu sáng", slug="den", parent=infra)
    other = Category.objects.create(name="Góp ý hiến kế", slug="gop-y")
    urgent = Urgency.objects.create(name="Khẩn", slug="khan", level=2)
    normal = Urgency.objects.create(name="Thường", slug="thuong", level=0)
    return {"infra": infra, "lights": lights, "other": other, "urgent": urgent, "normal": normal}


@pytest.fixture
def unit():
    return AdministrativeUnit.objects.create(code="11383", name="Phường Lê Chân", kind=UnitKind.WARD)


def report_for(category, urgency=None, *, unit, status=ReportStatus.ASSIGNED, **fields):
    return Report.objects.create(
        code=f"PA-T-{Report.objects.count() + 1}",
        category=category,
        urgency=urgency,
        title="Đèn hỏng",
        description="Đèn đường hỏng",
        unit=unit,
        status=status,
        **fields,
    )


class TestPolicyFor:
    def test_without_any_policy_the_built_in_default_applies(self, tree, unit):
        """No rows at all: accept within 1 working day, answer within 10."""
        policy = deadlines.policy_for(report_for(tree["lights"], unit=unit))
        assert (policy.accept_within, policy.answer_within, policy.unit) == (1, 10, TimeUnit.WORKING_DAYS)

    def test_most_specific_policy_wins(self, tree, unit):
        """Sub-category with urgency > sub-category > parent with urgency > parent > urgency > catch-all."""
        rows = {
            "any": DeadlinePolicy.objects.create(answer_within=15),
            "urgency": DeadlinePolicy.objects.create(urgency=tree["urgent"], answer_within=14),
            "parent": DeadlinePolicy.objects.create(category=tree["infra"], answer_within=13),
            "parent+urgency": DeadlinePolicy.objects.create(
                category=tree["infra"], urgency=tree["urgent"], answer_within=12
            ),
            "child": DeadlinePolicy.objects.create(category=tree["lights"], answer_within=11),
            "child+urgency": DeadlinePolicy.objects.create(
                category=tree["lights"], urgency=tree["urgent"], answer_within=4
            ),
        }
        urgent_light = report_for(tree["lights"], tree["urgent"], unit=unit)
        order = ["child+urgency", "child", "parent+urgency", "parent", "urgency", "any"]
        for name in order:
            assert deadlines.policy_for(urgent_light) == rows[name], name
            rows[name].delete()
        assert deadlines.policy_for(urgent_light).pk is None  # the built-in default

    def test_a_policy_of_another_urgency_or_category_does_not_apply(self, tree, unit):
        DeadlinePolicy.objects.create(category=tree["lights"], urgency=tree["urgent"], answer_within=2)
        DeadlinePolicy.objects.create(category=tree["other"], answer_within=3)
        fallback = DeadlinePolicy.objects.create(urgency=tree["normal"], answer_within=7)
        report = report_for(tree["lights"], tree["normal"], unit=unit)
        assert deadlines.policy_for(report) == fallback
        assert deadlines.policy_for(report_for(tree["lights"], unit=unit)).pk is None


class TestClocks:
    def test_days_end_at_the_close_of_office_hours(self, tree, unit):
        """Received Monday 10:00 with 1 working day to accept: due Tuesday 17:00."""
        report = report_for(tree["lights"], unit=unit)
        due = deadlines.start_accept_clock(report, at(2025, 3, 3))
        assert due == at(2025, 3, 4, 17)
        assert report.accept_due_at == due

    def test_weekend_does_not_count(self, tree, unit):
        """Received Friday evening, 10 working days to answer: two weeks later on Friday."""
        report = report_for(tree["lights"], unit=unit)
        assert deadlines.start_answer_clock(report, at(2025, 3, 7, 21)) == at(2025, 3, 21, 17)

    def test_tet_holidays_do_not_count(self, tree, unit):
        """Tết Ất Tỵ 2025 (27 Jan – 1 Feb off, plus the weekends): received Friday 24 Jan with one
        working day, due Monday 3 Feb; with 5 days, due Friday 7 Feb."""
        report = report_for(tree["lights"], unit=unit)
        assert deadlines.start_accept_clock(report, at(2025, 1, 24, 9)) == at(2025, 2, 3, 17)
        DeadlinePolicy.objects.create(accept_within=5, answer_within=5)
        assert deadlines.start_accept_clock(report, at(2025, 1, 24, 9)) == at(2025, 2, 7, 17)

    def test_make_up_saturday_counts(self, tree, unit):
        """Saturday 26 April 2025 was worked to make up for Friday 2 May: received Friday 25 April with
        one working day, the report is due that Saturday."""
        report = report_for(tree["lights"], unit=unit)
        assert deadlines.start_accept_clock(report, at(2025, 4, 25, 15)) == at(2025, 4, 26, 17)

    def test_administrators_make_up_days_and_days_off_count(self, tree, unit):
        """A CalendarDay working Saturday and an extra day off change the count."""
        CalendarDay.objects.create(date=dt.date(2025, 3, 8), kind=DayKind.WORKING_DAY, name="Làm bù")
        CalendarDay.objects.create(date=dt.date(2025, 3, 10), kind=DayKind.DAY_OFF, name="Nghỉ bù")
        report = report_for(tree["lights"], unit=unit)
        assert deadlines.start_accept_clock(report, at(2025, 3, 7, 15)) == at(2025, 3, 8, 17)
        DeadlinePolicy.objects.create(accept_within=2, answer_within=2)
        # Sat 8 (worked), Sun 9 off, Mon 10 off, Tue 11.
        assert deadlines.start_accept_clock(report, at(2025, 3, 7, 15)) == at(2025, 3, 11, 17)

    def test_working_hours_skip_lunch_nights_and_weekends(self, tree, unit):
        """4 working hours from Friday 15:00: 2 on Friday, then Monday 08:00–10:00."""
        DeadlinePolicy.objects.create(accept_within=4, answer_within=6, unit=TimeUnit.WORKING_HOURS)
        report = report_for(tree["lights"], unit=unit)
        assert deadlines.start_accept_clock(report, at(2025, 3, 7, 15)) == at(2025, 3, 10, 10)
        # 6 hours from Monday 10:00: 2 until noon, 4 in the afternoon, so 17:00.
        assert deadlines.start_answer_clock(report, at(2025, 3, 10, 10)) == at(2025, 3, 10, 17)

    def test_save_writes_the_due_date(self, tree, unit):
        report = report_for(tree["lights"], unit=unit)
        deadlines.start_answer_clock(report, at(2025, 3, 3), save=True)
        report.refresh_from_db()
        assert report.answer_due_at == at(2025, 3, 17, 17)

    def test_transfer_deadline_is_five_working_days(self):
        """Nghị định 20/2008/NĐ-CP: out-of-scope reports go back within 5 working days; over Tết 2026
        (16–20 Feb off) a report received Friday 13 Feb must be sent back by Friday 27 Feb."""
        assert deadlines.transfer_deadline(at(2025, 3, 3)) == at(2025, 3, 10, 17)
        assert deadlines.transfer_deadline(at(2026, 2, 13)) == at(2026, 2, 27, 17)


class TestOverdue:
    def test_overdue_and_due_soon_are_computed_from_the_running_clock(self, tree, unit):
        now = at(2025, 3, 12, 10)  # Wednesday
        waiting_late = report_for(tree["lights"], unit=unit, accept_due_at=at(2025, 3, 11, 17))
        waiting_soon = report_for(tree["lights"], unit=unit, accept_due_at=at(2025, 3, 12, 17))
        working_late = report_for(
            tree["lights"], unit=unit, status=ReportStatus.IN_PROGRESS, answer_due_at=at(2025, 3, 12, 9)
        )
        working_later = report_for(
            tree["lights"],
            unit=unit,
            status=ReportStatus.IN_PROGRESS,
            accept_due_at=at(2025, 3, 1, 17),  # the accept clock no longer runs
            answer_due_at=at(2025, 3, 20, 17),
        )
        answered = report_for(tree["lights"], unit=unit, status=ReportStatus.ANSWERED, answer_due_at=at(2025, 3, 1, 17))

        states = {r.pk: deadlines.deadline_state(r, now) for r in Report.objects.all()}
        assert states[waiting_late.pk].overdue and not states[waiting_late.pk].due_soon
        assert states[waiting_soon.pk].due_soon and not states[waiting_soon.pk].overdue
        assert states[working_late.pk].overdue
        assert not states[working_later.pk].overdue and not states[working_later.pk].due_soon
        assert states[answered.pk] == deadlines.DeadlineState(None, False, False)

        ranked = deadlines.with_deadline_state(Report.objects.all(), now).order_by("deadline_rank", "active_due_at")
        assert [r.pk for r in ranked] == [
            waiting_late.pk,
            working_late.pk,
            waiting_soon.pk,
            working_later.pk,
            answered.pk,
        ]
        overdue = set(Report.objects.filter(deadlines.overdue_q(now)).values_list("pk", flat=True))
        assert overdue == {waiting_late.pk, working_late.pk}
        soon = set(Report.objects.filter(deadlines.due_soon_q(now)).values_list("pk", flat=True))
        assert soon == {waiting_soon.pk}

    def test_due_soon_counts_working_hours_across_the_weekend(self, tree, unit):
        """On Friday 16:00, a report due Monday 11:00 is due soon (3 working hours away)."""
        report = report_for(tree["lights"], unit=unit, accept_due_at=at(2025, 3, 10, 11))
        assert deadlines.deadline_state(report, at(2025, 3, 7, 16)).due_soon
        assert not deadlines.deadline_state(report, at(2025, 3, 6, 16)).due_soon


def test_the_partial_indexes_cover_the_states_where_a_clock_runs():
    """The queue's partial indexes (feedback.models) and the deadline engine name the same states."""
    from feedback.models import ACCEPT_CLOCK, ANSWER_CLOCK

    assert set(dict(ACCEPT_CLOCK.children)["status__in"]) == set(deadlines.ACCEPT_CLOCK_STATUSES)
    assert set(dict(ANSWER_CLOCK.children)["status__in"]) == set(deadlines.ANSWER_CLOCK_STATUSES)
