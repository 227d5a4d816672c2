"""Geometry for the report's charts, drawn as SVG by templates (no script, prints as it shows)."""

from __future__ import annotations

from dataclasses import dataclass

from ..numbers import vi_number
from ..timefmt import vn_date
from .details import TrendPoint
from .report import UnitRow


@dataclass(frozen=True)
class Bar:
    """One unit's two rates as horizontal bars (coordinates in the SVG's units)."""

    y: float
    label: str
    accessed_width: float
    trained_width: float
    accessed_text: str
    trained_text: str


@dataclass(frozen=True)
class UnitsChart:
    """Units against both targets."""

    width: int
    height: int
    left: int
    plot_width: int
    bars: list[Bar]
    target_accessed_x: float
    target_trained_x: float
    ticks: list[tuple[float, str]]


def units_chart(rows: list[UnitRow], target_accessed: float, target_trained: float) -> UnitsChart:
    """Two bars per unit (accessed, trained), with a line at each target."""
    left, plot, row_height = 190, 420, 30
    scale = plot / 100.0
    bars = [
        Bar(
            y=20 + i * row_height,
            label=row.name if len(row.name) <= 30 else row.name[:29] + "…",
            accessed_width=(row.accessed_pct or 0.0) * scale,
            trained_width=(row.trained_pct or 0.0) * scale,
            accessed_text=f"{vi_number(row.accessed_pct, 1)} %",
            trained_text=f"{vi_number(row.trained_pct, 1)} %",
        )
        for i, row in enumerate(rows)
    ]
    height = 20 + len(rows) * row_height + 30
    return UnitsChart(
        width=left + plot + 70,
        height=height,
        left=left,
        plot_width=plot,
        bars=bars,
        target_accessed_x=left + target_accessed * scale,
        target_trained_x=left + target_trained * scale,
        ticks=[(left + p * scale, f"{p} %") for p in (0, 25, 50, 75, 100)],
    )


@dataclass(frozen=True)
class TrendChart:
    """Both rates week by week, as two polylines."""

    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    accessed_points: str
    trained_points: str
    dots: list[tuple[float, float, float, str]]  # x, y accessed, y trained, title
    ticks_y: list[tuple[float, str]]
    ticks_x: list[tuple[float, str]]
    target_accessed_y: float
    target_trained_y: float


def trend_chart(
    points: list[TrendPoint], target_accessed: float, target_trained: float
) -> TrendChart:
    """Polylines of the accessed and trained rates at the end of each week."""
    left, top, plot_w, plot_h = 50, 15, 560, 200
    n = max(len(points) - 1, 1)

    def x(i: int) -> float:
        return round(left + plot_w * i / n, 1)

    def y(value: float) -> float:
        return round(top + plot_h * (1 - value / 100.0), 1)

    accessed = " ".join(f"{x(i)},{y(p.accessed_pct)}" for i, p in enumerate(points))
    trained = " ".join(f"{x(i)},{y(p.trained_pct)}" for i, p in enumerate(points))
    dots = [
        (
            x(i),
            y(p.accessed_pct),
            y(p.trained_pct),
            f"{vn_date(p.day)}: tiếp cận {vi_number(p.accessed_pct, 1)} %, "
            f"bồi dưỡng {vi_number(p.trained_pct, 1)} %",
        )
        for i, p in enumerate(points)
    ]
    step = max(1, len(points) // 6)
    ticks_x = [(x(i), vn_date(p.day)[:5]) for i, p in enumerate(points) if i % step == 0]
    return TrendChart(
        width=left + plot_w + 30,
        height=top + plot_h + 40,
        left=left,
        top=top,
        plot_width=plot_w,
        plot_height=plot_h,
        accessed_points=accessed,
        trained_points=trained,
        dots=dots,
        ticks_y=[(y(v), f"{v} %") for v in (0, 25, 50, 75, 100)],
        ticks_x=ticks_x,
        target_accessed_y=y(target_accessed),
        target_trained_y=y(target_trained),
    )
