"""The photo pipeline: only real JPEG/PNG/WEBP/HEIC in, re-encoded without metadata out, bombs and
disguised files refused, rotation kept, GPS only ever a suggestion."""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import io

import pytest
from django.urls import reverse
from PIL import Image

from feedback import photos
from feedback.models import ReportPhoto
from tests.feedback.citizen_world import (  # noqa: F401
    LE_CHAN_POINT,
    file_report,
    fresh_geo_index,
    gps_exif,
    image_bytes,
    stored_files,
    upload,
    world,
)


def decoded(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_jpeg_is_re_encoded_without_any_metadata():
    original = image_bytes(size=(800, 600), exif=gps_exif(20.84, 106.68))
    assert Image.open(io.BytesIO(original)).getexif()  # the upload carries GPS and the camera make

    result = photos.process(original)

    image = decoded(result.image)
    assert image.format == "JPEG"
    assert not image.getexif()
    assert "exif" not in image.info and "icc_profile" not in image.info and "comment" not in image.info
    assert b"PhoneMaker" not in result.image and b"Exif" not in result.image
    assert decoded(result.thumbnail).size == (320, 240)


def test_the_gps_of_a_photo_is_read_as_a_suggestion_only():
    result = photos.process(image_bytes(exif=gps_exif(20.8406, 106.6792)))
    assert result.gps == pytest.approx((20.8406, 106.6792), abs=1e-4)
    assert photos.read_gps(image_bytes(exif=gps_exif(-33.86, -151.2))) == pytest.approx((-33.86, -151.2), abs=1e-4)
    assert photos.process(image_bytes()).gps is None


def test_the_rotation_from_exif_is_kept_in_the_pixels():
    """A phone photo taken upright is stored landscape with "rotate 90°" in EXIF: the re-encoded file
    has no EXIF left, so the rotation must be applied to the pixels."""
    landscape = Image.new("RGB", (400, 200), (255, 255, 255))
    landscape.paste((255, 0, 0), (0, 0, 40, 200))  # a red band on the left edge
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    landscape.save(buffer, "JPEG", exif=exif, quality=95)

    result = photos.process(buffer.getvalue())

    image = decoded(result.image)
    assert (result.width, result.height) == image.size == (200, 400)
    top_middle = image.getpixel((100, 10))
    assert top_middle[0] > 200 and top_middle[1] < 60  # the left band is now on top


def test_large_photos_are_shrunk_to_2048_pixels():
    result = photos.process(image_bytes(size=(4000, 3000)))
    assert (result.width, result.height) == (2048, 1536)


@pytest.mark.parametrize(
    ("fmt", "mode", "color"),
    [("PNG", "RGBA", (0, 0, 255, 100)), ("WEBP", "RGB", (0, 128, 0)), ("PNG", "P", 3), ("JPEG", "L", 128)],
)
def test_png_webp_and_other_modes_become_plain_jpeg(fmt, mode, color):
    result = photos.process(image_bytes(fmt, mode=mode, color=color, size=(300, 200)))
    image = decoded(result.image)
    assert image.format == "JPEG" and image.mode == "RGB" and image.size == (300, 200)


def test_a_heic_photo_from_a_phone_becomes_a_plain_jpeg():
    """iPhones save HEIC: it is read, its GPS offered as a suggestion, and stored as a clean JPEG."""
    original = image_bytes("HEIF", size=(800, 600), exif=gps_exif(20.8406, 106.6792))
    assert original[4:12] == b"ftypheic"

    result = photos.process(upload(original, name="IMG_0001.HEIC"))

    image = decoded(result.image)
    assert image.format == "JPEG" and image.size == (800, 600)
    assert not image.getexif() and b"PhoneMaker" not in result.image
    assert result.gps == pytest.approx((20.8406, 106.6792), abs=1e-4)
    red, green, blue = image.getpixel((400, 300))
    assert red > 150 and green < 90 and blue < 90  # the pixels came through


def test_a_heic_over_the_pixel_cap_or_cut_short_is_refused(monkeypatch):
    heic = image_bytes("HEIF", size=(200, 100))
    with pytest.raises(photos.PhotoError):
        photos.process(heic[: len(heic) // 2])
    monkeypatch.setattr(photos, "MAX_PIXELS", 199 * 100)
    with pytest.raises(photos.PhotoError, match="kích thước quá lớn"):
        photos.process(heic)


def test_a_decompression_bomb_is_refused_before_decoding():
    """A tiny PNG declaring 12000 × 12000 pixels (144 megapixels) is refused from its header."""
    bomb = image_bytes("PNG", mode="1", color=0, size=(12000, 12000))
    assert len(bomb) < 100_000
    with pytest.raises(photos.PhotoError, match="kích thước quá lớn"):
        photos.process(bomb)


def test_an_image_just_over_the_pixel_cap_is_refused(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 100 * 100)
    with pytest.raises(photos.PhotoError, match="kích thước quá lớn"):
        photos.process(image_bytes(size=(101, 100)))
    assert photos.process(image_bytes(size=(100, 100))).width == 100


def test_a_polyglot_keeps_only_its_pixels():
    """A real JPEG with a script appended (a JPEG/HTML polyglot): accepted as a photo, but the new
    file is encoded from the pixels, so nothing of the payload survives."""
    payload = b"<script>alert(document.cookie)</script><?php system($_GET['c']); ?>PK\x03\x04"
    result = photos.process(image_bytes() + payload)
    assert b"<script>" not in result.image and b"<?php" not in result.image and b"PK\x03\x04" not in result.image
    assert decoded(result.image).format == "JPEG"


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>not a photo</body></html>",
        b"%PDF-1.4\n1 0 obj<<>>endobj",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"\xff\xd8\xff\xe0 only the start of a jpeg",
        b"",
    ],
    ids=["html", "pdf", "gif", "jpeg-header-only", "empty"],
)
def test_files_that_are_not_jpeg_png_or_webp_are_refused(data):
    with pytest.raises(photos.PhotoError):
        photos.process(data)


def test_a_real_gif_is_refused_whatever_its_name():
    with pytest.raises(photos.PhotoError, match="JPEG, PNG, WEBP hoặc HEIC"):
        photos.process(upload(image_bytes("GIF", mode="P", color=1), name="anh.jpg"))


def test_a_truncated_jpeg_is_refused():
    data = image_bytes(size=(1200, 900))
    with pytest.raises(photos.PhotoError):
        photos.process(data[: len(data) // 2])


def test_stored_photos_have_random_names_and_thumbnails(world, settings):
    report = file_report(
        world.alice,
        world.roads,
        photos=[photos.process(image_bytes()), photos.process(image_bytes(fmt="PNG"))],
    )
    stored = list(ReportPhoto.objects.filter(report=report))
    assert [photo.position for photo in stored] == [0, 1]
    for photo in stored:
        assert "anh" not in photo.image.name
        assert photo.image.name.endswith(".jpg") and "/thumbs/" in photo.thumbnail.name
    assert len(stored_files(settings.MEDIA_ROOT)) == 4


def test_the_photo_location_endpoint_suggests_a_pin_in_the_city(client, world):
    client.force_login(world.alice)
    url = reverse("feedback:photo_location")
    inside = client.post(url, {"photo": upload(image_bytes(exif=gps_exif(*LE_CHAN_POINT)))}).json()
    assert inside["gps"] == {
        "lat": pytest.approx(LE_CHAN_POINT[0], abs=1e-4),
        "lng": pytest.approx(LE_CHAN_POINT[1], abs=1e-4),
    }
    elsewhere = client.post(url, {"photo": upload(image_bytes(exif=gps_exif(21.0285, 105.8542)))}).json()
    assert elsewhere == {"gps": None}
    assert client.post(url, {"photo": upload(b"not a photo")}).json() == {"gps": None}
    assert ReportPhoto.objects.count() == 0


def test_photos_are_served_re_encoded_from_the_portal(client, world):
    report = file_report(world.alice, world.roads, photos=[photos.process(image_bytes(exif=gps_exif(20.84, 106.68)))])
    photo = report.photos.get()
    response = client.get(reverse("feedback:photo", args=[report.code, photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    body = b"".join(response.streaming_content)
    assert not Image.open(io.BytesIO(body)).getexif()
    thumb = client.get(reverse("feedback:thumbnail", args=[report.code, photo.pk]))
    assert max(Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size) <= 320


def test_a_hidden_photo_is_not_served_to_the_public(client, world):
    report = file_report(world.alice, world.roads, photos=[photos.process(image_bytes())])
    photo = report.photos.get()
    ReportPhoto.objects.filter(pk=photo.pk).update(is_hidden=True)
    url = reverse("feedback:photo", args=[report.code, photo.pk])
    assert client.get(url).status_code == 404
    client.force_login(world.ward_officer)
    assert client.get(url).status_code == 200
    client.force_login(world.alice)
    assert client.get(url).status_code == 200
