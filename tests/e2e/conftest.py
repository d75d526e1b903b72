"""Browser tests: Playwright driving Debian's Chromium (not a downloaded browser build).

Where no Chromium is installed they are skipped, and ``pytest -ra`` prints the reason with
the command that installs it. With ``REQUIRE_BROWSER=1`` (``.ci/run`` sets it) a missing
Chromium fails every browser test instead, so CI cannot pass without running them.

``screenshot(page, name)`` saves a full-page PNG to ``docs/screenshots/<name>.png``; the
README shows those files. The browser always has the same viewport, language, time zone
and colour scheme, so a screenshot changes only when the page does.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse
from django_otp.oath import totp

from participants.two_factor import needs_two_factor
from tests import factories
from tests.factories import PASSWORD

# Sync Playwright runs an event loop in the test thread; the ORM calls in test bodies
# are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
INSTALL_HINT = (
    "install it with `apt-get install --no-install-recommends chromium` "
    "or set CHROMIUM_PATH to a Chromium binary"
)
VIEWPORT = {"width": 1280, "height": 800}
SCREENSHOT_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
REPO_ROOT = Path(__file__).resolve().parents[2]


def chromium_is_installed() -> bool:
    return os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)


def browser_is_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


def is_browser_test(item) -> bool:
    return "e2e" in item.keywords  # the marker, or a test under this directory


def pytest_collection_modifyitems(config, items):
    if chromium_is_installed() or browser_is_required():
        return
    skip = pytest.mark.skip(
        reason="browser test skipped: no Chromium at %s; %s (REQUIRE_BROWSER=1 makes this "
        "a failure)" % (CHROMIUM, INSTALL_HINT)
    )
    for item in items:
        if is_browser_test(item):
            item.add_marker(skip)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Fail before any fixture starts a server or a browser."""
    if is_browser_test(item) and browser_is_required() and not chromium_is_installed():
        pytest.fail(
            "REQUIRE_BROWSER=1 but there is no Chromium at %s; %s" % (CHROMIUM, INSTALL_HINT),
            pytrace=False,
        )


@pytest.fixture(scope="session")
def playwright(playwright):
    """pytest-playwright's Playwright, which also closes the database connections opened
    while it ran.

    From start() to stop() the sync API leaves its event loop marked as running in the
    test thread. Django keeps a thread's connections apart while a loop runs there
    (asgiref's ``Local(thread_critical=True)`` keeps them per context instead of per
    thread), so every test and fixture after the first browser test of a worker opens a
    second set of connections. Once stop() unmarks the loop, Django sees the first set
    again and closes only that when the session ends: a connection of the second set still
    open (a module fixture that imported the example bundle after the last browser test)
    would keep pytest-django from dropping the test database. Closed here, before stop()."""
    yield playwright
    connections.close_all()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """The same window, language and clock every run, for repeatable pages and screenshots."""
    return {
        **browser_context_args,
        "viewport": VIEWPORT,
        "device_scale_factor": 1,
        "locale": "en-GB",
        "timezone_id": "Europe/Oslo",
        "color_scheme": "light",
        "reduced_motion": "reduce",
    }


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """docs/screenshots, or SCREENSHOT_DIR when set (to keep a run from touching docs/)."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or REPO_ROOT / "docs" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def screenshot(screenshot_dir):
    """``screenshot(page, name)``: a full-page PNG of the page as ``<name>.png``, in the
    desktop window unless ``as_is`` (a telephone's page stays a telephone's)."""

    def screenshot(page, name: str, *, as_is: bool = False) -> Path:
        if not SCREENSHOT_NAME.fullmatch(name):
            raise ValueError("screenshot names are lower-case words joined by hyphens")
        if not as_is:
            page.set_viewport_size(VIEWPORT)
        page.wait_for_load_state("networkidle")
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
        return path

    return screenshot


@pytest.fixture
def sign_in(live_server):
    """``sign_in(page, user)`` signs in through the login form of the live server."""

    def sign_in(page, user):
        device = factories.totp_device(user) if needs_two_factor(user) else None
        page.goto(live_server.url + reverse("login"))
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("#main form button[type=submit]")
        if device is not None:  # the code from the authenticator app, as the user types it
            page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
            with page.expect_navigation():
                page.click("#two-factor-verify-form button[type=submit]")
        assert page.locator("form[action='%s']" % reverse("logout")).count() == 1, (
            "signing in as %s failed" % user.username
        )

    return sign_in


@pytest.fixture
def sign_out():
    """``sign_out(page)`` uses the Sign out button in the menu bar."""

    def sign_out(page):
        with page.expect_navigation():
            page.click("form[action='%s'] button[type=submit]" % reverse("logout"))

    return sign_out


@pytest.fixture(autouse=True)
def _pages_obey_the_content_security_policy(request):
    """Every browser test fails if a page breaks the Content-Security-Policy (an inline
    script, event handler or style, or an asset from elsewhere): Chromium reports each
    violation on the console."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations = []
    page.on("console", lambda message: violations.append(
        f"{page.url}: {message.location.get('url', '')}:{message.location.get('lineNumber')}: "
        f"{message.text[:80]}") if "Content Security Policy" in message.text else None)
    yield
    assert violations == []
