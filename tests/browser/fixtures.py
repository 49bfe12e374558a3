"""Browser fixtures: Debian's Chromium through Playwright (sync API), on a phone-sized screen.

Never downloads a browser: Chromium comes from the system (`apt-get install chromium`, or
CHROMIUM_PATH). Mark browser tests `@pytest.mark.browser`; they skip on a machine without Chromium
and fail when CI=true.

- `page`: a fresh browser context per test (360x740, touch, vi-VN) with `base_url` set to the live
  server, so `page.goto("/")` works. Requests to any other origin are blocked and reported: the
  portal must work on a closed network (no CDN).
- `console_errors`: collects console errors, uncaught page errors, failed requests and 4xx/5xx
  answers from the live server; the test fails if any were seen. `console_errors.allow("...")`
  tolerates messages containing a text (for a test that visits a 404 on purpose).
- `check_a11y(page)`: runs axe-core (the copy bundled with axe-playwright-python) and fails on
  serious or critical violations, listing them.
"""

import os

import pytest

from tests.helpers import require_chromium

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
    "timezone_id": "Asia/Ho_Chi_Minh",
}

FAILING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="session")
def _playwright():
    require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django refuses database
    # access from a thread with a running loop unless told it is safe (it is: one test at a time).
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        yield playwright
    if saved is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture(scope="session")
def chromium(_playwright):
    from tests.helpers import chromium_path

    browser = _playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class BrowserErrors:
    """What went wrong in the browser during a test, as readable lines."""

    def __init__(self):
        self.errors = []
        self.allowed = []

    def allow(self, text):
        self.allowed.append(text)

    def add(self, line):
        if not any(text in line for text in self.allowed):
            self.errors.append(line)

    def watch(self, page, origin):
        def on_console(message):
            if message.type == "error":
                self.add(f"console error: {message.text} ({message.location.get('url', '')})")

        def on_response(response):
            if response.url.startswith(origin) and response.status >= 400:
                self.add(f"HTTP {response.status} for {response.request.method} {response.url}")

        def on_request_failed(request):
            # ERR_ABORTED is the browser dropping a load because the page moved on (a click or a
            # form posted before an image arrived): no fault of the portal.
            if request.url.startswith(origin) and "ERR_ABORTED" not in (request.failure or ""):
                self.add(f"request failed: {request.method} {request.url} ({request.failure})")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.add(f"page error: {error}"))
        page.on("response", on_response)
        page.on("requestfailed", on_request_failed)

    def fail_if_any(self):
        if self.errors:
            lines, self.errors = self.errors, []
            pytest.fail("the browser reported errors:\n" + "\n".join(lines), pytrace=False)

    def __iter__(self):
        return iter(self.errors)

    def __len__(self):
        return len(self.errors)

    def __repr__(self):
        return repr(self.errors)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # Report browser errors as the test's own failure rather than as an error at teardown.
    result = yield
    errors = item.funcargs.get("console_errors")
    if isinstance(errors, BrowserErrors):
        errors.fail_if_any()
    return result


@pytest.fixture
def console_errors():
    errors = BrowserErrors()
    yield errors
    errors.fail_if_any()  # what happened after the test body (or in a test that failed anyway)


@pytest.fixture
def page(chromium, live_server, console_errors):
    context = chromium.new_context(**PHONE, base_url=live_server.url)
    origin = live_server.url

    def only_the_live_server(route):
        url = route.request.url
        if url.startswith(origin) or not url.startswith(("http:", "https:", "ws:", "wss:")):
            route.continue_()
        else:
            console_errors.add(f"request to another origin blocked: {url}")
            route.abort("blockedbyclient")

    context.route("**/*", only_the_live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console_errors.watch(page, origin)
    yield page
    context.close()


def _report(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} [{violation['helpUrl']}]")
        for node in violation["nodes"][:10]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


@pytest.fixture
def check_a11y():
    """check_a11y(page, context=None): axe-core on the page as it is now; fails on serious/critical
    violations and prints the minor ones."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, context=None):
        results = axe.run(page, context=context)
        violations = results.response["violations"]
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        others = [v for v in violations if v["impact"] not in FAILING_IMPACTS]
        if others:
            print(f"axe, minor findings on {page.url}:\n{_report(others)}")
        if failing:
            pytest.fail(f"axe found serious accessibility problems on {page.url}:\n{_report(failing)}", pytrace=False)
        return violations

    return check
