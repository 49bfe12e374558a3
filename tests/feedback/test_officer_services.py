"""The officer workflow in feedback.services: every transition, and every refusal leaves nothing changed."""

import datetime as dt

import pytest
from django.utils import timezone

from feedback import services
from feedback.models import (
    Answer,
    AnswerStatus,
    Channel,
    EventKind,
    PhotoKind,
    Report,
    ReportPhoto,
    ReportStatus,
)
from notices.models import Notice
from tests.feedback.officer_world import accepted, build, file_report, jpeg_upload, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_user):
    return build(make_user)


class TestAccept:
    def test_an_officer_accepts_and_the_answer_clock_starts(self, w):
        report = file_report(w)
        services.accept_report(report_id=report.pk, actor=w.officer, expected_version=0)
        report.refresh_from_db()
        assert report.status == ReportStatus.IN_PROGRESS
        assert report.assignee == w.officer
        assert report.accepted_at is not None and report.answer_due_at > report.accepted_at
        assert report.version == 1
        event = report.events.last()
        assert (event.kind, event.actor, event.is_public) == (EventKind.ACCEPTED, w.officer, True)

    def test_a_leader_accepting_does_not_become_the_handler(self, w):
        report = file_report(w)
        services.accept_report(report_id=report.pk, actor=w.leader, expected_version=0)
        report.refresh_from_db()
        assert report.status == ReportStatus.IN_PROGRESS and report.assignee is None

    def test_a_stale_screen_is_refused(self, w):
        report = file_report(w)
        services.accept_report(report_id=report.pk, actor=w.officer, expected_version=0)
        refused(
            lambda: services.accept_report(report_id=report.pk, actor=w.officer2, expected_version=0),
            report,
            "vừa được người khác cập nhật",
        )

    def test_another_agency_cannot_accept(self, w):
        report = file_report(w)
        refused(
            lambda: services.accept_report(report_id=report.pk, actor=w.other_officer, expected_version=0),
            report,
            "không phải cán bộ",
        )

    def test_a_citizen_cannot_accept(self, w):
        report = file_report(w)
        refused(
            lambda: services.accept_report(report_id=report.pk, actor=w.citizen, expected_version=0),
            report,
            "không phải cán bộ",
        )

    def test_only_waiting_reports_are_accepted(self, w):
        report = accepted(w)
        refused(
            lambda: services.accept_report(report_id=report.pk, actor=w.officer, expected_version=report.version),
            report,
            "Đang xử lý",
        )


class TestAssign:
    def test_a_leader_assigns_an_officer_of_the_agency(self, w):
        report = accepted(w)
        services.assign_officer(
            report_id=report.pk, actor=w.leader, officer_id=w.officer2.pk, expected_version=report.version
        )
        report.refresh_from_db()
        assert report.assignee == w.officer2
        event = report.events.last()
        assert event.kind == EventKind.ASSIGNED_OFFICER and not event.is_public
        assert Notice.objects.about(report).filter(user=w.officer2).exists()

    def test_an_officer_of_another_agency_cannot_be_assigned(self, w):
        report = accepted(w)
        refused(
            lambda: services.assign_officer(
                report_id=report.pk, actor=w.leader, officer_id=w.other_officer.pk, expected_version=report.version
            ),
            report,
            "phải là cán bộ của cơ quan",
        )

    def test_an_officer_cannot_assign(self, w):
        report = accepted(w)
        refused(
            lambda: services.assign_officer(
                report_id=report.pk, actor=w.officer, officer_id=w.officer2.pk, expected_version=report.version
            ),
            report,
            "Chỉ lãnh đạo",
        )


class TestNotes:
    def test_a_note_is_internal(self, w):
        report = file_report(w)
        services.add_internal_note(report_id=report.pk, actor=w.officer, text="Đã gọi điện cho tổ dân phố.")
        event = report.events.last()
        assert (event.kind, event.is_public, event.message) == (EventKind.NOTE, False, "Đã gọi điện cho tổ dân phố.")

    def test_an_empty_note_or_a_stranger_is_refused(self, w):
        report = file_report(w)
        refused(lambda: services.add_internal_note(report_id=report.pk, actor=w.officer, text="  "), report, "ghi chú")
        refused(
            lambda: services.add_internal_note(report_id=report.pk, actor=w.other_officer, text="x"),
            report,
            "không có quyền",
        )


