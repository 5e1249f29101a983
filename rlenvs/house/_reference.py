"""Slow pure-Python/NumPy twin of the HouseNav kernels (BFS fields, view, rays, sub-tasks, step); tests only.

House generation has no twin: its output is checked by property tests (connectivity, reachability, counts)
and the rest of the dynamics is compared here on the generated house.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from rlenvs.core import _reference as core_ref
from rlenvs.house import _kernels as K

HEADINGS = ((1, 0), (0, 1), (-1, 0), (0, -1))


def is_free(tile: int) -> bool:
    return tile in (K.FLOOR, K.DOOR)


def bfs(tile: np.ndarray, sources: list[tuple[int, int]], start: int = 0) -> np.ndarray:
    """BFS distances over free cells from ``sources`` (which get ``start``); -1 elsewhere."""
    out = np.full(tile.shape, -1, dtype=np.int64)
    queue = deque()
    for x, y in sources:
        if out[y, x] < 0:
            out[y, x] = start
            queue.append((x, y))
    while queue:
        x, y = queue.popleft()
        for dx, dy in HEADINGS:
            nx, ny = x + dx, y + dy
            if 0 <= ny < tile.shape[0] and 0 <= nx < tile.shape[1] and out[ny, nx] < 0 and is_free(tile[ny, nx]):
                out[ny, nx] = out[y, x] + 1
                queue.append((nx, ny))
    return out


def category_field(tile: np.ndarray, cat: np.ndarray, category: int, reach: np.ndarray) -> np.ndarray:
    """``D``: 1 on reachable free cells next to an instance of ``category``, BFS steps beyond."""
    sources = []
    for y, x in zip(*np.nonzero(cat == category), strict=True):
        for dx, dy in HEADINGS:
            if reach[y + dy, x + dx] >= 0:
                sources.append((x + dx, y + dy))
    return bfs(tile, sources, start=1)


def visible_mask(tile: np.ndarray) -> np.ndarray:
    """MiniGrid's ``process_vis`` on a ``(V, V)`` window of ``tile + 1`` codes (0 outside the grid)."""
    n = tile.shape[0]
    vis = np.zeros((n, n), dtype=bool)
    vis[n - 1, n // 2] = True
    clear = (tile == K.FLOOR + 1) | (tile == K.DOOR + 1)
    for vr in range(n - 1, -1, -1):
        for vc in range(n - 1):
            if vis[vr, vc] and clear[vr, vc]:
                vis[vr, vc + 1] = True
                if vr > 0:
                    vis[vr - 1, vc + 1] = vis[vr - 1, vc] = True
        for vc in range(n - 1, 0, -1):
            if vis[vr, vc] and clear[vr, vc]:
                vis[vr, vc - 1] = True
                if vr > 0:
                    vis[vr - 1, vc - 1] = vis[vr - 1, vc] = True
    return vis


def cast_ray(tile, x, y, cx, cy, max_range):
    """Amanatides-Woo grid traversal from the centre of ``(x, y)``; ``(distance, hit cell or None)``."""
    ox, oy = x + 0.5, y + 0.5
    mx, my = x, y
    if cx > 0.0:
        sx, ddx, side_x = 1, 1.0 / cx, (mx + 1.0 - ox) * (1.0 / cx)
    elif cx < 0.0:
        sx, ddx, side_x = -1, -1.0 / cx, (ox - mx) * (-1.0 / cx)
    else:
        sx, ddx, side_x = 0, 1e30, 1e30
    if cy > 0.0:
        sy, ddy, side_y = 1, 1.0 / cy, (my + 1.0 - oy) * (1.0 / cy)
    elif cy < 0.0:
        sy, ddy, side_y = -1, -1.0 / cy, (oy - my) * (-1.0 / cy)
    else:
        sy, ddy, side_y = 0, 1e30, 1e30
    while True:
        if side_x < side_y:
            t, side_x, mx = side_x, side_x + ddx, mx + sx
        else:
            t, side_y, my = side_y, side_y + ddy, my + sy
        if t >= max_range:
            return max_range, None
        if tile[my, mx] in (K.WALL, K.FURN):
            return t, (mx, my)


def observe(row: np.ndarray, maps_i: np.ndarray, cfg: np.ndarray, raydirs: np.ndarray):
    """The observation of the env in state ``row``; returns ``(obs, target_visible, seen_mask)``."""
    x, y, d, h, w = (int(row[c]) for c in (K.S_X, K.S_Y, K.S_DIR, K.S_H, K.S_W))
    dx, dy = HEADINGS[d]
    rx, ry = -dy, dx
    obs = np.zeros(K.OBS_DIM, dtype=np.float32)
    cells = {}
    window = np.zeros((K.V, K.V), dtype=np.int64)
    for vr in range(K.V):
        for vc in range(K.V):
            f, lat = K.V - 1 - vr, vc - K.V // 2
            wx, wy = x + f * dx + lat * rx, y + f * dy + lat * ry
            if 0 <= wx < w and 0 <= wy < h:
                window[vr, vc] = maps_i[0, wy, wx] + 1
                cells[vr, vc] = (wx, wy)
    vis = visible_mask(window)
    target, seen, visible = int(row[K.S_CAT]), int(row[K.S_SEEN]), 0
    dark = cfg[K.C_DARK] != 0.0
    view = np.zeros((K.V, K.V, 3), dtype=np.float32)
    for (vr, vc), (wx, wy) in cells.items():
        if not vis[vr, vc]:
            continue
        cat = int(maps_i[1, wy, wx])
        if cat:
            seen |= 1 << (cat - 1)
            visible |= cat == target
        view[vr, vc] = (window[vr, vc], cat, maps_i[2, wy, wx])
    if not dark:
        obs[K.O_VIEW:K.O_DEPTH] = view.reshape(-1)
        for k in range(K.K):
            t, hit = cast_ray(maps_i[0], x, y, raydirs[d, k, 0], raydirs[d, k, 1], cfg[K.C_RAYRANGE])
            obs[K.O_DEPTH + k] = t / cfg[K.C_RAYRANGE]
            obs[K.O_RAYCAT + k] = 0 if hit is None else maps_i[1, hit[1], hit[0]]
    if target:
        obs[K.O_GOAL + target - 1] = 1.0
    obs[K.O_POSE:K.O_POSE + 4] = ((x + 0.5) / w, (y + 0.5) / h, dx, -dy)
    obs[K.O_PREVACT + int(row[K.S_PREVACT])] = 1.0
    obs[K.O_PREVSUCC] = row[K.S_PREVSUCC]
    obs[K.O_SUBSTART] = row[K.S_SUBSTART]
    return obs, int(visible), seen


class ReferenceHouse:
    """One env stepped in plain Python on a house generated by the kernel (``maps`` row and ``state`` row)."""

    def __init__(self, maps_i, state_row, spawn_row, rng, cfg, raydirs):
        self.maps, self.cfg, self.raydirs, self.rng = maps_i, cfg, raydirs, rng
        self.s = state_row.copy()
        h, w = int(self.s[K.S_H]), int(self.s[K.S_W])
        tile = maps_i[0, :h, :w]
        self.spawn = spawn_row[: int(self.s[K.S_NSPAWN])]
        first = int(self.spawn[0])
        reach = bfs(tile, [(first % K.WM, first // K.WM)])
        self.present = [int(c) for c in self.s[K.S_PRES:K.S_PRES + self.s[K.S_NPRES]]]
        self.fields = [category_field(tile, maps_i[1, :h, :w], c, reach) for c in self.present]
        self.obs = None

    def geo(self) -> int:
        d = int(self.fields[int(self.s[K.S_SLOT])][self.s[K.S_Y], self.s[K.S_X]]) - int(self.cfg[K.C_RADIUS])
        return max(d, 0)

    def _observe(self):
        self.obs, self.s[K.S_VISIBLE], self.s[K.S_SEEN] = observe(self.s, self.maps, self.cfg, self.raydirs)

    def new_subtask(self):
        s = self.s
        slot = core_ref.rng_integers(self.rng, 0, int(s[K.S_NPRES]))
        cell = int(self.spawn[core_ref.rng_integers(self.rng, 0, len(self.spawn))])
        s[K.S_DIR] = core_ref.rng_integers(self.rng, 0, 4)
        s[K.S_FIELDS] |= 1 << slot  # the kernel computes the slot's field lazily here
        s[K.S_SLOT], s[K.S_CAT] = slot, self.present[slot]
        s[K.S_Y], s[K.S_X] = divmod(cell, K.WM)
        s[K.S_SUBSTEPS] = s[K.S_PATH] = 0
        s[K.S_SUBSTART] = 1
        s[K.S_D0] = self.geo()
        bit = 1 << (self.present[slot] - 1)
        s[K.S_FIRST] = 0 if s[K.S_TARGETED] & bit else 1
        s[K.S_SEENBEFORE] = 1 if s[K.S_SEEN] & bit else 0
        s[K.S_TARGETED] |= bit

    def start_trial(self):
        s = self.s
        s[K.S_ELAPSED] = s[K.S_SUBINDEX] = s[K.S_PREVSUCC] = s[K.S_SEEN] = s[K.S_TARGETED] = s[K.S_ENDED] = 0
        s[K.S_PREVACT] = K.NACT
        self.new_subtask()
        self._observe()

    def step(self, a: int):
        s, cfg = self.s, self.cfg
        before = self.geo()
        stop = success = False
        if a == 0:
            dx, dy = HEADINGS[int(s[K.S_DIR])]
            nx, ny = int(s[K.S_X]) + dx, int(s[K.S_Y]) + dy
            if is_free(self.maps[0, ny, nx]):
                s[K.S_X], s[K.S_Y] = nx, ny
                s[K.S_PATH] += 1
        elif a in (1, 2):
            s[K.S_DIR] = (s[K.S_DIR] + (3 if a == 1 else 1)) % 4
        else:
            stop = True
            success = before == 0 and (cfg[K.C_REQVIS] == 0 or s[K.S_VISIBLE] == 1)
        s[K.S_SUBSTEPS] += 1
        s[K.S_ELAPSED] += 1
        after = self.geo()
        reward = cfg[K.C_SLACK] + (cfg[K.C_DISTR] * (before - after) if cfg[K.C_SHAPING] else 0.0)
        reward += cfg[K.C_SUCC] if success else (cfg[K.C_WRONGPEN] if stop else 0.0)
        timeout = not stop and s[K.S_SUBSTEPS] >= cfg[K.C_MAXSUB]
        ended = stop or timeout
        truncated = s[K.S_ELAPSED] >= cfg[K.C_TRIAL]
        s[K.S_ENDED] = int(ended or truncated)
        if ended or truncated:
            s[K.S_L_SUCCESS:K.S_L_INCOMPLETE + 1] = (
                success, s[K.S_SUBSTEPS], s[K.S_D0], s[K.S_PATH], after, timeout, stop and not success, s[K.S_CAT],
                s[K.S_FIRST], s[K.S_SEENBEFORE], s[K.S_SUBINDEX], not ended)
        s[K.S_PREVACT], s[K.S_PREVSUCC] = a, int(success)
        if ended and not truncated:
            s[K.S_SUBINDEX] += 1
            self.new_subtask()
        else:
            s[K.S_SUBSTART] = 0
        self._observe()
        return reward, truncated
