"""Garbage in the query string never makes a page answer 5xx (issue 8).

Every GET view the URL resolver knows is walked, with its path converters filled from real rows (a
report's code, its photo), first to learn which parameters it reads (`QueryDict.get` and friends are
watched while it answers, then asked again with good values for those, as some read a parameter
only when another one is good), then with each of those parameters in turn set to garbage while the
others stay good, and with every usual parameter name at once set to garbage. Anonymous, then
signed in as a citizen. What a walk skips is listed in SKIPPED with the reason.

PostgreSQL refuses a NUL character in a text parameter (psycopg raises, the page would be a 500);
SQLite stores it. So that this suite on SQLite catches what PostgreSQL would refuse, every query
the pages run here is checked the same way (`refuse_nul_like_postgresql`).
"""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from feedback import photos
from tests.feedback.citizen_world import LE_CHAN_POINT, file_report, fresh_geo_index, image_bytes, world  # noqa: F401

LONG = "9" * 10_000
# Raw (already percent-encoded) values: each goes into the query string as it is.
GARBAGE_VALUES = {
    "letters": "abc",
    "nul": "%00",
    "nul inside": "1%002",
    "overlong": LONG,
    "negative": "-1",
    "huge": "99999999999999999999999999",
    "float overflow": "1e309",
    "lone surrogate": "%ED%A0%80",
    "invalid utf-8": "%FF%FE",
    "emoji, rtl mark": "%F0%9F%92%A9%E2%80%8F1",
    "empty": "",
}
# Each parameter a page reads gets these alone, the others good.
ONE_AT_A_TIME = ("letters", "nul inside", "overlong", "huge", "negative", "lone surrogate", "emoji, rtl mark")
# Names every page gets at once with each garbage value, whether it reads them or not.
USUAL_NAMES = (
    "lat", "lng", "category", "page", "q", "unit", "status", "period", "truoc", "tab", "thang", "ward",
    "service_code", "page_size", "cursor", "start_date", "end_date", "next", "code", "id", "pk",
)  # fmt: skip
# Reasons a view is not walked (by namespace, or by namespace:name). Everything else is.
SKIPPED = {
    "admin": "the Django admin: staff sign-in only",
    "feedback:follow": "POST only",
    "feedback:rate": "POST only",
    "feedback:reopen": "POST only",
    "feedback:photo_location": "POST only",
    "account_logout": "signs out on POST; a GET only shows the form",
    "openid_connect_login": "needs a configured OIDC provider",
    "openid_connect_callback": "needs a configured OIDC provider",
}
# Walked as a visitor only (the sign-in redirect): officers sign in with a second factor.
OFFICER_NAMESPACES = ("feedback_officer", "government")


