"""SMAX kernels: a batch of matches stepped in one call (8 ticks of 1/16 s per env step), on one thread.

Units are indexed globally: allies ``0..A-1`` then enemies ``A..N-1``. Actions inside the kernels are
SMAX-indexed: 0 N, 1 E, 2 S, 3 W, 4 stop/no-op, ``5+k`` attack the k-th unit of the other team (for the
enemy team the other team is listed in reverse: ``5+k`` attacks ally ``A-1-k``). Per-env randomness (task
draw, start positions, cooldown jitter, the heuristic's random chase target) comes from the env's counter
RNG row.

During an env step a match lives in the work arrays the shell allocates once: ``work`` (float rows below,
one column per unit), ``iwork`` (int rows ``ACT``, ``TARGET``) and ``alive_work``, so the 8 ticks run over
a few contiguous rows. The kernels never allocate and are compiled without numba's runtime where numba allows it
(``_nrt=False``): with it, numba keeps atomic reference counts of the array arguments of inlined helpers
inside the loops (perf: about a third of the time of a 3m step in atomic increments; the heuristic ran 7x
slower, a whole 3m step 1.7x).
"""

from __future__ import annotations

import warnings

import numpy as np
from numba import njit

from rlenvs.core._kernels import begin_task
from rlenvs.core.rng import rng_integers, rng_uniform


def _without_runtime() -> dict[str, bool]:
    """``{"_nrt": False}`` where the installed numba still has that private option; otherwise nothing (the
    kernels then run with the runtime: slower, not broken) and a warning."""
    try:
        from numba.core.cpu import CPUTargetOptions
        if hasattr(CPUTargetOptions, "_nrt"):
            return {"_nrt": False}
    except ImportError:
        pass
    warnings.warn("this numba has no _nrt option: SMAX kernels run with numba's runtime (about 1.7x slower)",
                  RuntimeWarning, stacklevel=2)
    return {}


WITHOUT_RUNTIME = _without_runtime()
kernel = njit(cache=True, error_model="numpy", **WITHOUT_RUNTIME)
inline = njit(cache=True, error_model="numpy", inline="always", **WITHOUT_RUNTIME)

# columns of UNIT_STATS (rlenvs.smax.tasks)
SPEED, DAMAGE, RANGE, SIGHT, RADIUS, HP, COOLDOWN = range(7)
UNIT_FEATURES = 13
OWN_FEATURES = 10
NUM_TYPES = 6
MOVE_VECS = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, -1.0], [-1.0, 0.0], [0.0, 0.0]])

# outcome codes
RUNNING, ALLY_WIN, ENEMY_WIN, DRAW, TIMEOUT = 0, 1, 2, 3, 4

# rows of ``work``: the unit state during a step, its per-step constants, then what observers see of it
(X, Y, HEALTH, CD, NEW_X, NEW_Y, INCOMING, PUSH_X, PUSH_Y, STEP_X, STEP_Y, R, HIT, RANGE2, BASE_CD,
 SEEN_HEALTH, SEEN_MOVE_X, SEEN_MOVE_Y, SEEN_ATTACK, SEEN_CD) = range(20)
WORK_ROWS = 20
# rows of ``iwork``
ACT, TARGET = range(2)
IWORK_ROWS = 2


@inline
def target_index(i, action, num_allies):
    """Global index of the unit that SMAX ``action`` of unit ``i`` attacks, or -1 for a move/stop."""
    t = num_allies + action - 5 if i < num_allies else num_allies - 1 - (action - 5)
    return t if action >= 5 else -1


@inline
def push_apart(w, alive):
    """Push overlapping alive units apart, all at once from the current positions:
    ``pos_i += sum_j (pos_i - pos_j) relu((r_i + r_j) / (|pos_i - pos_j| + 1e-6) - 1) / 2``.

    Each pair is visited once (its two contributions are opposite); pairs further apart than ``r_i + r_j``
    skip the square root. (A sweep over x-sorted units was measured no faster, up to 27m_vs_30m.)
    """
    n = w.shape[1]
    for i in range(n):
        w[PUSH_X, i] = 0.0
        w[PUSH_Y, i] = 0.0
    for i in range(n):
        if not alive[i]:
            continue
        xi = w[X, i]
        yi = w[Y, i]
        ri = w[R, i]
        ax = 0.0
        ay = 0.0
        for j in range(i + 1, n):
            dx = xi - w[X, j]
            dy = yi - w[Y, j]
            rsum = ri + w[R, j]
            d2 = dx * dx + dy * dy
            if d2 < rsum * rsum and alive[j]:
                overlap = max(rsum / (np.sqrt(d2) + 1e-6) - 1.0, 0.0)
                hx = 0.5 * dx * overlap
                hy = 0.5 * dy * overlap
                ax += hx
                ay += hy
                w[PUSH_X, j] -= hx
                w[PUSH_Y, j] -= hy
        w[PUSH_X, i] += ax
        w[PUSH_Y, i] += ay
    for i in range(n):
        if alive[i]:
            w[X, i] += w[PUSH_X, i]
            w[Y, i] += w[PUSH_Y, i]


