"""The one-stop desk's steps: due dates in working days, the supplement clock (NĐ 61/2018 Art. 19),
refusal, hand-over, fees, result, apology, and who may act."""

import datetime as dt

import pytest
from django.utils import timezone

from government.calendar import VIETNAM, add_working_days, add_working_hours
from notices.models import Notice
from publicservices import services
from publicservices.models import DossierEvent, DossierStatus, EventKind
from publicservices.services import DossierActionError
from tests.publicservices.world import build, file_dossier, pdf_bytes

pytestmark = pytest.mark.django_db

# A Monday in an ordinary week (no holiday around it).
MONDAY = dt.datetime(2026, 11, 9, 9, 0, tzinfo=VIETNAM)


@pytest.fixture
def w(make_user):
    return build(make_user)


@pytest.fixture
def clock(monkeypatch):
    """Set the time services see: clock(datetime)."""
    current = {"at": MONDAY}
    monkeypatch.setattr(timezone, "now", lambda: current["at"])

    def set_time(at):
        current["at"] = at

    return set_time


def test_receive_counts_the_due_date_in_working_days(w, clock):
    dossier = file_dossier(w)
    clock(dt.datetime(2026, 11, 13, 16, 0, tzinfo=VIETNAM))  # a Friday
    dossier = services.receive(dossier=dossier, officer=w.officer)
    assert dossier.status == DossierStatus.RECEIVED
    # 3 working days after Friday: Wednesday.
    assert timezone.localtime(dossier.due_at).date() == dt.date(2026, 11, 18)
    assert dossier.holder == w.officer
    assert Notice.objects.filter(user=w.citizen, text__contains="18/11/2026").exists()


def test_hours_based_procedures_count_working_hours(w, clock):
    dossier = services.receive(dossier=file_dossier(w, procedure=w.copy), officer=w.officer)
    assert dossier.due_at == add_working_hours(MONDAY, 4)


def test_supplement_stops_the_clock_and_supplying_restarts_it_from_zero(w, clock):
    dossier = services.receive(dossier=file_dossier(w), officer=w.officer)
    clock(MONDAY + dt.timedelta(days=2))
    dossier = services.ask_supplement(
        dossier=dossier, officer=w.officer, items=["Giấy chứng sinh bản chính", " ", "giấy chứng sinh bản chính"]
    )
    assert dossier.status == DossierStatus.SUPPLEMENT and dossier.due_at is None
    assert DossierEvent.objects.get(kind=EventKind.SUPPLEMENT_ASKED).items == ["Giấy chứng sinh bản chính"]
    later = MONDAY + dt.timedelta(days=9)
    clock(later)
    from publicservices.files import check_upload

    dossier = services.supply(
        dossier=dossier, user=w.citizen, uploads=[("Giấy chứng sinh bản chính", check_upload(pdf_bytes()))]
    )
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.due_at == add_working_days(later, 3)


def test_supplement_asked_at_the_desk_goes_back_to_the_queue_then_gets_its_due_date(w, clock):
    from publicservices.files import check_upload

    dossier = services.ask_supplement(dossier=file_dossier(w), officer=w.officer, items=["Tờ khai có chữ ký"])
    dossier = services.supply(
        dossier=dossier, user=w.citizen, uploads=[("Tờ khai có chữ ký", check_upload(pdf_bytes()))]
    )
    assert dossier.status == DossierStatus.NEW and dossier.due_at is None
    later = MONDAY + dt.timedelta(days=1)
    clock(later)
    dossier = services.receive(dossier=dossier, officer=w.officer)
    assert dossier.due_at == add_working_days(later, 3)


def test_a_supplement_after_refusal_is_refused_and_changes_nothing(w):
    from publicservices.files import check_upload

    dossier = services.refuse(dossier=file_dossier(w), officer=w.officer, reason="Không thuộc thẩm quyền")
    with pytest.raises(DossierActionError, match="từ chối"):
        services.supply(dossier=dossier, user=w.citizen, uploads=[("x", check_upload(pdf_bytes()))])
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.REFUSED and dossier.files.filter(kind="supplement").count() == 0


