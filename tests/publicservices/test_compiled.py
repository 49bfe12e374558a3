"""The catalogue's and the queue's SQL compiled once per shape (smarthp.sql, publicservices.lists): the
rows and counts are the ORM's for every tab and filter combination, the SQL keeps no request's
values, and the pages' markup is what the template loops drew."""

import datetime as dt
import itertools

import pytest
from django.core.paginator import Paginator
from django.db.models import Q
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from government.models import Membership, Role
from publicservices import lists, selectors, services
from publicservices.models import RUNNING, Dossier, DossierStatus, Procedure, ProcedureField
from publicservices.officer_views import COUNT_CAP, TABS
from tests.conftest import PASSWORD
from tests.helpers import OFFICER_PAGE_MAX_QUERIES, assert_constant_queries, count_queries
from tests.publicservices.world import build, file_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_user):
    return build(make_user)


def _more_procedures(w, count=23, first=0):
    for number in range(first, first + count):
        Procedure.objects.create(
            code=f"8.{number:03}",
            name=f"Đăng ký khai sinh lần {number:02}" if number % 2 else f"Cấp giấy phép {number:02}",
            field=w.justice if number % 3 else ProcedureField.objects.get(slug="giao-duc"),
            level="ward" if number % 4 else "city",
            agency=w.department if number % 5 == 0 else None,
            online=number % 2 == 0,
            online_level="full" if number % 2 == 0 else "none",
            is_active=number != 7,
        )


def test_catalogue_rows_and_counts_are_the_orms_for_every_filter_combination(w):
    _more_procedures(w)
    Procedure.objects.create(code="8.900", name="Phí 50% và mã_số", field=w.justice, level="ward")
    fields, agencies = lists.catalogue_choices()
    field_ids = {slug: pk for slug, _name, pk in fields}
    agency_ids = {slug: pk for slug, _name, pk in agencies}
    queries = ("", "khai sinh", "KHAI SINH", "50%", "ma_so", "_", "không có")
    for query, field, level, agency, online in itertools.product(
        queries, ("", "tu-phap", "giao-duc"), ("", "ward", "city"), ("", w.department.slug), (False, True)
    ):
        expected = selectors.procedures(query=query, field=field, level=level, agency=agency, online=online)
        expected = list(expected.order_by("name", "pk").values(*lists.PROCEDURE_FIELDS))
        rows = lists.CatalogueRows(
            query=query,
            field_id=field_ids.get(field),
            level=level,
            agency_id=agency_ids.get(agency),
            online=online,
        )
        assert rows.count() == len(expected), (query, field, level, agency, online)
        assert rows[0 : len(expected) + 5] == expected, (query, field, level, agency, online)
        assert rows[1:3] == expected[1:3]


@pytest.mark.parametrize("number", [None, "1", "2", "3", "0", "-1", "x", "2.5", "99"])
@pytest.mark.parametrize("query", ["", "khai sinh", "không có"])
def test_catalogue_pages_are_the_orms_paginators(w, number, query):
    """With a search the page comes with its count in one query; any page number gives the page
    the ORM's Paginator gave."""
    _more_procedures(w, 45)
    expected = Paginator(selectors.procedures(query=query).order_by("name", "pk").values(*lists.PROCEDURE_FIELDS), 20)
    expected = expected.get_page(number)
    page = Paginator(lists.CatalogueRows(query=query, number=number), 20).get_page(number)
    assert (page.number, page.paginator.count, page.has_next()) == (
        expected.number,
        expected.paginator.count,
        expected.has_next(),
    )
    assert list(page.object_list) == list(expected.object_list)


def test_a_catalogue_page_is_one_query_with_its_count(client, w):
    url = reverse("publicservices:index")

    grown = []

    def grow():
        _more_procedures(w, 6, first=100 + 6 * len(grown))
        grown.append(1)

    assert assert_constant_queries(client, f"{url}?q=khai+sinh", grow=grow) == 2
    assert assert_constant_queries(client, f"{url}?linh_vuc=tu-phap&cap=ward&truc_tuyen=on", grow=grow) == 2
    assert assert_constant_queries(client, url, grow=grow) == 2
    page = client.get(url, {"q": "khai sinh"}).text
    assert f"{Procedure.objects.filter(is_active=True, search_key__contains='khai sinh').count()} thủ tục" in page