@inline
def tick(b, w, alive, iw, rng, dt, width, height, walls):
    """One physics tick on the work arrays: simultaneous move and attack (both from the positions, alive
    flags and cooldowns at the start of the tick), walls, deaths, collision push."""
    n = w.shape[1]
    for i in range(n):
        if alive[i]:  # SMAX clamps every alive unit to the map, also one that stands still
            w[NEW_X, i] = min(max(w[X, i] + w[STEP_X, i], 0.0), width)
            w[NEW_Y, i] = min(max(w[Y, i] + w[STEP_Y, i], 0.0), height)
        else:
            w[NEW_X, i] = w[X, i]
            w[NEW_Y, i] = w[Y, i]
        w[INCOMING, i] = 0.0
    for i in range(n):
        t = iw[TARGET, i]
        fired = False
        if t >= 0 and alive[i] and alive[t] and w[CD, i] <= 0.0:
            dx = w[X, t] - w[X, i]
            dy = w[Y, t] - w[Y, i]
            fired = dx * dx + dy * dy < w[RANGE2, i]
        if fired:
            w[INCOMING, t] += w[HIT, i]
            w[CD, i] = w[BASE_CD, i] + (3.0 * rng_uniform(rng, b) - 1.0) * dt  # base + U(-dt, 2dt)
        else:
            w[CD, i] -= dt
    for i in range(n):
        x = w[NEW_X, i]
        y = w[NEW_Y, i]
        w[X, i] = x
        w[Y, i] = y
        h = max(w[HEALTH, i] - w[INCOMING, i], 0.0)
        if walls and (x <= 0.0 or y <= 0.0 or x >= width or y >= height):
            h = 0.0
        w[HEALTH, i] = h
        alive[i] = h > 0.0
    push_apart(w, alive)


@kernel
def env_step(b, num_allies, pos, health, cooldown, alive, types, prev_move, prev_attack, episode_step, stats, rng,
             dt, ticks, width, height, walls, max_steps, won_bonus, team_rewards, outcome, w, iw, alive_w):
    """One env step of env ``b`` with the SMAX actions ``iw[ACT]`` (one per unit): ``ticks`` ticks, the
    last actions, the team rewards ``[allies, enemies]`` and the outcome code."""
    n = pos.shape[1]
    health_before_allies = 0.0
    health_before_enemies = 0.0
    for i in range(n):
        ti = types[b, i]
        a = iw[ACT, i]
        step = stats[ti, SPEED] * dt
        w[X, i] = pos[b, i, 0]
        w[Y, i] = pos[b, i, 1]
        w[HEALTH, i] = health[b, i]
        w[CD, i] = cooldown[b, i]
        w[STEP_X, i] = MOVE_VECS[min(a, 4), 0] * step
        w[STEP_Y, i] = MOVE_VECS[min(a, 4), 1] * step
        w[R, i] = stats[ti, RADIUS]
        w[HIT, i] = stats[ti, DAMAGE]
        w[RANGE2, i] = stats[ti, RANGE] * stats[ti, RANGE]
        w[BASE_CD, i] = stats[ti, COOLDOWN]
        alive_w[i] = alive[b, i]
        iw[TARGET, i] = target_index(i, a, num_allies)
        frac = health[b, i] / stats[ti, HP]
        if i < num_allies:
            health_before_allies += frac
        else:
            health_before_enemies += frac
    for _ in range(ticks):
        tick(b, w, alive_w, iw, rng, dt, width, height, walls)
    health_allies = 0.0
    health_enemies = 0.0
    allies_alive = False
    enemies_alive = False
    for i in range(n):
        pos[b, i, 0] = w[X, i]
        pos[b, i, 1] = w[Y, i]
        health[b, i] = w[HEALTH, i]
        cooldown[b, i] = w[CD, i]
        alive[b, i] = alive_w[i]
        a = iw[ACT, i]
        prev_move[b, i] = min(a, 4)
        prev_attack[b, i] = a if a > 4 else 0
        frac = w[HEALTH, i] / stats[types[b, i], HP]
        if i < num_allies:
            health_allies += frac
            allies_alive = allies_alive or alive_w[i]
        else:
            health_enemies += frac
            enemies_alive = enemies_alive or alive_w[i]
    episode_step[b] += 1
    # |sum of the other team's normalised HP changes| / its size, as SMAX's compute_reward
    team_rewards[b, 0] = abs(health_enemies - health_before_enemies) / (n - num_allies)
    team_rewards[b, 1] = abs(health_allies - health_before_allies) / num_allies
    if not enemies_alive and allies_alive:
        team_rewards[b, 0] += won_bonus
        outcome[b] = ALLY_WIN
    elif not allies_alive and enemies_alive:
        team_rewards[b, 1] += won_bonus
        outcome[b] = ENEMY_WIN
    elif not allies_alive and not enemies_alive:
        outcome[b] = DRAW
    elif episode_step[b] >= max_steps:
        outcome[b] = TIMEOUT
    else:
        outcome[b] = RUNNING


