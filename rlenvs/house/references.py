"""Scripted HouseNav references and the per-sub-task metrics (success, SPL, SoftSPL, in-context gain).

Three policies bracket what a learned in-context agent can do (spec section 3.6):

- :class:`Oracle`: privileged shortest path (reads the env's BFS distance field); SPL = 1 up to the rare
  success cell from which no instance can be seen after turning.
- :class:`Explorer` with ``memory=False`` (``explorer_nomem``): frontier exploration on a map built from
  its egocentric views, wiped at every sub-task: it has to search the house again every time.
- :class:`Explorer` with ``memory=True`` (``explorer_mem``): the same with the map kept over the trial: once
  it has seen an object it walks straight back to it.

The gap between the two explorers at sub-task index ``k`` is the in-context headroom of the setting.
Policies are called as ``policy(env, obs) -> action`` on a single ``HouseNavEnv`` (``env.unwrapped``);
the explorers use only the view and the agent's pose (the ``pose`` observation, decoded through the env's
integer pose for exactness) and the goal.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import numpy as np

from rlenvs.house import _kernels as K

HEADINGS = ((1, 0), (0, 1), (-1, 0), (0, -1))
UNKNOWN, FREE, BLOCKED = 0, 1, 2


def _turn_towards(heading: int, want: int) -> int:
    """Action that turns ``heading`` towards ``want`` (1 left, 2 right; a U-turn turns right)."""
    return 1 if (heading - want) % 4 == 1 else 2


def _step_towards(x: int, y: int, heading: int, nx: int, ny: int) -> int:
    want = HEADINGS.index((nx - x, ny - y))
    return 0 if want == heading else _turn_towards(heading, want)


class Oracle:
    """Shortest path on the target's distance field, then turn until an instance is in view, then STOP."""

    name = "oracle"

    def reset(self) -> None:
        pass

    def __call__(self, env, obs: np.ndarray) -> int:
        env = env.unwrapped
        field = env.distance_field()
        x, y, heading = env.agent
        radius = int(env.variant.success_radius)
        target = env.target
        if field[y, x] <= radius:
            visible = obs[K.O_VIEW + 1:K.O_DEPTH:3] == target
            if visible.any() or env.variant.dark or not env.variant.require_visible:
                return 3
            # face the nearest instance; if it is already faced (and hidden), step closer
            cat = env.grid[1]
            best = None
            for iy, ix in zip(*np.nonzero(cat == target), strict=True):
                d = abs(int(ix) - x) + abs(int(iy) - y)
                if best is None or d < best[0]:
                    best = (d, int(ix), int(iy))
            _, ix, iy = best
            ddx, ddy = ix - x, iy - y
            want = (0 if ddx > 0 else 2) if abs(ddx) >= abs(ddy) else (1 if ddy > 0 else 3)
            if want != heading:
                return _turn_towards(heading, want)
        best_move = None
        for k, (dx, dy) in enumerate(HEADINGS):
            d = field[y + dy, x + dx]
            if d >= 0 and d < field[y, x] and (best_move is None or k == heading):
                best_move = k
        return 0 if best_move == heading else _turn_towards(heading, best_move)


