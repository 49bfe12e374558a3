"""The PAKN demo data: the city's five categories, routing by ward with city-wide exceptions, no
catch-all (so some reports reach 1022 triage), sample reports and six months of lived-in reports in
bulk; loading twice changes nothing."""

import pytest

from feedback import demo, demo_bulk, services
from feedback.models import Category, Report, ReportStatus, RoutingRule
from government import demo as government_demo
from government.models import AdministrativeUnit


@pytest.fixture(scope="module")
def _demo_in_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the whole module (a load takes seconds) and committed as on a real
    first start: the sample reports route on commit, with tasks run in-process. The database is
    flushed afterwards, as transactional_db would, so the next module starts empty."""
    from django.core.management import call_command
    from django.test import override_settings

    from government import geo
    from smarthp.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    media = tmp_path_factory.mktemp("demo-media")
    try:
        with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers):
            geo.forget_index()
            try:
                government_demo.load()
                demo.load()
                yield
            finally:
                geo.forget_index()
                call_command("flush", interactive=False, verbosity=0)
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def loaded(_demo_in_database, db):
    """Each test reads the loaded demo inside its own transaction, rolled back after it."""


def test_the_demo_loads_once_and_routes_like_the_city(loaded):
    tops = list(Category.objects.filter(parent__isnull=True).values_list("name", flat=True))
    assert len(tops) == 5 and "Sự cố hạ tầng kỹ thuật" in tops
    assert Category.objects.get(slug="su-co-ha-tang-ky-thuat").answer_needs_photo
    assert not RoutingRule.objects.filter(category__isnull=True, unit__isnull=True).exists()
    counts = (Category.objects.count(), RoutingRule.objects.count(), Report.objects.count())
    demo.load()
    assert (Category.objects.count(), RoutingRule.objects.count(), Report.objects.count()) == counts
    assert Report.objects.filter(status=ReportStatus.TRIAGE).exists()

    le_chan = AdministrativeUnit.objects.get(code="11383")
    road = Category.objects.get(slug="duong-he-pho")
    assert services.find_routing_rule(road, le_chan.pk).agency.slug == "ubnd-11383"
    power = Category.objects.get(slug="dien")
    assert services.find_routing_rule(power, le_chan.pk).agency.slug == "dien-luc-hai-phong"
    assert services.find_routing_rule(Category.objects.get(slug="ho-so-tre-han"), le_chan.pk) is None


def test_sample_reports_run_their_clocks_from_their_own_past(loaded):
    """The samples are spread over past weeks; their deadlines count from those days, as they would
    have (so the officer demo shows reports due soon and overdue), and work in progress has one."""
    from feedback import deadlines

    reports = list(Report.objects.filter(reporter__username="citizen-demo").select_related("category", "urgency"))
    assert len(reports) == 10
    for report in reports:
        policy = deadlines.policy_for(report)
        if report.status == ReportStatus.ASSIGNED:
            assert report.accept_due_at == deadlines.due_after(report.routed_at, policy.accept_within, policy.unit)
        if report.accepted_at is not None:
            assert report.created_at <= report.accepted_at
            assert report.answer_due_at == deadlines.due_after(report.accepted_at, policy.answer_within, policy.unit)
    assert any(report.status == ReportStatus.IN_PROGRESS for report in reports)


def _clock_start(events, kinds):
    return max((event.created_at for event in events if event.kind in kinds), default=None)


def test_the_months_of_reports_keep_deadlines_from_their_own_backdated_steps(loaded):
    """Every bulk report's running clocks count, with its policy and the working-day calendar, from
    the step that started them (reaching an agency or the centre; accepting; reopening), exactly as
    the services would have counted them then; steps follow one another in time."""
    from feedback import deadlines
    from feedback.models import EventKind

    reached = {EventKind.ROUTED, EventKind.TRIAGE, EventKind.TRANSFERRED, EventKind.RETURNED}
    answering = {EventKind.ACCEPTED, EventKind.REOPENED}
    bulk = Report.objects.filter(idempotency_key__startswith=demo_bulk.BULK_KEY_PREFIX)
    reports = list(bulk.select_related("category__parent", "urgency").prefetch_related("events"))
    assert len(reports) == demo_bulk.REPORTS
    policies = {}
    for report in reports:
        key = (report.category_id, report.urgency_id)
        policy = policies.setdefault(key, deadlines.policy_for(report))
        events = list(report.events.all())
        times = [event.created_at for event in events]
        assert times == sorted(times) and times[0] == report.created_at, report.code
        assert report.accept_due_at == deadlines.due_after(
            _clock_start(events, reached), policy.accept_within, policy.unit
        ), report.code
        answer_start = _clock_start(events, answering)
        if answer_start is not None:
            assert report.answer_due_at == deadlines.due_after(answer_start, policy.answer_within, policy.unit)
        else:
            assert report.answer_due_at is None


def test_the_le_chan_leader_has_a_queue_of_dozens_some_overdue_some_to_approve(loaded):
    """The Lê Chân leader's "to handle" tab (assigned, in progress, reopened) holds dozens on the
    first start, some past their deadline, some within it, and answers waiting for approval."""
    from feedback import deadlines
    from feedback.models import Answer, AnswerStatus, Rating

    le_chan = Report.objects.filter(agency__slug="ubnd-11383")
    to_handle = le_chan.filter(status__in=services.AGENCY_OPEN)
    assert to_handle.count() >= 24
    assert to_handle.filter(deadlines.overdue_q()).count() >= 5
    assert to_handle.exclude(deadlines.overdue_q()).count() >= 5  # and some still within their time
    assert Answer.objects.filter(report__in=to_handle, status=AnswerStatus.PENDING).exists()
    # The other lives a report lives are there too, city-wide.
    statuses = set(Report.objects.values_list("status", flat=True))
    assert {ReportStatus.TRIAGE, ReportStatus.RETURNED, ReportStatus.REJECTED, ReportStatus.CLOSED} <= statuses
    assert Report.objects.filter(events__kind="reopened").exists() and Rating.objects.count() > 50


def test_the_current_months_figures_are_not_empty(loaded):
    """Whatever the day of the month, the public figures of this month have answers, an on-time rate,
    a median and ratings (the demo's quick fixes of the month's first days)."""
    from feedback import stats

    table = stats.compute(dimension=stats.BY_AGENCY, period=stats.period_from_params({}))
    total = table.total
    assert total.received >= demo_bulk.FRESH and total.answered > 0
    assert None not in (total.on_time_rate, total.median_days, total.satisfaction_rate)
    six_months_ago = stats.recent_periods()[5]
    assert stats.compute(dimension=stats.BY_AGENCY, period=six_months_ago).total.answered > 10


def test_the_reporters_are_demo_citizens_some_public_some_private(loaded):
    """Every bulk report has a demo citizen as its reporter; the private ones stay off the public feed."""
    bulk = Report.objects.filter(idempotency_key__startswith=demo_bulk.BULK_KEY_PREFIX)
    assert not bulk.filter(reporter__isnull=True).exists()
    assert set(bulk.values_list("reporter__username", flat=True)) <= {
        f"{demo_bulk.CITIZEN_PREFIX}{number:02d}" for number in range(1, demo_bulk.CITIZENS + 1)
    }
    assert bulk.filter(is_public=True).exists() and bulk.filter(is_public=False).exists()
    private = bulk.filter(is_public=False).values_list("code", flat=True)
    assert not Report.objects.public().filter(code__in=private).exists()
    # Their codes come from the portal's counter: the next report filed gets a new one.
    assert not Report.objects.filter(code=services.next_report_code()).exists()
