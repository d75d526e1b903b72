"""The Content-Security-Policy: every page sends it, and no template needs an exception to
it (no inline script, event handler or style attribute). The browser tests fail on any
violation Chromium reports (tests/e2e/conftest.py)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# The PDF report's template is rendered by WeasyPrint, never sent to a browser.
NOT_FOR_BROWSERS = {TEMPLATES / "evaluations" / "reports" / "report.html"}
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)


def test_every_page_sends_the_policy(client, log_in, case_worker):
    for response in (client.get(reverse("login")),
                     log_in(case_worker).get(reverse("participants:caseload"))):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize("template", sorted(set(TEMPLATES.rglob("*.html")) - NOT_FOR_BROWSERS),
                         ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_templates_need_no_exception_to_the_policy(template):
    text = template.read_text(encoding="utf-8")
    assert not INLINE_HANDLER.search(text), "an inline event handler"
    assert not STYLE_ATTRIBUTE.search(text), "a style attribute"
    assert not INLINE_SCRIPT.search(text), "an inline script"
