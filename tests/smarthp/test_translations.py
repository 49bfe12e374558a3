"""The translation catalogs are complete and compiled, and pages speak one language.

- locale/en: English for every Vietnamese string of the portal (makemessages keeps it in step with the code).
- locale_thirdparty/vi: Vietnamese for the strings of allauth and Django that those packages leave in
  English (allauth ships no Vietnamese; Django's Vietnamese lags behind Django 5.2 in places).
- The compiled .mo files are committed, so each must hold exactly what its .po says.
"""

import gettext
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.test import Client

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
VIETNAMESE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
THIRD_PARTY = ROOT / "locale_thirdparty" / "vi" / "LC_MESSAGES" / "django.po"

# %(name)s, %s, %d, %%, {name}: what the code fills in, so a translation must keep each one.
PLACEHOLDER = re.compile(r"%%|%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")
VIETNAMESE_LETTER = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE)
# Words that make a fragment English rather than a name, a number or a code.
ENGLISH_WORDS = {
    "the", "your", "you", "this", "that", "is", "are", "was", "not", "please", "must", "have", "has", "been",
    "password", "sign", "email", "code", "account", "enter", "reset", "sent", "confirm", "forgot", "again",
    "with", "for", "and", "or", "to", "of", "in", "if", "it", "we", "us", "too", "short", "characters",
}  # fmt: skip


def entries(path):
    return [entry for entry in polib.pofile(str(path)) if not entry.obsolete]


def translations_of(entry):
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def describe(bad):
    return "\n".join(repr(entry.msgid[:100]) for entry in bad)


def check_complete(path):
    catalog = polib.pofile(str(path))
    assert not catalog.metadata_is_fuzzy, f"{path.name}: the header is still marked fuzzy"
    untranslated = [e for e in entries(path) if not all(text.strip() for text in translations_of(e))]
    fuzzy = [e for e in entries(path) if "fuzzy" in e.flags]
    assert not untranslated, f"{len(untranslated)} entries of {path} have no translation:\n{describe(untranslated)}"
    assert not fuzzy, f"{len(fuzzy)} entries of {path} are fuzzy (check, then drop the flag):\n{describe(fuzzy)}"


def check_placeholders(path):
    wrong = []
    for entry in entries(path):
        for index, text in enumerate(translations_of(entry)):
            source = entry.msgid_plural if entry.msgid_plural and index > 0 else entry.msgid
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                wrong.append(entry)
    assert not wrong, f"translations in {path} that lose or add a placeholder:\n{describe(wrong)}"


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    """Each Vietnamese string of the portal has English; `makemessages` marks new or changed ones."""
    assert len(entries(ENGLISH)) > 500  # the portal's strings, not an empty catalog
    check_complete(ENGLISH)


def test_english_translations_keep_every_placeholder():
    check_placeholders(ENGLISH)


def test_the_vietnamese_catalog_has_only_vietnamese_source_strings():
    """Our own strings are Vietnamese already: an English msgid would reach Vietnamese readers as is."""
    english = [
        e for e in entries(VIETNAMESE) if not VIETNAMESE_LETTER.search(e.msgid) and len(english_words(e.msgid)) >= 2
    ]
    assert not english, f"English source strings in the portal's code:\n{describe(english)}"


def test_every_third_party_string_has_vietnamese():
    check_complete(THIRD_PARTY)
    check_placeholders(THIRD_PARTY)


@pytest.mark.parametrize("po_path", [ENGLISH, VIETNAMESE, THIRD_PARTY], ids=["en", "vi", "thirdparty-vi"])
def test_the_committed_mo_file_holds_what_the_po_file_says(po_path):
    """A .po edited without `compilemessages` leaves the site on old text: the .mo must match it exactly."""
    with open(po_path.with_suffix(".mo"), "rb") as handle:
        compiled = dict(gettext.GNUTranslations(handle)._catalog)
    compiled.pop("", None)  # the header

    expected = {}
    for entry in entries(po_path):
        if "fuzzy" in entry.flags:
            continue
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                if text:
                    expected[(msgid, int(index))] = text
        elif entry.msgstr:
            expected[msgid] = entry.msgstr

    missing_or_changed = sorted(str(key)[:100] for key, text in expected.items() if compiled.get(key) != text)
    stale = sorted(str(key)[:100] for key in compiled.keys() - expected.keys())
    assert not missing_or_changed, f"run compilemessages: the .mo lacks or differs on {missing_or_changed}"
    assert not stale, f"run compilemessages: the .mo still has {stale}"