def walk(patterns, namespaces=()):
    """(namespace:name, pattern) of every view."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, (*namespaces, pattern.namespace) if pattern.namespace else namespaces)
        elif isinstance(pattern, URLPattern):
            yield ":".join((*namespaces, pattern.name or "")), pattern


def skip_reason(full_name):
    namespace = full_name.split(":")[0] if ":" in full_name else ""
    return SKIPPED.get(full_name) or SKIPPED.get(namespace)


def views_to_walk():
    """(URL name, path) of every view the resolver knows but the skipped, unnamed ones (allauth's
    old /social/ redirects) with their plain paths."""
    seen = set()
    for full_name, pattern in walk(get_resolver().url_patterns):
        if skip_reason(full_name) or full_name in seen:
            continue
        seen.add(full_name)
        yield full_name, pattern


def path_of(full_name, pattern, values):
    """The path of a view, its converters filled from `values` (name -> value)."""
    if not pattern.name:
        return None
    regex = pattern.pattern.regex
    # A converter no fixture names gets "1": most such views then answer 404, which is still walked.
    kwargs = {name: values.get(name, "1") for name in regex.groupindex}
    try:
        return reverse(full_name, kwargs=kwargs)
    except NoReverseMatch:
        return None


class Watched:
    """Records the names looked up in a QueryDict (request.GET, POST; DRF's query_params is GET)."""

    def __init__(self, monkeypatch):
        self.names = set()
        original_getitem, original_get, original_getlist = (
            MultiValueDict.__getitem__,
            MultiValueDict.get,
            MultiValueDict.getlist,
        )
        names = self.names

        def getitem(self, key):
            if isinstance(self, QueryDict):
                names.add(key)
            return original_getitem(self, key)

        def get(self, key, default=None):
            if isinstance(self, QueryDict):
                names.add(key)
            return original_get(self, key, default)

        def getlist(self, key, default=None):
            if isinstance(self, QueryDict):
                names.add(key)
            return original_getlist(self, key, default)

        monkeypatch.setattr(MultiValueDict, "__getitem__", getitem)
        monkeypatch.setattr(MultiValueDict, "get", get)
        monkeypatch.setattr(MultiValueDict, "getlist", getlist)


def refuse_nul_like_postgresql(execute, sql, params, many, context):
    rows = params if many else [params]
    for row in rows or ():
        for value in row if isinstance(row, list | tuple) else (row.values() if isinstance(row, dict) else [row]):
            if isinstance(value, str) and "\x00" in value:
                raise ValueError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    return execute(sql, params, many, context)


def query_string(values):
    return "&".join(f"{name}={value}" for name, value in values)


class Walker:
    def __init__(self, client, watched, good):
        self.client, self.watched, self.good = client, watched, good
        self.failures = []
        self.requests = 0

    def get(self, url):
        self.requests += 1
        try:
            response = self.client.get(url)
        except Exception as exc:
            self.failures.append(f"{url[:200]}: {type(exc).__name__}: {str(exc)[:200]}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{url[:200]}: {response.status_code}")
        return response

    def names_read(self, path):
        """The parameter names the view reads, asking again with good values until no new one shows."""
        known = set()
        for _round in range(4):
            self.watched.names.clear()
            self.get(f"{path}?{query_string((name, self.good_value(name)) for name in sorted(known))}")
            found = {name for name in self.watched.names if isinstance(name, str)} - known
            if not found:
                break
            known |= found
        return sorted(known)

    def good_value(self, name):
        return self.good.get(name, "1")

    def walk(self, path):
        names = self.names_read(path)
        good = [(name, self.good_value(name)) for name in names]
        for garbage in GARBAGE_VALUES.values():
            self.get(f"{path}?{query_string((name, garbage) for name in USUAL_NAMES)}")
        for name in names:
            others = [(other, value) for other, value in good if other != name]
            for garbage in ONE_AT_A_TIME:
                self.get(f"{path}?{query_string([*others, (name, GARBAGE_VALUES[garbage])])}")
            value = self.good_value(name)
            self.get(f"{path}?{query_string([*others, (name, value), (name, 'abc')])}")  # repeated
            self.get(f"{path}?{query_string([*others, (name, '%00'), (name, value)])}")
            self.get(f"{path}?{query_string([*others, (name + '%00', value)])}")  # NUL in the name
            self.get(f"{path}?{query_string([*others, (name + '%E2%80%8F', value)])}")  # RTL mark in the name
        self.get(f"{path}?%00=%00&%ED%A0%80=1&{LONG}=1&=1&&=&%F0%9F%92%A9")


@pytest.fixture
def pages(world):  # noqa: F811
    """A public report with a photo (filed by alice), a private one, the good value of each parameter."""
    public = file_report(world.alice, world.roads, photos=[photos.process(image_bytes())])
    file_report(world.alice, world.roads, is_public=False, title="Riêng tư: cống tắc trước nhà")
    photo = public.photos.first()
    today = timezone.localdate()
    good = {
        "lat": str(LE_CHAN_POINT[0]),
        "lng": str(LE_CHAN_POINT[1]),
        "category": str(world.roads.pk),
        "unit": world.lechan.code,
        "ward": world.lechan.code,
        "status": "dang-xu-ly",
        "period": "30",
        "q": "Lạch Tray",
        "tab": "theo-doi",
        "thang": f"{today:%Y-%m}",
        "service_code": world.roads.slug,
        "start_date": "2026-01-01",
        "end_date": f"{today:%Y-%m-%d}",
        "page_size": "10",
        "next": "/phan-anh/",
        "truoc": "",
        "cursor": "",
        "format": "json",  # DRF's: an unknown format is a 404
    }
    converters = {
        "code": public.code,
        "pk": str(photo.pk),
        "key": "abc",
        "uidb36": "1",
        "provider_id": "abc",
        "token": "abc",
        "format": "json",
    }
    return good, converters


def run_walk(client, monkeypatch, good, converters, *, wanted):
    """Walk every view whose path `wanted(name, path)` accepts."""
    watched = Watched(monkeypatch)
    walker = Walker(client, watched, good)
    walked = []
    with connection.execute_wrapper(refuse_nul_like_postgresql):
        for full_name, pattern in views_to_walk():
            path = path_of(full_name, pattern, converters)
            if path is None or not wanted(full_name, path):
                continue
            walked.append(path)
            walker.walk(path)
    return walker, walked


def test_no_page_answers_5xx_to_garbage_for_a_visitor(client, monkeypatch, pages, settings):
    """Anonymous: every public GET view (and the sign-in redirect of every other one) answers
    garbage parameters with a page, a 400 or an empty result, never a 5xx."""
    settings.DEBUG = False
    good, converters = pages
    walker, walked = run_walk(client, monkeypatch, good, converters, wanted=lambda name, path: True)

    assert "/phan-anh/gan-day/" in walked and "/api/open311/v2/requests.json" in walked
    assert walker.requests > 1000
    assert not walker.failures, "\n".join(walker.failures)


# Pages whose signed-in answer differs from the visitor's beyond the sign-in redirect.
REPORTER_VIEWS = ("feedback:detail", "feedback:photo", "feedback:thumbnail", "feedback:nearby")


def test_no_page_answers_5xx_to_garbage_for_a_signed_in_citizen(client, monkeypatch, pages, world):  # noqa: F811
    """Signed in as a citizen (the reporter of the report whose page is walked): the pages that ask
    a visitor to sign in (account, own and followed reports, notices, the report form) and the
    reporter's view of a report take garbage too."""
    good, converters = pages
    visitor = Client()

    def citizen_page(full_name, path):
        if full_name.split(":")[0] in OFFICER_NAMESPACES:
            return False  # officer sign-in, with a second factor
        answer = visitor.get(path)
        return full_name in REPORTER_VIEWS or (answer.status_code == 302 and "/accounts/login/" in answer["Location"])

    client.force_login(world.alice)
    walker, walked = run_walk(client, monkeypatch, good, converters, wanted=citizen_page)

    assert {"/tai-khoan/to-dan-pho/", "/phan-anh/cua-toi/", "/phan-anh/gui/"} <= set(walked)
    assert not walker.failures, "\n".join(walker.failures)


def test_the_walk_skips_only_what_it_lists():
    """Every skipped view is skipped for a listed reason; every listed skip names a real view."""
    names = {full_name for full_name, _pattern in walk(get_resolver().url_patterns)}
    namespaces = {name.split(":")[0] for name in names if ":" in name}
    for skipped in SKIPPED:
        assert skipped in names or skipped in namespaces, f"{skipped} is listed as skipped but no such view"


def test_nearby_with_letters_for_the_category_is_an_empty_list(client, pages):
    """The report form's "already reported nearby?" lookup with a category that is not a number
    finds nothing (it used to be a 500)."""
    response = client.get("/phan-anh/gan-day/?lat=20.84&lng=106.679&category=abc")

    assert response.status_code == 200
    assert response.json() == {"reports": []}


@pytest.mark.django_db
def test_no_address_answers_5xx_to_a_nul_in_its_path(client, settings):
    """Every view whose path takes text (a code, a slug, a ward) with a NUL in it: never a 5xx
    (PostgreSQL cannot compare text with one; here `refuse_nul_like_postgresql` stands in)."""
    settings.DEBUG = False
    client.raise_request_exception = False
    answered = {}
    with connection.execute_wrapper(refuse_nul_like_postgresql):
        for full_name, pattern in views_to_walk():
            converters = pattern.pattern.converters
            texts = {
                name
                for name, converter in converters.items()
                if type(converter).__name__ in ("StringConverter", "SlugConverter", "PathConverter")
            }
            if not texts:
                continue
            path = path_of(full_name, pattern, dict.fromkeys(texts, "ab\x00cd"))
            if path is None:
                continue
            answered[path] = client.get(path).status_code

    assert "/dich-vu-cong/thu-tuc/ab%00cd/" in answered and len(answered) > 20
    assert not {path: status for path, status in answered.items() if status >= 500}
