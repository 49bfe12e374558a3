"""The list pages' fixed parts drawn once per language ({% drawn %}) and the queue's keyset pages: the
same markup as the templates drew, every dossier of a tab on exactly one page."""

import datetime as dt
import html
import itertools
import re
import zoneinfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from publicservices import lists, services
from publicservices.forms import CatalogueFilterForm
from publicservices.models import Dossier, DossierStatus, Procedure
from tests.conftest import PASSWORD
from tests.helpers import OFFICER_PAGE_MAX_QUERIES, count_queries
from tests.publicservices.world import build, file_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_user):
    return build(make_user)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_catalogue_form_shows_the_filter_forms_labels(client, w, language):
    """The drawn form writes the labels as translate tags: they must stay the form's."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("publicservices:index")).text
    with translation.override(language):
        for name, field in CatalogueFilterForm.base_fields.items():
            assert f'<label for="id_{name}">{escape(field.label)}</label>' in page, name


def test_the_catalogue_links_to_the_applicants_dossiers_only_when_signed_in(client, w):
    url = reverse("publicservices:index")
    mine = f'<a class="button secondary" href="{reverse("publicservices:mine")}">'
    assert mine not in client.get(url).text
    client.login(username="canbo", password=PASSWORD)
    assert mine in client.get(url).text
    client.logout()
    assert mine not in client.get(url, {"q": "khai sinh", "truc_tuyen": "on"}).text


# --- The queue's keyset pages -------------------------------------------------------------------


def _finished_world(w, count=7):
    """`count` finished dossiers of Lê Chân, three of them submitted at the same moment (the id
    orders those), and two of Ngô Quyền in between."""
    moment = timezone.now() - dt.timedelta(days=10)
    made = []
    for number in range(count):
        dossier = file_dossier(w)
        at = moment if number in (2, 3, 4) else moment + dt.timedelta(hours=number - 3)
        Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.RETURNED, submitted_at=at)
        made.append(dossier)
    for hours in (-1, 1):
        dossier = file_dossier(w, agency=w.other)
        Dossier.objects.filter(pk=dossier.pk).update(
            status=DossierStatus.REFUSED, submitted_at=moment + dt.timedelta(hours=hours)
        )
    return made


def _codes(page):
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return re.findall(r'<th scope="row"><a href="[^"]*">([^<]*)</a>', body)


def _pager(page):
    nav = page[page.index('<nav class="ps-pager"') :]
    nav = nav[: nav.index("</nav>")]
    return {label: html.unescape(href) for href, label in re.findall(r'<a href="([^"]*)">([^<]*)</a>', nav)}


@pytest.mark.parametrize("tab", ["ket-thuc", "moi"])
def test_the_keyset_pages_show_every_dossier_of_the_tab_once_in_order(client, w, monkeypatch, tab):
    from publicservices import officer_views

    monkeypatch.setattr(officer_views, "PAGE_SIZE", 2)
    made = _finished_world(w)
    if tab == "moi":
        Dossier.objects.filter(pk__in=[d.pk for d in made]).update(status=DossierStatus.NEW)
    _label, statuses, order = officer_views.TABS[tab]
    expected = list(
        Dossier.objects.filter(agency=w.lechan, status__in=statuses)
        .order_by(order, "pk")
        .values_list("code", flat=True)
    )
    assert len(expected) == 7
    client.login(username="canbo", password=PASSWORD)
    url = reverse("publicservices_officer:queue")
    page = client.get(url, {"tab": tab}).text
    pages = [_codes(page)]
    while "Trang sau" in _pager(page):
        link = _pager(page)["Trang sau"]
        assert "&sau=" in link
        page = client.get(url + link).text
        pages.append(_codes(page))
    assert [code for codes in pages for code in codes] == expected
    assert [len(codes) for codes in pages] == [2, 2, 2, 1]
    # And back: the same pages, page 2's "Trang trước" the first page by number, without a cursor.
    for number in (3, 2, 1):
        link = _pager(page)["Trang trước"]
        assert ("&truoc=" in link) == (number > 1) and link.endswith(f"trang={number}") == (number == 1)
        page = client.get(url + link).text
        assert _codes(page) == pages[number - 1]
    assert "Trang trước" not in _pager(page)
    # A page asked for by number alone (an older link) is the same page.
    assert _codes(client.get(url, {"tab": tab, "trang": 3}).text) == pages[2]


def test_a_cursor_only_places_the_page_never_widens_the_scope(client, w, monkeypatch):
    from publicservices import officer_views

    monkeypatch.setattr(officer_views, "PAGE_SIZE", 2)
    _finished_world(w)
    theirs = Dossier.objects.filter(agency=w.other).order_by("submitted_at").first()
    client.login(username="canbo", password=PASSWORD)
    url = reverse("publicservices_officer:queue")
    row = {"submitted_at": theirs.submitted_at, "pk": theirs.pk}
    for key in ("sau", "truoc"):
        page = client.get(url, {"tab": "ket-thuc", "trang": 2, key: lists.queue_cursor(row)}).text
        assert _codes(page) and not {d.code for d in Dossier.objects.filter(agency=w.other)} & set(_codes(page))
    # Not a cursor: the page by number.
    by_number = _codes(client.get(url, {"tab": "ket-thuc", "trang": 2}).text)
    for junk in ("", "x", "12-", "-3", "1.5-2", "١٢-٣", "9" * 30 + "-1", "1-" + "9" * 30):
        assert _codes(client.get(url, {"tab": "ket-thuc", "trang": 2, "sau": junk}).text) == by_number, junk


def test_tabs_in_due_or_finish_order_page_by_number(client, w, monkeypatch):
    from publicservices import officer_views

    monkeypatch.setattr(officer_views, "PAGE_SIZE", 1)
    for _ in range(3):
        services.receive(dossier=file_dossier(w), officer=w.officer)
    client.login(username="canbo", password=PASSWORD)
    page = client.get(reverse("publicservices_officer:queue"), {"tab": "dang-xu-ly", "trang": 2}).text
    assert _pager(page) == {"Trang trước": "?tab=dang-xu-ly&trang=1", "Trang sau": "?tab=dang-xu-ly&trang=3"}


def test_the_queue_makes_the_same_queries_whatever_the_page_size_and_page(client, w, monkeypatch):
    from publicservices import officer_views

    _finished_world(w)
    client.login(username="canbo", password=PASSWORD)
    url = reverse("publicservices_officer:queue")
    client.get(url)  # the access facts read once
    counts = set()
    for size in (1, 2, 30):
        monkeypatch.setattr(officer_views, "PAGE_SIZE", size)
        first = client.get(url, {"tab": "ket-thuc"}).text
        _response, queries = count_queries(client, f"{url}?tab=ket-thuc")
        counts.add(len(queries))
        if "Trang sau" in _pager(first):
            following = client.get(url + _pager(first)["Trang sau"]).text
            _response, queries = count_queries(client, url + _pager(first)["Trang sau"])
            counts.add(len(queries))
            _response, queries = count_queries(client, url + _pager(following)["Trang trước"])
            counts.add(len(queries))
    assert len(counts) == 1 and counts.pop() <= OFFICER_PAGE_MAX_QUERIES


def test_the_keyset_reads_are_the_orms_slices_in_every_submission_tab(w):
    """QueueRows.after() / before() give the rows that follow / precede a row in the ORM's order, for
    one agency and two, across a run of equal submission times."""
    _finished_world(w)
    Dossier.objects.filter(agency=w.lechan, pk__in=Dossier.objects.filter(agency=w.lechan).order_by("pk")[:2]).update(
        status=DossierStatus.NEW
    )
    from publicservices.officer_views import COUNT_CAP, TABS

    for tab, scope in itertools.product(("moi", "bo-sung", "ket-thuc"), ([w.lechan.pk], [w.lechan.pk, w.other.pk])):
        _label, statuses, order = TABS[tab]
        dossiers = lists.QueueRows(scope, statuses, order)
        assert dossiers.keyset
        rows, count = dossiers.page(0, 50, COUNT_CAP + 1)
        assert [row["code"] for row in rows] == list(
            Dossier.objects.filter(agency_id__in=scope, status__in=statuses)
            .order_by(order, "pk")
            .values_list("code", flat=True)
        )
        for at, row in enumerate(rows):
            cursor = lists.read_cursor(lists.queue_cursor(row))
            assert cursor == (row["submitted_at"], row["pk"])
            # The count is the tab's, on a page past the end too.
            assert dossiers.after(cursor, 3, COUNT_CAP + 1) == (rows[at + 1 : at + 4], count), (tab, at)
            assert dossiers.before(cursor, 3, COUNT_CAP + 1) == (rows[max(0, at - 3) : at], count), (tab, at)


# --- Rows as the template wrote them -------------------------------------------------------------


def test_a_holder_without_a_full_name_is_shown_by_user_name(client, w):
    dossier = services.receive(dossier=file_dossier(w), officer=w.officer)
    services.hand_over(dossier=dossier, officer=w.officer, to_officer=w.officer2, unit="Hộ tịch")
    get_user_model().objects.filter(pk=w.officer2.pk).update(full_name="")
    client.login(username="canbo", password=PASSWORD)
    page = client.get(reverse("publicservices_officer:queue"), {"tab": "dang-xu-ly"}).text
    row = page[page.index(dossier.code) :].split("</tr>")[0]
    assert f"<td>{w.officer2.username} Hộ tịch</td>" in row


def test_dates_are_written_as_strftime_writes_them():
    zone = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    start = dt.datetime(2024, 12, 31, 16, 59, 59, tzinfo=dt.UTC)  # 23:59:59 on the 31st in Hanoi
    for moment in [start + dt.timedelta(seconds=s) for s in (0, 1, 3600 * 9 + 61, 86400 * 40)]:
        assert lists._day(moment, zone) == moment.astimezone(zone).strftime("%d/%m/%Y")
        assert lists._clock_day(moment, zone) == moment.astimezone(zone).strftime("%H:%M %d/%m/%Y")
    assert lists._day(None, zone) == ""


@pytest.mark.parametrize("count", [0, 1, 2, 1000, 1001])
def test_the_queue_caption_says_what_the_blocktranslate_tags_said(client, w, count):
    from publicservices.officer_views import BoundedPage, _caption

    page = BoundedPage.__new__(BoundedPage)
    page.more_than_cap, page.count = count > 1000, min(count, 1000)
    template = Template(
        "{% load i18n %}{% if page.more_than_cap %}{% blocktranslate with count=page.count %}Hơn {{ count }} hồ sơ"
        "{% endblocktranslate %}{% else %}{% blocktranslate count counter=page.count %}{{ counter }} hồ sơ{% plural %}"
        "{{ counter }} hồ sơ{% endblocktranslate %}{% endif %}"
    )
    for language in ("vi", "en"):
        with translation.override(language):
            assert _caption(page) == template.render(Context({"page": page}))


@pytest.mark.parametrize("count", [0, 1, 2, 2038])
def test_the_catalogue_heading_says_what_the_blocktranslate_tag_said(count):
    from publicservices.views import catalogue_heading

    template = Template(
        "{% load i18n %}{% blocktranslate count counter=count %}{{ counter }} thủ tục{% plural %}"
        "{{ counter }} thủ tục{% endblocktranslate %}"
    )
    for language in ("vi", "en"):
        with translation.override(language):
            assert catalogue_heading(count) == template.render(Context({"count": count}))


def test_the_catalogue_pager_keeps_the_filters(client, w):
    for number in range(25):
        name = f"Khai sinh mẫu {number:02}"
        Procedure.objects.create(code=f"9.{number:03}", name=name, field=w.justice, level="ward")
    url = reverse("publicservices:index")
    first = client.get(url, {"q": "khai sinh", "cap": "ward"}).text
    assert _pager(first) == {"Trang sau": "?q=khai+sinh&cap=ward&trang=2"}
    second = client.get(url, {"q": "khai sinh", "cap": "ward", "trang": 2}).text
    assert _pager(second) == {"Trang trước": "?q=khai+sinh&cap=ward&trang=1"}
    assert "<h2>26 thủ tục</h2>" in first and "<h2>26 thủ tục</h2>" in second