def _queue_world(w):
    """Dossiers of Lê Chân and Ngô Quyền in every tab, some late, one running without a due date."""
    now = timezone.now()
    made = [file_dossier(w) for _ in range(9)] + [file_dossier(w, agency=w.other) for _ in range(3)]
    plan = [
        (DossierStatus.NEW, None, None),
        (DossierStatus.RECEIVED, now - dt.timedelta(days=2), None),
        (DossierStatus.PROCESSING, now + dt.timedelta(days=2), None),
        (DossierStatus.FEES, None, None),
        (DossierStatus.SUPPLEMENT, now - dt.timedelta(days=1), None),
        (DossierStatus.DONE, now - dt.timedelta(days=3), now - dt.timedelta(days=1)),
        (DossierStatus.RETURNED, now + dt.timedelta(days=3), now),
        (DossierStatus.REFUSED, None, now),
        (DossierStatus.PROCESSING, now - dt.timedelta(days=5), None),
        (DossierStatus.RECEIVED, now - dt.timedelta(days=1), None),
        (DossierStatus.DONE, None, None),
        (DossierStatus.NEW, None, None),
    ]
    for dossier, (status, due_at, finished_at) in zip(made, plan, strict=True):
        Dossier.objects.filter(pk=dossier.pk).update(status=status, due_at=due_at, finished_at=finished_at)
    services.hand_over(
        dossier=Dossier.objects.get(pk=made[2].pk), officer=w.officer, to_officer=w.officer2, unit="Hộ tịch"
    )
    return now


def test_queue_rows_and_counts_are_the_orms_in_every_tab(w):
    now = _queue_world(w)
    for tab, overdue_only, scope in itertools.product(TABS, (False, True), ([w.lechan.pk], [w.lechan.pk, w.other.pk])):
        _label, statuses, order = TABS[tab]
        if overdue_only:
            statuses = [status for status in statuses if status in RUNNING]
        dossiers = lists.QueueRows(scope, statuses, order, overdue_only=overdue_only, now=now)
        expected = Dossier.objects.filter(agency_id__in=scope, status__in=statuses)
        if overdue_only:
            expected = expected.filter(due_at__lt=now)
        rows = list(lists.queue_values(expected.order_by(order, "pk")))
        case = (tab, overdue_only, scope)
        assert dossiers.page(0, 50, COUNT_CAP + 1) == (lists.queue_rows(rows, now), len(rows)), case
        assert dossiers.page(1, 2, COUNT_CAP + 1) == (lists.queue_rows(rows[1:3], now), len(rows)), case
        assert dossiers.page(0, 50, 1) == (lists.queue_rows(rows, now), min(1, len(rows))), case
        # Past the last page: no rows, and the count all the same (a second query).
        assert dossiers.page(len(rows) + 1, 2, COUNT_CAP + 1) == ([], len(rows)), case
        assert dossiers.page(len(rows) + 1, 2, 2) == ([], min(2, len(rows))), case
    # Running dossiers in due order, the one without a due date among them.
    running, _count = lists.QueueRows([w.lechan.pk], RUNNING, "due_at", now=now).page(0, 50, COUNT_CAP)
    assert len(running) == Dossier.objects.filter(agency=w.lechan, status__in=RUNNING).count() == 4
    assert {row["due"] for row in running} >= {"–"}


def test_the_compiled_sql_keeps_no_values(w):
    """One shape, other values: the rows of the other values (the first run's are not kept)."""
    now = _queue_world(w)
    lechan = lists.QueueRows([w.lechan.pk], RUNNING, "due_at", overdue_only=True, now=now)
    other = lists.QueueRows([w.other.pk], RUNNING, "due_at", overdue_only=True, now=now)
    assert lechan.statement("first", 31, 1001) is other.statement("first", 31, 1001)
    late_here = set(
        Dossier.objects.filter(agency=w.lechan, status__in=RUNNING, due_at__lt=now).values_list("code", flat=True)
    )
    late_there = set(
        Dossier.objects.filter(agency=w.other, status__in=RUNNING, due_at__lt=now).values_list("code", flat=True)
    )
    assert {row["code"] for row in lechan.page(0, 50, 99)[0]} == late_here and late_here
    assert {row["code"] for row in other.page(0, 50, 99)[0]} == late_there and late_there
    earlier = lists.QueueRows([w.lechan.pk], RUNNING, "due_at", overdue_only=True, now=now - dt.timedelta(days=3))
    assert {row["code"] for row in earlier.page(0, 50, 99)[0]} == set(
        Dossier.objects.filter(
            Q(agency=w.lechan), status__in=RUNNING, due_at__lt=now - dt.timedelta(days=3)
        ).values_list("code", flat=True)
    )


def test_the_queue_of_two_agencies_keeps_the_chosen_one_and_its_filters_on_every_page(client, w, monkeypatch):
    from publicservices import officer_views

    monkeypatch.setattr(officer_views, "PAGE_SIZE", 1)
    Membership.objects.create(user=w.officer, agency=w.other, role=Role.OFFICER)
    _queue_world(w)
    client.login(username="canbo", password=PASSWORD)
    url = reverse("publicservices_officer:queue")
    page = client.get(url, {"tab": "dang-xu-ly", "han": "qua-han", "co-quan": w.lechan.pk}).text
    assert f'<a href="?tab=dang-xu-ly&amp;co-quan={w.lechan.pk}" aria-current="page">Đang giải quyết</a>' in page
    assert f'<a href="?tab=moi&amp;co-quan={w.lechan.pk}">Mới, chờ tiếp nhận</a>' in page
    assert f'<option value="{w.lechan.pk}" selected>UBND Phường Lê Chân</option>' in page
    assert f'<option value="{w.other.pk}">UBND Phường Ngô Quyền</option>' in page
    assert f'href="?tab=dang-xu-ly&amp;co-quan={w.lechan.pk}&amp;han=qua-han&amp;trang=2">Trang sau' in page
    both = client.get(url, {"tab": "dang-xu-ly", "han": "qua-han"}).text
    assert '<option value="">Tất cả</option><option value' in both and " selected" not in both
    assert 'href="?tab=dang-xu-ly&amp;han=qua-han&amp;trang=2">Trang sau' in both
    assert "3 hồ sơ" in both  # two late at Lê Chân, one at Ngô Quyền