class TestAnswer:
    def test_a_draft_is_kept_and_not_published(self, w):
        report = accepted(w, category=w.procedures)
        answer = services.save_answer(
            report_id=report.pk, actor=w.officer, text="Đang kiểm tra.", expected_version=report.version
        )
        report.refresh_from_db()
        assert answer.status == AnswerStatus.DRAFT and report.status == ReportStatus.IN_PROGRESS
        assert not report.events.last().is_public

    def test_with_approval_the_answer_waits_for_the_leader_then_is_published(self, w):
        report = accepted(w, category=w.procedures)
        answer = services.save_answer(
            report_id=report.pk, actor=w.officer, text="Đã sửa xong.", submit=True, expected_version=report.version
        )
        report.refresh_from_db()
        assert answer.status == AnswerStatus.PENDING
        assert report.status == ReportStatus.IN_PROGRESS
        assert Notice.objects.about(report).filter(user=w.leader).exists()

        services.approve_answer(report_id=report.pk, actor=w.leader, expected_version=report.version)
        report.refresh_from_db()
        answer.refresh_from_db()
        assert report.status == ReportStatus.ANSWERED and report.answered_at is not None
        assert answer.status == AnswerStatus.PUBLISHED and answer.approved_by == w.leader
        kinds = list(report.events.values_list("kind", "is_public"))
        assert (EventKind.ANSWER_APPROVED, False) in kinds and kinds[-1] == (EventKind.ANSWERED, True)

    def test_the_leader_may_edit_the_text_when_approving(self, w):
        report = accepted(w, category=w.procedures)
        services.save_answer(
            report_id=report.pk, actor=w.officer, text="Bản đầu.", submit=True, expected_version=report.version
        )
        report.refresh_from_db()
        answer = services.approve_answer(
            report_id=report.pk, actor=w.leader, text="Bản đã sửa.", expected_version=report.version
        )
        assert Answer.objects.get(pk=answer.pk).text == "Bản đã sửa."

    def test_send_back_needs_a_reason_and_returns_the_answer_to_its_author(self, w):
        report = accepted(w, category=w.procedures)
        services.save_answer(
            report_id=report.pk, actor=w.officer, text="Bản đầu.", submit=True, expected_version=report.version
        )
        report.refresh_from_db()
        refused(
            lambda: services.send_back_answer(
                report_id=report.pk, actor=w.leader, reason="", expected_version=report.version
            ),
            report,
            "nội dung cần sửa",
        )
        services.send_back_answer(
            report_id=report.pk, actor=w.leader, reason="Ghi rõ ngày sửa.", expected_version=report.version
        )
        report.refresh_from_db()
        assert Answer.objects.get(report=report).status == AnswerStatus.SENT_BACK
        assert Notice.objects.about(report).filter(user=w.officer, text__contains="Ghi rõ ngày sửa").exists()
        # The officer rewrites the same answer and submits it again.
        services.save_answer(
            report_id=report.pk, actor=w.officer, text="Sửa ngày 3/3.", submit=True, expected_version=report.version
        )
        assert Answer.objects.filter(report=report).count() == 1
        assert Answer.objects.get(report=report).status == AnswerStatus.PENDING

    def test_an_officer_cannot_approve(self, w):
        report = accepted(w, category=w.procedures)
        services.save_answer(
            report_id=report.pk, actor=w.officer, text="Xong.", submit=True, expected_version=report.version
        )
        report.refresh_from_db()
        refused(
            lambda: services.approve_answer(report_id=report.pk, actor=w.officer2, expected_version=report.version),
            report,
            "Chỉ lãnh đạo",
        )

    def test_nothing_to_approve_is_refused(self, w):
        report = accepted(w, category=w.procedures)
        refused(
            lambda: services.approve_answer(report_id=report.pk, actor=w.leader, expected_version=report.version),
            report,
            "Không có trả lời nào đang chờ duyệt",
        )

    def test_without_approval_the_answer_is_published_at_once(self, w):
        w.ward.answers_need_approval = False
        w.ward.save()
        report = accepted(w, category=w.procedures)
        answer = services.save_answer(
            report_id=report.pk, actor=w.officer, text="Đã giải quyết.", submit=True, expected_version=report.version
        )
        report.refresh_from_db()
        assert answer.status == AnswerStatus.PUBLISHED and answer.approved_by is None
        assert report.status == ReportStatus.ANSWERED

    def test_a_leaders_own_answer_needs_no_second_approval(self, w):
        report = accepted(w, category=w.procedures)
        services.save_answer(
            report_id=report.pk, actor=w.leader, text="Đã giải quyết.", submit=True, expected_version=report.version
        )
        report.refresh_from_db()
        assert report.status == ReportStatus.ANSWERED

    def test_an_answer_without_text_is_refused(self, w):
        report = accepted(w, category=w.procedures)
        refused(
            lambda: services.save_answer(
                report_id=report.pk, actor=w.officer, text="   ", submit=True, expected_version=report.version
            ),
            report,
            "nội dung trả lời",
        )

    def test_infrastructure_needs_a_photo_of_the_result(self, w):
        """Đèn chiếu sáng inherits "answer needs a photo" from Sự cố hạ tầng kỹ thuật."""
        w.ward.answers_need_approval = False
        w.ward.save()
        report = accepted(w, category=w.lights)
        refused(
            lambda: services.save_answer(
                report_id=report.pk, actor=w.officer, text="Đã thay bóng.", submit=True, expected_version=report.version
            ),
            report,
            "cần ít nhất một ảnh",
        )
        assert not ReportPhoto.objects.exists()
        answer = services.save_answer(
            report_id=report.pk,
            actor=w.officer,
            text="Đã thay bóng.",
            photos=[jpeg_upload()],
            submit=True,
            expected_version=report.version,
        )
        report.refresh_from_db()
        assert report.status == ReportStatus.ANSWERED
        photo = ReportPhoto.objects.get(report=report)
        assert (photo.kind, photo.answer_id) == (PhotoKind.ANSWER, answer.pk)

    def test_a_photo_in_the_draft_counts_when_submitting(self, w):
        w.ward.answers_need_approval = False
        w.ward.save()
        report = accepted(w, category=w.lights)
        services.save_answer(
            report_id=report.pk, actor=w.officer, text="Nháp.", photos=[jpeg_upload()], expected_version=report.version
        )
        report.refresh_from_db()
        services.save_answer(
            report_id=report.pk, actor=w.officer, text="Đã thay bóng.", submit=True, expected_version=report.version
        )
        report.refresh_from_db()
        assert report.status == ReportStatus.ANSWERED

    def test_a_file_that_is_not_a_photo_is_refused(self, w):
        from django.core.files.uploadedfile import SimpleUploadedFile

        report = accepted(w, category=w.lights)
        refused(
            lambda: services.save_answer(
                report_id=report.pk,
                actor=w.officer,
                text="Xong.",
                photos=[SimpleUploadedFile("x.jpg", b"not a photo", content_type="image/jpeg")],
                submit=True,
                expected_version=report.version,
            ),
            report,
            "JPEG, PNG",
        )

    def test_leader_approval_of_infrastructure_needs_the_photo_too(self, w):
        report = accepted(w, category=w.lights)
        services.save_answer(
            report_id=report.pk,
            actor=w.officer,
            text="Đã thay bóng.",
            photos=[jpeg_upload()],
            submit=True,
            expected_version=report.version,
        )
        report.refresh_from_db()
        ReportPhoto.objects.filter(report=report).update(is_hidden=True)
        refused(
            lambda: services.approve_answer(report_id=report.pk, actor=w.leader, expected_version=report.version),
            report,
            "cần ít nhất một ảnh",
        )

    def test_an_answer_on_a_report_not_yet_accepted_is_refused(self, w):
        report = file_report(w, category=w.procedures)
        refused(
            lambda: services.save_answer(
                report_id=report.pk, actor=w.officer, text="Xong.", submit=True, expected_version=report.version
            ),
            report,
            "Đã chuyển cơ quan xử lý",
        )