class Explorer:
    """Frontier exploration on a self-built map, then straight to a seen instance of the target.

    The map (unknown / free / blocked, plus the category seen on blocked cells) is filled from the visible
    cells of every egocentric view. Each step: if an instance of the target is on the map, walk (BFS over
    known free cells) to a free cell next to it, face it and STOP; otherwise walk to the nearest known free
    cell with an unknown neighbour and face the unknown. ``memory=False`` wipes the map at every sub-task.
    """

    def __init__(self, memory: bool):
        self.memory = memory
        self.name = "explorer_mem" if memory else "explorer_nomem"
        self.known: np.ndarray | None = None
        self.cat: np.ndarray | None = None

    def reset(self) -> None:
        self.known = None

    def _update(self, env, obs: np.ndarray) -> None:
        x, y, d = env.agent
        dx, dy = HEADINGS[d]
        rx, ry = -dy, dx
        view = obs[K.O_VIEW:K.O_DEPTH].reshape(K.V, K.V, 3).astype(np.int64)
        for vr in range(K.V):
            for vc in range(K.V):
                code = view[vr, vc, 0]
                if code == 0:
                    continue
                f, lat = K.V - 1 - vr, vc - K.V // 2
                wx, wy = x + f * dx + lat * rx, y + f * dy + lat * ry
                self.known[wy, wx] = FREE if code in (K.FLOOR + 1, K.DOOR + 1) else BLOCKED
                self.cat[wy, wx] = view[vr, vc, 1]
        self.known[y, x] = FREE

    def _bfs_path(self, x: int, y: int, goal: Callable[[int, int], bool]):
        prev = {(x, y): None}
        queue = deque([(x, y)])
        while queue:
            cx, cy = queue.popleft()
            if goal(cx, cy):
                path = []
                node = (cx, cy)
                while node is not None:
                    path.append(node)
                    node = prev[node]
                return path[::-1]
            for dx, dy in HEADINGS:
                n = (cx + dx, cy + dy)
                if n not in prev and self.known[n[1], n[0]] == FREE:
                    prev[n] = (cx, cy)
                    queue.append(n)
        return None

    def __call__(self, env, obs: np.ndarray) -> int:
        env = env.unwrapped
        if self.known is None or (obs[K.O_SUBSTART] == 1 and not self.memory):
            self.known = np.zeros((K.HM, K.WM), dtype=np.int64)
            self.cat = np.zeros((K.HM, K.WM), dtype=np.int64)
        self._update(env, obs)
        x, y, heading = env.agent
        target = env.target
        h, w = env.grid.shape[1:]
        goal_cells = np.argwhere(self.cat == target)
        if len(goal_cells):
            targets = {(int(ix), int(iy)) for iy, ix in goal_cells}

            def next_to_target(cx, cy):
                return any((cx + dx, cy + dy) in targets for dx, dy in HEADINGS)

            path = self._bfs_path(x, y, next_to_target)
            if path is not None:
                if len(path) == 1:
                    for k, (dx, dy) in enumerate(HEADINGS):
                        if (x + dx, y + dy) in targets:
                            return 3 if k == heading else _turn_towards(heading, k)
                return _step_towards(x, y, heading, *path[1])

        def frontier(cx, cy):
            return any(0 <= cx + dx < w and 0 <= cy + dy < h and self.known[cy + dy, cx + dx] == UNKNOWN
                       for dx, dy in HEADINGS)

        path = self._bfs_path(x, y, frontier)
        if path is None:
            return 3  # nothing left to explore: give up on this sub-task
        if len(path) == 1:
            for k, (dx, dy) in enumerate(HEADINGS):
                if self.known[y + dy, x + dx] == UNKNOWN:
                    return 0 if k == heading else _turn_towards(heading, k)
        return _step_towards(x, y, heading, *path[1])


def run_trials(env, policy, seeds, tasks=None) -> list[list[dict]]:
    """Run one full trial per seed with ``policy``; return per trial the complete sub-tasks' metrics."""
    trials = []
    for n, seed in enumerate(seeds):
        options = None if tasks is None else {"task": tasks[n]}
        obs, _ = env.reset(seed=int(seed), options=options)
        policy.reset()
        records = []
        truncated = False
        while not truncated:
            obs, _, _, truncated, info = env.step(int(policy(env, obs)))
            sub = info.get("subtask")
            if sub is not None and not sub["incomplete"]:
                records.append(sub)
        trials.append(records)
    return trials


def per_index(trials: list[list[dict]], key: str = "spl", max_index: int | None = None) -> np.ndarray:
    """Mean of ``key`` over trials at each sub-task index ``k`` (NaN where no trial reached ``k``)."""
    length = max_index or max((len(t) for t in trials), default=0)
    out = np.full(length, np.nan)
    for k in range(length):
        values = [float(t[k][key]) for t in trials if len(t) > k]
        if values:
            out[k] = np.mean(values)
    return out


def icl_gain(trials: list[list[dict]], n: int = 10, key: str = "spl") -> float:
    """In-context gain: mean ``key`` over the last ``n`` sub-task indices minus the first ``n``.

    Indices run up to the shortest trial's count of complete sub-tasks, so every index averages all
    trials; with fewer than ``2 n`` sub-tasks the two windows are the first and second halves.
    """
    common = min(len(t) for t in trials)
    if common < 2:
        raise ValueError("icl_gain needs trials with at least 2 complete sub-tasks each")
    n = min(n, common // 2)
    curve = per_index(trials, key, common)
    return float(np.mean(curve[common - n:]) - np.mean(curve[:n]))


def summary(trials: list[list[dict]]) -> dict[str, float]:
    """Success, SPL, SoftSPL over all sub-tasks, and the in-context gain of SPL."""
    flat = [r for t in trials for r in t]
    return {
        "subtasks": len(flat),
        "success": float(np.mean([r["success"] for r in flat])),
        "spl": float(np.mean([r["spl"] for r in flat])),
        "soft_spl": float(np.mean([r["soft_spl"] for r in flat])),
        "icl_gain_spl": icl_gain(trials),
    }


REFERENCES = {"oracle": Oracle, "explorer_nomem": lambda: Explorer(False), "explorer_mem": lambda: Explorer(True)}
