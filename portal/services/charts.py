"""Geometry of the horizontal bar charts drawn as inline SVG (no script: the page's CSP allows none).

Each bar has its label above it and its figure written after it, so a long label never has to be
cut short and nothing depends on colour. The numbers are also in a table next to every chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.services.report_tables import Figure

WIDTH = 400
#: Room kept right of the longest bar for its figure ("£12,345.00").
FIGURE_ROOM = 100
BAR_HEIGHT = 24
LABEL_HEIGHT = 22
GAP = 14
#: Longer labels are shortened in the chart (about what fits at 16px); the table has them in full.
LABEL_CHARACTERS = 44


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    #: Baseline of the label; the bar starts just under it.
    label_y: int
    bar_y: int
    length: float

    @property
    def text_x(self) -> float:
        return self.length + 8

    @property
    def text_y(self) -> int:
        return self.bar_y + BAR_HEIGHT - 6


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return len(self.bars) * (LABEL_HEIGHT + BAR_HEIGHT + GAP)

    @property
    def description(self) -> str:
        """The chart in words, for people who cannot see it."""
        return "; ".join(f"{bar.label}: {bar.text}" for bar in self.bars)


def bar_chart(title: str, items: list[tuple[str, Figure]]) -> BarChart:
    """Bars scaled to the largest figure; a figure above zero always shows at least a sliver."""
    largest = max((figure.value for _, figure in items), default=0) or 1
    room = WIDTH - FIGURE_ROOM
    bars = []
    for index, (label, figure) in enumerate(items):
        top = index * (LABEL_HEIGHT + BAR_HEIGHT + GAP)
        length = 0.0 if not figure.value else max(2.0, round(float(figure.value) / float(largest) * room, 1))
        shown = label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1].rstrip() + "…"
        bars.append(Bar(shown, figure.text, top + LABEL_HEIGHT - 6, top + LABEL_HEIGHT, length))
    return BarChart(title, bars)
