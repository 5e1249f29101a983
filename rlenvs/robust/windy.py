"""Windy walk: a tabular robust MDP whose robust value is computed exactly, two ways.

IWOCS (Zouitine, Geist, Rachelson, 2024) rests on two facts for sa-rectangular uncertainty sets: the
value against a *dynamic* adversary (it may change the transition model at every step) equals the value
against the worst *static* model (fixed for the whole episode), and ``max_pi min_T = min_T max_pi``.
This module computes both sides exactly so tests can check them:

- :func:`robust_value_iteration` - the dynamic adversary: ``V(s) = max_a min_p [r + gamma E_p V]``.
- :func:`static_worst_case` - ``min`` over every extreme static model ``T`` of the optimal value ``V*_T``
  (plain value iteration per model; the set is a product over (s, a), so its extreme points suffice).

The grid: the agent starts at ``start`` and must reach ``goal`` (absorbing, reward 0); every other step
costs -1. Actions move up/down/left/right (walls keep the agent in place). In a windy cell, with
probability ``p`` the wind pushes the agent one extra cell down after its move; ``p`` lies in
``[p_low, p_high]``, chosen independently per windy (state, action) pair: an sa-rectangular set.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

MOVES = ((-1, 0), (1, 0), (0, -1), (0, 1))  # up, down, left, right
MAX_STATIC_MODELS = 1 << 16


@dataclass(frozen=True)
class WindyWalk:
    """A windy walk instance (row 0 is the top row; wind blows towards higher rows)."""

    height: int = 4
    width: int = 5
    start: tuple[int, int] = (0, 0)
    goal: tuple[int, int] = (0, 4)
    windy_cells: tuple[tuple[int, int], ...] = ((0, 2), (1, 2))
    p_low: float = 0.1
    p_high: float = 0.6
    gamma: float = 0.95

    def __post_init__(self):
        cells = (self.start, self.goal, *self.windy_cells)
        if not all(0 <= r < self.height and 0 <= c < self.width for r, c in cells):
            raise ValueError(f"start, goal and windy cells must lie in the {self.height}x{self.width} grid")
        if not 0.0 <= self.p_low <= self.p_high <= 1.0:
            raise ValueError(f"need 0 <= p_low <= p_high <= 1, got [{self.p_low}, {self.p_high}]")
        if not 0.0 <= self.gamma < 1.0:
            raise ValueError(f"gamma must be in [0, 1), got {self.gamma}")

    @property
    def num_states(self) -> int:
        return self.height * self.width

    def state(self, cell: tuple[int, int]) -> int:
        return cell[0] * self.width + cell[1]

    def _clip(self, r: int, c: int) -> tuple[int, int]:
        return min(max(r, 0), self.height - 1), min(max(c, 0), self.width - 1)

    def windy_pairs(self) -> list[tuple[int, int]]:
        """The (state, action) pairs whose transition depends on the wind probability."""
        return [(self.state(cell), a) for cell in self.windy_cells if cell != self.goal for a in range(len(MOVES))]

    def transitions(self, wind: Mapping[tuple[int, int], float] | float) -> np.ndarray:
        """``T[s, a, s']`` with wind probability ``wind[(s, a)]`` (or one value for every windy pair)."""
        n = self.num_states
        T = np.zeros((n, len(MOVES), n))
        windy = {self.state(c) for c in self.windy_cells}
        for r, c in itertools.product(range(self.height), range(self.width)):
            s = self.state((r, c))
            for a, (dr, dc) in enumerate(MOVES):
                if (r, c) == self.goal:
                    T[s, a, s] = 1.0
                    continue
                moved = self._clip(r + dr, c + dc)
                if s in windy:
                    p = wind[(s, a)] if isinstance(wind, Mapping) else float(wind)
                    blown = self._clip(moved[0] + 1, moved[1])
                    T[s, a, self.state(blown)] += p
                    T[s, a, self.state(moved)] += 1.0 - p
                else:
                    T[s, a, self.state(moved)] = 1.0
        return T

    def rewards(self) -> np.ndarray:
        """``R[s, a]``: -1 everywhere but the goal."""
        R = -np.ones((self.num_states, len(MOVES)))
        R[self.state(self.goal)] = 0.0
        return R


def value_iteration(T: np.ndarray, R: np.ndarray, gamma: float, tol: float = 1e-12) -> np.ndarray:
    """Optimal values of the MDP ``(T, R, gamma)``."""
    V = np.zeros(T.shape[0])
    while True:
        V_new = (R + gamma * T @ V).max(axis=1)
        if np.abs(V_new - V).max() < tol:
            return V_new
        V = V_new


def robust_value_iteration(walk: WindyWalk, tol: float = 1e-12) -> np.ndarray:
    """Robust optimal values against a dynamic adversary choosing ``p`` per step in ``[p_low, p_high]``.

    The backup is linear in ``p``, so the adversary's minimum sits at ``p_low`` or ``p_high``.
    """
    T_low, T_high = walk.transitions(walk.p_low), walk.transitions(walk.p_high)
    R = walk.rewards()
    V = np.zeros(walk.num_states)
    while True:
        Q = R + walk.gamma * np.minimum(T_low @ V, T_high @ V)
        V_new = Q.max(axis=1)
        if np.abs(V_new - V).max() < tol:
            return V_new
        V = V_new


def static_worst_case(walk: WindyWalk) -> tuple[float, dict[tuple[int, int], float]]:
    """``min_T V*_T(start)`` over every extreme static model, and the minimising wind assignment."""
    pairs = walk.windy_pairs()
    if 1 << len(pairs) > MAX_STATIC_MODELS:
        raise ValueError(f"{len(pairs)} windy (state, action) pairs give 2^{len(pairs)} static models; "
                         f"keep it at most 2^16")
    R, s0 = walk.rewards(), walk.state(walk.start)
    best_value, best_wind = np.inf, {}
    for choice in itertools.product((walk.p_low, walk.p_high), repeat=len(pairs)):
        wind = dict(zip(pairs, choice, strict=True))
        value = value_iteration(walk.transitions(wind), R, walk.gamma)[s0]
        if value < best_value:
            best_value, best_wind = value, wind
    return float(best_value), best_wind
