"""The photo pipeline for reports: decode safely, re-encode without metadata, make a thumbnail.

What comes in is never stored or served (DESIGN §4). Each upload is:
1. opened by Pillow, which reads the header only, and refused unless it really is JPEG, PNG, WEBP
   or HEIC (the bytes decide, not the file name or the browser's content type);
2. refused when its declared size exceeds MAX_PIXELS, before any pixel is decoded (a "decompression
   bomb": a few kilobytes that would decode to gigabytes);
3. decoded completely (a truncated or corrupt file fails here);
4. turned upright from its EXIF orientation, then re-encoded as a new JPEG with no metadata at all
   (no EXIF, no GPS, no ICC profile, no comments) at most MAX_SIDE pixels on its long side, plus a
   THUMBNAIL_SIDE thumbnail for lists. Anything appended to the file (a polyglot) is left behind.

The EXIF GPS position of a photo is read before stripping and handed back to the form, which may
suggest it as the pin; only the pin the citizen confirms is kept.

Processing happens in memory while the form validates; files are written later, in the same
transaction as the report (`save_photos`), and removed again if that transaction fails.
"""

import io
import logging
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from .models import PhotoKind, ReportPhoto

log = logging.getLogger(__name__)

# iPhones, and many Android phones, save photos as HEIC; pillow-heif teaches Pillow to read them
# (its orientation is applied while decoding, like EXIF orientation for JPEG below).
register_heif_opener()

# A phone photo in its 50-megapixel mode can weigh 12–15 MB; the pixel cap bounds the decoding cost.
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
# A 50-megapixel phone camera (8160 × 6120) still fits; a decompression bomb does not.
MAX_PIXELS = 50_000_000
MAX_SIDE = 2048
THUMBNAIL_SIDE = 320
DECODERS = ["JPEG", "PNG", "WEBP", "HEIF"]
# MPO: the JPEG variant some phone cameras write (Pillow's JPEG decoder opens it).
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "HEIF"}
# For the file pickers: a phone then offers its photos as they are (HEIC is smaller to send).
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp,image/heic,image/heif"
JPEG_QUALITY = 82
THUMBNAIL_QUALITY = 75

GPS_IFD = 0x8825


class PhotoError(ValueError):
    """An upload that is not an acceptable photo; the message is shown to the citizen."""


@dataclass(frozen=True)
class ProcessedPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int
    # (lat, lng) from the upload's EXIF, or None. Only ever a suggestion: never stored.
    gps: tuple[float, float] | None = None


def _open(upload):
    """Open an upload (file-like or bytes) and check what it is, without decoding pixels."""
    data = upload if isinstance(upload, bytes) else upload.read()
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoError(_("Ảnh quá lớn (tối đa %(size)s MB mỗi ảnh).") % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)})
    if not data:
        raise PhotoError(_("Tệp ảnh trống."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=DECODERS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError(_("Ảnh có kích thước quá lớn.")) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PhotoError(_("Tệp không phải ảnh JPEG, PNG, WEBP hoặc HEIC, hoặc ảnh bị hỏng.")) from exc
    if image.format not in ACCEPTED_FORMATS:
        raise PhotoError(_("Tệp không phải ảnh JPEG, PNG, WEBP hoặc HEIC, hoặc ảnh bị hỏng."))
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        raise PhotoError(
            _("Ảnh có kích thước quá lớn (tối đa %(mpx)s triệu điểm ảnh).") % {"mpx": MAX_PIXELS // 1_000_000}
        )
    return image


def _rational(value):
    return float(value[0]) / float(value[1]) if isinstance(value, tuple) else float(value)


def _gps_from_exif(image):
    """(lat, lng) from the EXIF GPS block, or None when missing or nonsense."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
        if not gps or 2 not in gps or 4 not in gps:
            return None
        degrees = [_rational(part) for part in gps[2]], [_rational(part) for part in gps[4]]
        lat = degrees[0][0] + degrees[0][1] / 60 + degrees[0][2] / 3600
        lng = degrees[1][0] + degrees[1][1] / 60 + degrees[1][2] / 3600
        if str(gps.get(1, "N")).upper().startswith("S"):
            lat = -lat
        if str(gps.get(3, "E")).upper().startswith("W"):
            lng = -lng
    except (KeyError, IndexError, TypeError, ValueError, ZeroDivisionError, AttributeError, SyntaxError, OSError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or (lat == 0 and lng == 0):
        return None
    return round(lat, 6), round(lng, 6)


def read_gps(upload):
    """The EXIF GPS position of an upload, reading headers only; None when it has none.

    Raises PhotoError for what is not an acceptable photo, like `process`.
    """
    return _gps_from_exif(_open(upload))


def _encode(image, quality):
    buffer = io.BytesIO()
    # No exif=, icc_profile= or comment: the new file carries pixels only.
    image.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def process(upload):
    """Decode, check, turn upright, strip and re-encode one upload. Returns a ProcessedPhoto.

    Raises PhotoError with a message for the citizen when the upload is refused.
    """
    image = _open(upload)
    gps = _gps_from_exif(image)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if image.format in ("JPEG", "MPO"):
                # Decode big JPEGs at a reduced scale straight away: less memory, same result.
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError(_("Ảnh có kích thước quá lớn.")) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise PhotoError(_("Ảnh bị hỏng hoặc không đọc được.")) from exc

    if upright.mode in ("RGBA", "LA") or (upright.mode == "P" and "transparency" in upright.info):
        # JPEG has no transparency: lay the photo on white rather than on black.
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    elif upright.mode != "RGB":
        upright = upright.convert("RGB")

    # A fresh image holds the pixels only: nothing of the upload's info dict can travel along.
    clean = Image.new("RGB", upright.size)
    clean.paste(upright)
    clean.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = clean.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(
        image=_encode(clean, JPEG_QUALITY),
        thumbnail=_encode(thumb, THUMBNAIL_QUALITY),
        width=clean.width,
        height=clean.height,
        gps=gps,
    )


def save_photos(report, processed, *, kind=PhotoKind.REPORT, answer=None, written=None):
    """Write processed photos for `report` and create their rows. Call inside the report's transaction.

    Every stored file name is appended to `written` as soon as it exists, so the caller can delete
    them if the transaction fails (`delete_files`). File names are random: nothing of the upload's
    name is kept.
    """
    written = [] if written is None else written
    rows = []
    for position, photo in enumerate(processed):
        name = uuid.uuid4().hex
        row = ReportPhoto(report=report, kind=kind, answer=answer, position=position)
        row.image.save(f"{name}.jpg", ContentFile(photo.image), save=False)
        written.append(row.image.name)
        row.thumbnail.save(f"{name}.jpg", ContentFile(photo.thumbnail), save=False)
        written.append(row.thumbnail.name)
        # Known from the pipeline: no need for the field to open the stored file again.
        row.width, row.height = photo.width, photo.height
        row.save()
        rows.append(row)
    return rows


def delete_files(names):
    """Remove files written for a transaction that did not commit (best effort, logged)."""
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            log.warning("could not remove a photo file left by a failed submission")


def serve(photo, size="full"):
    """The stored (re-encoded) file of a ReportPhoto that the caller has already checked may be seen."""
    from django.http import FileResponse, Http404

    file = photo.thumbnail if size == "thumb" else photo.image
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    # Private: a photo of a private report must not sit in a shared cache.
    response["Cache-Control"] = "private, max-age=3600"
    return response
