"""The dashboard's charts drawn as SVG for the PDF report (WeasyPrint runs no JavaScript).

The same charts as on the dashboard, in Chart.js's default colours: the flow from referral
to work or education as columns, the trend of the rates as lines, and each breakdown's
share in work or education as bars. A hidden or empty value is no bar and no point (the
line has a gap, as on the dashboard); its text ("<5" or "–") stands where the bar would.

Every chart is drawn in a coordinate system about as wide as the text column of an A4
page (1 unit ≈ 1 CSS pixel), and the stylesheet scales it to the column's width.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

# Chart.js's default palette, which the dashboard's charts use, in its order.
BLUE, RED, TEAL, ORANGE, PURPLE, YELLOW = (
    "#36a2eb", "#ff6384", "#4bc0c0", "#ff9f40", "#9966ff", "#ffcd56")
COLOURS = (BLUE, RED, TEAL, ORANGE, PURPLE, YELLOW)
TEXT = "#212529"
MUTED = "#6c757d"
GRID = "#e3e7eb"
FONT = "DejaVu Sans"
FONT_SIZE = 11
WIDTH = 640


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: hidden or empty, no bar
    text: str  # what is written at the bar: the value as the tables show it, "<5" or "–"


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """About how wide DejaVu Sans sets ``text`` (it is a wide face: err on the wide side)."""
    width = 0.0
    for char in text:
        if char == " ":
            width += 0.32
        elif char.isupper() or char.isdigit() or char in "%<>–—":
            width += 0.70
        elif char in "ilj.,:;'|!()[]":
            width += 0.30
        else:
            width += 0.60
    return width * size


def fit(text: str, width: float, size: float = FONT_SIZE) -> str:
    """``text`` cut with an ellipsis so that it fits ``width``."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap(text: str, width: float, size: float = FONT_SIZE, lines: int = 2) -> list[str]:
    """``text`` broken at spaces into at most ``lines`` lines of ``width``."""
    result: list[str] = []
    words = text.split()
    while words and len(result) < lines:
        line = words.pop(0)
        while words and text_width(line + " " + words[0], size) <= width:
            line += " " + words.pop(0)
        result.append(line)
    if words:
        result[-1] = fit(result[-1] + " " + " ".join(words), width, size)
    return [fit(line, width, size) for line in result]


def _svg(width: float, height: float, body: list[str], title: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'font-family="{FONT}" font-size="{FONT_SIZE}" fill="{TEXT}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", colour: str = TEXT,
          size: float | None = None, bold: bool = False) -> str:
    extra = f' font-size="{size}"' if size else ""
    extra += ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{colour}"{extra}>'
            f"{escape(text)}</text>")


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1) -> str:
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{colour}" stroke-width="{width}"/>')


def _rect(x: float, y: float, width: float, height: float, colour: str) -> str:
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" '
            f'height="{max(height, 0):.1f}" fill="{colour}" fill-opacity="0.85" '
            f'stroke="{colour}"/>')


def column_chart(bars: list[Bar], *, title: str, colours: list[str] | None = None,
                 width: int = WIDTH, height: int = 250) -> SafeString:
    """Counts as columns side by side, each with its value above and its label below: the
    flow from referral to work or education."""
    left, right, top, bottom = 12, 12, 22, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / max(len(bars), 1)
    column_w = min(slot * 0.56, 110)
    peak = max([bar.value for bar in bars if bar.value is not None] or [0]) or 1
    base = top + plot_h
    body = [_line(left, base, width - right, base, MUTED)]
    for index, bar in enumerate(bars):
        colour = (colours or [BLUE])[index % len(colours or [BLUE])]
        centre = left + slot * (index + 0.5)
        height_of = 0.0 if bar.value is None else plot_h * bar.value / peak
        if height_of:
            body.append(_rect(centre - column_w / 2, base - height_of, column_w, height_of,
                              colour))
        body.append(_text(centre, base - height_of - 6, bar.text, anchor="middle",
                          colour=TEXT if bar.value is not None else MUTED, bold=True))
        for number, line in enumerate(wrap(bar.label, slot - 8)):
            body.append(_text(centre, base + 16 + number * 13, line, anchor="middle"))
    return _svg(width, height, body, title)


def horizontal_bars(bars: list[Bar], *, title: str, width: int = WIDTH) -> SafeString:
    """Shares (fractions) as bars on a 0–100 % axis, one per group: a breakdown."""
    row_h, top, value_room = 22, 6, 60
    label_w = min(max([text_width(bar.label) for bar in bars] or [0]) + 10, width * 0.42)
    plot_x = label_w + 6
    plot_w = width - plot_x - value_room
    bottom = top + row_h * max(len(bars), 1)
    height = bottom + 22
    body = []
    for tick in range(0, 101, 25):
        x = plot_x + plot_w * tick / 100
        body.append(_line(x, top, x, bottom, GRID if tick else MUTED))
        body.append(_text(x, bottom + 15, f"{tick} %", anchor="middle", colour=MUTED, size=9))
    for index, bar in enumerate(bars):
        y = top + index * row_h
        body.append(_text(label_w, y + 15, fit(bar.label, label_w - 4), anchor="end"))
        length = 0.0 if bar.value is None else plot_w * min(max(bar.value, 0.0), 1.0)
        if length:
            body.append(_rect(plot_x, y + 4, length, row_h - 8, BLUE))
        body.append(_text(plot_x + length + 5, y + 15, bar.text,
                          colour=TEXT if bar.value is not None else MUTED))
    return _svg(width, height, body, title)


def line_chart(labels: list[str], series: list[tuple[str, list[float | None]]], *,
               title: str, width: int = WIDTH, height: int = 300) -> SafeString:
    """Rates (fractions) over time on a 0–100 % axis, one line per series, with a legend
    below. A missing value breaks the line."""
    legend_rows = math.ceil(len(series) / 2)
    widest = max([text_width(label, 9) for label in labels] or [0]) + 8
    left, right, top = max(44, widest / 2), max(28, widest / 2), 10
    bottom = 30 + 18 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    count = len(labels)
    step = plot_w / (count - 1) if count > 1 else 0.0

    def x_of(index: int) -> float:
        return left + index * step if count > 1 else left + plot_w / 2

    body = []
    for tick in range(0, 101, 25):
        y = top + plot_h * (1 - tick / 100)
        body.append(_line(left, y, width - right, y, GRID if tick else MUTED))
        body.append(_text(left - 6, y + 4, f"{tick} %", anchor="end", colour=MUTED, size=9))
    every = max(1, math.ceil(count * widest / max(plot_w, 1)))
    for index, label in enumerate(labels):
        if index % every == 0:
            body.append(_text(x_of(index), top + plot_h + 15, label, anchor="middle",
                              colour=MUTED, size=9))
    for number, (name, values) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        segments: list[list[str]] = [[]]
        for index, value in enumerate(values):
            if value is None:
                segments.append([])
                continue
            x, y = x_of(index), top + plot_h * (1 - min(max(value, 0.0), 1.0))
            segments[-1].append(f"{x:.1f},{y:.1f}")
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
        for points in segments:
            if len(points) > 1:
                body.append(f'<polyline points="{" ".join(points)}" fill="none" '
                            f'stroke="{colour}" stroke-width="2.2" stroke-linejoin="round"/>')
        legend_x = left + (number % 2) * (plot_w / 2)
        legend_y = top + plot_h + 36 + (number // 2) * 18
        body.append(_rect(legend_x, legend_y - 9, 14, 10, colour))
        body.append(_text(legend_x + 20, legend_y, fit(name, plot_w / 2 - 28)))
    return _svg(width, height, body, title)
