"""Uniform evaluation grids over an uncertainty set, in the two conventions the literature uses.

- ``"m2td3"`` (M2TD3's ``evaluate.py``, the default): ``np.linspace(low, high, points)`` per dimension,
  end points included.
- ``"rrls"`` (RRLS's ``generate_evaluation_set``): ``np.arange(low, high, (high - low) / points)``,
  which leaves out the upper bound, where the worst case often lies.

A leaderboard names the one it uses (the robust envs' ``m2td3_grid`` / ``rrls_grid`` splits).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np

GRID_CONVENTIONS = ("m2td3", "rrls")


def axis_points(low: float, high: float, points: int = 10, convention: str = "m2td3") -> np.ndarray:
    """The grid values of one parameter."""
    if convention not in GRID_CONVENTIONS:
        raise ValueError(f"convention must be one of {GRID_CONVENTIONS}, got {convention!r}")
    if not low < high or points < 1:
        raise ValueError(f"need low < high and points >= 1, got [{low}, {high}] with {points} points")
    if convention == "m2td3":
        return np.linspace(low, high, points)
    return np.arange(low, high, (high - low) / points)[:points]


def uncertainty_grid(bounds: Mapping[str, tuple[float, float]], points: int = 10,
                     convention: str = "m2td3") -> list[dict[str, float]]:
    """Every grid point of the box ``bounds`` (``{name: (low, high)}``), as dicts, first name slowest."""
    axes = [axis_points(lo, hi, points, convention) for lo, hi in bounds.values()]
    return [dict(zip(bounds, map(float, values), strict=True)) for values in itertools.product(*axes)]