@inline
def place_team(b, rng, pos, lo, hi, inside, width, height):
    """SMACv2's surround: units ``lo..hi-1`` at the centre + U(-2,2)^2 (``inside``), or each in one of 4
    groups at ``t_g centre + (1 - t_g) corner_g`` + U(-2,2)^2, ``t_g ~ U(0, 1)`` per group."""
    cx = width / 2.0
    cy = height / 2.0
    t0 = t1 = t2 = t3 = 1.0
    if not inside:
        t0 = rng_uniform(rng, b)
        t1 = rng_uniform(rng, b)
        t2 = rng_uniform(rng, b)
        t3 = rng_uniform(rng, b)
    for i in range(lo, hi):
        t = 1.0
        ex = 0.0
        ey = 0.0
        if not inside:
            g = rng_integers(rng, b, 4)
            t = t0 if g == 0 else (t1 if g == 1 else (t2 if g == 2 else t3))
            ex = 0.0 if g < 2 else width  # corners (0,0), (0,H), (W,0), (W,H)
            ey = 0.0 if g % 2 == 0 else height
        pos[b, i, 0] = t * cx + (1.0 - t) * ex + 4.0 * rng_uniform(rng, b) - 2.0
        pos[b, i, 1] = t * cy + (1.0 - t) * ey + 4.0 * rng_uniform(rng, b) - 2.0


@inline
def start_positions(b, num_allies, mode, rng, pos, width, height):
    """Start positions of env ``b``: SMAX's two clusters at (W/4, H/2) and (3W/4, H/2) + U(-2,2)^2 (mode
    0), or SMACv2's mix (mode 1): surround (one team, drawn 50/50, inside) or reflect (allies uniform in
    the left half, enemies mirrored in x, extra enemies uniform in the right half), 50/50."""
    n = pos.shape[1]
    if mode == 0:
        for i in range(n):
            cx = width / 4.0 if i < num_allies else 3.0 * width / 4.0
            pos[b, i, 0] = cx + 4.0 * rng_uniform(rng, b) - 2.0
            pos[b, i, 1] = height / 2.0 + 4.0 * rng_uniform(rng, b) - 2.0
    elif rng_uniform(rng, b) < 0.5:
        allies_inside = rng_integers(rng, b, 2) == 1
        place_team(b, rng, pos, 0, num_allies, allies_inside, width, height)
        place_team(b, rng, pos, num_allies, n, not allies_inside, width, height)
    else:
        for i in range(num_allies):
            pos[b, i, 0] = rng_uniform(rng, b) * width / 2.0
            pos[b, i, 1] = rng_uniform(rng, b) * height
        for i in range(num_allies, n):
            k = i - num_allies
            if k < num_allies:
                pos[b, i, 0] = width - pos[b, k, 0]
                pos[b, i, 1] = pos[b, k, 1]
            else:
                pos[b, i, 0] = width / 2.0 + rng_uniform(rng, b) * width / 2.0
                pos[b, i, 1] = rng_uniform(rng, b) * height


