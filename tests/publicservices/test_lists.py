"""The list pages built from plain rows (publicservices.lists): the catalogue's rows and filters, the
desk's queue, the lookup by code. What they show must be what the model instances showed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from government.models import Agency, AgencyKind
from publicservices import lists, services
from publicservices.models import Dossier, DossierStatus, Procedure, ProcedureField
from tests.conftest import PASSWORD
from tests.helpers import OFFICER_PAGE_MAX_QUERIES, assert_constant_queries
from tests.publicservices.world import build, file_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_user):
    return build(make_user)


def _catalogue(client, **params):
    return client.get(reverse("publicservices:index"), params).text


def test_a_catalogue_row_shows_code_field_level_agency_and_online_level(client, w):
    Procedure.objects.filter(pk=w.copy.pk).update(is_sample=True)
    page = _catalogue(client)
    assert f'href="{w.school.get_absolute_url()}"' in page
    assert "3.000181 · Giáo dục và Đào tạo · Cấp thành phố · Sở Giáo dục và Đào tạo" in page
    assert "1.001193 · Tư pháp · Cấp xã</p>" in page
    assert '<span class="ps-tag ps-tag-full">Nộp trực tuyến: Toàn trình</span>' in page
    assert '<span class="ps-tag">Nộp trực tuyến: Một phần</span><span class="ps-tag">Dữ liệu mẫu</span>' in page
    paper_row = page[page.index("Thủ tục chỉ nộp trực tiếp") :].split("</li>")[0]
    assert "Nộp trực tuyến" not in paper_row


def test_the_chosen_filters_are_selected_again(client, w):
    page = _catalogue(client, linh_vuc="giao-duc", cap="city", co_quan=w.department.slug, truc_tuyen="on", q="chuyen")
    assert '<option value="giao-duc" selected>' in page and '<option value="city" selected>' in page
    assert f'<option value="{w.department.slug}" selected>' in page
    assert 'id="id_truc_tuyen" checked' in page and 'value="chuyen"' in page
    assert '<option value="" selected>' not in page


def test_new_fields_and_agencies_reach_the_filters_at_once(client, w):
    """The filters' SQL is compiled once per process; their rows are read on every request."""
    _catalogue(client)
    health = ProcedureField.objects.create(name="Y tế", slug="y-te")
    hospital = Agency.objects.create(name="Sở Y tế", slug="so-y-te", kind=AgencyKind.DEPARTMENT)
    procedure = Procedure.objects.create(
        code="4.000001", name="Cấp chứng chỉ hành nghề", field=health, level="city", agency=hospital
    )
    page = _catalogue(client)
    assert '<option value="y-te">Y tế</option>' in page and '<option value="so-y-te">Sở Y tế</option>' in page
    procedure.is_active = False
    procedure.save()
    page = _catalogue(client)
    assert '<option value="so-y-te">' not in page and '<option value="y-te">' in page


def test_catalogue_queries_stay_constant_with_more_fields_and_agencies(client, w):
    def grow():
        for number in range(4):
            field = ProcedureField.objects.create(name=f"Lĩnh vực {number}", slug=f"lv-{number}")
            agency = Agency.objects.create(name=f"Sở {number}", slug=f"so-{number}", kind=AgencyKind.DEPARTMENT)
            Procedure.objects.create(
                code=f"7.{number}", name=f"Thủ tục {number}", field=field, level="city", agency=agency
            )

    assert assert_constant_queries(client, reverse("publicservices:index"), grow=grow) <= 3


def test_urls_are_quoted_as_reverse_quotes_them():
    url = lists.url_maker("publicservices:procedure")
    for code in ("1.005129", "BENCH-0123456", "a~b_c.d", "MÃ 01", "b?c#d", "x%y&z"):
        assert url(code) == reverse("publicservices:procedure", args=[code])


def test_choice_labels_follow_the_language():
    for language in ("vi", "en"):
        with translation.override(language):
            assert lists.choice_label(DossierStatus, "new") == str(DossierStatus.NEW.label)
    assert lists.choice_label(DossierStatus, "unknown") == "unknown"