def test_refusal_needs_a_reason(w):
    with pytest.raises(DossierActionError, match="lý do"):
        services.refuse(dossier=file_dossier(w), officer=w.officer, reason="  ")


def test_hand_over_keeps_who_holds_it_and_since_when(w, clock):
    dossier = services.receive(dossier=file_dossier(w), officer=w.officer)
    clock(MONDAY + dt.timedelta(hours=2))
    dossier = services.hand_over(dossier=dossier, officer=w.officer, to_officer=w.officer2, unit="Tư pháp – Hộ tịch")
    assert dossier.holder == w.officer2 and dossier.holder_since == MONDAY + dt.timedelta(hours=2)
    event = DossierEvent.objects.get(kind=EventKind.HANDED_OVER)
    assert event.holder_name == "Đỗ Thị Hoa" and event.holder_unit == "Tư pháp – Hộ tịch"
    with pytest.raises(DossierActionError, match="không thuộc cơ quan"):
        services.hand_over(dossier=dossier, officer=w.officer, to_officer=w.other_officer)


def test_full_path_fees_result_return(w):
    from publicservices.files import check_upload

    dossier = services.receive(dossier=file_dossier(w), officer=w.officer)
    dossier = services.ask_fees(dossier=dossier, officer=w.officer, amount=50000)
    assert dossier.status == DossierStatus.FEES
    services.fees_paid(dossier=dossier, officer=w.officer)
    dossier = services.finish(
        dossier=dossier, officer=w.officer2, result_note="Đã cấp giấy khai sinh", result_file=check_upload(pdf_bytes())
    )
    assert dossier.status == DossierStatus.DONE and dossier.files.filter(kind="result").count() == 1
    dossier = services.return_result(dossier=dossier, officer=w.officer)
    assert dossier.status == DossierStatus.RETURNED and dossier.finished_on_time
    kinds = list(dossier.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "received", "fees_asked", "fees_paid", "done", "returned"]
    # Every step told the applicant once.
    assert Notice.objects.filter(user=w.citizen, kind="dossier").count() == 6


def test_apology_once_and_not_after_the_deadline(w, clock):
    dossier = services.receive(dossier=file_dossier(w), officer=w.officer)
    new_due = dt.date(2026, 11, 20)
    dossier = services.apologise(dossier=dossier, officer=w.officer, reason="Cần xác minh thêm", new_due=new_due)
    assert timezone.localtime(dossier.due_at).date() == new_due and dossier.apologised
    with pytest.raises(DossierActionError, match="một lần"):
        services.apologise(dossier=dossier, officer=w.officer, reason="Lần nữa", new_due=dt.date(2026, 11, 25))

    late = services.receive(dossier=file_dossier(w), officer=w.officer)
    clock(late.due_at)  # the due day itself: too late
    with pytest.raises(DossierActionError, match="01 ngày trước hạn"):
        services.apologise(dossier=late, officer=w.officer, reason="Chậm", new_due=dt.date(2026, 11, 30))
    late.refresh_from_db()
    assert not late.apologised


def test_an_officer_of_another_agency_cannot_act(w):
    with pytest.raises(DossierActionError, match="không thuộc cơ quan"):
        services.receive(dossier=file_dossier(w), officer=w.other_officer)


def test_the_second_officer_is_told_the_dossier_moved(w):
    dossier = file_dossier(w)
    stale = type(dossier).objects.get(pk=dossier.pk)
    services.receive(dossier=dossier, officer=w.officer)
    with pytest.raises(DossierActionError, match="Được tiếp nhận"):
        services.refuse(dossier=stale, officer=w.officer2, reason="Thiếu giấy tờ")
    assert DossierEvent.objects.filter(kind=EventKind.REFUSED).count() == 0


def test_withdraw_before_the_end_only(w):
    dossier = services.withdraw(dossier=file_dossier(w), user=w.citizen)
    assert dossier.status == DossierStatus.WITHDRAWN
    with pytest.raises(DossierActionError, match="không thể rút"):
        services.withdraw(dossier=dossier, user=w.citizen)
    with pytest.raises(DossierActionError, match="Không tìm thấy"):
        services.withdraw(dossier=file_dossier(w), user=w.neighbour)
