"""The officer workflow in feedback.services, continued: the 1022 centre's routing, merging
duplicates, correcting a report's facts and redacting it. Every refusal leaves nothing changed."""

import json

import pytest
from django.utils import timezone
from PIL import Image

from feedback import services
from feedback.models import EventKind, Follow, ReportStatus
from notices.models import Notice
from tests.feedback.officer_world import accepted, build, file_report, jpeg_upload, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_user):
    return build(make_user)


class TestCentreRouting:
    def test_the_centre_routes_a_returned_report_to_another_agency(self, w):
        report = accepted(w)
        services.return_to_centre(
            report_id=report.pk, actor=w.officer, reason="Không thuộc.", expected_version=report.version
        )
        report.refresh_from_db()
        refused(
            lambda: services.route_to_agency(
                report_id=report.pk, actor=w.operator, agency_id=w.ward.pk, expected_version=report.version
            ),
            report,
            "vừa trả lại",
        )
        services.route_to_agency(
            report_id=report.pk,
            actor=w.operator,
            agency_id=w.other.pk,
            reason="Địa bàn Ngô Quyền.",
            expected_version=report.version,
        )
        report.refresh_from_db()
        assert (report.status, report.agency) == (ReportStatus.ASSIGNED, w.other)
        assert report.accepted_at is None and report.accept_due_at > timezone.now()
        assert report.events.last().kind == EventKind.TRANSFERRED

    def test_routing_from_triage_is_a_first_routing(self, w):
        report = file_report(w, status=ReportStatus.TRIAGE, agency="hotline")
        services.route_to_agency(report_id=report.pk, actor=w.operator, agency_id=w.ward.pk, expected_version=0)
        report.refresh_from_db()
        assert (report.status, report.agency, report.events.last().kind) == (
            ReportStatus.ASSIGNED,
            w.ward,
            EventKind.ROUTED,
        )

    def test_only_operators_route_and_never_to_the_centre_itself(self, w):
        report = file_report(w, status=ReportStatus.TRIAGE, agency="hotline")
        refused(
            lambda: services.route_to_agency(
                report_id=report.pk, actor=w.leader, agency_id=w.ward.pk, expected_version=0
            ),
            report,
            "Chỉ điều phối viên",
        )
        refused(
            lambda: services.route_to_agency(
                report_id=report.pk, actor=w.operator, agency_id=w.hotline.pk, expected_version=0
            ),
            report,
            "chọn cơ quan",
        )


class TestMerge:
    def test_a_duplicate_closes_and_its_people_follow_the_original(self, w):
        original = file_report(w)
        duplicate = file_report(w, reporter=w.neighbour)
        follower = w.officer2  # anyone who followed the duplicate
        Follow.objects.create(user=follower, report=duplicate)
        Follow.objects.create(user=w.citizen, report=duplicate)  # already the original's reporter
        services.merge_duplicate(
            report_id=duplicate.pk, actor=w.officer, original_code=original.code.lower(), expected_version=0
        )
        duplicate.refresh_from_db()
        original.refresh_from_db()
        assert duplicate.status == ReportStatus.CLOSED and duplicate.merged_into == original
        assert set(Follow.objects.filter(report=original).values_list("user_id", flat=True)) == {
            w.neighbour.pk,
            follower.pk,
        }
        assert not Follow.objects.filter(report=duplicate).exists()
        assert (original.follower_count, duplicate.follower_count) == (2, 0)
        assert original.events.filter(kind=EventKind.MERGED, is_public=False).exists()
        assert duplicate.events.last().kind == EventKind.MERGED

    def test_followers_who_may_not_see_a_private_original_are_told_not_moved(self, w, make_user):
        """Merging into a private report moves only those who may see it: a stranger who followed the
        public duplicate gets none of the private report's notices and no trace of it in their export."""
        from citizens.services import export_user_data

        original = file_report(w, is_public=False)  # w.citizen's own, private
        duplicate = file_report(w, reporter=w.neighbour)
        stranger = make_user(username="stranger", phone="+84911000077", phone_verified=True)
        Follow.objects.create(user=stranger, report=duplicate)
        Follow.objects.create(user=w.officer2, report=duplicate)  # handles the agency: may see it
        services.merge_duplicate(
            report_id=duplicate.pk, actor=w.officer, original_code=original.code, expected_version=0
        )
        followers = set(Follow.objects.filter(report=original).values_list("user_id", flat=True))
        assert followers == {w.officer2.pk}
        told = Notice.objects.about(duplicate).filter(user=stranger).get()
        assert "đã được gộp" in told.text and original.code not in told.text
        assert told.url == duplicate.get_absolute_url()
        assert not Notice.objects.about(original).filter(user__in=[stranger, w.neighbour]).exists()
        export = export_user_data(stranger)
        assert original.code not in json.dumps(export, ensure_ascii=False)

    def test_merge_refusals(self, w):
        report = file_report(w)
        elsewhere = file_report(w, agency="other")
        refused(
            lambda: services.merge_duplicate(
                report_id=report.pk, actor=w.officer, original_code=report.code, expected_version=0
            ),
            report,
            "chính nó",
        )
        refused(
            lambda: services.merge_duplicate(
                report_id=report.pk, actor=w.officer, original_code=elsewhere.code, expected_version=0
            ),
            report,
            "Không tìm thấy phản ánh gốc",
        )
        refused(
            lambda: services.merge_duplicate(
                report_id=report.pk, actor=w.officer, original_code="PA-0000-000000", expected_version=0
            ),
            report,
            "Không tìm thấy phản ánh gốc",
        )


