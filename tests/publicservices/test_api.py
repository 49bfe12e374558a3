"""The API calls the same services as the pages."""

import pytest

from publicservices import services
from publicservices.models import Dossier, DossierStatus
from tests.conftest import PASSWORD
from tests.publicservices.world import build, exe_upload, file_dossier, pdf_upload

pytestmark = pytest.mark.django_db

API = "/api/v1/dich-vu-cong"


@pytest.fixture
def w(make_user):
    return build(make_user)


def test_procedures_search_and_detail(client, w):
    found = client.get(f"{API}/thu-tuc/", {"q": "khai sinh"}).json()
    assert [row["code"] for row in found["results"]] == ["1.001193"]
    detail = client.get(f"{API}/thu-tuc/1.001193/").json()
    assert [d["name"] for d in detail["documents"]][:2] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]


def test_submit_supplement_withdraw(client, w):
    client.login(username="citizen", password=PASSWORD)
    data = {
        "name": "Nguyễn Thị Lan",
        "agency": "ubnd-11383",
        "idempotency_key": "k1",
        f"doc_{w.form.pk}": pdf_upload(),
        f"doc_{w.certificate.pk}": pdf_upload(),
    }
    response = client.post(f"{API}/thu-tuc/1.001193/nop/", data)
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    again = client.post(
        f"{API}/thu-tuc/1.001193/nop/",
        {**data, f"doc_{w.form.pk}": pdf_upload(), f"doc_{w.certificate.pk}": pdf_upload()},
    )
    assert again.status_code == 200 and Dossier.objects.count() == 1
    dossier = Dossier.objects.get(code=code)
    services.ask_supplement(dossier=dossier, officer=w.officer, items=["Giấy chứng sinh bản chính"])
    supplied = client.post(f"{API}/ho-so/{code}/bo-sung/", {"files": [pdf_upload()]})
    assert supplied.status_code == 200 and supplied.json()["status"] == DossierStatus.NEW
    assert client.post(f"{API}/ho-so/{code}/rut/", {}).json()["status"] == DossierStatus.WITHDRAWN
    assert [row["code"] for row in client.get(f"{API}/ho-so/").json()["results"]] == [code]


def test_bad_input_is_a_clear_400_and_nothing_saved(client, w):
    client.login(username="citizen", password=PASSWORD)
    response = client.post(
        f"{API}/thu-tuc/1.001193/nop/", {"name": "Lan", "agency": "ubnd-11383", f"doc_{w.form.pk}": exe_upload()}
    )
    assert response.status_code == 400 and "PDF" in str(response.json())
    missing = client.post(
        f"{API}/thu-tuc/1.001193/nop/", {"name": "Lan", "agency": "ubnd-11383", f"doc_{w.form.pk}": pdf_upload()}
    )
    assert missing.status_code == 400 and "Giấy chứng sinh" in str(missing.json())
    assert Dossier.objects.count() == 0


def test_lookup_and_scoping(client, w):
    dossier = file_dossier(w)
    public = client.get(f"{API}/tra-cuu/{dossier.code}/").json()
    assert public["status"] == "new" and "applicant_name" not in public and "events" not in public
    assert client.get(f"{API}/tra-cuu/KHONG-CO/").status_code == 404
    client.login(username="neighbour", password=PASSWORD)
    assert client.get(f"{API}/ho-so/{dossier.code}/").status_code == 404