def test_lookup_shows_dates_in_the_city_time_zone(client, w):
    dossier = services.receive(dossier=file_dossier(w), officer=w.officer)
    late_evening = dt.datetime(2026, 3, 9, 18, 30, tzinfo=dt.UTC)  # 01:30 on the 10th in Hải Phòng
    Dossier.objects.filter(pk=dossier.pk).update(received_at=late_evening, due_at=None)
    page = client.get(reverse("publicservices:lookup"), {"ma": dossier.code}).text
    assert "<dd>10/03/2026</dd>" in page and "<dd>–</dd>" in page
    assert dossier.secret not in page


# --- The desk's queue --------------------------------------------------------------------------


def _queue(client, **params):
    return client.get(reverse("publicservices_officer:queue"), params).text


def test_the_queue_shows_due_date_overdue_and_who_holds_it(client, w):
    late = services.receive(dossier=file_dossier(w), officer=w.officer)
    late = services.hand_over(dossier=late, officer=w.officer, to_officer=w.officer2, unit="Hộ tịch")
    on_time = services.receive(dossier=file_dossier(w), officer=w.officer)
    yesterday = timezone.now() - dt.timedelta(days=1)
    Dossier.objects.filter(pk=late.pk).update(due_at=yesterday)
    client.login(username="canbo", password=PASSWORD)

    running = _queue(client, tab="dang-xu-ly")
    row = running[running.index(late.code) :].split("</tr>")[0]
    assert f'href="{reverse("publicservices_officer:dossier", args=[late.code])}"' in running
    assert timezone.localtime(yesterday).strftime("%d/%m/%Y") in row and "Quá hạn" in row
    assert "Đỗ Thị Hoa Hộ tịch" in row and "Đăng ký khai sinh" in row and "Nguyễn Thị Lan" in row
    assert "Quá hạn" not in running[running.index(on_time.code) :].split("</tr>")[0]

    overdue = _queue(client, tab="dang-xu-ly", han="qua-han")
    assert late.code in overdue and on_time.code not in overdue and "1 hồ sơ" in overdue


def test_the_overdue_filter_keeps_to_running_dossiers(client, w):
    new = file_dossier(w)
    Dossier.objects.filter(pk=new.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    client.login(username="canbo", password=PASSWORD)
    assert new.code in _queue(client, tab="moi") and new.code not in _queue(client, tab="moi", han="qua-han")


def test_the_queue_makes_constant_queries_in_every_tab(client, w):
    client.login(username="canbo", password=PASSWORD)
    yesterday = timezone.now() - dt.timedelta(days=1)

    def grow():
        for _ in range(3):
            dossier = services.receive(dossier=file_dossier(w), officer=w.officer)
            Dossier.objects.filter(pk=dossier.pk).update(due_at=yesterday)

    url = reverse("publicservices_officer:queue")
    for query in ("?tab=dang-xu-ly", "?tab=dang-xu-ly&han=qua-han", "?tab=ket-thuc", "?tab=tra-ket-qua"):
        assert_constant_queries(client, url + query, grow=grow, max_queries=OFFICER_PAGE_MAX_QUERIES)


def test_the_queue_counts_up_to_the_cap(client, w, monkeypatch):
    from publicservices import officer_views

    monkeypatch.setattr(officer_views, "COUNT_CAP", 2)
    monkeypatch.setattr(officer_views, "PAGE_SIZE", 2)
    for _ in range(3):
        file_dossier(w)
    client.login(username="canbo", password=PASSWORD)
    first = _queue(client)
    assert "Hơn 2 hồ sơ" in first and "trang=2" in first
    last = _queue(client, trang=2)
    assert "Trang trước" in last and "trang=3" not in last


def test_rows_built_in_python_escape_every_text(client, w):
    Procedure.objects.filter(pk=w.birth.pk).update(name="Khai sinh <script>x</script> & con")
    page = _catalogue(client)
    assert "<script>x</script>" not in page and "Khai sinh &lt;script&gt;x&lt;/script&gt; &amp; con" in page
    dossier = file_dossier(w)
    Dossier.objects.filter(pk=dossier.pk).update(applicant_name='<b onclick="x">Lan</b>')
    client.login(username="canbo", password=PASSWORD)
    queue = _queue(client)
    assert "<b onclick" not in queue and "&lt;b onclick=&quot;x&quot;&gt;Lan&lt;/b&gt;" in queue
    assert "Khai sinh &lt;script&gt;" in queue
