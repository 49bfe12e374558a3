"""Filing a report: the form, the tracking code, idempotency, bad input leaving nothing behind."""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import re
import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from citizens.models import OutboundSms
from feedback import services
from feedback.models import EventKind, Report, ReportPhoto, ReportStatus
from notices.models import Notice
from tests.feedback.citizen_world import (  # noqa: F401
    LE_CHAN_POINT,
    NGO_QUYEN_POINT,
    OUTSIDE_POINT,
    fresh_geo_index,
    image_bytes,
    stored_files,
    upload,
    world,
)

SUBMIT = reverse("feedback:submit")


def form_data(world, **overrides):
    data = {
        "category": str(world.roads.pk),
        "title": "Ổ gà lớn trên đường Lạch Tray",
        "description": "Ổ gà sâu khoảng 20 cm trước số 120, xe máy đi qua rất dễ ngã.",
        "lat": str(LE_CHAN_POINT[0]),
        "lng": str(LE_CHAN_POINT[1]),
        "unit": "",
        "address": "120 Lạch Tray",
        "visibility": "public",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def alice_client(client, world):
    client.force_login(world.alice)
    return client


def test_a_visitor_is_sent_to_sign_in(client, world):
    response = client.get(SUBMIT)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_form_shows_the_categories_grouped_and_a_fresh_key(alice_client, world):
    response = alice_client.get(SUBMIT)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<optgroup label="Sự cố hạ tầng kỹ thuật">' in html
    assert "Đường, hè phố" in html and "Góp ý hiến kế" in html
    keys = re.findall(r'name="idempotency_key" value="([0-9a-f-]{36})"', html)
    assert len(keys) == 1
    assert keys[0] not in alice_client.get(SUBMIT).content.decode()


def test_a_citizen_files_a_report_with_a_photo(alice_client, world, settings):
    data = form_data(world)
    data["photos"] = upload(image_bytes(size=(3000, 2000)), name="o-ga.jpg")
    response = alice_client.post(SUBMIT, data)

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    assert re.fullmatch(r"PA-\d{4}-000001", report.code)
    assert report.reporter == world.alice
    assert report.unit == world.lechan  # found from the pin
    assert (report.lat, report.lng) == LE_CHAN_POINT
    assert report.is_public and not report.hide_identity
    # Routed in the same request (tasks are eager in tests) to the ward's committee.
    assert report.status == ReportStatus.ASSIGNED
    assert report.agency == world.lechan_committee
    assert report.routed_at is not None and report.accept_due_at is not None
    photo = ReportPhoto.objects.get(report=report)
    assert max(photo.width, photo.height) == 2048
    # The tracking code is on the page, and an SMS and an in-site notice say it was received.
    page = alice_client.get(response["Location"]).content.decode()
    assert report.code in page
    sms = OutboundSms.objects.get(phone=world.alice.phone)
    assert report.code in sms.text and "tiep nhan" in sms.text and "UBND Phuong Le Chan" in sms.text
    notice = Notice.objects.get(user=world.alice)
    assert notice.target == f"feedback.report:{report.pk}" and notice.url == report.get_absolute_url()
    assert "đã được tiếp nhận" in notice.text


def test_a_heic_photo_is_accepted_by_the_form(alice_client, world):
    form = alice_client.get(SUBMIT).content.decode()
    assert 'accept="image/jpeg,image/png,image/webp,image/heic,image/heif"' in form
    data = form_data(world)
    data["photos"] = upload(image_bytes("HEIF", size=(640, 480)), name="IMG_0042.HEIC", content_type="image/heic")
    assert alice_client.post(SUBMIT, data).status_code == 302
    photo = ReportPhoto.objects.get(report=Report.objects.get())
    assert photo.image.name.endswith(".jpg") and (photo.width, photo.height) == (640, 480)


def test_the_ward_chosen_by_the_citizen_wins_over_the_pin(alice_client, world):
    alice_client.post(SUBMIT, form_data(world, unit=world.ngoquyen.code))
    report = Report.objects.get()
    assert report.unit == world.ngoquyen
    assert report.agency == world.ngoquyen_committee


def test_without_the_map_a_ward_and_an_address_are_enough(alice_client, world):
    response = alice_client.post(SUBMIT, form_data(world, lat="", lng="", unit=world.ngoquyen.code))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.lat is None and report.unit == world.ngoquyen and report.address == "120 Lạch Tray"


def test_a_private_report_with_hidden_identity(alice_client, world):
    alice_client.post(SUBMIT, form_data(world, visibility="private", hide_identity="on"))
    report = Report.objects.get()
    assert not report.is_public and report.hide_identity


def test_the_same_form_sent_twice_files_one_report(alice_client, world):
    data = form_data(world)
    first = alice_client.post(SUBMIT, data)
    again = alice_client.post(SUBMIT, data)  # a double tap, or a retry after a lost response
    assert Report.objects.count() == 1
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert OutboundSms.objects.count() == 1


def test_a_resubmitted_form_with_photos_stores_them_once(alice_client, world, settings):
    data = form_data(world)
    data["photos"] = upload(image_bytes())
    alice_client.post(SUBMIT, data)
    data["photos"] = upload(image_bytes())
    alice_client.post(SUBMIT, data)
    assert ReportPhoto.objects.count() == 1
    assert len(stored_files(settings.MEDIA_ROOT)) == 2  # the photo and its thumbnail


def test_the_service_returns_the_same_report_for_the_same_key(world):
    args = {
        "category": world.roads,
        "title": "Đèn đường hỏng",
        "description": "Ba cột đèn liền nhau không sáng.",
        "unit": world.lechan,
        "idempotency_key": "same-key",
    }
    first, created = services.submit_report(reporter=world.alice, **args)
    second, created_again = services.submit_report(reporter=world.alice, **args)
    assert created and not created_again and first.pk == second.pk
    # Another person's key never matches Alice's.
    other, other_created = services.submit_report(reporter=world.bob, **args)
    assert other_created and other.pk != first.pk


def test_tracking_codes_count_up_within_a_year(world):
    codes = [services.next_report_code() for _ in range(3)]
    numbers = [int(code.rsplit("-", 1)[1]) for code in codes]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    import datetime

    assert services.next_report_code(datetime.date(2031, 1, 1)) == "PA-2031-000001"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_never_share_a_code(world):
    """On PostgreSQL, 8 threads filing at once get 8 different codes (and 8 reports)."""
    errors, barrier = [], threading.Barrier(8)

    def submit(number):
        try:
            barrier.wait()
            services.submit_report(
                reporter=world.alice,
                category=world.ideas,
                title=f"Góp ý số {number}",
                description="Đề nghị bố trí thêm thùng rác công cộng.",
                unit=world.lechan,
                idempotency_key=f"parallel-{number}",
            )
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    codes = list(Report.objects.values_list("code", flat=True))
    assert len(codes) == 8 and len(set(codes)) == 8


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_files_one_report(world):
    """Two requests with one key racing on PostgreSQL: one report, both get its code."""
    results, barrier = [], threading.Barrier(2)

    def submit():
        try:
            barrier.wait()
            report, _created = services.submit_report(
                reporter=world.alice,
                category=world.ideas,
                title="Góp ý về bãi đỗ xe",
                description="Đề nghị mở thêm bãi đỗ xe gần chợ.",
                unit=world.lechan,
                idempotency_key="double-tap",
            )
            results.append(report.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Report.objects.count() == 1
    assert results == [Report.objects.get().code] * 2


# --- Bad input: a clear message by the field, the rest kept, nothing saved ----------------------


def assert_nothing_saved(settings):
    assert Report.objects.count() == 0
    assert ReportPhoto.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required|Trường này là bắt buộc"),
        ("title", "x" * 201, "200"),
        ("description", "ngắn", "10"),
        ("category", "999999", "Lĩnh vực không có trong danh sách"),
        ("category", "khong-phai-so", "Lĩnh vực không có trong danh sách"),
    ],
)
def test_bad_fields_are_refused_with_a_message(alice_client, world, settings, field, value, message):
    data = form_data(world, **{field: value})
    data["photos"] = upload(image_bytes())
    response = alice_client.post(SUBMIT, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and re.search(message, " ".join(errors[field]))
    html = response.content.decode()
    assert "Phản ánh chưa được gửi" in html
    assert "120 Lạch Tray" in html  # the rest of the form is kept
    assert_nothing_saved(settings)


def test_a_category_heading_is_not_a_choice(alice_client, world, settings):
    response = alice_client.post(SUBMIT, form_data(world, category=str(world.infra.pk)))
    assert "Lĩnh vực không có trong danh sách" in " ".join(response.context["form"].errors["category"])
    assert_nothing_saved(settings)


def test_a_point_outside_the_city_is_refused(alice_client, world, settings):
    data = form_data(world, lat=str(OUTSIDE_POINT[0]), lng=str(OUTSIDE_POINT[1]), unit=world.lechan.code)
    response = alice_client.post(SUBMIT, data)
    assert response.status_code == 200
    assert "nằm ngoài thành phố Hải Phòng" in " ".join(response.context["form"].errors["lat"])
    assert "nằm ngoài thành phố Hải Phòng" in response.content.decode()
    assert_nothing_saved(settings)


def test_no_place_at_all_is_refused(alice_client, world, settings):
    response = alice_client.post(SUBMIT, form_data(world, lat="", lng="", unit=""))
    assert "Vui lòng chọn phường, xã" in " ".join(response.context["form"].errors["unit"])
    assert_nothing_saved(settings)


def test_too_many_photos_are_refused(alice_client, world, settings):
    data = form_data(world)
    data["photos"] = [upload(image_bytes(), name=f"anh-{n}.jpg") for n in range(6)]
    response = alice_client.post(SUBMIT, data)
    assert response.status_code == 200
    assert "Tối đa 5 ảnh" in " ".join(response.context["form"].errors["photos"])
    assert_nothing_saved(settings)


def test_a_corrupt_photo_among_good_ones_saves_nothing(alice_client, world, settings):
    good = image_bytes()
    data = form_data(world)
    data["photos"] = [upload(good, name="tot.jpg"), upload(good[: len(good) // 3], name="hong.jpg")]
    response = alice_client.post(SUBMIT, data)
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["photos"])
    assert "hong.jpg" in message and "tot.jpg" not in message
    assert_nothing_saved(settings)


def test_a_disguised_file_is_refused(alice_client, world, settings):
    data = form_data(world)
    data["photos"] = upload(b"<html><script>alert(1)</script></html>", name="anh.jpg", content_type="image/jpeg")
    response = alice_client.post(SUBMIT, data)
    assert "không phải ảnh JPEG, PNG, WEBP hoặc HEIC" in " ".join(response.context["form"].errors["photos"])
    assert_nothing_saved(settings)


def test_a_too_large_photo_is_refused(alice_client, world, settings, monkeypatch):
    from feedback import photos

    monkeypatch.setattr(photos, "MAX_UPLOAD_BYTES", 1000)
    data = form_data(world)
    data["photos"] = upload(image_bytes(size=(800, 600)))
    response = alice_client.post(SUBMIT, data)
    assert "quá lớn" in " ".join(response.context["form"].errors["photos"])
    assert_nothing_saved(settings)


def test_a_failure_after_the_photos_were_written_removes_them(world, settings, monkeypatch):
    """The transaction rolls back and the files it wrote are deleted: no stray photos."""
    from feedback import photos

    processed = [photos.process(image_bytes()), photos.process(image_bytes(color=(0, 0, 255)))]

    def broken_log_event(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.submission, "log_event", broken_log_event)
    with pytest.raises(RuntimeError):
        services.submit_report(
            reporter=world.alice,
            category=world.roads,
            title="Ổ gà trên đường",
            description="Ổ gà sâu, nguy hiểm cho xe máy.",
            unit=world.lechan,
            photos=processed,
            idempotency_key="will-fail",
        )
    assert_nothing_saved(settings)
    assert not Report.objects.filter(idempotency_key__endswith="will-fail").exists()


def test_the_submission_is_logged_as_the_first_step(world):
    from tests.feedback.citizen_world import file_report

    report = file_report(world.alice, world.roads)
    kinds = list(report.events.values_list("kind", flat=True))
    assert kinds == [EventKind.SUBMITTED, EventKind.RECEIVED, EventKind.ROUTED]