@kernel
def reset_env(b, num_allies, rng, task_fixed, fixed_params, split_params, task_params, task_index, pos, health,
              cooldown, alive, types, prev_move, prev_attack, episode_step, h_init, h_last, stats, width, height, w,
              iw):
    """New episode of env ``b``: its task, start positions, full HP, zero cooldowns, one collision push."""
    begin_task(b, rng, task_fixed, fixed_params, split_params, task_params, task_index)
    n = pos.shape[1]
    for i in range(n):
        types[b, i] = int(task_params[b, i])
        health[b, i] = stats[types[b, i], HP]
        cooldown[b, i] = 0.0
        alive[b, i] = True
        prev_move[b, i] = 4
        prev_attack[b, i] = 0
        h_init[b, i] = False
        h_last[b, i] = -1
    episode_step[b] = 0
    start_positions(b, num_allies, int(task_params[b, n]), rng, pos, width, height)
    for i in range(n):
        w[X, i] = pos[b, i, 0]
        w[Y, i] = pos[b, i, 1]
        w[R, i] = stats[types[b, i], RADIUS]
    push_apart(w, alive[b])
    for i in range(n):
        pos[b, i, 0] = w[X, i]
        pos[b, i, 1] = w[Y, i]


@inline
def write_outputs(b, obs_lo, obs_hi, num_allies, pos, health, cooldown, alive, types, prev_move, prev_attack, stats,
                  width, height, smac, obs, masks, wstate, w):
    """Observations and action masks of units ``obs_lo..obs_hi-1`` and the world state of env ``b``.

    Observation of unit ``i`` (zeros if dead): per other unit (its own team first; the enemy team lists
    both teams in reverse) 13 features, zero unless both alive and ``distance < sight_i``: health frac,
    relative x and y / sight_i, last move vector, last attack action / (n_actions_j - 1),
    clip(cooldown / base, 0, 1), type one-hot; then own: health frac, x / W, y / H (clipped to [0, 1]),
    clipped cooldown fraction, type one-hot. Mask: stop always; moves iff alive; attack ``k`` iff both
    alive and ``distance < range_i`` (SMAC order when ``smac``: 0 no-op iff dead, 1 stop iff alive, 2..5
    N, S, E, W, ``6+k`` attack). World state: per unit ``[health frac, x, y, cooldown, one-hot]`` (zeros if
    dead), then the teams (0/1) and the type ids.
    """
    n = pos.shape[1]
    num_enemies = n - num_allies
    for j in range(n):  # what any observer sees of unit j; and the world state
        tj = types[b, j]
        w[SEEN_HEALTH, j] = health[b, j] / stats[tj, HP]
        w[SEEN_MOVE_X, j] = MOVE_VECS[prev_move[b, j], 0]
        w[SEEN_MOVE_Y, j] = MOVE_VECS[prev_move[b, j], 1]
        w[SEEN_ATTACK, j] = prev_attack[b, j] / (4.0 + (num_enemies if j < num_allies else num_allies))
        w[SEEN_CD, j] = min(max(cooldown[b, j] / stats[tj, COOLDOWN], 0.0), 1.0)
        base = OWN_FEATURES * j
        for q in range(OWN_FEATURES):
            wstate[b, base + q] = 0.0
        if alive[b, j]:
            wstate[b, base] = w[SEEN_HEALTH, j]
            wstate[b, base + 1] = pos[b, j, 0]
            wstate[b, base + 2] = pos[b, j, 1]
            wstate[b, base + 3] = cooldown[b, j]
            wstate[b, base + 4 + tj] = 1.0
        wstate[b, OWN_FEATURES * n + j] = 0.0 if j < num_allies else 1.0
        wstate[b, OWN_FEATURES * n + n + j] = tj
    shift = 1 if smac else 0
    for i in range(obs_lo, obs_hi):
        o = obs[b, i - obs_lo]
        mask = masks[b, i - obs_lo]
        for q in range(mask.shape[0]):
            mask[q] = 0
        if not alive[b, i]:
            for q in range(o.shape[0]):
                o[q] = 0.0
            mask[0 if smac else 4] = 1
            continue
        mask[1 if smac else 4] = 1
        for a in range(4):
            mask[2 + a if smac else a] = 1
        ti = types[b, i]
        sight = stats[ti, SIGHT]
        sight2 = sight * sight
        range2 = stats[ti, RANGE] * stats[ti, RANGE]
        xi = pos[b, i, 0]
        yi = pos[b, i, 1]
        for m in range(n - 1):
            if i < num_allies:
                j = m if m < i else m + 1
            else:
                j = n - 1 - m
                j = j if j > i else j - 1
            base = UNIT_FEATURES * m
            dx = pos[b, j, 0] - xi
            dy = pos[b, j, 1] - yi
            d2 = dx * dx + dy * dy
            if alive[b, j] and d2 < range2 and (j < num_allies) != (i < num_allies):
                k = j - num_allies if i < num_allies else num_allies - 1 - j
                mask[5 + shift + k] = 1
            if not alive[b, j] or d2 >= sight2:
                for q in range(UNIT_FEATURES):
                    o[base + q] = 0.0
                continue
            o[base] = w[SEEN_HEALTH, j]
            o[base + 1] = dx / sight
            o[base + 2] = dy / sight
            o[base + 3] = w[SEEN_MOVE_X, j]
            o[base + 4] = w[SEEN_MOVE_Y, j]
            o[base + 5] = w[SEEN_ATTACK, j]
            o[base + 6] = w[SEEN_CD, j]
            for q in range(NUM_TYPES):
                o[base + 7 + q] = 0.0
            o[base + 7 + types[b, j]] = 1.0
        own = UNIT_FEATURES * (n - 1)
        o[own] = w[SEEN_HEALTH, i]
        o[own + 1] = min(max(xi / width, 0.0), 1.0)  # clipped: SMACv2 starts and pushes may leave the map
        o[own + 2] = min(max(yi / height, 0.0), 1.0)
        o[own + 3] = w[SEEN_CD, i]
        for q in range(NUM_TYPES):
            o[own + 4 + q] = 0.0
        o[own + 4 + ti] = 1.0


