"""The home page on a 360 px phone, in a real browser."""

import pytest

pytestmark = pytest.mark.browser


def test_home_page_fits_a_phone_with_four_tiles_and_the_bottom_nav(page, console_errors, check_a11y):
    """The four section tiles and the bottom navigation show, nothing scrolls sideways, the browser
    reports no error and axe finds nothing serious."""
    page.goto("/")

    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("ul.tiles > li").count() == 4
    nav = page.locator("nav.bottom-nav")
    assert nav.is_visible()
    box = nav.bounding_box()
    assert box["y"] + box["height"] <= 740 + 1, "the bottom navigation is not on the first screen"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    check_a11y(page)


def test_language_switch_goes_to_english_and_back(page, console_errors, check_a11y):
    """Tapping English shows the page in English (lang="en"); tapping Tiếng Việt comes back."""
    page.goto("/")

    page.get_by_role("button", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.evaluate("location.pathname") == "/"
    check_a11y(page)

    page.get_by_role("button", name="Tiếng Việt").click()
    page.wait_for_function("document.documentElement.lang === 'vi'")
    assert page.evaluate("location.pathname") == "/"


def test_touch_targets_on_the_home_page_are_at_least_44_px(page, console_errors):
    """WCAG 2.2 target size, with the project's 44 px rule: every link and button a thumb may tap."""
    page.goto("/")

    small = page.evaluate(
        """() => [...document.querySelectorAll('a[href], button')]
            .filter(el => el.offsetParent !== null && !el.classList.contains('skip-link'))
            .map(el => ({text: (el.innerText || el.getAttribute('aria-label') || '').trim(),
                         w: el.getBoundingClientRect().width, h: el.getBoundingClientRect().height}))
            .filter(r => r.w < 44 || r.h < 44)"""
    )
    assert small == []
