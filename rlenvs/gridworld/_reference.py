"""Slow NumPy / pure-Python twins of the grid-world kernels, written from the originals, used only by tests.

- LPG: GROOVE's ``GridWorld.step_env`` order (move, collect, respawn, terminate) and an optimum computed by
  plain expectimax over explicitly enumerated successor states (no factorisation).
- Maze: JaxUED's ``_step_agent`` and ``_get_partial_obs`` (pad with walls, slice, ``rot90``, transpose).
- Lock: Intrepid's ``DiabolicalCombinationLock.transition`` / ``reward`` with this env's draws.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from rlenvs.core import _reference as core_ref
from rlenvs.gridworld import _kernels as K
from rlenvs.gridworld._common import wall_grid

W = K.W


def rng_normal(rng, i) -> float:
    u1 = 1.0 - core_ref.rng_uniform(rng, i)
    u2 = core_ref.rng_uniform(rng, i)
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def _autoreset_step(actions, rng, task_fixed, fixed_params, split_params, task_params, task_index, needs_reset,
                    rewards, terminations, truncations, reset_env, step_env) -> None:
    for i in range(len(actions)):
        if needs_reset[i]:
            core_ref.begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
            reset_env(i)
            rewards[i], terminations[i], truncations[i], needs_reset[i] = 0.0, False, False, False
        else:
            rewards[i], terminations[i], truncations[i] = step_env(i, int(actions[i]))
            needs_reset[i] = terminations[i] or truncations[i]


# --- LPG -----------------------------------------------------------------------------------------------

def lpg_move(p, cell: int, action: int) -> int:
    g = int(p[K.L_GRID])
    r, c = divmod(cell, W)
    dr, dc = [(-1, 0), (1, 0), (0, -1), (0, 1), (0, 0)][action]
    r, c = min(max(r + dr, 0), g - 1), min(max(c + dc, 0), g - 1)
    return cell if wall_grid(p[K.L_WALLS:K.L_WALLS + W])[r, c] else r * W + c


def lpg_obs(cell, mask, t, max_grid, size, onehot) -> np.ndarray:
    index = (cell // W) * max_grid + cell % W + max_grid**2 * mask
    if not onehot:
        return np.array([index, t])
    out = np.zeros(size, dtype=np.float32)
    out[index] = 1.0
    out[-1] = t * 0.001
    return out


def lpg_reset_batch(mask, rng, task_fixed, fixed_params, split_params, task_params, task_index, state, elapsed,
                    obs, max_grid, onehot):
    for i in np.flatnonzero(mask):
        core_ref.begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
        _lpg_reset(i, task_params, state, elapsed, obs, max_grid, onehot)


def _lpg_reset(i, task_params, state, elapsed, obs, max_grid, onehot):
    p = task_params[i]
    state[i, K.LS_CELL] = int(p[K.L_START])
    state[i, K.LS_MASK] = 2 ** int(p[K.L_NOBJ]) - 1
    elapsed[i] = 0
    obs[i] = lpg_obs(state[i, K.LS_CELL], state[i, K.LS_MASK], 0, max_grid, obs.shape[1], onehot)
    state[i, K.LS_INDEX] = lpg_obs(state[i, K.LS_CELL], state[i, K.LS_MASK], 0, max_grid, 0, False)[0]


def lpg_step_batch(actions, rng, task_fixed, fixed_params, split_params, task_params, task_index, needs_reset,
                   state, elapsed, obs, max_grid, onehot, max_steps, rewards, terminations, truncations):
    if ((actions < 0) | (actions >= K.LPG_ACTIONS)).any():
        return int(np.flatnonzero((actions < 0) | (actions >= K.LPG_ACTIONS))[0])

    def step(i, action):
        p = task_params[i]
        n = int(p[K.L_NOBJ])
        exists = [bool(state[i, K.LS_MASK] >> k & 1) for k in range(n)]
        cells = [int(p[K.L_OBJ_CELL + k]) for k in range(n)]
        types = [int(p[K.L_OBJ_TYPE + k]) for k in range(n)]
        coin = core_ref.rng_uniform(rng, i)
        pos = lpg_move(p, int(state[i, K.LS_CELL]), action)
        collected = [exists[k] and cells[k] == pos for k in range(n)]
        respawn = [not exists[k] and core_ref.rng_uniform(rng, i) < p[K.L_PRESPAWN + types[k]] for k in range(n)]
        after = [(exists[k] or respawn[k]) and not collected[k] for k in range(n)]
        reward, terminated = 0.0, False
        if any(collected):
            k = collected.index(True)
            reward = p[K.L_REWARD + types[k]]
            terminated = coin < p[K.L_PTERM + types[k]]
        elapsed[i] += 1
        limit = int(p[K.L_MAXSTEPS]) if max_steps < 0 else min(int(p[K.L_MAXSTEPS]), max_steps)
        state[i, K.LS_CELL] = pos
        state[i, K.LS_MASK] = sum(1 << k for k in range(n) if after[k])
        obs[i] = lpg_obs(pos, state[i, K.LS_MASK], elapsed[i], max_grid, obs.shape[1], onehot)
        state[i, K.LS_INDEX] = lpg_obs(pos, state[i, K.LS_MASK], 0, max_grid, 0, False)[0]
        return reward, terminated, elapsed[i] >= limit

    _autoreset_step(actions, rng, task_fixed, fixed_params, split_params, task_params, task_index, needs_reset,
                    rewards, terminations, truncations,
                    lambda i: _lpg_reset(i, task_params, state, elapsed, obs, max_grid, onehot), step)
    return -1


def lpg_optimal_return(p) -> float:
    """Expectimax over every successor (cell, exists-vector) with its probability, from t = H down to 0."""
    g, n, horizon = int(p[K.L_GRID]), int(p[K.L_NOBJ]), int(p[K.L_MAXSTEPS])
    walls = wall_grid(p[K.L_WALLS:K.L_WALLS + W])
    cells = [r * W + c for r in range(g) for c in range(g) if not walls[r, c]]
    obj_cells = [int(p[K.L_OBJ_CELL + k]) for k in range(n)]
    types = [int(p[K.L_OBJ_TYPE + k]) for k in range(n)]
    states = [(c, e) for c in cells for e in itertools.product((False, True), repeat=n)]
    value = {s: 0.0 for s in states}
    for _ in range(horizon):
        new = {}
        for cell, exists in states:
            best = -math.inf
            for action in range(K.LPG_ACTIONS):
                pos = lpg_move(p, cell, action)
                hit = [exists[k] and obj_cells[k] == pos for k in range(n)]
                reward = sum(p[K.L_REWARD + types[k]] for k in range(n) if hit[k])
                p_term = sum(p[K.L_PTERM + types[k]] for k in range(n) if hit[k])
                future = 0.0
                for respawn in itertools.product((False, True), repeat=n):
                    prob = 1.0
                    for k in range(n):
                        if not exists[k]:
                            q = p[K.L_PRESPAWN + types[k]]
                            prob *= q if respawn[k] else 1.0 - q
                        elif respawn[k]:
                            prob = 0.0
                    if prob > 0.0:
                        after = tuple((exists[k] or respawn[k]) and not hit[k] for k in range(n))
                        future += prob * value[(pos, after)]
                best = max(best, reward + (1.0 - p_term) * future)
            new[(cell, exists)] = best
        value = new
    return value[(int(p[K.L_START]), (True,) * n)]


# --- Maze ----------------------------------------------------------------------------------------------

def maze_map(p) -> np.ndarray:
    """JaxUED's ``make_maze_map`` with padding ``VIEW - 1`` as cell codes: walls all round, then the maze."""
    size, pad = K.MAZE, K.VIEW - 1
    full = np.full((size + 2 * pad, size + 2 * pad), K.WALL, dtype=np.uint8)
    inner = np.where(wall_grid(p[K.M_WALLS:K.M_WALLS + size]), K.WALL, K.FREE)
    inner[int(p[K.M_GOAL + 1]), int(p[K.M_GOAL])] = K.GOAL
    full[pad:pad + size, pad:pad + size] = inner
    return full


