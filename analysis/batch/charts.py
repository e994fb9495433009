"""Charts of the portfolio report: matplotlib SVG inlined in the page, each with its data as a table.

Why the sizes: the SVG is shown at its natural size (1 pt = 4/3 px), so a 10.5 pt label is 14 px
at 100 % zoom; figures are as tall as their bars need and the axis ends just past the longest bar.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

FONT_PT = 10.5
WIDTH_IN = 6.2
BAR_IN = 0.36
LINE_IN = 0.2
MIN_LABELLED_SHARE = 0.06  # narrower segments get no number inside (the table beside has it)
LABEL_CHARS = 34
BLUE = "#005a8c"


@dataclass
class Chart:
    """One chart and its text alternative: a caption and the numbers as a table."""

    title: str
    caption: str
    headers: list[str]
    rows: list[list[str]]
    anchor: str
    svg: str = ""


@dataclass(frozen=True)
class Segment:
    label: str
    color: str
    hatch: str


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.size": FONT_PT, "axes.titlesize": FONT_PT + 1.5,
                         "font.family": "DejaVu Sans", "hatch.linewidth": 0.8, "axes.spines.top": False,
                         "axes.spines.right": False})
    return plt


def _integer_axis(axis, integers: bool) -> None:
    """Whole numbers for counts; a decimal comma otherwise (Swedish)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if integers:
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        axis.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}".replace(".", ",")))


def _height(labels: list[str]) -> float:
    """Inches the bars need: a fixed slot per bar, more for labels wrapped onto several lines."""
    return sum(max(BAR_IN, LINE_IN * (label.count("\n") + 1.8)) for label in labels)


def _wrap(label: str) -> str:
    return "\n".join(textwrap.wrap(label, LABEL_CHARS, max_lines=3, placeholder=" …")) or label


def _svg(figure, prefix: str) -> str:
    """The figure as inline SVG with ids made unique on the page and no metadata."""
    plt = _pyplot()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'(id="|url\(#|xlink:href="#)', lambda m: m.group(1) + prefix + "-", text)
    text = text.replace("font-family: 'DejaVu Sans'", "font-family: 'DejaVu Sans', system-ui, sans-serif")
    return text.replace("<svg ", f'<svg role="img" aria-labelledby="{prefix}-caption" ', 1)


def bars(chart: Chart, values: Sequence[tuple[str, float]], xlabel: str, fmt=lambda v: f"{v:g}",
         integers: bool = True) -> Chart:
    """Horizontal bars, largest first, each labelled with its value; the caption above the chart is its title."""
    plt = _pyplot()
    values = values or [("(inga)", 0)]
    labels = [_wrap(label) for label, _ in values][::-1]
    numbers = [value for _, value in values][::-1]
    figure, axis = plt.subplots(figsize=(WIDTH_IN, 0.7 + _height(labels)))
    drawn = axis.barh(labels, numbers, color=BLUE)
    axis.bar_label(drawn, labels=[fmt(v) for v in numbers], padding=3)
    axis.set_xlim(0, max(max(numbers) * 1.18, 1))
    axis.set_xlabel(xlabel)
    _integer_axis(axis, integers)
    figure.tight_layout()
    chart.svg = _svg(figure, chart.anchor)
    return chart


def stacked(chart: Chart, categories: list[str], segments: list[Segment], counts: list[list[int]],
            xlabel: str) -> Chart:
    """Stacked horizontal bars; colour, hatching and the number in each part carry the same information."""
    plt = _pyplot()
    categories = [_wrap(c) for c in categories]
    figure, axis = plt.subplots(figsize=(WIDTH_IN, 1.1 + _height(categories)))
    totals = [max(sum(column), 1) for column in zip(*counts, strict=True)]
    left = [0] * len(categories)
    for segment, values in zip(segments, counts, strict=True):
        drawn = axis.barh(categories[::-1], values[::-1], left=left[::-1], color=segment.color, hatch=segment.hatch,
                          edgecolor="white", label=segment.label)
        shown = [str(v) if v and v / total >= MIN_LABELLED_SHARE else ""
                 for v, total in zip(values, totals, strict=True)]
        axis.bar_label(drawn, labels=shown[::-1], label_type="center",
                       color="#1d2733", fontweight="bold",
                       bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"})
        left = [a + b for a, b in zip(left, values, strict=True)]
    axis.set_xlim(0, max(max(left), 1))
    axis.set_xlabel(xlabel)
    _integer_axis(axis, True)
    axis.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(segments), frameon=False)
    figure.tight_layout()
    chart.svg = _svg(figure, chart.anchor)
    return chart
