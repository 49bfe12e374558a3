"""Through HTTP: the applicant's dossier, lookup by code and QR secret, files, the officer desk, ratings, figures."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from publicservices import services
from publicservices.files import check_upload
from publicservices.models import DossierEvent, DossierStatus, EventKind, Rating
from tests.conftest import PASSWORD
from tests.helpers import OFFICER_PAGE_MAX_QUERIES, assert_constant_queries
from tests.publicservices.world import build, file_dossier, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_user):
    return build(make_user)


def returned(w):
    dossier = services.receive(dossier=file_dossier(w), officer=w.officer)
    dossier = services.finish(
        dossier=dossier, officer=w.officer, result_note="Đã cấp", result_file=check_upload(pdf_bytes())
    )
    return services.return_result(dossier=dossier, officer=w.officer)


def test_lookup_by_code_shows_only_status_and_dates(client, w):
    dossier = services.receive(dossier=file_dossier(w), officer=w.officer)
    page = client.get(reverse("publicservices:lookup"), {"ma": dossier.code.lower()}).text
    assert "Được tiếp nhận" in page and "Đăng ký khai sinh" in page
    assert "Nguyễn Thị Lan" not in page and "Tờ khai" not in page


def test_lookup_with_a_made_up_code_says_not_found_and_nothing_more(client, w):
    dossier = file_dossier(w)
    made_up = client.get(reverse("publicservices:lookup"), {"ma": "UBND.11383-261202-9999"}).text
    wrong_secret = client.get(reverse("publicservices:lookup"), {"ma": "XYZ", "k": dossier.secret}).text
    assert "Không tìm thấy hồ sơ có mã này." in made_up and "Không tìm thấy hồ sơ có mã này." in wrong_secret


def test_lookups_are_rate_limited(client, w, settings):
    settings.PUBLICSERVICES_LOOKUP_RATE = "3/600"
    url = reverse("publicservices:lookup")
    statuses = [client.get(url, {"ma": f"X-{n}"}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_receipt_qr_secret_opens_the_whole_dossier_without_an_account(client, w):
    dossier = returned(w)
    response = client.get(reverse("publicservices:lookup"), {"ma": dossier.code, "k": dossier.secret})
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert "Quá trình xử lý" in page and "Tải văn bản kết quả" in page and "Đánh giá sự phục vụ" in page
    result = dossier.files.get(kind="result")
    download = client.get(reverse("publicservices:file", args=[dossier.code, result.token]), {"k": dossier.secret})
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_files_are_served_only_to_the_applicant_and_the_agency(client, w):
    dossier = file_dossier(w)
    row = dossier.files.first()
    url = reverse("publicservices:file", args=[dossier.code, row.token])
    assert client.get(url).status_code == 404
    client.login(username="neighbour", password=PASSWORD)
    assert client.get(url).status_code == 404
    assert client.get(url, {"k": "doan-bua"}).status_code == 404
    client.login(username="citizen", password=PASSWORD)
    assert client.get(url).status_code == 200
    officer_url = reverse("publicservices_officer:file", args=[dossier.code, row.token])
    client.login(username="canbo.nq", password=PASSWORD)
    assert client.get(officer_url).status_code == 404
    client.login(username="canbo", password=PASSWORD)
    assert client.get(officer_url).status_code == 200


def test_the_dossier_page_is_the_applicants_only(client, w):
    dossier = file_dossier(w)
    url = dossier.get_absolute_url()
    client.login(username="neighbour", password=PASSWORD)
    assert client.get(url).status_code == 404
    client.login(username="citizen", password=PASSWORD)
    assert client.get(url).status_code == 200


def test_the_citizen_supplies_through_the_page(client, w):
    dossier = services.ask_supplement(dossier=file_dossier(w), officer=w.officer, items=["Giấy chứng sinh bản chính"])
    client.login(username="citizen", password=PASSWORD)
    page = client.get(dossier.get_absolute_url()).text
    assert "Giấy chứng sinh bản chính" in page
    client.post(reverse("publicservices:supply", args=[dossier.code]), {"item_0": pdf_upload()})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.NEW and dossier.files.filter(kind="supplement").count() == 1


def test_a_second_rating_is_refused(client, w):
    dossier = returned(w)
    client.login(username="citizen", password=PASSWORD)
    data = {"satisfaction": "very", "on_time": "1", "contacts": "1", "attitude": "good"}
    client.post(reverse("publicservices:rate", args=[dossier.code]), data)
    response = client.post(
        reverse("publicservices:rate", args=[dossier.code]), {**data, "satisfaction": "unsatisfied"}, follow=True
    )
    assert "mỗi hồ sơ chỉ đánh giá một lần" in response.text
    assert Rating.objects.get().satisfaction == "very"


def test_officers_see_figures_per_officer_but_never_who_rated(client, w):
    dossier = returned(w)
    services.rate(dossier=dossier, user=w.citizen, satisfaction="very", on_time=True, contacts=1, attitude="good")
    client.login(username="lanhdao", password=PASSWORD)
    page = client.get(reverse("publicservices_officer:figures")).text
    assert "Trần Thị Bình" in page and "Nguyễn Thị Lan" not in page
    assert (
        "Nguyễn Thị Lan"
        not in client.get(reverse("publicservices_officer:dossier", args=[dossier.code]))
        .text.split("Quá trình xử lý")[0]
        .split("Người nộp")[0]
    )
    client.login(username="canbo", password=PASSWORD)
    assert client.get(reverse("publicservices_officer:figures")).status_code == 404


def test_the_lookup_page_makes_constant_queries(client, w):
    dossier = file_dossier(w)
    url = reverse("publicservices:lookup") + f"?ma={dossier.code}"
    assert_constant_queries(client, url, grow=lambda: [file_dossier(w) for _ in range(3)])


def test_the_public_page_counts_on_time(client, w):
    dossier = returned(w)
    services.rate(dossier=dossier, user=w.citizen, satisfaction="satisfied", on_time=True, contacts=1, attitude="good")
    page = client.get(reverse("publicservices:agency_figures", args=[w.lechan.slug])).text
    assert 'data-figure="received">1<' in page
    assert "1 (100%)" in page and 'data-figure="satisfied">100%' in page


def test_officer_receives_through_the_desk_and_prints_the_receipt(client, w):
    dossier = file_dossier(w)
    client.login(username="canbo", password=PASSWORD)
    queue = client.get(reverse("publicservices_officer:queue")).text
    assert dossier.code in queue
    client.post(reverse("publicservices_officer:act", args=[dossier.code, "receive"]), {"note": ""})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECEIVED
    receipt = client.get(reverse("publicservices_officer:printout", args=[dossier.code, "tiep-nhan"])).text
    assert "Mẫu số 01" in receipt.replace("Mẫu số</", "") or "01" in receipt
    assert "<svg" in receipt and dossier.secret in receipt
    # A second receive: the officer is told, nothing changes.
    response = client.post(
        reverse("publicservices_officer:act", args=[dossier.code, "receive"]), {"note": ""}, follow=True
    )
    assert "Được tiếp nhận" in response.text
    assert dossier.events.filter(kind="received").count() == 1


def test_officers_of_another_agency_get_404(client, w):
    dossier = file_dossier(w)
    client.login(username="canbo.nq", password=PASSWORD)
    assert client.get(reverse("publicservices_officer:dossier", args=[dossier.code])).status_code == 404
    assert client.post(reverse("publicservices_officer:act", args=[dossier.code, "receive"])).status_code == 404
    assert dossier.code not in client.get(reverse("publicservices_officer:queue")).text


def test_officer_pages_make_constant_queries(client, w):
    file_dossier(w)
    client.login(username="canbo", password=PASSWORD)

    def grow():
        for _ in range(4):
            file_dossier(w)

    assert_constant_queries(
        client, reverse("publicservices_officer:queue"), grow=grow, max_queries=OFFICER_PAGE_MAX_QUERIES
    )
    dossier = services.receive(dossier=file_dossier(w), officer=w.officer)

    def steps():
        for unit in ("Hộ tịch", "Chứng thực", "Lãnh đạo"):
            services.hand_over(dossier=dossier, officer=w.officer, to_officer=w.officer2, unit=unit)

    assert_constant_queries(
        client,
        reverse("publicservices_officer:dossier", args=[dossier.code]),
        grow=steps,
        max_queries=OFFICER_PAGE_MAX_QUERIES,
    )


def test_citizen_pages_make_constant_queries(client, w):
    client.login(username="citizen", password=PASSWORD)
    dossier = file_dossier(w)

    def grow():
        for _ in range(3):
            file_dossier(w)

    assert_constant_queries(client, reverse("publicservices:mine"), grow=grow)
    services.receive(dossier=dossier, officer=w.officer)

    def steps():
        for unit in ("Hộ tịch", "Chứng thực"):
            services.hand_over(dossier=dossier, officer=w.officer, to_officer=w.officer2, unit=unit)

    assert_constant_queries(client, dossier.get_absolute_url(), grow=steps)
    assert_constant_queries(client, reverse("home"), grow=grow)


def test_the_home_panel_shows_dossiers_that_moved(client, w):
    dossier = services.receive(dossier=file_dossier(w), officer=w.officer)
    client.login(username="citizen", password=PASSWORD)
    page = client.get(reverse("home")).text
    assert "Hồ sơ của tôi có cập nhật" in page and dossier.code in page
    link = f'<a href="{reverse("publicservices:dossier", args=[dossier.code])}">{dossier.code}</a>: '
    assert link + f"{EventKind.RECEIVED.label} (" in page
    DossierEvent.objects.filter(dossier=dossier).update(at=timezone.now() - dt.timedelta(days=15))
    assert "Hồ sơ của tôi có cập nhật" not in client.get(reverse("home")).text  # older than 14 days


def test_the_desk_shows_the_queue_counts(client, w):
    file_dossier(w)
    client.login(username="canbo", password=PASSWORD)
    page = client.get(reverse("government:officer_home")).text
    assert "Hồ sơ mới chờ tiếp nhận" in page and reverse("publicservices_officer:queue") in page
