"""Evaluation reports: the figures of any period as CSV, XLSX or PDF (docs/reports.md).

``build_report`` computes what a report holds (suppressed unless the spec is raw);
``render_report`` writes it in one of REPORT_FORMATS. Neither records anything: a caller
that hands out a raw report records the release itself (evaluations.releases).
"""

from __future__ import annotations

import re
from pathlib import Path

from .content import Report, ReportSpec, build_report, check_spec
from .csv_report import write_csv
from .pdf_report import write_pdf
from .xlsx_report import write_xlsx

REPORT_FORMATS = ("csv", "xlsx", "pdf")


def render_report(report: Report, file_format: str, path: Path | str) -> None:
    """Write the report to ``path`` in one of REPORT_FORMATS."""
    writers = {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf}
    if file_format not in writers:
        raise ValueError(f"unknown report format {file_format!r}")
    writers[file_format](report, Path(path))


def file_name_part(code: str) -> str:
    """A project code made safe for a file name: codes are free text, and one such as
    ../../x or VVV/TRD would put the file in another folder."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", code)


def report_file_name(spec: ReportSpec, file_format: str) -> str:
    """e.g. evaluation-VVV-2024-01-01-2024-12-31.xlsx (…-raw.xlsx for raw values)."""
    scope = file_name_part(spec.project_code or "all")
    raw = "-raw" if spec.raw else ""
    return (f"evaluation-{scope}-{spec.date_from.isoformat()}-{spec.date_to.isoformat()}"
            f"{raw}.{file_format}")


__all__ = ["REPORT_FORMATS", "Report", "ReportSpec", "build_report", "check_spec",
           "file_name_part", "render_report", "report_file_name"]
