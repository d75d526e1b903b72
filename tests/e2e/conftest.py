"""Browser tests: Playwright driving Debian's Chromium (not a downloaded browser build).

Skipped, with the reason, where no Chromium is installed (`make test` on a bare
machine); `.ci/run` installs it, so CI always runs them.
"""

import os
import shutil

import pytest

# Sync Playwright runs an event loop in the test thread; the ORM calls in test bodies
# are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason="no Chromium at %s (apt-get install chromium)" % CHROMIUM)
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM}
