"""The PAKN demo data: the city's five categories, routing by ward with city-wide exceptions, no
catch-all (so some reports reach 1022 triage), sample reports; loading twice changes nothing."""

import pytest

from feedback import demo, services
from feedback.models import Category, Report, ReportStatus, RoutingRule
from government import demo as government_demo
from government.models import AdministrativeUnit


@pytest.fixture
def loaded(transactional_db):
    from government import geo

    geo.forget_index()
    government_demo.load()
    demo.load()
    yield
    geo.forget_index()


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

    reports = list(Report.objects.select_related("category", "urgency"))
    assert len(reports) == 10
    for report in reports:
        policy = deadlines.policy_for(report)
        if report.status == ReportStatus.ASSIGNED:
            assert report.accept_due_at == deadlines.due_after(report.routed_at, policy.accept_within, policy.unit)
        if report.accepted_at is not None:
            assert report.created_at <= report.accepted_at
            assert report.answer_due_at == deadlines.due_after(report.accepted_at, policy.answer_within, policy.unit)
    assert any(report.status == ReportStatus.IN_PROGRESS for report in reports)
