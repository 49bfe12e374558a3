"""A small world for the publicservices tests: two ward committees, a city department, officers and
leaders with a second factor, two citizens, and three procedures with their documents.

- lechan: UBND Phường Lê Chân (officer `canbo`, officer2 `canbo2`, leader `lanhdao`);
- other: UBND Phường Ngô Quyền (other_officer);
- birth: "Đăng ký khai sinh" (ward level, fully online, 3 working days; two required documents
  and one optional); copy: "Chứng thực bản sao" (ward, hours-based: 4 working hours);
  paper: online submission not offered.
"""

import io
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from government.models import AdministrativeUnit, Agency, AgencyKind, Membership, Role, UnitKind
from publicservices import services
from publicservices.files import check_upload
from publicservices.models import Procedure, ProcedureDocument, ProcedureField
from tests.feedback.officer_world import give_totp


def pdf_bytes(pages=1):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name="giay-to.pdf", pages=1):
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def png_upload(name="anh.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def exe_upload(name="to-khai.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, content_type="application/pdf")


def build(make_user):
    lechan_unit = AdministrativeUnit.objects.create(code="11383", name="Phường Lê Chân", kind=UnitKind.WARD)
    ngoquyen_unit = AdministrativeUnit.objects.create(code="11311", name="Phường Ngô Quyền", kind=UnitKind.WARD)
    lechan = Agency.objects.create(
        name="UBND Phường Lê Chân", slug="ubnd-11383", kind=AgencyKind.WARD_COMMITTEE, unit=lechan_unit
    )
    other = Agency.objects.create(
        name="UBND Phường Ngô Quyền", slug="ubnd-11311", kind=AgencyKind.WARD_COMMITTEE, unit=ngoquyen_unit
    )
    department = Agency.objects.create(
        name="Sở Giáo dục và Đào tạo", slug="so-giao-duc-va-dao-tao", kind=AgencyKind.DEPARTMENT
    )
    justice = ProcedureField.objects.create(name="Tư pháp", slug="tu-phap")
    education = ProcedureField.objects.create(name="Giáo dục và Đào tạo", slug="giao-duc")
    birth = Procedure.objects.create(
        code="1.001193",
        name="Đăng ký khai sinh",
        field=justice,
        level="ward",
        online=True,
        online_level="full",
        processing_days=3,
    )
    form = ProcedureDocument.objects.create(
        procedure=birth, position=0, name="Tờ khai đăng ký khai sinh", required=True
    )
    certificate = ProcedureDocument.objects.create(procedure=birth, position=1, name="Giấy chứng sinh", required=True)
    proxy = ProcedureDocument.objects.create(procedure=birth, position=2, name="Văn bản ủy quyền", required=False)
    copy = Procedure.objects.create(
        code="2.000815",
        name="Chứng thực bản sao từ bản chính",
        field=justice,
        level="ward",
        online=True,
        online_level="partial",
        processing_hours=4,
    )
    ProcedureDocument.objects.create(procedure=copy, name="Bản chính cần chứng thực", required=True)
    school = Procedure.objects.create(
        code="3.000181",
        name="Chuyển trường đối với học sinh trung học cơ sở",
        field=education,
        level="city",
        agency=department,
        online=True,
        online_level="full",
        processing_days=3,
    )
    paper = Procedure.objects.create(
        code="9.000001", name="Thủ tục chỉ nộp trực tiếp", field=justice, level="ward", online=False
    )

    def member(username, full_name, agency, role):
        user = make_user(username=username, full_name=full_name)
        Membership.objects.create(user=user, agency=agency, role=role)
        return give_totp(user)

    return SimpleNamespace(
        lechan=lechan,
        other=other,
        department=department,
        justice=justice,
        birth=birth,
        form=form,
        certificate=certificate,
        proxy=proxy,
        copy=copy,
        school=school,
        paper=paper,
        officer=member("canbo", "Trần Thị Bình", lechan, Role.OFFICER),
        officer2=member("canbo2", "Đỗ Thị Hoa", lechan, Role.OFFICER),
        leader=member("lanhdao", "Phạm Văn Cường", lechan, Role.LEADER),
        other_officer=member("canbo.nq", "Bùi Văn Khác", other, Role.OFFICER),
        citizen=make_user(username="citizen", full_name="Nguyễn Thị Lan", phone="+84911000001", phone_verified=True),
        neighbour=make_user(username="neighbour", full_name="Lê Văn Hàng", phone="+84911000002", phone_verified=True),
    )


def file_dossier(w, *, applicant=None, procedure=None, key=None, agency=None):
    """A dossier submitted through the service (with an account: `applicant`, default the citizen)."""
    applicant = applicant or w.citizen
    procedure = procedure or w.birth
    pdf = check_upload(pdf_bytes())
    uploads = {doc.pk: pdf for doc in procedure.documents.all() if doc.required}
    dossier, _created = services.submit_dossier(
        procedure=procedure,
        applicant=applicant,
        name=applicant.full_name,
        agency=agency or (None if procedure.agency_id else w.lechan),
        uploads=uploads,
        idempotency_key=key,
    )
    return dossier