# --- Through HTTP -------------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """Text a reader sees or hears: text nodes outside scripts and styles, and labelling attributes."""

    def __init__(self):
        super().__init__()
        self.fragments = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        attributes = dict(attrs)
        for name in ("placeholder", "title", "aria-label", "alt"):
            if attributes.get(name):
                self.fragments.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.fragments.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.fragments.append(data.strip())


def english_words(text):
    return [word for word in re.findall(r"[A-Za-z]+", text) if word.lower() in ENGLISH_WORDS]


def english_fragments(response):
    """Fragments of a Vietnamese page that read as English: no Vietnamese letter, two English words."""
    parser = VisibleText()
    parser.feed(response.content.decode())
    return [text for text in parser.fragments if not VIETNAMESE_LETTER.search(text) and len(english_words(text)) >= 2]


def submit_buttons(response):
    return re.findall(r'<button type="submit"[^>]*>([^<]*)</button>', response.content.decode())


def tile_labels(response):
    return [
        unescape(label) for label in re.findall(r'<span class="tile-label">(.*?)</span>', response.content.decode())
    ]


@pytest.fixture
def english_client(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.mark.django_db
class TestPagesInOneLanguage:
    def test_the_home_page_tiles_are_in_english_for_an_english_visitor(self, english_client):
        labels = tile_labels(english_client.get("/"))

        assert labels == ["Reports & suggestions", "Public services", "Places & utilities", "News"]

    def test_the_home_page_tiles_are_in_vietnamese_by_default(self, client):
        labels = tile_labels(client.get("/"))

        assert labels[0] == "Phản ánh kiến nghị"
        assert labels == ["Phản ánh kiến nghị", "Dịch vụ công", "Tiện ích", "Tin tức"]

    def test_a_wrong_password_is_refused_in_english_on_the_english_sign_in_page(self, english_client, alice):
        page = english_client.post("/accounts/login/", {"login": "0911000001", "password": "sai-mật-khẩu"})
        text = page.content.decode()

        assert page.status_code == 200
        assert "The phone number or password is incorrect." in text
        assert "Sign in" in submit_buttons(page)  # the other button is the language switch
        assert "Số điện thoại hoặc mật khẩu không đúng" not in text

    def test_the_vietnamese_sign_in_page_has_no_english_left(self, client, alice):
        assert english_fragments(client.get("/accounts/login/")) == []

        page = client.post("/accounts/login/", {"login": "0911000001", "password": "sai-mật-khẩu"})
        text = page.content.decode()
        assert "Số điện thoại hoặc mật khẩu không đúng." in text
        assert "Đăng nhập" in submit_buttons(page)
        assert "Sign in" not in submit_buttons(page)
        assert "not correct" not in text
        assert english_fragments(page) == []

    def test_a_short_password_at_sign_up_is_refused_in_vietnamese(self, client):
        """Django's own Vietnamese misses this message since Django 5.2; locale_thirdparty supplies it."""
        page = client.post("/accounts/signup/", {"phone": "0912 345 678", "password1": "ab12"})
        text = page.content.decode()

        assert page.status_code == 200
        assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in text
        assert "too short" not in text
        assert english_fragments(page) == []

    def test_an_allauth_page_the_portal_does_not_rewrite_is_in_vietnamese(self, client):
        page = client.get("/accounts/password/reset/done/")

        assert page.status_code == 200
        assert "Đặt lại mật khẩu" in page.content.decode()
        assert english_fragments(page) == []

    def test_a_failed_form_check_is_explained_in_vietnamese(self, alice):
        """A form sent after its CSRF token went stale gets Django's refusal page, in Vietnamese."""
        browser = Client(enforce_csrf_checks=True)
        page = browser.post("/accounts/login/", {"login": "0911000001", "password": PASSWORD})

        assert page.status_code == 403
        assert "Không xác minh được biểu mẫu (CSRF)" in page.content.decode()
        assert "verification failed" not in page.content.decode()
