"""Slow NumPy twin of the SMAX kernels for one env, written from JaxMARL's matrix formulation; tests only.

State: a dict of ``pos (N,2)``, ``health``, ``cooldown``, ``alive``, ``types``, ``prev_move``,
``prev_attack`` and the heuristic memory ``h_init``, ``h_last``, ``h_target``. ``rng`` is a ``(1, 2)``
uint64 counter-RNG row drawn with the pure-Python twin of :mod:`rlenvs.core.rng`, in the kernels' order
(start positions; per tick the cooldown jitter of each firing unit in index order; the heuristic's draws).
The push sums each unit's pairs as a matrix row and the heuristic takes true distances, where the kernels
visit each pair once and compare squared distances: the twins agree to rounding.
"""

from __future__ import annotations

import numpy as np

from rlenvs.core._reference import rng_integers, rng_uniform
from rlenvs.smax.tasks import UNIT_STATS

SPEED, DAMAGE, RANGE, SIGHT, RADIUS, HP, COOLDOWN = range(7)
MOVES = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, -1.0], [-1.0, 0.0], [0.0, 0.0]])


def targets(actions: np.ndarray, num_allies: int) -> np.ndarray:
    """Global index attacked by each unit's action, -1 for moves and stop."""
    idx = np.arange(len(actions))
    k = actions - 5
    out = np.where(idx < num_allies, num_allies + k, num_allies - 1 - k)
    return np.where(actions >= 5, out, -1)


def push(s: dict) -> None:
    alive = s["alive"]
    n = len(alive)
    delta = s["pos"][:, None, :] - s["pos"][None, :, :]
    dist = np.linalg.norm(delta, axis=-1) + np.eye(n) + 1e-6
    radius = UNIT_STATS[s["types"], RADIUS]
    overlap = np.maximum((radius[:, None] + radius[None, :]) / dist - 1.0, 0.0)
    overlap = np.where(alive[:, None] & alive[None, :], overlap, 0.0)
    moved = s["pos"] + (delta * overlap[:, :, None]).sum(axis=1) / 2
    s["pos"] = np.where(alive[:, None], moved, s["pos"])


def tick(s: dict, actions: np.ndarray, rng: np.ndarray, num_allies: int, dt: float = 1 / 16, size: float = 32.0,
         walls: bool = True) -> None:
    types, alive = s["types"], s["alive"]
    stats = UNIT_STATS[types]
    newpos = np.clip(s["pos"] + MOVES[np.minimum(actions, 4)] * (stats[:, SPEED] * dt)[:, None], 0.0, size)
    newpos = np.where(alive[:, None], newpos, s["pos"])  # every alive unit is clamped to the map, dead ones stay
    tgt = targets(actions, num_allies)
    safe = np.where(tgt >= 0, tgt, 0)
    dist = np.linalg.norm(s["pos"][safe] - s["pos"], axis=-1)
    valid = (tgt >= 0) & alive & alive[safe] & (s["cooldown"] <= 0.0) & (dist < stats[:, RANGE])
    damage = np.zeros(len(types))
    np.add.at(damage, tgt[valid], stats[valid, DAMAGE])
    cooldown = s["cooldown"] - dt
    for i in np.flatnonzero(valid):
        cooldown[i] = stats[i, COOLDOWN] + (3.0 * rng_uniform(rng, 0) - 1.0) * dt
    s["cooldown"] = cooldown
    s["pos"] = newpos
    health = np.maximum(s["health"] - damage, 0.0)
    if walls:
        out = (newpos <= 0.0).any(axis=1) | (newpos >= size).any(axis=1)
        health = np.where(out, 0.0, health)
    s["health"] = health
    s["alive"] = health > 0.0
    push(s)


def env_step(s: dict, actions: np.ndarray, rng: np.ndarray, num_allies: int, ticks: int = 8,
             won_bonus: float = 1.0) -> tuple[float, float]:
    """Eight ticks, last actions, and the (ally, enemy) team rewards."""
    before = s["health"].copy()
    for _ in range(ticks):
        tick(s, actions, rng, num_allies)
    s["prev_move"] = np.where(actions < 4, actions, 4)
    s["prev_attack"] = np.where(actions > 4, actions, 0)
    frac = (s["health"] - before) / UNIT_STATS[s["types"], HP]
    ally, enemy = slice(0, num_allies), slice(num_allies, None)
    r_ally = abs(frac[enemy].sum()) / len(frac[enemy])
    r_enemy = abs(frac[ally].sum()) / num_allies
    allies_alive, enemies_alive = s["alive"][ally].any(), s["alive"][enemy].any()
    if allies_alive and not enemies_alive:
        r_ally += won_bonus
    if enemies_alive and not allies_alive:
        r_enemy += won_bonus
    return r_ally, r_enemy


def others_order(i: int, n: int, num_allies: int) -> list[int]:
    """Units as unit ``i`` lists them: its own team first (the enemy team counts in reverse)."""
    order = [j for j in range(n) if j != i]
    return order if i < num_allies else order[::-1]


