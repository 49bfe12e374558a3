"""The catalogue: search without diacritics, filters, the procedure page, the import command."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from publicservices.models import Procedure, ProcedureField
from publicservices.services.catalogue import ImportError_, import_procedures
from tests.helpers import assert_constant_queries
from tests.publicservices.world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_user):
    return build(make_user)


def test_khai_sinh_without_diacritics_finds_dang_ky_khai_sinh(client, w):
    response = client.get(reverse("publicservices:index"), {"q": "khai sinh"})
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in response.text
    assert "Chuyển trường" not in response.text


def test_filters_by_field_level_agency_and_online(client, w):
    url = reverse("publicservices:index")
    by_field = client.get(url, {"linh_vuc": "giao-duc"}).text
    assert "Chuyển trường" in by_field and "Đăng ký khai sinh" not in by_field
    by_level = client.get(url, {"cap": "city"}).text
    assert "Chuyển trường" in by_level and "Đăng ký khai sinh" not in by_level
    by_agency = client.get(url, {"co_quan": "so-giao-duc-va-dao-tao"}).text
    assert "Chuyển trường" in by_agency and "Chứng thực bản sao" not in by_agency
    online = client.get(url, {"truc_tuyen": "on"}).text
    assert "Thủ tục chỉ nộp trực tiếp" not in online and "Đăng ký khai sinh" in online


def test_procedure_page_lists_documents_and_offers_online_submission(client, w):
    page = client.get(w.birth.get_absolute_url()).text
    assert "Tờ khai đăng ký khai sinh" in page and "Giấy chứng sinh" in page
    assert reverse("publicservices:submit", args=[w.birth.code]) in page
    paper = client.get(w.paper.get_absolute_url()).text
    assert reverse("publicservices:submit", args=[w.paper.code]) not in paper


def test_catalogue_queries_are_constant(client, w):
    def grow():
        for number in range(5):
            Procedure.objects.create(code=f"8.{number}", name=f"Thủ tục thêm {number}", field=w.justice, level="ward")

    assert_constant_queries(client, reverse("publicservices:index"), grow=grow)


ROWS = [
    {
        "MaTTHC": "1.001193",
        "TenTTHC": "Thủ tục đăng ký khai sinh",
        "LinhVuc": [{"TenLinhVuc": "Hộ tịch"}],
        "CapThucHien": "Cấp Xã",
        "CachThucThucHien": [{"Kenh": "Trực tiếp"}, {"Kenh": "Trực tuyến"}],
        "MucDoDVC": "Toàn trình",
        "ThoiHanGiaiQuyet": {"SoLuong": 1, "DonViTinh": "Ngày làm việc"},
        "PhiLePhi": "Miễn lệ phí",
        "ThanhPhanHoSo": [{"TenGiayTo": "Tờ khai đăng ký khai sinh", "BatBuoc": True, "SoBanChinh": 1}],
    },
    {
        "MaTTHC": "2.000001",
        "TenTTHC": "Chuyển trường",
        "LinhVuc": "Giáo dục",
        "CapThucHien": "Cấp Tỉnh",
        "CoQuanThucHien": "so-giao-duc-va-dao-tao",
        "CachThucThucHien": ["Trực tiếp"],
        "ThoiHanGiaiQuyet": {"SoLuong": 8, "DonViTinh": "Giờ làm việc"},
    },
]


def test_import_creates_then_changes_nothing_the_second_time(w, tmp_path):
    path = tmp_path / "tthc.json"
    path.write_text(json.dumps(ROWS, ensure_ascii=False), encoding="utf-8")
    call_command("import_procedures", str(path))
    birth = Procedure.objects.get(code="1.001193")
    assert birth.name == "Thủ tục đăng ký khai sinh" and birth.accepts_online and birth.online_level == "full"
    assert [d.name for d in birth.documents.all()] == ["Tờ khai đăng ký khai sinh"]
    school = Procedure.objects.get(code="2.000001")
    assert school.processing_hours == 8 and school.agency == w.department and not school.online
    assert import_procedures(json.dumps(ROWS)) == {"created": 0, "updated": 0, "unchanged": 2}


def test_a_bad_row_imports_nothing_and_is_named(w):
    rows = [ROWS[1], {**ROWS[0], "MaTTHC": "4.1", "CapThucHien": "Cấp Huyện"}]
    before = Procedure.objects.count(), ProcedureField.objects.count()
    with pytest.raises(ImportError_) as caught:
        import_procedures(json.dumps(rows))
    assert "Dòng 2" in caught.value.message and "4.1" in caught.value.message
    assert (Procedure.objects.count(), ProcedureField.objects.count()) == before
    assert not Procedure.objects.filter(code="2.000001").exists()


def test_the_command_reports_a_bad_file(tmp_path, w):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="JSON"):
        call_command("import_procedures", str(path))
