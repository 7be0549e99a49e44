"""Score charts as inline SVG, drawn on the server: for pages that run no JavaScript, such
as the QBR pack and its PDF (WeasyPrint renders SVG but runs no scripts).

Pure: numbers in, SVG markup out. Scores are on the 0 to 100 scale; a missing value (None)
leaves a gap in a line and an empty bar. Text is escaped; colours are presentation
attributes (no ``style``), so the markup passes the Content-Security-Policy.

Coordinates are written by Python's own formatting, never Django's, so they keep the decimal
point in every language ("12.5", not "12,5", which would break the SVG); only the score
written above a bar is text for people and follows the active language ("72,5" in German).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

Number = str | Decimal | float | int | None

# Overall first, then perspectives: distinguishable in colour and in black-and-white print.
PALETTE = ("#1d4ed8", "#b45309", "#047857", "#7c3aed", "#be123c", "#0e7490")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")

LEFT, RIGHT, TOP, BOTTOM = 34, 10, 10, 38


def _value(value: Number) -> float | None:
    if value is None or value == "":
        return None
    return max(0.0, min(100.0, float(value)))


def _shown(raw: Number) -> str:
    """A bar's score as text in the active language; anything not a number as it is."""
    try:
        return number_format(Decimal(str(raw)), use_l10n=True)
    except (InvalidOperation, ValueError):
        return str(raw)


def _y(value: float, height: int) -> float:
    plot = height - TOP - BOTTOM
    return round(TOP + plot * (1 - value / 100), 1)


def _axes(width: int, height: int) -> list[str]:
    """Horizontal grid lines and labels at 0, 50 and 100."""
    parts = []
    for mark in (0, 50, 100):
        y = _y(mark, height)
        parts.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{width - RIGHT}" y2="{y}" stroke="#d0d5dd" '
            'stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 3}" text-anchor="end" font-size="9" '
            f'fill="#475467">{mark}</text>'
        )
    return parts


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="svg-chart" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-label="{}"><title>{}</title>',
        width,
        height,
        width,
        height,
        title,
        title,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - numbers and escaped text


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    *,
    title: str,
    width: int = 520,
    height: int = 200,
) -> SafeString:
    """One line per series over the period labels, with a legend under the axis."""
    body = _axes(width, height)
    count = len(labels)
    plot_width = width - LEFT - RIGHT
    step = plot_width / max(count - 1, 1)

    def x(index: int) -> float:
        return round(LEFT + (step * index if count > 1 else plot_width / 2), 1)

    for index, label in enumerate(labels):
        body.append(
            f'<text x="{x(index)}" y="{height - BOTTOM + 12}" text-anchor="middle" '
            f'font-size="9" fill="#475467">{escape(label)}</text>'
        )
    for number, (name, values) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        dash = DASHES[number % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        width_attr = "2.5" if number == 0 else "1.5"
        run: list[str] = []
        runs: list[list[str]] = []
        for index, raw in enumerate(values[:count]):
            value = _value(raw)
            if value is None:
                if run:
                    runs.append(run)
                run = []
                continue
            point = f"{x(index)},{_y(value, height)}"
            run.append(point)
            body.append(
                f'<circle cx="{x(index)}" cy="{_y(value, height)}" r="2.5" fill="{colour}"/>'
            )
        if run:
            runs.append(run)
        for points in runs:
            if len(points) > 1:
                body.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                    f'stroke-width="{width_attr}"{dash_attr}/>'
                )
        legend_x = LEFT + number * (plot_width / max(len(series), 1))
        legend_y = height - 10
        body.append(
            f'<line x1="{legend_x:.1f}" y1="{legend_y - 3}" x2="{legend_x + 14:.1f}" '
            f'y2="{legend_y - 3}" stroke="{colour}" stroke-width="{width_attr}"{dash_attr}/>'
            f'<text x="{legend_x + 18:.1f}" y="{legend_y}" font-size="9" '
            f'fill="#101828">{escape(name)}</text>'
        )
    return _svg(width, height, title, body)


def bar_chart(
    bars: Sequence[tuple[str, Number]],
    *,
    title: str,
    width: int = 520,
    height: int = 200,
) -> SafeString:
    """One vertical bar per (label, score), the score written above it."""
    body = _axes(width, height)
    plot_width = width - LEFT - RIGHT
    slot = plot_width / max(len(bars), 1)
    bar_width = min(60.0, slot * 0.6)
    for index, (label, raw) in enumerate(bars):
        centre = LEFT + slot * index + slot / 2
        value = _value(raw)
        colour = PALETTE[(index + 1) % len(PALETTE)]
        if value is not None:
            top = _y(value, height)
            base = _y(0, height)
            body.append(
                f'<rect x="{centre - bar_width / 2:.1f}" y="{top}" width="{bar_width:.1f}" '
                f'height="{round(base - top, 1)}" fill="{colour}"/>'
                f'<text x="{centre:.1f}" y="{top - 3}" text-anchor="middle" font-size="9" '
                f'fill="#101828">{escape(_shown(raw))}</text>'
            )
        else:
            body.append(
                f'<text x="{centre:.1f}" y="{_y(0, height) - 3}" text-anchor="middle" '
                'font-size="9" fill="#475467">—</text>'
            )
        body.append(
            f'<text x="{centre:.1f}" y="{height - BOTTOM + 12}" text-anchor="middle" '
            f'font-size="9" fill="#475467">{escape(label)}</text>'
        )
    return _svg(width, height, title, body)