def maze_image(p, x, y, d) -> np.ndarray:
    """JaxUED's partial observation: the wall-padded map, sliced around the agent, rotated and transposed."""
    view = K.VIEW
    pad = view - 1
    full = K.CODES[maze_map(p)]
    vec = np.array([K.DX[d], K.DY[d]])
    pos = np.array([x, y])
    side = (vec == 0) * (view // 2)
    bounds = np.stack([pos, pos + vec * (view - 1), pos + side, pos - side])
    xmin, ymin = bounds.min(0) + pad
    obs = full[ymin:ymin + view, xmin:xmin + view]
    obs = np.rot90(obs, d + 1)
    return obs.transpose(1, 0, 2)


def maze_reset_batch(mask, rng, task_fixed, fixed_params, split_params, task_params, task_index, state, elapsed,
                     grid, obs):
    for i in np.flatnonzero(mask):
        core_ref.begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
        _maze_reset(i, task_params, state, elapsed, grid, obs)


def _maze_obs(p, x, y, d) -> np.ndarray:
    return np.concatenate([maze_image(p, x, y, d).ravel(), [d]]).astype(np.uint8)


def _maze_reset(i, task_params, state, elapsed, grid, obs):
    p = task_params[i]
    state[i] = int(p[K.M_AGENT]), int(p[K.M_AGENT + 1]), int(p[K.M_DIR])
    elapsed[i] = 0
    grid[i] = maze_map(p).ravel()
    obs[i] = _maze_obs(p, *state[i])


def maze_transition(p, x, y, d, action) -> tuple[int, int, int, bool]:
    """JaxUED's ``_step_agent``: clip the forward cell to the grid; a wall or the goal blocks the move."""
    fx = min(max(x + (action == 2) * K.DX[d], 0), K.MAZE - 1)
    fy = min(max(y + (action == 2) * K.DY[d], 0), K.MAZE - 1)
    has_goal = fx == int(p[K.M_GOAL]) and fy == int(p[K.M_GOAL + 1])
    blocked = bool(wall_grid(p[K.M_WALLS:K.M_WALLS + K.MAZE])[fy, fx]) or has_goal
    d = (d + (action == 1) - (action == 0)) % 4
    return (x, y, d, has_goal) if blocked else (fx, fy, d, has_goal)


def maze_step_batch(actions, rng, task_fixed, fixed_params, split_params, task_params, task_index, needs_reset,
                    state, elapsed, grid, obs, horizon, max_steps, rewards, terminations, truncations):
    if ((actions < 0) | (actions >= K.MAZE_ACTIONS)).any():
        return int(np.flatnonzero((actions < 0) | (actions >= K.MAZE_ACTIONS))[0])

    def step(i, action):
        p = task_params[i]
        x, y, d, reached = maze_transition(p, *state[i], action)
        state[i] = x, y, d
        reward = (1.0 - 0.9 * (elapsed[i] + 1) / horizon) * reached
        elapsed[i] += 1
        obs[i] = _maze_obs(p, x, y, d)
        limit = horizon if max_steps < 0 else min(horizon, max_steps)
        return reward, reached, elapsed[i] >= limit

    _autoreset_step(actions, rng, task_fixed, fixed_params, split_params, task_params, task_index, needs_reset,
                    rewards, terminations, truncations,
                    lambda i: _maze_reset(i, task_params, state, elapsed, grid, obs), step)
    return -1


def maze_distances(p) -> np.ndarray:
    """Fixed point of ``dist(pose) = 1 + min_a dist(next(pose, a))`` (0 past the goal) over the successors
    of :func:`maze_transition` (3 useful actions), iterated from ``inf``; -1 where it stays infinite."""
    size = K.MAZE
    poses = list(itertools.product(range(4), range(size), range(size)))
    index = {pose: k for k, pose in enumerate(poses)}
    succ = np.zeros((len(poses), 3), dtype=np.int64)
    reach = np.zeros((len(poses), 3), dtype=bool)
    for k, (d, y, x) in enumerate(poses):
        for action in range(3):
            nx, ny, nd, reach[k, action] = maze_transition(p, x, y, d, action)
            succ[k, action] = index[(nd, ny, nx)]
    dist = np.full(len(poses), np.inf)
    while True:
        new = 1.0 + np.where(reach, 0.0, dist[succ]).min(axis=1)
        if np.array_equal(new, dist):
            break
        dist = new
    goal = (int(p[K.M_GOAL]), int(p[K.M_GOAL + 1]))
    walls = wall_grid(p[K.M_WALLS:K.M_WALLS + size])
    blocked = np.array([walls[y, x] or (x, y) == goal for d, y, x in poses])
    dist[blocked | ~np.isfinite(dist)] = -1
    return dist.astype(np.int64).reshape(4, size, size)


# --- combination lock -------------------------------------------------------------------------------------

def _lock_obs(i, rng, latent, level, horizon, noise_std, noise_dims, rotation, dim) -> np.ndarray:
    informative = 3 + horizon + 1
    x = np.zeros(dim)
    if noise_std > 0.0:
        x[:informative] = [noise_std * rng_normal(rng, i) for _ in range(informative)]
    words = [core_ref.rng_next(rng, i) for _ in range((noise_dims + 63) // 64)]
    x[informative:informative + noise_dims] = [(words[k // 64] >> (k % 64)) & 1 for k in range(noise_dims)]
    x[latent] += 1.0
    x[3 + level] += 1.0
    return (x if rotation.shape[0] == 0 else rotation @ x).astype(np.float32)


def lock_reset_batch(mask, rng, task_fixed, fixed_params, split_params, task_params, task_index, state, elapsed,
                     obs, cfg, noise_dims, rotation, scratch):
    for i in np.flatnonzero(mask):
        core_ref.begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
        _lock_reset(i, rng, state, elapsed, obs, cfg, noise_dims, rotation)


def _lock_reset(i, rng, state, elapsed, obs, cfg, noise_dims, rotation):
    state[i] = int(core_ref.rng_uniform(rng, i) < 0.5), 0
    elapsed[i] = 0
    obs[i] = _lock_obs(i, rng, *state[i], int(cfg[0]), cfg[5], noise_dims, rotation, obs.shape[1])


def lock_step_batch(actions, rng, task_fixed, fixed_params, split_params, task_params, task_index, needs_reset,
                    state, elapsed, obs, cfg, noise_dims, rotation, scratch, num_actions, max_steps, rewards,
                    terminations, truncations):
    if ((actions < 0) | (actions >= num_actions)).any():
        return int(np.flatnonzero((actions < 0) | (actions >= num_actions))[0])
    horizon, swap, final, anti, penalty, noise_std = cfg
    horizon = int(horizon)

    def step(i, action):
        secret = task_params[i].reshape(2, horizon)
        s, h = (int(v) for v in state[i])
        swap_coin, anti_coin = core_ref.rng_uniform(rng, i), core_ref.rng_uniform(rng, i)
        reward = 0.0
        if s != K.DEAD and action == secret[s, h]:
            if swap_coin < swap:
                s = 1 - s
            reward = final if h == horizon - 1 else 0.0 - penalty / (horizon - 1)
        elif s != K.DEAD:
            s = K.DEAD
            reward = anti if anti_coin < 0.5 else 0.0
        state[i] = s, h + 1
        elapsed[i] += 1
        obs[i] = _lock_obs(i, rng, s, h + 1, horizon, noise_std, noise_dims, rotation, obs.shape[1])
        return reward, h + 1 >= horizon, 0 <= max_steps <= elapsed[i]

    _autoreset_step(actions, rng, task_fixed, fixed_params, split_params, task_params, task_index, needs_reset,
                    rewards, terminations, truncations,
                    lambda i: _lock_reset(i, rng, state, elapsed, obs, cfg, noise_dims, rotation), step)
    return -1