@inline
def heuristic_action(b, i, num_allies, pos, alive, types, stats, rng, h_target, h_last, h_init, width, height):
    """JaxMARL's heuristic (``attack_mode="closest"``) for alive unit ``i``: keep shooting the last target
    while it is shootable (alive, ``distance < range``), else the closest shootable unit; else walk towards a
    uniformly random visible enemy (``distance < sight``, re-drawn each step); else towards its first
    position rotated 180 degrees about the map centre. The move is the one of N/E/S/W most aligned with the
    way to the target (the first one on ties)."""
    n = pos.shape[1]
    x = pos[b, i, 0]
    y = pos[b, i, 1]
    if not h_init[b, i]:
        h_target[b, i, 0] = width - x
        h_target[b, i, 1] = height - y
        h_init[b, i] = True
    ti = types[b, i]
    sight2 = stats[ti, SIGHT] * stats[ti, SIGHT]
    range2 = stats[ti, RANGE] * stats[ti, RANGE]
    other = n - num_allies if i < num_allies else num_allies
    last = h_last[b, i]
    best = -1
    best_d2 = np.inf
    keep = False
    num_visible = 0
    for k in range(other):
        t = target_index(i, 5 + k, num_allies)
        dx = pos[b, t, 0] - x
        dy = pos[b, t, 1] - y
        d2 = dx * dx + dy * dy
        if alive[b, t] and d2 < sight2:
            num_visible += 1
            if d2 < range2:
                keep = keep or k == last
                if d2 < best_d2:
                    best_d2 = d2
                    best = k
    if best >= 0 and keep:
        best = last
    h_last[b, i] = best
    vx = h_target[b, i, 0] - x
    vy = h_target[b, i, 1] - y
    if best < 0 and num_visible > 0:  # chase a random visible enemy
        pick = rng_integers(rng, b, num_visible)
        for k in range(other):
            t = target_index(i, 5 + k, num_allies)
            dx = pos[b, t, 0] - x
            dy = pos[b, t, 1] - y
            if alive[b, t] and dx * dx + dy * dy < sight2:
                if pick == 0:
                    vx = dx
                    vy = dy
                pick -= 1
    action = 0  # argmax over N (vy), E (vx), S (-vy), W (-vx)
    score = vy
    if vx > score:
        action = 1
        score = vx
    if -vy > score:
        action = 2
        score = -vy
    if -vx > score:
        action = 3
    return 5 + best if best >= 0 else action


@kernel
def heuristic_batch(lo, hi, num_allies, pos, alive, types, stats, rng, h_target, h_last, h_init, width, height,
                    needs_reset, out):
    """Heuristic actions of units ``lo..hi-1`` of every env into ``out[b, i - lo]`` (stop for dead units and in
    envs about to reset)."""
    for b in range(pos.shape[0]):
        for i in range(lo, hi):
            if needs_reset[b] or not alive[b, i]:
                out[b, i - lo] = 4
            else:
                out[b, i - lo] = heuristic_action(b, i, num_allies, pos, alive, types, stats, rng, h_target, h_last,
                                                  h_init, width, height)


