"""The dashboard's charts drawn as SVG for the PDF report (WeasyPrint runs no JavaScript).

The same charts as on the dashboard, in Chart.js's default colours: the flow as bars, the
trend of the rates as lines, and a breakdown's share in work or education as bars. A
hidden or empty value leaves a gap, as on the dashboard.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

# Chart.js's default palette, which the dashboard uses.
COLOURS = ("#36a2eb", "#ff6384", "#4bc0c0", "#ff9f40", "#9966ff", "#ffcd56")
AXIS = "#6c757d"
GRID = "#dee2e6"
FONT = "DejaVu Sans, sans-serif"


def _number(value: float, decimals: int = 0) -> str:
    return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True,
                         force_grouping=decimals == 0)


def _svg(width: int, height: int, body: list[str], title: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="{FONT}" font-size="11">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def horizontal_bars(labels: list[str], values: list[float | None], *, title: str,
                    percent: bool, width: int = 640) -> SafeString:
    """One bar per label; ``percent`` values are fractions shown on a 0–100 % axis."""
    row_height, label_width, right = 26, 190, 70
    height = 20 + row_height * max(len(labels), 1)
    plot_width = width - label_width - right
    numbers = [None if v is None else (v * 100 if percent else float(v)) for v in values]
    top = 100.0 if percent else max([n for n in numbers if n is not None] or [1.0]) or 1.0
    body = [f'<line x1="{label_width}" y1="10" x2="{label_width}" y2="{height - 10}" '
            f'stroke="{AXIS}"/>']
    for index, (label, number) in enumerate(zip(labels, numbers, strict=True)):
        y = 10 + index * row_height
        short = label if len(label) <= 30 else label[:29] + "…"
        body.append(f'<text x="{label_width - 6}" y="{y + 16}" text-anchor="end" '
                    f'fill="#212529">{escape(short)}</text>')
        if number is None:
            body.append(f'<text x="{label_width + 6}" y="{y + 16}" fill="{AXIS}">–</text>')
            continue
        bar = max(plot_width * number / top, 0.0)
        text = _number(number, 1) + " %" if percent else _number(number)
        body.append(f'<rect x="{label_width}" y="{y + 4}" width="{bar:.1f}" height="16" '
                    f'fill="{COLOURS[0]}" fill-opacity="0.8" stroke="{COLOURS[0]}"/>')
        body.append(f'<text x="{label_width + bar + 6:.1f}" y="{y + 16}" '
                    f'fill="#212529">{escape(text)}</text>')
    return _svg(width, height, body, title)


def line_chart(labels: list[str], series: list[tuple[str, list[float | None]]], *,
               title: str, width: int = 640, height: int = 280) -> SafeString:
    """Rates (fractions) over time on a 0–100 % axis, one line per series, with a legend."""
    left, right, top, bottom = 48, 16, 16, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(labels) - 1, 1)
    body = []
    for tick in range(0, 101, 25):
        y = top + plot_h * (1 - tick / 100)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                    f'stroke="{GRID}"/>')
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                    f'fill="{AXIS}">{tick} %</text>')
    every = max(1, len(labels) // 12)
    for index, label in enumerate(labels):
        if index % every == 0:
            x = left + index * step
            body.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                        f'fill="{AXIS}" font-size="9">{escape(label)}</text>')
    for number, (name, values) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        segment: list[str] = []
        segments = [segment]
        for index, value in enumerate(values):
            if value is None:
                segment = []
                segments.append(segment)
                continue
            x, y = left + index * step, top + plot_h * (1 - min(max(value, 0.0), 1.0))
            segment.append(f"{x:.1f},{y:.1f}")
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>')
        for points in segments:
            if len(points) > 1:
                body.append(f'<polyline points="{" ".join(points)}" fill="none" '
                            f'stroke="{colour}" stroke-width="2"/>')
        legend_x = left + (number % 2) * (plot_w / 2)
        legend_y = top + plot_h + 34 + (number // 2) * 16
        body.append(f'<rect x="{legend_x:.1f}" y="{legend_y - 9}" width="12" height="10" '
                    f'fill="{colour}"/>')
        body.append(f'<text x="{legend_x + 18:.1f}" y="{legend_y}" '
                    f'fill="#212529">{escape(name)}</text>')
    return _svg(width, height, body, title)
