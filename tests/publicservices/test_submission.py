"""Submitting a dossier: with an account, without one (phone by SMS code), files checked by their bytes."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from citizens.models import OutboundSms
from notices.models import Notice
from publicservices import services
from publicservices.files import UploadError, check_upload
from publicservices.models import Dossier, DossierFile, DossierStatus
from tests.conftest import PASSWORD
from tests.publicservices.world import build, exe_upload, pdf_bytes, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_user):
    return build(make_user)


def _post(client, w, **extra):
    data = {
        "step": "dossier",
        "idempotency_key": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "name": "Nguyễn Thị Lan",
        "agency": w.lechan.pk,
        f"doc_{w.form.pk}": pdf_upload(),
        f"doc_{w.certificate.pk}": png_upload(),
    }
    data.update(extra)
    return client.post(reverse("publicservices:submit", args=[w.birth.code]), data)


def test_signed_in_citizen_submits_and_the_profile_prefills(client, w):
    client.login(username="citizen", password=PASSWORD)
    page = client.get(reverse("publicservices:submit", args=[w.birth.code]))
    assert 'value="Nguyễn Thị Lan"' in page.text
    response = _post(client, w)
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == dossier.get_absolute_url()
    assert dossier.status == DossierStatus.NEW and dossier.agency == w.lechan and dossier.applicant == w.citizen
    assert re.fullmatch(r"UBND\.11383-\d{6}-0001", dossier.code)
    files = list(dossier.files.all())
    assert len(files) == 2 and {f.content_type for f in files} == {"application/pdf", "image/jpeg"}
    # Stored under a random name: nothing of the upload's name.
    assert all("giay-to" not in f.file.name and "anh" not in f.file.name.rsplit("/", 1)[-1] for f in files)
    assert Notice.objects.filter(user=w.citizen, kind="dossier").count() == 1


def test_a_double_tap_files_one_dossier(client, w):
    client.login(username="citizen", password=PASSWORD)
    _post(client, w)
    _post(client, w)
    assert Dossier.objects.count() == 1


def test_missing_required_document_files_nothing(client, w):
    client.login(username="citizen", password=PASSWORD)
    response = _post(client, w, **{f"doc_{w.certificate.pk}": ""})
    assert response.status_code == 400
    assert "Hồ sơ chưa được nộp" in response.text
    assert Dossier.objects.count() == 0 and DossierFile.objects.count() == 0


def test_a_renamed_executable_is_refused(client, w):
    client.login(username="citizen", password=PASSWORD)
    response = _post(client, w, **{f"doc_{w.form.pk}": exe_upload()})
    assert response.status_code == 400
    assert "Chỉ nhận tệp PDF, JPEG hoặc PNG" in response.text
    assert Dossier.objects.count() == 0


def test_oversized_and_too_long_files_are_refused(settings, w):
    settings.PUBLICSERVICES_MAX_FILE_MB = 1
    big = SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    with pytest.raises(UploadError, match="quá lớn"):
        check_upload(big)
    settings.PUBLICSERVICES_MAX_PDF_PAGES = 2
    with pytest.raises(UploadError, match="quá nhiều trang"):
        check_upload(pdf_bytes(pages=3))
    with pytest.raises(UploadError, match="bị hỏng"):
        check_upload(b"%PDF-1.4 not really a pdf")


def test_procedure_without_online_submission_sends_back(client, w):
    response = client.get(reverse("publicservices:submit", args=[w.paper.code]))
    assert response.status_code == 302 and response["Location"] == w.paper.get_absolute_url()


def test_anonymous_submission_confirms_the_phone_by_sms(client, w):
    url = reverse("publicservices:submit", args=[w.birth.code])
    assert "Gửi mã xác thực" in client.get(url).text
    client.post(url, {"step": "phone", "phone": "0987 654 321"})
    sms = OutboundSms.objects.get(phone="+84987654321")
    code = re.search(r"\d{6}", sms.text).group()
    wrong = client.post(url, {"step": "code", "code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400 and "không đúng" in wrong.text
    client.post(url, {"step": "code", "code": code})
    assert "Thành phần hồ sơ" in client.get(url).text
    response = _post(client, w, name="Phạm Thị Hoa")
    dossier = Dossier.objects.get()
    assert dossier.applicant is None and dossier.applicant_phone == "+84987654321"
    assert response["Location"].endswith(f"?k={dossier.secret}")
    # Told by SMS (no account), with the lookup link carrying the receipt's secret.
    notice = Notice.objects.get(phone="+84987654321", kind="dossier")
    assert dossier.secret in notice.url
    # The confirmation is spent: a second dossier needs a new code.
    assert "Gửi mã xác thực" in client.get(url).text


def test_without_a_confirmed_phone_the_service_refuses(w):
    with pytest.raises(services.DossierActionError, match="xác thực số điện thoại"):
        services.submit_dossier(procedure=w.birth, name="Ai đó", agency=w.lechan, uploads={})


def test_codes_number_the_day_per_agency(w):
    from tests.publicservices.world import file_dossier

    first, second = file_dossier(w), file_dossier(w)
    school = file_dossier(w, procedure=w.school)
    assert first.code.endswith("-0001") and second.code.endswith("-0002")
    assert school.code.startswith("SO-GIAO-DUC-VA-DAO-TAO-") and school.code.endswith("-0001")
