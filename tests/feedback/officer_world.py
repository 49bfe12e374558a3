"""A small city for the officer-side PAKN tests: two ward committees, the 1022 centre, officers,
leaders, an operator, citizens, categories, and a helper that files reports straight in the ORM.

People (all with a TOTP authenticator, which the officer site requires):
- officer, leader: cán bộ and lãnh đạo of UBND Phường Lê Chân (answers need the leader's approval);
- other_officer, other_leader: of UBND Phường Ngô Quyền;
- operator: điều phối viên of Trung tâm 1022;
- citizen (Nguyễn Thị Lan) and neighbour: citizens with no agency role.
"""

import datetime as dt
import io
import itertools
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from feedback import services
from feedback.models import Answer, Category, Report, ReportEvent, ReportStatus, RoutingRule
from government.models import AdministrativeUnit, Agency, AgencyKind, Membership, Role, UnitKind
from notices.models import Notice

_codes = itertools.count(1)


def give_totp(user):
    """Mark the person's second factor as set up (the officer site sends others to set it up)."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}})
    return user


def jpeg_upload(name="anh.jpg", color=(200, 30, 30), size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def build(make_user):
    lechan = AdministrativeUnit.objects.create(
        code="11383", name="Phường Lê Chân", kind=UnitKind.WARD, seat_lat=20.85, seat_lng=106.68
    )
    ngoquyen = AdministrativeUnit.objects.create(
        code="11311", name="Phường Ngô Quyền", kind=UnitKind.WARD, seat_lat=20.86, seat_lng=106.70
    )
    ward = Agency.objects.create(
        name="UBND Phường Lê Chân", slug="ubnd-11383", kind=AgencyKind.WARD_COMMITTEE, unit=lechan
    )
    other = Agency.objects.create(
        name="UBND Phường Ngô Quyền", slug="ubnd-11311", kind=AgencyKind.WARD_COMMITTEE, unit=ngoquyen
    )
    hotline = Agency.objects.create(name="Trung tâm 1022", slug="trung-tam-1022", kind=AgencyKind.HOTLINE)
    infra = Category.objects.create(name="Sự cố hạ tầng kỹ thuật", slug="ha-tang", answer_needs_photo=True)
    lights = Category.objects.create(name="Đèn chiếu sáng", slug="den-chieu-sang", parent=infra)
    procedures = Category.objects.create(name="Thủ tục hành chính", slug="thu-tuc")
    ideas = Category.objects.create(name="Góp ý hiến kế", slug="gop-y")

    def member(username, full_name, agency, role):
        user = make_user(username=username, full_name=full_name, email=f"{username}@example.vn")
        Membership.objects.create(user=user, agency=agency, role=role)
        return give_totp(user)

    world = SimpleNamespace(
        lechan=lechan,
        ngoquyen=ngoquyen,
        ward=ward,
        other=other,
        hotline=hotline,
        infra=infra,
        lights=lights,
        procedures=procedures,
        ideas=ideas,
        officer=member("canbo", "Phạm Văn Cán", ward, Role.OFFICER),
        officer2=member("canbo2", "Đỗ Thị Hoa", ward, Role.OFFICER),
        leader=member("lanhdao", "Vũ Văn Lãnh", ward, Role.LEADER),
        other_officer=member("canbo.nq", "Bùi Văn Khác", other, Role.OFFICER),
        other_leader=member("lanhdao.nq", "Hoàng Thị Khác", other, Role.LEADER),
        operator=member("dieuphoi", "Ngô Thị Điều", hotline, Role.OPERATOR),
        citizen=make_user(username="lan", phone="+84911000011", phone_verified=True, full_name="Nguyễn Thị Lan"),
        neighbour=make_user(username="binh", phone="+84911000012", phone_verified=True, full_name="Trần Văn Bình"),
    )
    RoutingRule.objects.create(category=procedures, unit=lechan, agency=ward)
    RoutingRule.objects.create(category=procedures, unit=ngoquyen, agency=other)
    RoutingRule.objects.create(category=ideas, agency=other)
    return world


def file_report(world, *, status=ReportStatus.ASSIGNED, agency="ward", category=None, **fields):
    """A report as routing leaves it: at `agency` (ward by default), its accept clock running."""
    from feedback import deadlines

    agency = getattr(world, agency) if isinstance(agency, str) else agency
    number = next(_codes)
    fields.setdefault("reporter", world.citizen)
    fields.setdefault("title", f"Đèn đường hỏng số {number}")
    fields.setdefault("description", "Đèn đường trước nhà số 12 không sáng đã ba hôm.")
    fields.setdefault("unit", world.lechan)
    report = Report(
        code=f"PA-2026-{900000 + number:06d}",
        category=category or world.lights,
        status=status,
        agency=agency,
        routed_at=timezone.now(),
        **fields,
    )
    if report.accept_due_at is None and status in deadlines.ACCEPT_CLOCK_STATUSES:
        deadlines.start_accept_clock(report)
    if report.answer_due_at is None and status in deadlines.ANSWER_CLOCK_STATUSES:
        deadlines.start_answer_clock(report)
    report.save()
    ReportEvent.objects.create(report=report, kind="routed", agency=agency, to_status=status)
    return report


def at(year, month, day, hour=10, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=7)))


# --- Checks shared by the officer service tests ---------------------------------------------


def snapshot(report):
    """What a refused action must leave as it was."""
    report.refresh_from_db()
    return (
        report.status,
        report.version,
        report.agency_id,
        report.assignee_id,
        report.category_id,
        report.title,
        report.events.count(),
        Answer.objects.filter(report=report).count(),
        Notice.objects.count(),
    )


def refused(call, report, message_part):
    before = snapshot(report)
    with pytest.raises(services.ReportActionError) as error:
        call()
    assert message_part in error.value.message
    assert snapshot(report) == before, "a refused action changed something"


def accepted(w, **fields):
    report = file_report(w, **fields)
    services.accept_report(report_id=report.pk, actor=w.officer, expected_version=report.version)
    report.refresh_from_db()
    return report