@pytest.mark.parametrize("chosen", ["", "7", '"><x'])
def test_queue_tabs_and_options_draw_what_the_template_loops_drew(chosen):
    tabs = [(key, label) for key, (label, _s, _o) in TABS.items()] + [("a&b", "<Nhãn> & 'x'")]
    loop = Template(
        '{% for key, label in tabs %}<a href="?tab={{ key }}{% if chosen %}&amp;co-quan={{ chosen }}{% endif %}"'
        '{% if key == tab %} aria-current="page"{% endif %}>{{ label }}</a>{% endfor %}'
    )
    assert lists.queue_tabs(tabs, "bo-sung", chosen) == loop.render(
        Context({"tabs": tabs, "tab": "bo-sung", "chosen": chosen})
    )
    choices = [("", "Tất cả"), ("7", 'UBND <Phường> & "Lê Chân"'), ("8", "O'Brien")]
    loop = Template(
        '{% for value, label in choices %}<option value="{{ value }}"{% if value == chosen %} selected{% endif %}>'
        "{{ label }}</option>{% endfor %}"
    )
    assert lists.options(choices, chosen) == loop.render(Context({"choices": choices, "chosen": chosen}))


def test_the_queue_stays_constant_with_two_agencies(client, w):
    Membership.objects.create(user=w.officer, agency=w.other, role=Role.OFFICER)
    client.login(username="canbo", password=PASSWORD)

    def grow():
        for agency in (w.lechan, w.other, w.other):
            services.receive(dossier=file_dossier(w, agency=agency), officer=w.officer)

    url = reverse("publicservices_officer:queue")
    for query in ("?tab=dang-xu-ly", "?tab=dang-xu-ly&han=qua-han", f"?tab=dang-xu-ly&co-quan={w.other.pk}"):
        assert_constant_queries(client, url + query, grow=grow, max_queries=OFFICER_PAGE_MAX_QUERIES)
    assert count_queries(client, url + "?tab=ket-thuc&han=qua-han")[0].status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "",
        "trang=2",
        "q=khai+sinh",
        "q=++khai+sinh++&trang=3",
        "q=" + "a" * 100,
        "q=" + "a" * 101,
        "q=+" + "a" * 100 + "+",
        "q=a%00b",
        "q=%20%20",
        "linh_vuc=tu-phap&cap=ward&co_quan=so-giao-duc-va-dao-tao&truc_tuyen=on",
        "linh_vuc=khong-co",
        "cap=province",
        "co_quan=ubnd-11383",
        "linh_vuc=&cap=&co_quan=",
        "linh_vuc=giao-duc&linh_vuc=tu-phap",
        "linh_vuc=khong-co&linh_vuc=tu-phap",
        "truc_tuyen=",
        "truc_tuyen=0",
        "truc_tuyen=false",
        "truc_tuyen=FALSE",
        "truc_tuyen=True",
        "truc_tuyen=off",
        "q=x&truc_tuyen=on&cap=city&linh_vuc=giao-duc",
        "other=1",
    ],
)
def test_catalogue_filters_are_what_the_form_cleans(w, query):
    from django.http import QueryDict

    from publicservices.forms import CatalogueFilterForm, catalogue_filters

    fields, agencies = lists.catalogue_choices()
    data = QueryDict(query)
    form = CatalogueFilterForm(data or None, fields=fields, agencies=agencies)
    expected = form.cleaned_data if form.is_valid() else {}
    assert catalogue_filters(data, fields=fields, agencies=agencies) == (expected, form["q"].value() or "")


@pytest.mark.parametrize("number", ["99999999999999999999999999", "100001", "-5", "1e309", "abc"])
def test_a_page_number_out_of_range_shows_a_page(client, w, number):
    """A page number far past the end is the last page (the database's OFFSET cannot take 10^26)."""
    _more_procedures(w, 23)
    for query in ({}, {"q": "thu tuc"}):
        response = client.get(reverse("publicservices:index"), {**query, "trang": number})
        assert response.status_code == 200
        assert response.context["page"].object_list, (query, number)


@pytest.mark.parametrize("number", ["99999999999999999999999999", "100001", "-5", "abc"])
def test_a_queue_page_number_out_of_range_is_an_empty_page_not_an_error(client, w, number):
    _queue_world(w)
    client.login(username="canbo", password=PASSWORD)
    response = client.get(reverse("publicservices_officer:queue"), {"tab": "dang-xu-ly", "trang": number})
    assert response.status_code == 200
    assert response.context["page"].number <= lists.MAX_PAGE
