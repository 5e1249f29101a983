"""SMAX kernels: one batch of matches stepped in one call (8 ticks of 1/16 s per env step).

Units are indexed globally: allies ``0..A-1`` then enemies ``A..N-1``. Actions are SMAX-indexed:
0 N, 1 E, 2 S, 3 W, 4 stop/no-op, ``5+k`` attack the k-th unit of the other team (for the enemy team the
other team is listed in reverse: ``5+k`` attacks ally ``A-1-k``). Per-env randomness (start positions,
cooldown jitter, the heuristic's random chase target) comes from the env's counter RNG row.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from rlenvs.core._kernels import begin_task
from rlenvs.core.rng import rng_integers, rng_uniform

SPEED, DAMAGE, RANGE, SIGHT, RADIUS, HP, COOLDOWN = range(7)
UNIT_FEATURES = 13
OWN_FEATURES = 10
MOVE_VECS = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, -1.0], [-1.0, 0.0], [0.0, 0.0]])

# outcome codes
RUNNING, ALLY_WIN, ENEMY_WIN, DRAW, TIMEOUT = 0, 1, 2, 3, 4


@njit(cache=True, inline="always", error_model="numpy")
def target_index(i, action, num_allies):
    """Global index of the unit that ``action`` of unit ``i`` attacks, or -1 for a move/stop."""
    if action < 5:
        return -1
    k = action - 5
    if i < num_allies:
        return num_allies + k
    return num_allies - 1 - k


@njit(cache=True, inline="always", error_model="numpy")
def push_units(b, pos, alive, types, stats, disp):
    """Push overlapping alive units apart: ``pos_i += sum_j (pos_i - pos_j) relu((r_i+r_j)/d_ij - 1) / 2``."""
    n = pos.shape[1]
    for i in range(n):
        disp[i, 0] = 0.0
        disp[i, 1] = 0.0
    for i in range(n):
        if not alive[b, i]:
            continue
        ri = stats[types[b, i], RADIUS]
        for j in range(i + 1, n):
            if not alive[b, j]:
                continue
            dx = pos[b, i, 0] - pos[b, j, 0]
            dy = pos[b, i, 1] - pos[b, j, 1]
            rsum = ri + stats[types[b, j], RADIUS]
            d2 = dx * dx + dy * dy
            if d2 >= rsum * rsum:  # no overlap: skip the square root
                continue
            overlap = rsum / (np.sqrt(d2) + 1e-6) - 1.0
            if overlap > 0.0:
                hx = 0.5 * dx * overlap
                hy = 0.5 * dy * overlap
                disp[i, 0] += hx
                disp[i, 1] += hy
                disp[j, 0] -= hx
                disp[j, 1] -= hy
    for i in range(n):
        if alive[b, i]:
            pos[b, i, 0] += disp[i, 0]
            pos[b, i, 1] += disp[i, 1]


@njit(cache=True, inline="always", error_model="numpy")
def tick(b, num_allies, act, pos, health, cooldown, alive, types, stats, rng, dt, width, height, walls,
         newpos, dmg, disp):
    """One physics tick of env ``b``: simultaneous move + attack, walls, deaths, collision push."""
    n = pos.shape[1]
    for i in range(n):
        a = act[b, i]
        x = pos[b, i, 0]
        y = pos[b, i, 1]
        if alive[b, i] and a < 4:
            step = stats[types[b, i], SPEED] * dt
            x = min(max(x + MOVE_VECS[a, 0] * step, 0.0), width)
            y = min(max(y + MOVE_VECS[a, 1] * step, 0.0), height)
        newpos[i, 0] = x
        newpos[i, 1] = y
        dmg[i] = 0.0
    for i in range(n):
        t = target_index(i, act[b, i], num_allies)
        valid = False
        if t >= 0 and t != i and alive[b, i] and alive[b, t] and cooldown[b, i] <= 0.0:
            dx = pos[b, t, 0] - pos[b, i, 0]
            dy = pos[b, t, 1] - pos[b, i, 1]
            valid = np.sqrt(dx * dx + dy * dy) < stats[types[b, i], RANGE]
        if valid:
            ti = types[b, i]
            dmg[t] += stats[ti, DAMAGE]
            cooldown[b, i] = stats[ti, COOLDOWN] + (3.0 * rng_uniform(rng, b) - 1.0) * dt  # + U(-dt, 2dt)
        else:
            cooldown[b, i] -= dt
    for i in range(n):
        pos[b, i, 0] = newpos[i, 0]
        pos[b, i, 1] = newpos[i, 1]
        h = max(health[b, i] - dmg[i], 0.0)
        if walls and (pos[b, i, 0] <= 0.0 or pos[b, i, 1] <= 0.0 or pos[b, i, 0] >= width
                      or pos[b, i, 1] >= height):
            h = 0.0
        health[b, i] = h
        alive[b, i] = h > 0.0
    push_units(b, pos, alive, types, stats, disp)


@njit(cache=True, inline="always", error_model="numpy")
def env_step(b, num_allies, act, pos, health, cooldown, alive, types, prev_move, prev_attack, episode_step,
             stats, rng, dt, ticks, width, height, walls, max_steps, won_bonus, team_rewards, outcome,
             newpos, dmg, disp, before):
    """One env step of env ``b`` (``ticks`` ticks); writes team rewards and the outcome code."""
    n = pos.shape[1]
    for i in range(n):
        before[i] = health[b, i]
    for _ in range(ticks):
        tick(b, num_allies, act, pos, health, cooldown, alive, types, stats, rng, dt, width, height, walls,
             newpos, dmg, disp)
    for i in range(n):
        a = act[b, i]
        prev_move[b, i] = a if a < 4 else 4
        prev_attack[b, i] = a if a > 4 else 0
    episode_step[b] += 1
    loss_enemies = 0.0
    loss_allies = 0.0
    allies_alive = False
    enemies_alive = False
    for i in range(n):
        frac = (health[b, i] - before[i]) / stats[types[b, i], HP]
        if i < num_allies:
            loss_allies += frac
            allies_alive = allies_alive or alive[b, i]
        else:
            loss_enemies += frac
            enemies_alive = enemies_alive or alive[b, i]
    team_rewards[b, 0] = abs(loss_enemies) / (n - num_allies)
    team_rewards[b, 1] = abs(loss_allies) / num_allies
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


@njit(cache=True, error_model="numpy")
def _place_team_surround(b, rng, pos, lo, hi, inside, width, height):
    """Units ``lo..hi-1`` around the centre (``inside``) or in 4 groups on the centre-corner diagonals."""
    cx = width / 2.0
    cy = height / 2.0
    if inside:
        for i in range(lo, hi):
            pos[b, i, 0] = cx + 4.0 * rng_uniform(rng, b) - 2.0
            pos[b, i, 1] = cy + 4.0 * rng_uniform(rng, b) - 2.0
        return
    t = np.empty(4)
    for g in range(4):
        t[g] = rng_uniform(rng, b)
    for i in range(lo, hi):
        g = rng_integers(rng, b, 4)
        ex = 0.0 if g < 2 else width  # corners (0,0), (0,H), (W,0), (W,H)
        ey = 0.0 if g % 2 == 0 else height
        pos[b, i, 0] = t[g] * cx + (1.0 - t[g]) * ex + 4.0 * rng_uniform(rng, b) - 2.0
        pos[b, i, 1] = t[g] * cy + (1.0 - t[g]) * ey + 4.0 * rng_uniform(rng, b) - 2.0


@njit(cache=True, error_model="numpy")
def start_positions(b, num_allies, mode, rng, pos, width, height):
    """Start positions of env ``b``: SMAX's two clusters (mode 0) or SMACv2's surround/reflect mix (mode 1)."""
    n = pos.shape[1]
    if mode == 0:
        for i in range(n):
            cx = width / 4.0 if i < num_allies else 3.0 * width / 4.0
            pos[b, i, 0] = cx + 4.0 * rng_uniform(rng, b) - 2.0
            pos[b, i, 1] = height / 2.0 + 4.0 * rng_uniform(rng, b) - 2.0
        return
    if rng_uniform(rng, b) < 0.5:  # surround: one team in the centre, the other around it
        allies_inside = rng_integers(rng, b, 2) == 1
        _place_team_surround(b, rng, pos, 0, num_allies, allies_inside, width, height)
        _place_team_surround(b, rng, pos, num_allies, n, not allies_inside, width, height)
    else:  # reflect: allies uniform in the left half, enemies mirrored in x, extras in the right half
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


@njit(cache=True, error_model="numpy")
def reset_env(b, num_allies, rng, task_fixed, fixed_params, split_params, task_params, task_index, pos, health,
              cooldown, alive, types, prev_move, prev_attack, episode_step, h_init, h_last, stats, width, height,
              disp):
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
    push_units(b, pos, alive, types, stats, disp)


@njit(cache=True, inline="always", error_model="numpy")
def observe(b, i, k, num_allies, pos, health, cooldown, alive, types, prev_move, prev_attack, stats, width, height,
            out):
    """The unit-list observation of unit ``i``: 13 features per other unit (own team first), 10 own."""
    n = pos.shape[1]
    for q in range(out.shape[2]):
        out[b, k, q] = 0.0
    if not alive[b, i]:
        return
    ti = types[b, i]
    sight = stats[ti, SIGHT]
    sight2 = sight * sight
    num_enemies = n - num_allies
    for m in range(n - 1):
        if i < num_allies:
            j = m if m < i else m + 1
        else:
            jj = n - 1 - m
            j = jj if jj > i else jj - 1
        if not alive[b, j]:
            continue
        dx = pos[b, j, 0] - pos[b, i, 0]
        dy = pos[b, j, 1] - pos[b, i, 1]
        if dx * dx + dy * dy >= sight2:
            continue
        base = UNIT_FEATURES * m
        tj = types[b, j]
        out[b, k, base] = health[b, j] / stats[tj, HP]
        out[b, k, base + 1] = dx / sight
        out[b, k, base + 2] = dy / sight
        mv = prev_move[b, j]
        out[b, k, base + 3] = MOVE_VECS[mv, 0]
        out[b, k, base + 4] = MOVE_VECS[mv, 1]
        max_action = 4 + (num_enemies if j < num_allies else num_allies)
        out[b, k, base + 5] = prev_attack[b, j] / max_action
        out[b, k, base + 6] = min(max(cooldown[b, j] / stats[tj, COOLDOWN], 0.0), 1.0)
        out[b, k, base + 7 + tj] = 1.0
    own = UNIT_FEATURES * (n - 1)
    out[b, k, own] = health[b, i] / stats[ti, HP]
    out[b, k, own + 1] = min(max(pos[b, i, 0] / width, 0.0), 1.0)  # clipped: SMACv2 starts may lie off the map
    out[b, k, own + 2] = min(max(pos[b, i, 1] / height, 0.0), 1.0)
    out[b, k, own + 3] = min(max(cooldown[b, i] / stats[ti, COOLDOWN], 0.0), 1.0)
    out[b, k, own + 4 + ti] = 1.0


@njit(cache=True, inline="always", error_model="numpy")
def avail_actions(b, i, kk, num_allies, pos, alive, types, stats, out):
    """SMAX mask of unit ``i``: stop always; moves iff alive; attack k iff both alive and in range (``<``)."""
    n = pos.shape[1]
    for q in range(out.shape[2]):
        out[b, kk, q] = 0
    out[b, kk, 4] = 1
    if not alive[b, i]:
        return
    for a in range(4):
        out[b, kk, a] = 1
    other = n - num_allies if i < num_allies else num_allies
    range2 = stats[types[b, i], RANGE] ** 2
    for k in range(other):
        t = target_index(i, 5 + k, num_allies)
        if alive[b, t]:
            dx = pos[b, t, 0] - pos[b, i, 0]
            dy = pos[b, t, 1] - pos[b, i, 1]
            if dx * dx + dy * dy < range2:
                out[b, kk, 5 + k] = 1


@njit(cache=True, inline="always", error_model="numpy")
def world_state(b, num_allies, pos, health, cooldown, alive, types, stats, out):
    """``[health frac, x, y, cooldown, one-hot(6)]`` per unit (zeros if dead), then teams, then types."""
    n = pos.shape[1]
    for q in range(out.shape[1]):
        out[b, q] = 0.0
    for i in range(n):
        base = OWN_FEATURES * i
        if alive[b, i]:
            ti = types[b, i]
            out[b, base] = health[b, i] / stats[ti, HP]
            out[b, base + 1] = pos[b, i, 0]
            out[b, base + 2] = pos[b, i, 1]
            out[b, base + 3] = cooldown[b, i]
            out[b, base + 4 + ti] = 1.0
        out[b, OWN_FEATURES * n + i] = 0.0 if i < num_allies else 1.0
        out[b, OWN_FEATURES * n + n + i] = types[b, i]


@njit(cache=True, inline="always", error_model="numpy")
def heuristic_action(b, i, num_allies, pos, alive, types, stats, rng, h_target, h_last, h_init, width, height):
    """JaxMARL's heuristic for unit ``i``: keep shooting the last target while shootable, else the closest
    shootable unit; else walk towards a random visible enemy (re-drawn each step); else towards its start
    position rotated 180 degrees about the map centre. Dead units stop."""
    if not alive[b, i]:
        return 4
    n = pos.shape[1]
    x = pos[b, i, 0]
    y = pos[b, i, 1]
    if not h_init[b, i]:
        h_target[b, i, 0] = width - x
        h_target[b, i, 1] = height - y
        h_init[b, i] = True
    ti = types[b, i]
    sight = stats[ti, SIGHT]
    rng_i = stats[ti, RANGE]
    other = n - num_allies if i < num_allies else num_allies
    last = h_last[b, i]
    best = -1
    best_d = np.inf
    keep = False
    num_visible = 0
    dx = 0.0
    dy = 0.0
    for k in range(other):
        t = target_index(i, 5 + k, num_allies)
        if not alive[b, t]:
            continue
        dx = pos[b, t, 0] - x
        dy = pos[b, t, 1] - y
        d = np.sqrt(dx * dx + dy * dy)
        if d < sight:
            num_visible += 1
            if d < rng_i:
                if k == last:
                    keep = True
                if d < best_d:
                    best_d = d
                    best = k
    if best >= 0:
        if keep:
            best = last
        h_last[b, i] = best
        return 5 + best
    h_last[b, i] = -1
    if num_visible > 0:
        pick = rng_integers(rng, b, num_visible)
        for k in range(other):
            t = target_index(i, 5 + k, num_allies)
            if not alive[b, t]:
                continue
            dx = pos[b, t, 0] - x
            dy = pos[b, t, 1] - y
            if np.sqrt(dx * dx + dy * dy) < sight:
                if pick == 0:
                    break
                pick -= 1
        vx = dx
        vy = dy
    else:
        vx = h_target[b, i, 0] - x
        vy = h_target[b, i, 1] - y
    best_a = 0
    best_s = vy  # north
    if vx > best_s:
        best_a = 1
        best_s = vx
    if -vy > best_s:
        best_a = 2
        best_s = -vy
    if -vx > best_s:
        best_a = 3
    return best_a


@njit(cache=True, error_model="numpy")
def heuristic_batch(lo, hi, num_allies, pos, alive, types, stats, rng, h_target, h_last, h_init, width, height,
                    needs_reset, out):
    """Heuristic actions of units ``lo..hi-1`` of every env into ``out[b, i - lo]`` (stop where ``needs_reset``)."""
    for b in range(pos.shape[0]):
        for i in range(lo, hi):
            if needs_reset[b]:
                out[b, i - lo] = 4
            else:
                out[b, i - lo] = heuristic_action(b, i, num_allies, pos, alive, types, stats, rng, h_target, h_last,
                                                  h_init, width, height)


@njit(cache=True, inline="always", error_model="numpy")
def write_outputs(b, obs_lo, obs_hi, num_allies, pos, health, cooldown, alive, types, prev_move, prev_attack, stats,
                  width, height, obs, masks, wstate):
    """Observations and masks of units ``obs_lo..obs_hi-1`` and the world state of env ``b``."""
    for i in range(obs_lo, obs_hi):
        observe(b, i, i - obs_lo, num_allies, pos, health, cooldown, alive, types, prev_move, prev_attack, stats,
                width, height, obs)
        avail_actions(b, i, i - obs_lo, num_allies, pos, alive, types, stats, masks)
    world_state(b, num_allies, pos, health, cooldown, alive, types, stats, wstate)


@njit(cache=True, error_model="numpy")
def reset_batch(mask, num_allies, rng, task_fixed, fixed_params, split_params, task_params, task_index, pos, health,
                cooldown, alive, types, prev_move, prev_attack, episode_step, h_init, h_last, stats, width, height,
                obs_lo, obs_hi, obs, masks, wstate, needs_reset, outcome):
    """Reset every env where ``mask`` and write its observations."""
    disp = np.zeros((pos.shape[1], 2))
    for b in range(mask.shape[0]):
        if mask[b]:
            reset_env(b, num_allies, rng, task_fixed, fixed_params, split_params, task_params, task_index, pos,
                      health, cooldown, alive, types, prev_move, prev_attack, episode_step, h_init, h_last, stats,
                      width, height, disp)
            needs_reset[b] = False
            outcome[b] = RUNNING
            write_outputs(b, obs_lo, obs_hi, num_allies, pos, health, cooldown, alive, types, prev_move,
                          prev_attack, stats, width, height, obs, masks, wstate)


@njit(cache=True, error_model="numpy")
def step_batch(actions, enemy_heuristic, num_allies, rng, task_fixed, fixed_params, split_params, task_params,
               task_index, pos, health, cooldown, alive, types, prev_move, prev_attack, episode_step, h_init, h_last,
               h_target, stats, dt, ticks, width, height, walls, max_steps, won_bonus, obs_lo, obs_hi, act, obs,
               masks, wstate, team_rewards, outcome, needs_reset):
    """One step of every env with NEXT_STEP autoreset.

    ``actions[b, k]`` is the SMAX action of agent unit ``obs_lo + k``; with ``enemy_heuristic`` the enemy
    units (``num_allies..N-1``) act by the heuristic. An env that ended last step is reset instead (its
    actions ignored, rewards 0, outcome RUNNING).
    """
    n = pos.shape[1]
    newpos = np.zeros((n, 2))
    disp = np.zeros((n, 2))
    dmg = np.zeros(n)
    before = np.zeros(n)
    for b in range(actions.shape[0]):
        if needs_reset[b]:
            reset_env(b, num_allies, rng, task_fixed, fixed_params, split_params, task_params, task_index, pos,
                      health, cooldown, alive, types, prev_move, prev_attack, episode_step, h_init, h_last, stats,
                      width, height, disp)
            needs_reset[b] = False
            team_rewards[b, 0] = 0.0
            team_rewards[b, 1] = 0.0
            outcome[b] = RUNNING
        else:
            for k in range(actions.shape[1]):
                act[b, obs_lo + k] = actions[b, k]
            if enemy_heuristic:
                for i in range(num_allies, n):
                    act[b, i] = heuristic_action(b, i, num_allies, pos, alive, types, stats, rng, h_target, h_last,
                                                 h_init, width, height)
            env_step(b, num_allies, act, pos, health, cooldown, alive, types, prev_move, prev_attack, episode_step,
                     stats, rng, dt, ticks, width, height, walls, max_steps, won_bonus, team_rewards, outcome, newpos,
                     dmg, disp, before)
            needs_reset[b] = outcome[b] != RUNNING
        write_outputs(b, obs_lo, obs_hi, num_allies, pos, health, cooldown, alive, types, prev_move, prev_attack,
                      stats, width, height, obs, masks, wstate)
