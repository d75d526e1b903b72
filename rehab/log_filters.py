"""Keeps personal data out of the application's logs.

Code logs record ids, never names or identity numbers; this filter is the safety net for
what slips through (a message with a value in it, an error that quotes its input): every
record that reaches a handler has national identity numbers and e-mail addresses masked.
"""

import logging
import re

# Norwegian fødselsnummer and D-number (11 digits), Danish CPR (DDMMYY-SSSS), Swedish
# personnummer and samordningsnummer (YYMMDD-NNNN, YYMMDD+NNNN, YYYYMMDDNNNN): written
# with or without the separator.
IDENTITY_NUMBER = re.compile(r"(?<!\d)(?:\d{8}|\d{6})[-+ ]?\d{4,5}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MASK = "[removed]"


def scrub(text: str) -> str:
    return EMAIL.sub(MASK, IDENTITY_NUMBER.sub(MASK, text))


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


class RefusalWithoutTraceback(logging.Filter):
    """A refusal or a page not found (4xx) is logged as one line, not with a traceback:
    it is an expected answer, and its traceback would bury the errors worth reading."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info, record.exc_text = None, None
        return True
