"""Demo data of publicservices: the catalogue (publicservices.demo_catalogue, sample details) and a few
dossiers at the Lê Chân ward committee's desk in different states, made through the services.

`load()` is idempotent. It runs after government.demo (units, agencies, canbo.lechan, lanhdao.lechan,
the demo citizen). Demo dossiers are recognised by their idempotency keys ("demo-…").
"""

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from government.demo import DEMO_CITIZEN, LE_CHAN, say, upsert
from government.models import Agency

from . import services
from .demo_catalogue import CATALOGUE, FIELD_SLUGS
from .files import check_upload
from .models import Dossier, DossierEvent, Procedure, ProcedureDocument, ProcedureField, Satisfaction

LEGAL = "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP (dữ liệu mẫu: đối chiếu Cổng Dịch vụ công quốc gia)."


STEPS = (
    "1. Nộp hồ sơ trực tuyến hoặc tại bộ phận một cửa.\n"
    "2. Cán bộ kiểm tra, tiếp nhận và hẹn trả kết quả.\n"
    "3. Nhận kết quả trực tuyến hoặc tại bộ phận một cửa."
)


def _pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return check_upload(buffer.getvalue())


def load_catalogue():
    created = 0
    for field_name, rows in CATALOGUE.items():
        field, _new = upsert(ProcedureField, {"slug": FIELD_SLUGS[field_name]}, {"name": field_name})
        prefix = FIELD_SLUGS[field_name].split("-")[0].upper()
        for number, (name, agency_slug, days, online, documents) in enumerate(rows, start=1):
            agency = Agency.objects.filter(slug=agency_slug).first() if agency_slug else None
            procedure, new = upsert(
                Procedure,
                {"code": f"MAU.{prefix}.{number:02d}"},
                {
                    "name": name,
                    "field": field,
                    "level": "city" if agency else "ward",
                    "agency": agency,
                    "in_person": True,
                    "online": True,
                    "by_post": True,
                    "online_level": online,
                    "processing_days": days,
                    "fees": "Miễn phí" if "khai sinh" in name.lower() else "Theo quy định (dữ liệu mẫu)",
                    "steps": STEPS,
                    "result": "Văn bản giải quyết thủ tục (dữ liệu mẫu).",
                    "legal_basis": LEGAL if field_name == "Tư pháp" else "Dữ liệu mẫu.",
                    "is_sample": True,
                    "is_active": True,
                },
            )
            created += new
            if not procedure.documents.exists():
                ProcedureDocument.objects.bulk_create(
                    ProcedureDocument(procedure=procedure, position=i, name=doc, required=required)
                    for i, (doc, required) in enumerate(documents)
                )
    return created


def _submit(key, procedure, agency, *, applicant=None, name, phone):
    existing = Dossier.objects.filter(idempotency_key__endswith=f":{key}").first()
    if existing is not None:
        return existing, False
    pdf = _pdf()
    uploads = {doc.pk: pdf for doc in procedure.documents.all() if doc.required}
    confirmation = None
    if applicant is None:
        from .models import PhoneConfirmation

        confirmation = PhoneConfirmation.objects.create(phone=phone, reference="demo", confirmed_at=timezone.now())
    dossier, _created = services.submit_dossier(
        procedure=procedure,
        applicant=applicant,
        confirmation=confirmation,
        name=name,
        phone=phone,
        address="Số 5 Tô Hiệu, phường Lê Chân",
        agency=agency,
        uploads=uploads,
        idempotency_key=key,
    )
    return dossier, True


def _backdate(dossier, days):
    """Move a demo dossier's history `days` back, so that its deadline is as the demo wants it."""
    delta = dt.timedelta(days=days)
    for field in (
        "submitted_at",
        "received_at",
        "due_at",
        "original_due_at",
        "finished_at",
        "returned_at",
        "holder_since",
    ):
        value = getattr(dossier, field)
        if value:
            setattr(dossier, field, value - delta)
    Dossier.objects.filter(pk=dossier.pk).update(
        **{
            f: getattr(dossier, f)
            for f in (
                "submitted_at",
                "received_at",
                "due_at",
                "original_due_at",
                "finished_at",
                "returned_at",
                "holder_since",
            )
        }
    )
    for event in DossierEvent.objects.filter(dossier=dossier):
        DossierEvent.objects.filter(pk=event.pk).update(
            at=event.at - delta, due_at=event.due_at - delta if event.due_at else None
        )


@transaction.atomic
def load(stdout=None):
    created = load_catalogue()
    say(stdout, f"Thủ tục hành chính: {created} thêm mới, {Procedure.objects.count()} tất cả (dữ liệu mẫu).")
    users = get_user_model().objects
    officer = users.filter(username="canbo.lechan").first()
    leader = users.filter(username="lanhdao.lechan").first()
    citizen = users.filter(username=DEMO_CITIZEN["username"]).first()
    agency = Agency.objects.filter(slug=f"ubnd-{LE_CHAN}").first()
    if not (officer and leader and citizen and agency):
        return
    birth = Procedure.objects.get(code="MAU.TU.01")
    copy = Procedure.objects.get(code="MAU.TU.02")
    business = Procedure.objects.get(code="MAU.KE.01")
    made = 0

    _d, new = _submit("demo-new-1", birth, agency, name="Phạm Thị Hoa", phone="+84987000101")
    made += new
    _d, new = _submit("demo-new-2", copy, agency, applicant=citizen, name=citizen.full_name, phone=citizen.phone)
    made += new

    d, new = _submit("demo-supplement", business, agency, name="Đỗ Văn Hùng", phone="+84987000102")
    if new:
        services.ask_supplement(
            dossier=d, officer=officer, items=["Bản sao CCCD của chủ hộ kinh doanh (mặt sau còn thiếu)"]
        )
    made += new

    d, new = _submit("demo-overdue", business, agency, applicant=citizen, name=citizen.full_name, phone=citizen.phone)
    if new:
        services.receive(dossier=d, officer=officer)
        services.hand_over(dossier=d, officer=officer, to_officer=leader, unit="Phòng Kinh tế")
        _backdate(Dossier.objects.get(pk=d.pk), 10)
    made += new

    d, new = _submit("demo-returned", birth, agency, applicant=citizen, name=citizen.full_name, phone=citizen.phone)
    if new:
        services.receive(dossier=d, officer=officer)
        services.finish(
            dossier=d, officer=officer, result_note="Đã cấp Giấy khai sinh bản chính và 01 bản sao.", result_file=_pdf()
        )
        services.return_result(dossier=d, officer=officer)
        services.rate(
            dossier=d, user=citizen, satisfaction=Satisfaction.VERY, on_time=True, contacts=1, attitude="good"
        )
        _backdate(Dossier.objects.get(pk=d.pk), 3)
    made += new
    say(stdout, f"Hồ sơ dịch vụ công mẫu tại UBND Phường Lê Chân: {made} thêm mới.")
