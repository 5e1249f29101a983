"""Numba kernels of the grid worlds: LPG object worlds, UED mazes and combination locks.

Pure functions over arrays. A task is the row ``Task.to_array()`` (float64; the layouts below are checked
against the task classes in the tests), per-env state is an int64 row, the step counter is the vector
env's ``elapsed`` array, randomness comes from the per-env streams of :mod:`rlenvs.core.rng`.

Every family has a per-env reset and step (``inline="always"``), called by the batch kernels (one call
steps every env, with Gymnasium's NEXT_STEP autoreset) and by the single env's kernels on row 0. The
batch step kernels first check every action and return the index of the first one outside the action
space (nothing is stepped then), else -1.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from rlenvs.core._kernels import begin_task
from rlenvs.core.rng import rng_next, rng_normal, rng_uniform

# === LPG grid world ===================================================================================
W = 13  # task cells are numbered ``row * 13 + col`` whatever the level's grid size
CELLS = W * W  # walls are 13 row bitmasks: bit ``col`` of ``walls[row]``
MAX_OBJS = 5
MAX_TYPES = 5
LPG_ACTIONS = 5  # up, down, left, right, no-op
# LPGTask.to_array() layout
L_GRID = 0
L_WALLS = 1
L_START = L_WALLS + W
L_NOBJ = L_START + 1
L_OBJ_CELL = L_NOBJ + 1
L_OBJ_TYPE = L_OBJ_CELL + MAX_OBJS
L_REWARD = L_OBJ_TYPE + MAX_OBJS
L_PTERM = L_REWARD + MAX_TYPES
L_PRESPAWN = L_PTERM + MAX_TYPES
L_MAXSTEPS = L_PRESPAWN + MAX_TYPES
L_LIFETIME = L_MAXSTEPS + 1
L_SIZE = L_LIFETIME + 1
# per-env state columns
LS_CELL, LS_MASK, LS_INDEX = 0, 1, 2
LS_SIZE = 3


@njit(cache=True, inline="always")
def lpg_next_cell(tp, i, cell, action):
    """The cell after ``action`` from ``cell`` in the level of row ``i`` of ``tp``: a move off the grid or into a
    wall stays put. (Kernels index the 2-D task array: a row view per step would cost reference counting.)"""
    g = int(tp[i, L_GRID])
    r, c = cell // W, cell % W
    if action == 0 and r > 0:
        r -= 1
    elif action == 1 and r < g - 1:
        r += 1
    elif action == 2 and c > 0:
        c -= 1
    elif action == 3 and c < g - 1:
        c += 1
    return cell if ((int(tp[i, L_WALLS + r]) >> c) & 1) != 0 else r * W + c


@njit(cache=True, inline="always")
def lpg_state_index(cell, mask, max_grid):
    """The tabular state ``row * G + col + G**2 * mask`` of the observation (``G`` = the level set's grid)."""
    return (cell // W) * max_grid + cell % W + max_grid * max_grid * mask


@njit(cache=True, inline="always")
def _lpg_write_obs(i, state, t, obs, max_grid, onehot):
    index = lpg_state_index(state[i, LS_CELL], state[i, LS_MASK], max_grid)
    if onehot:
        obs[i, state[i, LS_INDEX]] = 0.0
        obs[i, index] = 1.0
        obs[i, obs.shape[1] - 1] = t * 0.001
    else:
        obs[i, 0] = index
        obs[i, 1] = t
    state[i, LS_INDEX] = index


@njit(cache=True, inline="always")
def _lpg_reset_env(i, tp, state, elapsed, obs, max_grid, onehot):
    state[i, LS_CELL] = int(tp[i, L_START])
    state[i, LS_MASK] = (1 << int(tp[i, L_NOBJ])) - 1
    elapsed[i] = 0
    if onehot:
        obs[i, :] = 0.0
    _lpg_write_obs(i, state, 0, obs, max_grid, onehot)


@njit(cache=True, inline="always")
def _lpg_step_env(i, action, rng, tp, state, elapsed, obs, max_grid, onehot, max_steps):
    """One step; returns (reward, terminated, truncated). Draws: one uniform for the termination coin (used
    only if an object is collected; drawing it every step keeps the loop fast), then one per object absent at
    the start of the step (its respawn, in object order)."""
    coin = rng_uniform(rng, i)
    mask = state[i, LS_MASK]
    cell = lpg_next_cell(tp, i, state[i, LS_CELL], action)
    n = int(tp[i, L_NOBJ])
    collected = -1
    new_mask = mask
    for k in range(n):
        if (mask >> k) & 1:
            if int(tp[i, L_OBJ_CELL + k]) == cell:
                collected = k
        elif rng_uniform(rng, i) < tp[i, L_PRESPAWN + int(tp[i, L_OBJ_TYPE + k])]:
            new_mask |= 1 << k
    reward = 0.0
    terminated = False
    if collected >= 0:
        new_mask &= ~(1 << collected)
        kind = int(tp[i, L_OBJ_TYPE + collected])
        reward = tp[i, L_REWARD + kind]
        terminated = coin < tp[i, L_PTERM + kind]
    t = elapsed[i] + 1
    elapsed[i] = t
    limit = int(tp[i, L_MAXSTEPS])
    if 0 <= max_steps < limit:
        limit = max_steps
    state[i, LS_CELL] = cell
    state[i, LS_MASK] = new_mask
    _lpg_write_obs(i, state, t, obs, max_grid, onehot)
    return reward, terminated, t >= limit


@njit(cache=True)
def lpg_reset_single(tp, state, elapsed, obs, max_grid, onehot):
    _lpg_reset_env(0, tp, state, elapsed, obs, max_grid, onehot)


@njit(cache=True)
def lpg_step_single(action, rng, tp, state, elapsed, obs, max_grid, onehot):
    """One step of a single env (row 0 of every array); it truncates at the task's ``max_steps``."""
    return _lpg_step_env(0, action, rng, tp, state, elapsed, obs, max_grid, onehot, -1)


@njit(cache=True)
def lpg_reset_batch(mask, rng, task_fixed, fixed_params, split_params, task_params, task_index, state, elapsed,
                    obs, max_grid, onehot):
    for i in range(mask.shape[0]):
        if mask[i]:
            begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
            _lpg_reset_env(i, task_params, state, elapsed, obs, max_grid, onehot)


@njit(cache=True)
def lpg_step_batch(actions, rng, task_fixed, fixed_params, split_params, task_params, task_index, needs_reset,
                   state, elapsed, obs, max_grid, onehot, max_steps, rewards, terminations, truncations):
    """Step every env (NEXT_STEP autoreset); ``max_steps >= 0`` caps every task's episode length."""
    n = actions.shape[0]
    for i in range(n):
        if actions[i] < 0 or actions[i] >= LPG_ACTIONS:
            return i
    for i in range(n):
        if needs_reset[i]:
            begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
            _lpg_reset_env(i, task_params, state, elapsed, obs, max_grid, onehot)
            rewards[i] = 0.0
            terminations[i] = False
            truncations[i] = False
            needs_reset[i] = False
        else:
            reward, term, trunc = _lpg_step_env(i, actions[i], rng, task_params, state, elapsed, obs, max_grid,
                                                onehot, max_steps)
            rewards[i] = reward
            terminations[i] = term
            truncations[i] = trunc
            needs_reset[i] = term or trunc
    return -1


@njit(cache=True)
def lpg_value_iteration(p, with_policy):
    """Exact finite-horizon optimum of an LPG level by backward induction over (cell, objects present, t).

    Returns ``(values, policy)``: ``values[c, m]`` the optimal expected return from local cell
    ``c = row * g + col`` with object mask ``m`` at ``t = 0``, and (``with_policy``, else an empty array)
    ``policy[t, c, m]`` an optimal action (the lowest-numbered one among ties). Per step ``t`` (horizon
    ``H = max_steps``, ``V_H = 0``):

    ``Z_t(c', m) = sum_R P(R | m) * [r_k + (1 - p_term_k) * V_{t+1}(c', (m - k) | R)]`` when the object
    ``k`` on ``c'`` is present in ``m`` (without the bracketed reward and termination otherwise), where ``R``
    runs over the sets of objects absent in ``m`` that respawn (independently, ``p_respawn`` of their type),
    and ``V_t(c, m) = max_a Z_t(move(c, a), m)``.
    """
    g = int(p[L_GRID])
    n = int(p[L_NOBJ])
    horizon = int(p[L_MAXSTEPS])
    masks = 1 << n
    cells = g * g
    wall = np.zeros(cells, dtype=np.bool_)
    for c in range(cells):
        wall[c] = ((int(p[L_WALLS + c // g]) >> (c % g)) & 1) != 0
    obj_at = np.full(cells, -1, dtype=np.int64)
    for k in range(n):
        cc = int(p[L_OBJ_CELL + k])
        obj_at[(cc // W) * g + cc % W] = k
    moves = np.empty((cells, LPG_ACTIONS), dtype=np.int64)
    row = p.reshape((1, p.shape[0]))
    for c in range(cells):
        canon = (c // g) * W + c % g
        for a in range(LPG_ACTIONS):
            nxt = lpg_next_cell(row, 0, canon, a)
            moves[c, a] = (nxt // W) * g + nxt % W
    # the respawn sets of every mask with non-zero probability: subs[start[m]:start[m + 1]]
    p_resp = np.empty(n)
    for k in range(n):
        p_resp[k] = p[L_PRESPAWN + int(p[L_OBJ_TYPE + k])]
    start = np.zeros(masks + 1, dtype=np.int64)
    subs = np.empty(3**n, dtype=np.int64)
    probs = np.empty(3**n)
    used = 0
    for m in range(masks):
        start[m] = used
        absent = (masks - 1) & ~m
        sub = absent
        while True:
            prob = 1.0
            for k in range(n):
                if (absent >> k) & 1:
                    prob *= p_resp[k] if (sub >> k) & 1 else 1.0 - p_resp[k]
            if prob > 0.0:
                subs[used] = sub
                probs[used] = prob
                used += 1
            if sub == 0:
                break
            sub = (sub - 1) & absent
    start[masks] = used
    value = np.zeros((cells, masks))
    new_value = np.zeros((cells, masks))
    arrive = np.zeros((cells, masks))
    policy = np.zeros((horizon if with_policy else 0, cells, masks), dtype=np.int8)
    for t in range(horizon - 1, -1, -1):
        for c in range(cells):
            if wall[c]:
                continue
            k = obj_at[c]
            for m in range(masks):
                hit = k >= 0 and (m >> k) & 1
                base = m & ~(1 << k) if hit else m
                expect = 0.0
                for j in range(start[m], start[m + 1]):
                    expect += probs[j] * value[c, base | subs[j]]
                if hit:
                    kind = int(p[L_OBJ_TYPE + k])
                    arrive[c, m] = p[L_REWARD + kind] + (1.0 - p[L_PTERM + kind]) * expect
                else:
                    arrive[c, m] = expect
        for c in range(cells):
            if wall[c]:
                continue
            for m in range(masks):
                best = arrive[moves[c, 0], m]
                best_a = 0
                for a in range(1, LPG_ACTIONS):
                    z = arrive[moves[c, a], m]
                    if z > best:
                        best = z
                        best_a = a
                new_value[c, m] = best
                if with_policy:
                    policy[t, c, m] = best_a
        value, new_value = new_value, value
    return value, policy


# === UED maze ========================================================================================
MAZE = 13
VIEW = 5
MAZE_ACTIONS = 7  # MiniGrid's left, right, forward, pickup, drop, toggle, done; only the first three act
MAZE_OBS = VIEW * VIEW * 3 + 1
DX = np.array([1, 0, -1, 0], dtype=np.int64)  # headings: 0 east, 1 south, 2 west, 3 north (y grows down)
DY = np.array([0, 1, 0, -1], dtype=np.int64)
# MazeTask.to_array() layout
M_WALLS = 0
M_AGENT = MAZE  # walls: 13 row bitmasks, bit x of walls[y]
M_DIR = M_AGENT + 2
M_GOAL = M_DIR + 1
M_SIZE = M_GOAL + 2
# per-env state columns
MS_X, MS_Y, MS_DIR = 0, 1, 2
MS_SIZE = 3
# per-env map: the maze padded with VIEW - 1 wall cells a side (JaxUED's maze_map), cell codes below
PAD = VIEW - 1
MAP = MAZE + 2 * PAD
FREE, WALL, GOAL = 0, 1, 2
# the MiniGrid (object, colour, state) code of each cell code: empty, wall, goal
CODES = np.array([[1, 0, 0], [2, 5, 0], [8, 1, 0]], dtype=np.uint8)


def _view_offsets() -> np.ndarray:
    """``[d, col * 5 + row]``: the map offset of view cell ``image[col, row]`` from the agent facing ``d``."""
    out = np.zeros((4, VIEW * VIEW), dtype=np.int64)
    for d in range(4):
        dx, dy = int(DX[d]), int(DY[d])
        rx, ry = -dy, dx  # the agent's right hand
        for col in range(VIEW):
            for row in range(VIEW):
                ahead, side = VIEW - 1 - row, col - VIEW // 2
                out[d, col * VIEW + row] = (ahead * dy + side * ry) * MAP + ahead * dx + side * rx
    return out


VIEW_OFFSETS = _view_offsets()


@njit(cache=True, inline="always")
def _maze_blocked(p, x, y):
    return x < 0 or x >= MAZE or y < 0 or y >= MAZE or ((int(p[M_WALLS + y]) >> x) & 1) != 0


@njit(cache=True, inline="always")
def _maze_write_obs(i, state, grid, obs):
    """The 5x5 egocentric view as MiniGrid encodes it, ``image[col, row]`` with the agent at ``[2, 4]``
    facing up (towards row 0), then the heading: ``obs = [image.ravel(), heading]``."""
    d = state[i, MS_DIR]
    base = (state[i, MS_Y] + PAD) * MAP + state[i, MS_X] + PAD
    for k in range(VIEW * VIEW):
        code = grid[i, base + VIEW_OFFSETS[d, k]]
        obs[i, 3 * k] = CODES[code, 0]
        obs[i, 3 * k + 1] = CODES[code, 1]
        obs[i, 3 * k + 2] = CODES[code, 2]
    obs[i, MAZE_OBS - 1] = d


@njit(cache=True, inline="always")
def _maze_reset_env(i, p, state, elapsed, grid, obs):
    """Start the level: the agent's pose, and the padded map ``grid[i]`` of its walls and goal."""
    grid[i, :] = WALL
    for y in range(MAZE):
        row = int(p[M_WALLS + y])
        for x in range(MAZE):
            grid[i, (y + PAD) * MAP + x + PAD] = (row >> x) & 1
    grid[i, (int(p[M_GOAL + 1]) + PAD) * MAP + int(p[M_GOAL]) + PAD] = GOAL
    state[i, MS_X] = int(p[M_AGENT])
    state[i, MS_Y] = int(p[M_AGENT + 1])
    state[i, MS_DIR] = int(p[M_DIR])
    elapsed[i] = 0
    _maze_write_obs(i, state, grid, obs)


@njit(cache=True, inline="always")
def _maze_step_env(i, action, state, elapsed, grid, obs, horizon, max_steps):
    """One step; returns (reward, terminated, truncated). No randomness. A move off the maze runs into the
    padding's walls, which is JaxUED's clipping to the grid (the agent stays)."""
    x, y, d = state[i, MS_X], state[i, MS_Y], state[i, MS_DIR]
    reached = False
    if action == 0:
        d = (d + 3) % 4
    elif action == 1:
        d = (d + 1) % 4
    elif action == 2:
        fx, fy = x + DX[d], y + DY[d]
        code = grid[i, (fy + PAD) * MAP + fx + PAD]
        if code == GOAL:
            reached = True
        elif code == FREE:
            x, y = fx, fy
    t = elapsed[i] + 1
    elapsed[i] = t
    state[i, MS_X], state[i, MS_Y], state[i, MS_DIR] = x, y, d
    _maze_write_obs(i, state, grid, obs)
    reward = 1.0 - 0.9 * t / horizon if reached else 0.0
    limit = horizon if max_steps < 0 or horizon < max_steps else max_steps
    return reward, reached, t >= limit


@njit(cache=True)
def maze_reset_single(p, state, elapsed, grid, obs):
    _maze_reset_env(0, p, state, elapsed, grid, obs)


@njit(cache=True)
def maze_step_single(action, state, elapsed, grid, obs, horizon):
    return _maze_step_env(0, action, state, elapsed, grid, obs, horizon, -1)


@njit(cache=True)
def maze_reset_batch(mask, rng, task_fixed, fixed_params, split_params, task_params, task_index, state, elapsed,
                     grid, obs):
    for i in range(mask.shape[0]):
        if mask[i]:
            begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
            _maze_reset_env(i, task_params[i], state, elapsed, grid, obs)


@njit(cache=True)
def maze_step_batch(actions, rng, task_fixed, fixed_params, split_params, task_params, task_index, needs_reset,
                    state, elapsed, grid, obs, horizon, max_steps, rewards, terminations, truncations):
    n = actions.shape[0]
    for i in range(n):
        if actions[i] < 0 or actions[i] >= MAZE_ACTIONS:
            return i
    for i in range(n):
        if needs_reset[i]:
            begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
            _maze_reset_env(i, task_params[i], state, elapsed, grid, obs)
            rewards[i] = 0.0
            terminations[i] = False
            truncations[i] = False
            needs_reset[i] = False
        else:
            reward, term, trunc = _maze_step_env(i, actions[i], state, elapsed, grid, obs, horizon, max_steps)
            rewards[i] = reward
            terminations[i] = term
            truncations[i] = trunc
            needs_reset[i] = term or trunc
    return -1


@njit(cache=True)
def maze_distances(p):
    """``dist[d, y, x]``: the fewest actions (turns and moves) from pose ``(x, y, d)`` to the goal, the move
    into the goal included; -1 where the goal cannot be reached or the cell is a wall or the goal.

    Backward breadth-first search over the 4 x 13 x 13 poses from the poses that face the goal.
    """
    dist = np.full((4, MAZE, MAZE), -1, dtype=np.int64)
    queue = np.empty((4 * MAZE * MAZE, 3), dtype=np.int64)
    head = tail = 0
    gx, gy = int(p[M_GOAL]), int(p[M_GOAL + 1])
    for d in range(4):
        x, y = gx - DX[d], gy - DY[d]
        if not _maze_blocked(p, x, y):
            dist[d, y, x] = 1
            queue[tail, 0], queue[tail, 1], queue[tail, 2] = d, y, x
            tail += 1
    while head < tail:
        d, y, x = queue[head, 0], queue[head, 1], queue[head, 2]
        head += 1
        k = dist[d, y, x] + 1
        # turning left from d + 1 or right from d - 1 faces d; a move from one cell behind lands here
        for pd, py, px in (((d + 1) % 4, y, x), ((d + 3) % 4, y, x), (d, y - DY[d], x - DX[d])):
            if (px == gx and py == gy) or _maze_blocked(p, px, py) or dist[pd, py, px] >= 0:
                continue
            dist[pd, py, px] = k
            queue[tail, 0], queue[tail, 1], queue[tail, 2] = pd, py, px
            tail += 1
    return dist


@njit(cache=True)
def maze_policy(p):
    """``action[d, y, x]``: a shortest-path action from every pose (forward before left before right among
    ties; 0 where the goal is unreachable)."""
    dist = maze_distances(p)
    gx, gy = int(p[M_GOAL]), int(p[M_GOAL + 1])
    action = np.zeros((4, MAZE, MAZE), dtype=np.int64)
    for d in range(4):
        for y in range(MAZE):
            for x in range(MAZE):
                here = dist[d, y, x]
                if here < 0:
                    continue
                fx, fy = x + DX[d], y + DY[d]
                if (fx == gx and fy == gy) or (not _maze_blocked(p, fx, fy) and dist[d, fy, fx] == here - 1):
                    action[d, y, x] = 2
                elif dist[(d + 3) % 4, y, x] == here - 1:
                    action[d, y, x] = 0
                else:
                    action[d, y, x] = 1
    return action


# === combination lock ================================================================================
# per-env state columns: the latent state (0, 1 good; 2 dead) and the level h
CS_LATENT, CS_LEVEL = 0, 1
CS_SIZE = 2
DEAD = 2


@njit(cache=True, inline="always")
def _lock_latent_vector(i, rng, state, x, horizon, noise_std, noise_dims):
    """Fill ``x[:D0]`` with ``[onehot(latent, 3), onehot(h, H + 1)] + N(0, noise_std**2)`` and ``noise_dims``
    Bernoulli(1/2) distractors. Draws: ``3 + H + 1`` normals (none when ``noise_std == 0``), then one raw
    64-bit draw per 64 distractors (bit ``k % 64`` of draw ``k // 64``)."""
    informative = 3 + horizon + 1
    latent, level = state[i, CS_LATENT], 3 + state[i, CS_LEVEL]
    for k in range(informative):
        value = noise_std * rng_normal(rng, i) if noise_std > 0.0 else 0.0
        x[k] = value + 1.0 if k == latent or k == level else value  # summed in float64, then stored
    bits = np.uint64(0)
    for k in range(noise_dims):
        if k % 64 == 0:
            bits = rng_next(rng, i)
        x[informative + k] = float((bits >> np.uint64(k % 64)) & np.uint64(1))


@njit(cache=True, inline="always")
def _lock_write_obs(i, rng, state, obs, horizon, noise_std, noise_dims, rotation, scratch):
    """The observation: the latent vector, or ``rotation @ x`` (``x`` zero-padded) when a rotation is given."""
    if rotation.shape[0] == 0:
        _lock_latent_vector(i, rng, state, obs[i], horizon, noise_std, noise_dims)
        return
    scratch[:] = 0.0
    _lock_latent_vector(i, rng, state, scratch, horizon, noise_std, noise_dims)
    for r in range(obs.shape[1]):
        acc = 0.0
        for k in range(scratch.shape[0]):
            acc += rotation[r, k] * scratch[k]
        obs[i, r] = acc


@njit(cache=True, inline="always")
def _lock_reset_env(i, rng, state, elapsed, obs, horizon, noise_std, noise_dims, rotation, scratch):
    """Start in one of the two good states, uniformly (one uniform draw), at level 0."""
    state[i, CS_LATENT] = 1 if rng_uniform(rng, i) < 0.5 else 0
    state[i, CS_LEVEL] = 0
    elapsed[i] = 0
    _lock_write_obs(i, rng, state, obs, horizon, noise_std, noise_dims, rotation, scratch)


@njit(cache=True, inline="always")
def _lock_step_env(i, action, rng, tp, state, elapsed, obs, cfg, noise_dims, rotation, scratch, max_steps):
    """One step; returns (reward, terminated, truncated). ``cfg = (H, swap_prob, final_reward,
    anti_shaping_reward, step_penalty, noise_std)``; the secret of good state ``s`` at level ``h`` is
    ``tp[i, s * H + h]``. Draws: the swap coin and the anti-shaping coin (two uniforms, every step, used or
    not: that keeps the loop fast), then the observation's."""
    swap_coin = rng_uniform(rng, i)
    anti_coin = rng_uniform(rng, i)
    horizon = int(cfg[0])
    s, h = state[i, CS_LATENT], state[i, CS_LEVEL]
    reward = 0.0
    if s != DEAD:
        if action == int(tp[i, s * horizon + h]):
            if swap_coin < cfg[1]:
                s = 1 - s
            if h == horizon - 1:
                reward = cfg[2]
            else:
                reward = 0.0 - cfg[4] / (horizon - 1)
        else:
            s = DEAD
            if anti_coin < 0.5:
                reward = cfg[3]
    h += 1
    state[i, CS_LATENT] = s
    state[i, CS_LEVEL] = h
    t = elapsed[i] + 1
    elapsed[i] = t
    _lock_write_obs(i, rng, state, obs, horizon, cfg[5], noise_dims, rotation, scratch)
    return reward, h >= horizon, 0 <= max_steps <= t


@njit(cache=True)
def lock_reset_single(rng, state, elapsed, obs, cfg, noise_dims, rotation, scratch):
    _lock_reset_env(0, rng, state, elapsed, obs, int(cfg[0]), cfg[5], noise_dims, rotation, scratch)


@njit(cache=True)
def lock_step_single(action, rng, tp, state, elapsed, obs, cfg, noise_dims, rotation, scratch):
    return _lock_step_env(0, action, rng, tp, state, elapsed, obs, cfg, noise_dims, rotation, scratch, -1)


@njit(cache=True)
def lock_reset_batch(mask, rng, task_fixed, fixed_params, split_params, task_params, task_index, state, elapsed,
                     obs, cfg, noise_dims, rotation, scratch):
    for i in range(mask.shape[0]):
        if mask[i]:
            begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
            _lock_reset_env(i, rng, state, elapsed, obs, int(cfg[0]), cfg[5], noise_dims, rotation, scratch)


@njit(cache=True)
def lock_step_batch(actions, rng, task_fixed, fixed_params, split_params, task_params, task_index, needs_reset,
                    state, elapsed, obs, cfg, noise_dims, rotation, scratch, num_actions, max_steps, rewards,
                    terminations, truncations):
    n = actions.shape[0]
    for i in range(n):
        if actions[i] < 0 or actions[i] >= num_actions:
            return i
    for i in range(n):
        if needs_reset[i]:
            begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
            _lock_reset_env(i, rng, state, elapsed, obs, int(cfg[0]), cfg[5], noise_dims, rotation, scratch)
            rewards[i] = 0.0
            terminations[i] = False
            truncations[i] = False
            needs_reset[i] = False
        else:
            reward, term, trunc = _lock_step_env(i, actions[i], rng, task_params, state, elapsed, obs, cfg,
                                                 noise_dims, rotation, scratch, max_steps)
            rewards[i] = reward
            terminations[i] = term
            truncations[i] = trunc
            needs_reset[i] = term or trunc
    return -1
