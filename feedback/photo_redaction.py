"""Blurring part of a report photo before publication (faces, number plates, house numbers).

The blurred copy replaces both the image and its thumbnail under new file names (so no cache
keeps serving the old one); the caller deletes the old files once its transaction commits.
"""

import io
import os

from django.core.files.base import ContentFile
from PIL import Image, ImageFilter


def _blurred(file, box):
    left, top, width, height = box
    # Straight from storage, not through the FieldFile, which is about to point at a new file.
    with file.storage.open(file.name, "rb") as handle, Image.open(handle) as source:
        source.load()
        image = source.convert("RGB")
        image_format = (source.format or "JPEG").upper()
    w, h = image.size
    region = (
        int(w * left / 100),
        int(h * top / 100),
        min(w, int(w * (left + width) / 100) + 1),
        min(h, int(h * (top + height) / 100) + 1),
    )
    # A radius that scales with the picture, so a plate is unreadable on the full-size image too.
    radius = max(6, max(w, h) // 40)
    patch = image.crop(region).filter(ImageFilter.GaussianBlur(radius))
    image.paste(patch, region[:2])
    buffer = io.BytesIO()
    if image_format not in ("JPEG", "PNG", "WEBP"):
        image_format = "JPEG"
    image.save(buffer, image_format, quality=85)
    extension = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}[image_format]
    return ContentFile(buffer.getvalue()), extension, image.size


def blur_region(photo, box):
    """Blur `box` (left, top, width, height in percent) of `photo`'s image and thumbnail; save the row.

    Returns the replaced files, for the caller to delete after commit.
    """
    old_files = []
    for field_name in ("image", "thumbnail"):
        file = getattr(photo, field_name)
        if not file:
            continue
        content, extension, size = _blurred(file, box)
        old = type(file)(photo, file.field, file.name)
        stem = os.path.splitext(os.path.basename(file.name))[0].split("-mo")[0]
        file.save(f"{stem}-mo{extension}", content, save=False)
        if field_name == "image":
            photo.width, photo.height = size
        old_files.append(old)
    photo.save()
    return old_files
