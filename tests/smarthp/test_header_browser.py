"""The citizen site's header and bottom navigation on a 360 px phone, in Vietnamese and in English:
nothing wraps onto a second line that should not, nothing is cut off, nothing scrolls sideways."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Line boxes of an element's text: one entry per line the text takes.
LINES = """el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
}"""

LAYOUT = f"""() => {{
  const lines = {LINES};
  const box = el => el.getBoundingClientRect();
  const brand = document.querySelector('.topbar .brand');
  const button = document.querySelector('.lang-switch button');
  return {{
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    switchLines: lines(button),
    switchLabel: button.textContent.trim(),
    brandLines: lines(brand.querySelector('span')),
    brandClearOfSwitch: box(brand).right <= box(button).left,
    navLabels: [...document.querySelectorAll('.bottom-nav li > a > span, .bottom-nav li > .unavailable > span')].map(
      span => ({{text: span.textContent.trim(), lines: lines(span), clipped: span.scrollWidth > span.clientWidth + 1,
                 inside: box(span).left >= 0 && box(span).right <= window.innerWidth}})),
  }};
}}"""

# The search box's placeholder, if any, measured in the box's own font against the room inside it.
SEARCH = """() => {
  const input = document.querySelector('#f-q');
  const style = getComputedStyle(input);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const hint = document.getElementById(input.getAttribute('aria-describedby') || '');
  return {placeholderWidth: input.placeholder ? context.measureText(input.placeholder).width : 0, room,
          hint: hint ? hint.textContent.trim() : '', hintVisible: !!hint && hint.getBoundingClientRect().height > 0,
          hintFits: !hint || hint.scrollWidth <= hint.clientWidth + 1};
}"""


def assert_fits(page, url):
    layout = page.evaluate(LAYOUT)
    assert layout["scrollWidth"] <= layout["innerWidth"], f"{url} scrolls sideways: {layout['scrollWidth']} px"
    assert layout["switchLines"] == 1, f"{url}: the language switch “{layout['switchLabel']}” wraps"
    assert layout["brandLines"] <= 2 and layout["brandClearOfSwitch"], f"{url}: the site's name crowds the switch"
    assert len(layout["navLabels"]) == 6
    for label in layout["navLabels"]:
        assert label["lines"] == 1, f"{url}: “{label['text']}” in the bottom navigation wraps"
        assert not label["clipped"] and label["inside"], f"{url}: “{label['text']}” in the bottom navigation is cut off"
    return layout


def assert_search_box_fits(page):
    search = page.evaluate(SEARCH)
    assert search["placeholderWidth"] <= search["room"], "the search box's placeholder is cut off"
    assert search["hint"].startswith(("Ví dụ", "For example")) or search["hint"] == "", search
    assert search["hintVisible"] and search["hintFits"], search


def test_the_header_and_bottom_navigation_fit_a_phone_in_both_languages(page, console_errors, check_a11y):
    """In Vietnamese, then in English (switched with the header's own button, which posts to
    /i18n/setlang/): on the home page and the report feed the switch stays on one line, the site's
    name at most two lines beside it, each bottom navigation label on one line, the search example
    whole, and axe finds nothing serious."""
    console_errors.allow("net::ERR_ABORTED")  # the switch leaves the page while its icon may still load
    for language, switch_to in (("vi", "English"), ("en", None)):
        for url in ("/", "/phan-anh/"):
            page.goto(url)
            assert page.evaluate("document.documentElement.lang") == language
            assert_fits(page, url)
            if url == "/phan-anh/":
                assert_search_box_fits(page)
            check_a11y(page)
        if switch_to:
            page.get_by_role("button", name=switch_to).click()
            page.wait_for_function("document.documentElement.lang === 'en'")

    layout = page.evaluate(LAYOUT)
    assert layout["switchLabel"] == "Tiếng Việt"  # still English: the switch offers the way back


def test_a_signed_in_citizen_sees_the_account_link_on_one_line(page, live_server, console_errors, make_user):
    """The last tab says "Tài khoản" once signed in; it fits as "Đăng nhập" did."""
    from django.test import Client

    citizen = make_user(username="lan", phone="+84911000011", phone_verified=True, full_name="Nguyễn Thị Lan")
    client = Client()
    client.force_login(citizen)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    for language in ("vi", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page.goto("/phan-anh/")
        assert page.evaluate("document.documentElement.lang") == language
        layout = assert_fits(page, "/phan-anh/")
        assert any(label["text"] in ("Tài khoản", "Account") for label in layout["navLabels"])
