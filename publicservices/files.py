"""Uploads of a dossier: checked by their bytes, never by their name, then stored privately.

- PDF: must start with the PDF signature and open in pypdf; encrypted files and files over
  PUBLICSERVICES_MAX_PDF_PAGES pages are refused. Stored as uploaded (it is the citizen's document).
- JPEG/PNG: through the portal's photo pipeline (feedback.photos.process): decoded under a pixel
  cap and re-encoded without metadata; only the re-encoded JPEG is stored.
- Anything over PUBLICSERVICES_MAX_FILE_MB is refused before it is parsed.

Stored names are random (models.private_name) under MEDIA_ROOT/private/; files are served only by
publicservices.views.dossier_file, which checks that the person asking holds the dossier.
"""

import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

ACCEPT_ATTRIBUTE = "application/pdf,image/jpeg,image/png"
PDF = "application/pdf"
JPEG = "image/jpeg"


class UploadError(ValueError):
    """An upload that is refused; the message is for the citizen."""


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str

    @property
    def size(self):
        return len(self.content)


def max_bytes():
    return settings.PUBLICSERVICES_MAX_FILE_MB * 1024 * 1024


def _read(upload):
    if isinstance(upload, bytes):
        return upload
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise UploadError(
            _("Tệp quá lớn (tối đa %(size)s MB mỗi tệp).") % {"size": settings.PUBLICSERVICES_MAX_FILE_MB}
        )
    upload.seek(0)
    return upload.read(max_bytes() + 1)


def _check_pdf(data):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UploadError(_("Tệp PDF có mật khẩu. Vui lòng tải lên tệp không đặt mật khẩu."))
        pages = len(reader.pages)
    except UploadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        log.info("publicservices: a PDF upload did not open (%s)", type(exc).__name__)
        raise UploadError(_("Tệp PDF bị hỏng hoặc không phải tệp PDF.")) from exc
    if pages < 1:
        raise UploadError(_("Tệp PDF không có trang nào."))
    cap = settings.PUBLICSERVICES_MAX_PDF_PAGES
    if pages > cap:
        raise UploadError(_("Tệp PDF quá nhiều trang (tối đa %(pages)s trang).") % {"pages": cap})


def check_upload(upload):
    """Check one upload and return a CheckedFile, or raise UploadError."""
    from feedback.photos import PhotoError, process

    data = _read(upload)
    if len(data) > max_bytes():
        raise UploadError(
            _("Tệp quá lớn (tối đa %(size)s MB mỗi tệp).") % {"size": settings.PUBLICSERVICES_MAX_FILE_MB}
        )
    if not data:
        raise UploadError(_("Tệp trống."))
    if data[:5] == b"%PDF-":
        _check_pdf(data)
        return CheckedFile(content=data, content_type=PDF)
    if data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n":
        try:
            photo = process(data)
        except PhotoError as exc:
            raise UploadError(str(exc)) from exc
        return CheckedFile(content=photo.image, content_type=JPEG)
    raise UploadError(_("Chỉ nhận tệp PDF, JPEG hoặc PNG."))


def store(row, checked, written):
    """Write `checked` into `row.file` (not saved). The name goes to `written` for clean-up on failure."""
    row.content_type = checked.content_type
    row.size = checked.size
    row.file.save("upload", ContentFile(checked.content), save=False)
    written.append(row.file.name)


def delete_files(names):
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            log.warning("publicservices: could not delete an orphan upload")
