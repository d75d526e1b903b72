"""No personal data in the application's logs: identity numbers and e-mail addresses are
masked in every record the log handler writes."""

import io
import logging

import pytest

from rehab.log_filters import PersonalDataFilter, scrub


@pytest.fixture
def log_output():
    """What the configured console handler writes, captured."""
    handler = next(h for h in logging.getLogger().handlers
                   if any(isinstance(f, PersonalDataFilter) for f in h.filters))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


@pytest.mark.parametrize("number", ["05106003736", "45038510022", "280775-3462",
                                    "900101-1234", "900101+1234", "199001011234",
                                    "641021 2499"])
def test_identity_numbers_never_reach_the_log(log_output, number):
    logging.getLogger("participants.services").warning("could not register %s", number)
    written = log_output.getvalue()
    assert number not in written and "could not register [removed]" in written


def test_email_addresses_never_reach_the_log(log_output):
    logging.getLogger("evaluations").error("mail to kari.nordmann@example.no failed")
    assert "kari.nordmann" not in log_output.getvalue()


def test_an_error_quoting_its_input_is_masked_too(log_output):
    try:
        raise ValueError("bad national id 05106003736")
    except ValueError:
        logging.getLogger("rehab").exception("import failed")
    written = log_output.getvalue()
    assert "05106003736" not in written and "ValueError: bad national id [removed]" in written


def test_ordinary_numbers_are_left_alone():
    text = "refreshed 369 snapshots of project 12 in 2026-11-24 02:30:00 (4.25 s), id 123456"
    assert scrub(text) == text


def _raised(error: Exception):
    try:
        raise error
    except Exception as caught:
        return (type(caught), caught, caught.__traceback__)


def test_a_refusal_is_logged_as_one_line_without_its_traceback(log_output):
    logging.getLogger("django.request").warning(
        "Forbidden (Permission denied): /participants/7/", extra={"status_code": 403},
        exc_info=_raised(PermissionError("not on the caseload")))
    written = log_output.getvalue()
    assert "Forbidden (Permission denied): /participants/7/" in written
    assert "Traceback" not in written


def test_a_server_error_keeps_its_traceback(log_output):
    logging.getLogger("django.request").error(
        "Internal Server Error: /participants/7/", extra={"status_code": 500},
        exc_info=_raised(RuntimeError("database went away")))
    assert "RuntimeError: database went away" in log_output.getvalue()


def test_djangos_records_reach_the_console_once_through_the_root_handler():
    # Django's default configuration gives its logger a console handler of its own; with
    # the root handler as well, every request error was printed twice.
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django").propagate
