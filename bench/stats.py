"""The one percentile the benchmarks report (nearest rank over the sorted samples)."""

from __future__ import annotations


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]