class TestRejectAndReturn:
    def test_reject_needs_a_reason_and_is_public(self, w):
        report = file_report(w)
        refused(
            lambda: services.reject_report(report_id=report.pk, actor=w.officer, reason=" ", expected_version=0),
            report,
            "lý do không tiếp nhận",
        )
        services.reject_report(
            report_id=report.pk,
            actor=w.officer,
            reason="Nội dung tố cáo, giải quyết theo Luật Tố cáo.",
            expected_version=0,
        )
        report.refresh_from_db()
        assert report.status == ReportStatus.REJECTED and report.closed_at is not None
        event = report.events.last()
        assert event.is_public and "Luật Tố cáo" in event.message

    def test_the_centre_rejects_from_triage(self, w):
        report = file_report(w, status=ReportStatus.TRIAGE, agency="hotline")
        services.reject_report(report_id=report.pk, actor=w.operator, reason="Trùng lặp, spam.", expected_version=0)
        assert Report.objects.get(pk=report.pk).status == ReportStatus.REJECTED

    def test_an_agency_cannot_reject_a_report_in_triage(self, w):
        report = file_report(w, status=ReportStatus.TRIAGE, agency="hotline")
        refused(
            lambda: services.reject_report(report_id=report.pk, actor=w.officer, reason="x", expected_version=0),
            report,
            "không phải cán bộ",
        )

    def test_return_to_1022_needs_a_reason_then_restarts_the_centres_clock(self, w):
        report = accepted(w)
        refused(
            lambda: services.return_to_centre(
                report_id=report.pk, actor=w.officer, reason="", expected_version=report.version
            ),
            report,
            "lý do trả lại",
        )
        services.return_to_centre(
            report_id=report.pk,
            actor=w.officer,
            reason="Tuyến đường do Sở Xây dựng quản lý.",
            expected_version=report.version,
        )
        report.refresh_from_db()
        assert report.status == ReportStatus.RETURNED
        assert report.agency == w.ward  # the transfer stays on record
        assert report.assignee is None and report.answer_due_at is None
        assert report.accept_due_at > timezone.now()
        event = report.events.last()
        assert event.kind == EventKind.RETURNED and event.is_public
        assert not report.events.filter(kind=EventKind.NOTE).exists()  # in time: no late note

    def test_a_late_return_is_noted_internally(self, w):
        report = file_report(w)
        report.events.update(created_at=timezone.now() - dt.timedelta(days=30))
        services.return_to_centre(
            report_id=report.pk, actor=w.officer, reason="Không thuộc thẩm quyền.", expected_version=0
        )
        note = report.events.get(kind=EventKind.NOTE)
        assert not note.is_public and "5 ngày làm việc" in note.message

    def test_an_answered_report_cannot_be_returned(self, w):
        w.ward.answers_need_approval = False
        w.ward.save()
        report = accepted(w, category=w.procedures)
        services.save_answer(
            report_id=report.pk, actor=w.officer, text="Xong.", submit=True, expected_version=report.version
        )
        report.refresh_from_db()
        refused(
            lambda: services.return_to_centre(
                report_id=report.pk, actor=w.officer, reason="x", expected_version=report.version
            ),
            report,
            "Đã trả lời",
        )