def observe(s: dict, i: int, num_allies: int, size: float = 32.0) -> np.ndarray:
    n = len(s["types"])
    out = np.zeros(13 * (n - 1) + 10)
    if not s["alive"][i]:
        return out
    ti = s["types"][i]
    sight = UNIT_STATS[ti, SIGHT]
    for m, j in enumerate(others_order(i, n, num_allies)):
        rel = s["pos"][j] - s["pos"][i]
        if not s["alive"][j] or np.linalg.norm(rel) >= sight:
            continue
        tj = s["types"][j]
        n_actions_j = 5 + (n - num_allies if j < num_allies else num_allies)
        block = np.zeros(13)
        block[0] = s["health"][j] / UNIT_STATS[tj, HP]
        block[1:3] = rel / sight
        block[3:5] = MOVES[s["prev_move"][j]]
        block[5] = s["prev_attack"][j] / (n_actions_j - 1)
        block[6] = np.clip(s["cooldown"][j] / UNIT_STATS[tj, COOLDOWN], 0.0, 1.0)
        block[7 + tj] = 1.0
        out[13 * m:13 * m + 13] = block
    own = out[13 * (n - 1):]
    own[0] = s["health"][i] / UNIT_STATS[ti, HP]
    own[1:3] = np.clip(s["pos"][i] / size, 0.0, 1.0)
    own[3] = np.clip(s["cooldown"][i] / UNIT_STATS[ti, COOLDOWN], 0.0, 1.0)
    own[4 + ti] = 1.0
    return out


def avail(s: dict, i: int, num_allies: int) -> np.ndarray:
    n = len(s["types"])
    other = n - num_allies if i < num_allies else num_allies
    mask = np.zeros(5 + other, dtype=np.int8)
    mask[4] = 1
    if s["alive"][i]:
        mask[:4] = 1
        tgt = num_allies + np.arange(other) if i < num_allies else num_allies - 1 - np.arange(other)
        dist = np.linalg.norm(s["pos"][tgt] - s["pos"][i], axis=-1)
        mask[5:] = s["alive"][tgt] & (dist < UNIT_STATS[s["types"][i], RANGE])
    return mask


def world_state(s: dict, num_allies: int) -> np.ndarray:
    n = len(s["types"])
    feats = np.zeros((n, 10))
    feats[:, 0] = s["health"] / UNIT_STATS[s["types"], HP]
    feats[:, 1:3] = s["pos"]
    feats[:, 3] = s["cooldown"]
    feats[np.arange(n), 4 + s["types"]] = 1.0
    feats[~s["alive"]] = 0.0
    teams = (np.arange(n) >= num_allies).astype(np.float64)
    return np.concatenate([feats.reshape(-1), teams, s["types"].astype(np.float64)])


def heuristic(s: dict, i: int, rng: np.ndarray, num_allies: int, size: float = 32.0) -> int:
    """JaxMARL's heuristic policy for unit ``i`` (updates its memory in ``s``)."""
    if not s["alive"][i]:
        return 4
    n = len(s["types"])
    pos = s["pos"][i]
    if not s["h_init"][i]:
        s["h_target"][i] = -(pos - size / 2) + size / 2  # start position rotated 180 degrees about the centre
        s["h_init"][i] = True
    other = n - num_allies if i < num_allies else num_allies
    tgt = num_allies + np.arange(other) if i < num_allies else num_allies - 1 - np.arange(other)
    rel = s["pos"][tgt] - pos
    dist = np.linalg.norm(rel, axis=-1)
    stats = UNIT_STATS[s["types"][i]]
    visible = s["alive"][tgt] & (dist < stats[SIGHT])
    shootable = visible & (dist < stats[RANGE])
    if shootable.any():
        last = s["h_last"][i]
        k = last if last >= 0 and shootable[last] else int(np.argmin(np.where(shootable, dist, np.inf)))
        s["h_last"][i] = k
        return 5 + k
    s["h_last"][i] = -1
    if visible.any():
        vec = rel[np.flatnonzero(visible)[rng_integers(rng, 0, int(visible.sum()))]]
    else:
        vec = s["h_target"][i] - pos
    return int(np.argmax(MOVES[:4] @ vec))


def start_positions(mode: int, num_allies: int, n: int, rng: np.ndarray, size: float = 32.0) -> np.ndarray:
    """SMAX's two clusters (mode 0) or SMACv2's surround-and-reflect mix (mode 1), in the kernel's draw order."""
    pos = np.zeros((n, 2))
    centre = size / 2

    def noise() -> float:
        return 4.0 * rng_uniform(rng, 0) - 2.0

    if mode == 0:
        for i in range(n):
            pos[i] = (size / 4 if i < num_allies else 3 * size / 4) + noise(), centre + noise()
        return pos
    if rng_uniform(rng, 0) < 0.5:  # surround
        allies_inside = rng_integers(rng, 0, 2) == 1
        corners = np.array([[0.0, 0.0], [0.0, size], [size, 0.0], [size, size]])
        for team, inside in ((range(num_allies), allies_inside), (range(num_allies, n), not allies_inside)):
            if inside:
                for i in team:
                    pos[i] = centre + noise(), centre + noise()
                continue
            t = [rng_uniform(rng, 0) for _ in range(4)]
            for i in team:
                g = rng_integers(rng, 0, 4)
                group = t[g] * np.array([centre, centre]) + (1 - t[g]) * corners[g]
                pos[i] = group[0] + noise(), group[1] + noise()
        return pos
    for i in range(num_allies):  # reflect
        pos[i] = rng_uniform(rng, 0) * size / 2, rng_uniform(rng, 0) * size
    for i in range(num_allies, n):
        k = i - num_allies
        pos[i] = (size - pos[k, 0], pos[k, 1]) if k < num_allies else (
            size / 2 + rng_uniform(rng, 0) * size / 2, rng_uniform(rng, 0) * size)
    return pos