class TestCorrect:
    def test_a_new_category_re_routes_by_the_rules(self, w):
        report = file_report(w, category=w.lights)
        services.correct_report(
            report_id=report.pk,
            actor=w.officer,
            category_id=w.ideas.pk,
            reason="Là góp ý, không phải sự cố.",
            expected_version=0,
        )
        report.refresh_from_db()
        assert (report.category, report.agency, report.status) == (w.ideas, w.other, ReportStatus.ASSIGNED)
        kinds = list(report.events.values_list("kind", flat=True))
        assert kinds[-2:] == [EventKind.RECATEGORISED, EventKind.TRANSFERRED]

    def test_a_correction_the_rules_keep_here_stays(self, w):
        report = file_report(w, category=w.lights)
        services.correct_report(
            report_id=report.pk,
            actor=w.officer,
            category_id=w.procedures.pk,
            address="Số 5 Tô Hiệu",
            expected_version=0,
        )
        report.refresh_from_db()
        assert (report.category, report.agency, report.address) == (w.procedures, w.ward, "Số 5 Tô Hiệu")
        assert report.version == 1

    def test_no_rule_sends_it_to_triage(self, w):
        report = file_report(w, category=w.procedures)
        services.correct_report(report_id=report.pk, actor=w.officer, category_id=w.lights.pk, expected_version=0)
        report.refresh_from_db()
        assert (report.status, report.agency) == (ReportStatus.TRIAGE, w.hotline)

    def test_no_change_is_refused(self, w):
        report = file_report(w)
        refused(
            lambda: services.correct_report(
                report_id=report.pk, actor=w.officer, category_id=report.category_id, expected_version=0
            ),
            report,
            "Không có thay đổi",
        )


class TestRedact:
    def test_text_is_edited_and_logged_internally(self, w):
        report = file_report(w, description="Nhà ông Nguyễn Văn A, số điện thoại 0912345678, đèn hỏng.")
        services.redact_report(
            report_id=report.pk,
            actor=w.officer,
            title=report.title,
            description="Nhà ông A, đèn hỏng.",
            reason="Xoá số điện thoại.",
            expected_version=0,
        )
        report.refresh_from_db()
        assert "0912345678" not in report.description and "0912345678" not in report.search_key
        event = report.events.last()
        assert (event.kind, event.is_public) == (EventKind.REDACTED, False)

    def test_blank_title_is_refused(self, w):
        report = file_report(w)
        refused(
            lambda: services.redact_report(
                report_id=report.pk, actor=w.officer, title=" ", description="x x x", expected_version=0
            ),
            report,
            "tiêu đề",
        )

    def _photo(self, w, report):
        from feedback import photos

        return photos.save_photos(report, [photos.process(jpeg_upload(color=(250, 250, 250), size=(200, 100)))])[0]

    def test_a_photo_is_hidden_then_shown(self, w):
        report = file_report(w)
        photo = self._photo(w, report)
        services.set_photo_hidden(
            report_id=report.pk, actor=w.officer, photo_id=photo.pk, hidden=True, expected_version=0
        )
        photo.refresh_from_db()
        assert photo.is_hidden
        report.refresh_from_db()
        services.set_photo_hidden(
            report_id=report.pk, actor=w.officer, photo_id=photo.pk, hidden=False, expected_version=report.version
        )
        photo.refresh_from_db()
        assert not photo.is_hidden

    def test_a_region_is_blurred_for_good(self, w, django_capture_on_commit_callbacks):
        report = file_report(w)
        photo = self._photo(w, report)
        # A sharp black square in the top-left corner of a white photo.
        with photo.image.open("rb") as handle:
            image = Image.open(handle).convert("RGB")
        image.paste((0, 0, 0), (0, 0, 40, 40))
        photo.image.save("sharp.jpg", _jpeg(image), save=False)
        photo.width, photo.height = image.size
        photo.save()
        old_name = photo.image.name
        with django_capture_on_commit_callbacks(execute=True):
            services.blur_photo(
                report_id=report.pk, actor=w.officer, photo_id=photo.pk, box=("0", "0", "50", "100"), expected_version=0
            )
        photo.refresh_from_db()
        assert photo.image.name != old_name
        assert not photo.image.storage.exists(old_name)
        with photo.image.open("rb") as handle:
            blurred = Image.open(handle).convert("L")
            # The square's sharp edge is smeared: its corner is no longer black, the right half untouched.
            assert blurred.getpixel((38, 20)) > 40
            assert blurred.getpixel((190, 50)) > 240
        assert report.events.last().kind == EventKind.REDACTED

    def test_a_bad_blur_box_is_refused(self, w):
        report = file_report(w)
        photo = self._photo(w, report)
        refused(
            lambda: services.blur_photo(
                report_id=report.pk, actor=w.officer, photo_id=photo.pk, box=("0", "0", "0", "x"), expected_version=0
            ),
            report,
            "không hợp lệ",
        )


def _jpeg(image):
    import io

    from django.core.files.base import ContentFile

    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return ContentFile(buffer.getvalue())