@inline
def agent_results(b, obs_lo, num_allies, alive, team_rewards, outcome, rewards, terminated, truncated):
    """Per-agent team reward, terminated (dead, or a team wiped) and truncated (alive at the time limit)."""
    ended = outcome[b] == ALLY_WIN or outcome[b] == ENEMY_WIN or outcome[b] == DRAW
    for k in range(rewards.shape[1]):
        i = obs_lo + k
        rewards[b, k] = team_rewards[b, 0 if i < num_allies else 1]
        terminated[b, k] = ended or not alive[b, i]
        truncated[b, k] = alive[b, i] and outcome[b] == TIMEOUT


@kernel
def reset_batch(mask, num_allies, rng, task_fixed, fixed_params, split_params, task_params, task_index, pos, health,
                cooldown, alive, types, prev_move, prev_attack, episode_step, h_init, h_last, stats, width, height,
                obs_lo, obs_hi, smac, obs, masks, wstate, needs_reset, outcome, w, iw):
    """Reset every env where ``mask`` and write its observations."""
    for b in range(mask.shape[0]):
        if mask[b]:
            reset_env(b, num_allies, rng, task_fixed, fixed_params, split_params, task_params, task_index, pos,
                      health, cooldown, alive, types, prev_move, prev_attack, episode_step, h_init, h_last, stats,
                      width, height, w, iw)
            needs_reset[b] = False
            outcome[b] = RUNNING
            write_outputs(b, obs_lo, obs_hi, num_allies, pos, health, cooldown, alive, types, prev_move,
                          prev_attack, stats, width, height, smac, obs, masks, wstate, w)


@kernel
def step_batch(actions, num_actions, to_smax, enemy_heuristic, num_allies, rng, task_fixed, fixed_params,
               split_params, task_params, task_index, pos, health, cooldown, alive, types, prev_move, prev_attack,
               episode_step, h_init, h_last, h_target, stats, dt, ticks, width, height, walls, max_steps, won_bonus,
               obs_lo, obs_hi, smac, obs, masks, wstate, team_rewards, outcome, needs_reset, rewards, terminated,
               truncated, w, iw, alive_w):
    """One step of every env with NEXT_STEP autoreset; returns -1, or ``b * num_agents + k`` of the first
    action outside its space (then nothing was stepped).

    ``actions[b, k]`` is the action of agent unit ``obs_lo + k`` in the configured order (``to_smax`` maps
    it to SMAX's); with ``enemy_heuristic`` the enemy units (``num_allies..N-1``) act by the heuristic. An
    env that ended last step is reset instead (its actions ignored, rewards 0, dones False).
    """
    for b in range(actions.shape[0]):
        for k in range(actions.shape[1]):
            if actions[b, k] < 0 or actions[b, k] >= num_actions[k]:
                return b * actions.shape[1] + k
    n = pos.shape[1]
    for b in range(actions.shape[0]):
        if needs_reset[b]:
            reset_env(b, num_allies, rng, task_fixed, fixed_params, split_params, task_params, task_index, pos,
                      health, cooldown, alive, types, prev_move, prev_attack, episode_step, h_init, h_last, stats,
                      width, height, w, iw)
            needs_reset[b] = False
            team_rewards[b, 0] = 0.0
            team_rewards[b, 1] = 0.0
            outcome[b] = RUNNING
        else:
            for i in range(n):
                iw[ACT, i] = 4
            for k in range(actions.shape[1]):
                iw[ACT, obs_lo + k] = to_smax[actions[b, k]]
            for i in range(num_allies if enemy_heuristic else n, n):
                if alive[b, i]:
                    iw[ACT, i] = heuristic_action(b, i, num_allies, pos, alive, types, stats, rng, h_target, h_last,
                                                  h_init, width, height)
            env_step(b, num_allies, pos, health, cooldown, alive, types, prev_move, prev_attack, episode_step, stats,
                     rng, dt, ticks, width, height, walls, max_steps, won_bonus, team_rewards, outcome, w, iw, alive_w)
            needs_reset[b] = outcome[b] != RUNNING
        write_outputs(b, obs_lo, obs_hi, num_allies, pos, health, cooldown, alive, types, prev_move, prev_attack,
                      stats, width, height, smac, obs, masks, wstate, w)
        agent_results(b, obs_lo, num_allies, alive, team_rewards, outcome, rewards, terminated, truncated)
    return -1
