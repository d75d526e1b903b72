"""The database refuses report, extract, release and import rows that make no sense."""

import datetime as dt
import re
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction

from evaluations.models import DataRelease, ExportRequest, ImportRequest
from tests import factories

pytestmark = pytest.mark.django_db


@contextmanager
def refused_by(constraint: str):
    with pytest.raises(IntegrityError, match=rf"\b{re.escape(constraint)}\b"), \
            transaction.atomic():
        yield


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        pytest.param({"kind": "poster"}, "export_request_kind_valid", id="kind"),
        pytest.param({"file_format": "doc"}, "export_request_format_valid", id="format"),
        pytest.param({"status": "lost"}, "export_request_status_valid", id="status"),
        pytest.param({"progress": 101}, "export_request_progress_in_range", id="progress"),
        pytest.param({"date_from": None}, "export_request_report_has_period", id="no-period"),
        pytest.param({"date_to": dt.date(2023, 12, 31)}, "export_request_report_has_period",
                     id="period-backwards"),
        pytest.param({"file_name": ""}, "export_request_done_has_file", id="done-no-file"),
    ],
)
def test_bad_export_request_values_are_refused(values, constraint):
    export = factories.ExportRequestFactory(done=True)
    with refused_by(constraint):
        ExportRequest.objects.filter(pk=export.pk).update(**values)


def test_an_extract_needs_no_period():
    export = factories.ExportRequestFactory(kind="extract", file_format="zip", date_from=None,
                                            date_to=None)
    assert export.pk


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        pytest.param({"channel": "fax"}, "data_release_channel_valid", id="channel"),
        pytest.param({"kind": "poster"}, "data_release_kind_valid", id="kind"),
    ],
)
def test_bad_release_values_are_refused(values, constraint):
    release = factories.DataReleaseFactory()
    with refused_by(constraint):
        DataRelease.objects.filter(pk=release.pk).update(**values)


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        pytest.param({"status": "lost"}, "import_request_status_valid", id="status"),
        pytest.param({"status": "invalid", "problem_count": 0},
                     "import_request_invalid_has_problems", id="invalid-without-problems"),
        pytest.param({"status": "importing"}, "import_request_import_is_confirmed",
                     id="importing-unconfirmed"),
        pytest.param({"status": "done"}, "import_request_import_is_confirmed",
                     id="done-unconfirmed"),
    ],
)
def test_bad_import_request_values_are_refused(values, constraint):
    upload = factories.ImportRequestFactory()
    with refused_by(constraint):
        ImportRequest.objects.filter(pk=upload.pk).update(**values)