class TestClose:
    def test_an_answered_report_is_closed(self, w):
        w.ward.answers_need_approval = False
        w.ward.save()
        report = accepted(w, category=w.procedures)
        services.save_answer(
            report_id=report.pk, actor=w.officer, text="Xong.", submit=True, expected_version=report.version
        )
        report.refresh_from_db()
        services.close_report(report_id=report.pk, actor=w.officer, expected_version=report.version)
        report.refresh_from_db()
        assert report.status == ReportStatus.CLOSED and report.closed_at is not None

    def test_an_open_report_cannot_be_closed(self, w):
        report = accepted(w)
        refused(
            lambda: services.close_report(report_id=report.pk, actor=w.officer, expected_version=report.version),
            report,
            "Đang xử lý",
        )


class TestPhoneIntake:
    def test_an_operator_files_a_phoned_in_report_and_the_caller_gets_the_code_by_sms(
        self, w, django_capture_on_commit_callbacks
    ):
        from citizens.models import OutboundSms

        with django_capture_on_commit_callbacks(execute=True):
            report = services.intake_phone_report(
                actor=w.operator,
                caller_name="Lê Văn Gọi",
                caller_phone="0987 654 321",
                category=w.procedures,
                unit=w.lechan,
                title="Chậm trả kết quả hồ sơ",
                description="Hồ sơ nộp từ tháng trước chưa có kết quả.",
                address="Số 1 Lạch Tray",
                idempotency_key="call-1",
            )
        report.refresh_from_db()
        assert report.channel == Channel.PHONE
        assert (report.contact_name, report.contact_phone, report.reporter) == ("Lê Văn Gọi", "+84987654321", None)
        # Routed by the same rules as the web form.
        assert (report.status, report.agency) == (ReportStatus.ASSIGNED, w.ward)
        sms = OutboundSms.objects.get(phone="+84987654321")
        assert report.code in sms.text
        assert report.events.filter(kind=EventKind.NOTE, actor=w.operator, is_public=False).exists()
        again = services.intake_phone_report(
            actor=w.operator,
            caller_name="Lê Văn Gọi",
            caller_phone="0987654321",
            category=w.procedures,
            unit=w.lechan,
            title="Chậm trả kết quả hồ sơ",
            description="Hồ sơ nộp từ tháng trước chưa có kết quả.",
            idempotency_key="call-1",
        )
        assert again.pk == report.pk and Report.objects.count() == 1

    def test_only_operators_take_calls_and_the_phone_must_be_valid(self, w):
        kwargs = {
            "caller_name": "Lê Văn Gọi",
            "caller_phone": "0987654321",
            "category": w.procedures,
            "unit": w.lechan,
            "title": "Chậm trả kết quả",
            "description": "Hồ sơ nộp từ tháng trước.",
        }
        with pytest.raises(services.ReportActionError, match="Chỉ điều phối viên"):
            services.intake_phone_report(actor=w.officer, **kwargs)
        with pytest.raises(services.ReportActionError, match="không hợp lệ"):
            services.intake_phone_report(actor=w.operator, **{**kwargs, "caller_phone": "12345"})
        assert not Report.objects.exists()


