"""Text helpers shared by every app."""

import unicodedata


def search_key(text):
    """Fold Vietnamese text for search: no diacritics, đ → d, lower case, single spaces.

    "Đường Lạch Tray" and "duong lach tray" give the same key, so a citizen typing without
    diacritics (common on phones) finds what they mean.
    """
    text = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.lower().split())


def ascii_fold(text):
    """Vietnamese text without diacritics, case kept: "Phản ánh đã được tiếp nhận" → "Phan anh da duoc
    tiep nhan". For plain-text channels such as brandname SMS (GSM alphabet)."""
    text = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(ch for ch in text if unicodedata.category(ch) != "Mn"))
