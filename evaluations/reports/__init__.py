"""Evaluation reports: the figures of any period as CSV, XLSX or PDF (docs/reports.md)."""

from __future__ import annotations

from pathlib import Path

from .content import Report, ReportSpec, build_report
from .csv_report import write_csv
from .pdf_report import write_pdf
from .xlsx_report import write_xlsx

REPORT_FORMATS = ("csv", "xlsx", "pdf")


def render_report(report: Report, file_format: str, path: Path | str) -> None:
    """Write the report to ``path`` in one of REPORT_FORMATS."""
    path = Path(path)
    if file_format == "csv":
        write_csv(report, path)
    elif file_format == "xlsx":
        write_xlsx(report, path)
    elif file_format == "pdf":
        write_pdf(report, path)
    else:
        raise ValueError(file_format)


def report_file_name(spec: ReportSpec, file_format: str) -> str:
    scope = spec.project_code or "all"
    raw = "-raw" if spec.raw else ""
    return (f"evaluation-{scope}-{spec.date_from.isoformat()}-{spec.date_to.isoformat()}"
            f"{raw}.{file_format}")


__all__ = ["REPORT_FORMATS", "Report", "ReportSpec", "build_report", "render_report",
           "report_file_name"]