class TestReopened:
    def test_a_reopened_report_is_answered_again_on_a_fresh_clock(self, w):
        """The citizen reopens; the same agency answers again (through its leader) by the new deadline."""
        report = accepted(w, category=w.procedures)
        services.save_answer(
            report_id=report.pk, actor=w.officer, text="Đã xử lý.", submit=True, expected_version=report.version
        )
        report.refresh_from_db()
        services.approve_answer(report_id=report.pk, actor=w.leader, expected_version=report.version)
        report.refresh_from_db()
        first_due = report.answer_due_at
        Report.objects.filter(pk=report.pk).update(answered_at=timezone.now() - dt.timedelta(days=1))
        services.reopen_report(report_id=report.pk, user=w.citizen, reason="Vẫn chưa được giải quyết, đèn lại tắt.")
        report.refresh_from_db()
        assert report.status == ReportStatus.REOPENED and report.answer_due_at >= first_due
        refused(
            lambda: services.accept_report(report_id=report.pk, actor=w.officer, expected_version=report.version),
            report,
            "Mở lại",
        )
        services.save_answer(
            report_id=report.pk, actor=w.officer, text="Đã thay dây điện.", submit=True, expected_version=report.version
        )
        report.refresh_from_db()
        services.approve_answer(report_id=report.pk, actor=w.leader, expected_version=report.version)
        report.refresh_from_db()
        assert report.status == ReportStatus.ANSWERED
        assert list(Answer.objects.filter(report=report).values_list("status", flat=True)) == [
            AnswerStatus.PUBLISHED,
            AnswerStatus.PUBLISHED,
        ]


class TestBadChoices:
    def test_a_malformed_agency_or_category_is_refused_with_a_message(self, w):
        report = file_report(w, status=ReportStatus.TRIAGE, agency="hotline")
        refused(
            lambda: services.route_to_agency(report_id=report.pk, actor=w.operator, agency_id="", expected_version=0),
            report,
            "chọn cơ quan",
        )
        refused(
            lambda: services.correct_report(
                report_id=report.pk, actor=w.operator, category_id="abc", expected_version=0
            ),
            report,
            "Lĩnh vực không hợp lệ",
        )
        refused(
            lambda: services.correct_report(
                report_id=report.pk, actor=w.operator, unit_code="00000", expected_version=0
            ),
            report,
            "Phường, xã không hợp lệ",
        )
