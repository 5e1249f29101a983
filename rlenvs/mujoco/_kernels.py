"""Kernels of the MuJoCo families: reset noise, and per env step the state/warm-start hand-over plus the
task's observation, reward and termination, for the whole batch in one call.

States are MuJoCo ``mjSTATE_FULLPHYSICS`` vectors ``[time, qpos (nq), qvel (nv)]`` (the models here have
no actuator activations, mocap bodies or plugins). ``out`` is what a batch step (as ``mujoco.rollout``)
wrote for one env step: ``(num_envs, frame_skip, nstate)``, the state after every physics substep.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from rlenvs.core._kernels import begin_task
from rlenvs.core.rng import rng_normal, rng_uniform

# family kinds, as the step kernels read them
CHEETAH_VEL, CHEETAH_DIR = 0, 1
ANT_DIR, ANT_GOAL = 0, 1
HOPPER, WALKER = 0, 1


@njit(cache=True)
def reset_batch(mask, rng, draw_task, task_fixed, fixed_params, split_params, task_params, task_index, qpos0,
                pos_noise, vel_noise, vel_normal, state, warmstart):
    """New episode where ``mask``: the task (if ``draw_task``; see ``begin_task``), then the initial state
    ``qpos = qpos0 + U(-pos_noise, pos_noise)``, ``qvel = vel_noise * N(0, 1)`` (``vel_normal``) or
    ``U(-vel_noise, vel_noise)``, time 0, warm-start 0. Draws per env: qpos entries first, then qvel."""
    nq = qpos0.shape[0]
    nv = warmstart.shape[1]
    for i in range(mask.shape[0]):
        if not mask[i]:
            continue
        if draw_task:
            begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
        state[i, 0] = 0.0
        for j in range(nq):
            state[i, 1 + j] = qpos0[j] + (2.0 * rng_uniform(rng, i) - 1.0) * pos_noise
        for j in range(nv):
            if vel_normal:
                state[i, 1 + nq + j] = vel_noise * rng_normal(rng, i)
            else:
                state[i, 1 + nq + j] = (2.0 * rng_uniform(rng, i) - 1.0) * vel_noise
            warmstart[i, j] = 0.0


@njit(cache=True)
def load_action(action, low, high, actions, ctrl):
    """The single env's fast path: if the 1-d ``action`` (any real dtype) has ``low``'s length and lies in
    ``[low, high]`` (NaN does not), write it as float64 to ``actions[0]`` and to every substep of ``ctrl[0]``
    and return True; otherwise write nothing and return False."""
    n = low.shape[0]
    if action.shape[0] != n:
        return False
    for j in range(n):
        if not low[j] <= float(action[j]) <= high[j]:
            return False
    for j in range(n):
        value = float(action[j])
        actions[0, j] = value
        for k in range(ctrl.shape[1]):
            ctrl[0, k, j] = value
    return True


@njit(cache=True, inline="always")
def carried_warmstart(i, out, nq, timestep, state, into):
    """Env ``i``'s warm-start for its next step, written to ``into`` (``nv``): the acceleration of its last
    substep, ``(qvel_last - qvel_before_last) / timestep`` (``state[i]``: where the step started)."""
    last = out.shape[1] - 1
    for j in range(into.shape[0]):
        before = out[i, last - 1, 1 + nq + j] if last > 0 else state[i, 1 + nq + j]
        into[j] = (out[i, last, 1 + nq + j] - before) / timestep


@njit(cache=True, inline="always")
def advance(i, out, nq, timestep, state, warmstart):
    """Hand env ``i`` over to its next step: the state after the last substep, and its carried warm-start."""
    carried_warmstart(i, out, nq, timestep, state, warmstart[i])
    state[i, :] = out[i, out.shape[1] - 1, :]


@njit(cache=True, inline="always")
def _ctrl_cost(actions, i, weight):
    total = 0.0
    for j in range(actions.shape[1]):
        total += actions[i, j] * actions[i, j]
    return weight * total


# --- half-cheetah ---------------------------------------------------------------------------------

@njit(cache=True, inline="always")
def _cheetah_obs(state, i, torso_z, obs):
    # qpos[1:] (8), qvel (9), torso position (x, 0, z): rootx / rootz slide the torso frame from (0, 0, torso_z)
    for j in range(17):
        obs[i, j] = state[i, 2 + j]
    obs[i, 17] = state[i, 1]
    obs[i, 18] = 0.0
    obs[i, 19] = torso_z + state[i, 2]


@njit(cache=True)
def cheetah_observe(mask, state, torso_z, obs):
    for i in range(state.shape[0]):
        if mask[i]:
            _cheetah_obs(state, i, torso_z, obs)


@njit(cache=True)
def cheetah_step(out, actions, task_params, kind, dt, timestep, torso_z, state, warmstart, obs, rewards):
    """``v = (x_after - x_before) / dt``; CHEETAH_VEL: ``-|v - v*| - 0.05 |a|^2``; CHEETAH_DIR:
    ``d v - 0.05 |a|^2``."""
    for i in range(out.shape[0]):
        x_before = state[i, 1]
        advance(i, out, 9, timestep, state, warmstart)
        velocity = (state[i, 1] - x_before) / dt
        if kind == CHEETAH_VEL:
            forward = -abs(velocity - task_params[i, 0])
        else:
            forward = task_params[i, 0] * velocity
        rewards[i] = forward - _ctrl_cost(actions, i, 0.05)
        _cheetah_obs(state, i, torso_z, obs)


# --- ant ------------------------------------------------------------------------------------------

@njit(cache=True, inline="always")
def _ant_obs(state, i, kind, obs):
    # ANT_DIR: qpos[2:] (13) and qvel (14); ANT_GOAL: qpos (15) and qvel (14)
    start = 3 if kind == ANT_DIR else 1
    for j in range(obs.shape[1]):
        obs[i, j] = state[i, start + j]


@njit(cache=True)
def ant_observe(mask, state, kind, obs):
    for i in range(state.shape[0]):
        if mask[i]:
            _ant_obs(state, i, kind, obs)


@njit(cache=True)
def ant_step(out, actions, task_params, kind, dt, timestep, terminate, state, warmstart, obs, rewards,
             terminated):
    """ANT_DIR: ``v_xy . (cos a, sin a) - 0.5 |a|^2 + 1``; ANT_GOAL: ``-|xy - goal|_1 - 0.1 |a|^2``.
    ``terminate``: the episode ends when the state is not finite or the torso height leaves [0.2, 1]."""
    nstate = state.shape[1]
    for i in range(out.shape[0]):
        x_before = state[i, 1]
        y_before = state[i, 2]
        advance(i, out, 15, timestep, state, warmstart)
        x, y = state[i, 1], state[i, 2]
        if kind == ANT_DIR:
            angle = task_params[i, 0]
            forward = (x - x_before) / dt * np.cos(angle) + (y - y_before) / dt * np.sin(angle)
            rewards[i] = forward - _ctrl_cost(actions, i, 0.5) + 1.0
        else:
            distance = abs(x - task_params[i, 0]) + abs(y - task_params[i, 1])
            rewards[i] = -distance - _ctrl_cost(actions, i, 0.1)
        healthy = 0.2 <= state[i, 3] <= 1.0
        for j in range(1, nstate):
            healthy = healthy and np.isfinite(state[i, j])
        terminated[i] = terminate and not healthy
        _ant_obs(state, i, kind, obs)


# --- hopper / walker2d (rand_param_envs) ----------------------------------------------------------

@njit(cache=True, inline="always")
def _planar_obs(state, i, nq, obs):
    # qpos[1:] and clip(qvel, -10, 10)
    for j in range(nq - 1):
        obs[i, j] = state[i, 2 + j]
    for j in range(obs.shape[1] - nq + 1):
        obs[i, nq - 1 + j] = min(max(state[i, 1 + nq + j], -10.0), 10.0)


@njit(cache=True)
def planar_observe(mask, state, nq, obs):
    for i in range(state.shape[0]):
        if mask[i]:
            _planar_obs(state, i, nq, obs)


@njit(cache=True)
def planar_step(out, actions, kind, nq, dt, timestep, alive_bonus, terminate, state, warmstart, obs, rewards,
                terminated):
    """``(x_after - x_before) / dt + alive_bonus - 1e-3 |a|^2``. ``terminate``: HOPPER ends unless the state
    is finite, ``|state[2:]| < 100``, height > 0.7 and ``|angle| < 0.2``; WALKER unless
    ``0.8 < height < 2`` and ``-1 < angle < 1`` (state = qpos, qvel; height = qpos[1], angle = qpos[2])."""
    nstate = state.shape[1]
    for i in range(out.shape[0]):
        x_before = state[i, 1]
        advance(i, out, nq, timestep, state, warmstart)
        rewards[i] = (state[i, 1] - x_before) / dt + alive_bonus - _ctrl_cost(actions, i, 1e-3)
        height, angle = state[i, 2], state[i, 3]
        if kind == HOPPER:
            healthy = height > 0.7 and abs(angle) < 0.2
            for j in range(1, nstate):
                healthy = healthy and np.isfinite(state[i, j]) and (j < 3 or abs(state[i, j]) < 100.0)
        else:
            healthy = 0.8 < height < 2.0 and -1.0 < angle < 1.0
        terminated[i] = terminate and not healthy
        _planar_obs(state, i, nq, obs)


# --- humanoid -------------------------------------------------------------------------------------

HUMANOID_ALIVE_BONUS = 5.0
HUMANOID_VELOCITY_WEIGHT = 1.25  # PEARL writes 0.25 / timestep, which is 1.25 / dt at 5 substeps
HUMANOID_IMPACT_WEIGHT, HUMANOID_IMPACT_CAP = 0.5e-6, 10.0


@njit(cache=True)
def handover(out, nq, timestep, state, warmstart):
    """Hand every env over to its next step (see ``advance``)."""
    for i in range(out.shape[0]):
        advance(i, out, nq, timestep, state, warmstart)


@njit(cache=True, inline="always")
def _humanoid_com(i, body_xy, mass, com):
    # the xy centre of mass: body masses times the bodies' centres of mass (MuJoCo's xipos)
    total, x, y = 0.0, 0.0, 0.0
    for b in range(mass.shape[0]):
        total += mass[b]
        x += mass[b] * body_xy[i, b, 0]
        y += mass[b] * body_xy[i, b, 1]
    com[i, 0] = x / total
    com[i, 1] = y / total


@njit(cache=True, inline="always")
def _humanoid_obs(state, i, extras, obs):
    # qpos[2:] (22) and qvel (23), then the forward-pass quantities as the family wrote them
    n = state.shape[1] - 3
    for j in range(n):
        obs[i, j] = state[i, 3 + j]
    for j in range(extras.shape[1]):
        obs[i, n + j] = extras[i, j]


@njit(cache=True)
def humanoid_observe(mask, state, body_xy, mass, extras, com, obs):
    """Observation and centre of mass of every env where ``mask`` (at an episode's start)."""
    for i in range(state.shape[0]):
        if mask[i]:
            _humanoid_com(i, body_xy, mass, com)
            _humanoid_obs(state, i, extras, obs)


@njit(cache=True)
def humanoid_score(state, body_xy, mass, actions, task_params, extras, contact_start, dt, terminate, com, obs,
                   rewards, terminated):
    """After the hand-over and the forward pass: ``1.25 v . (cos a, sin a) - 0.1 |a|^2 - min(5e-7
    |cfrc_ext|^2, 10) + 5`` with ``v = (com_after - com_before) / dt`` the xy centre-of-mass velocity
    (``com`` holds each env's previous centre of mass on entry, its new one on exit; ``cfrc_ext`` is
    ``extras[:, contact_start:]``). ``terminate``: the episode ends when the torso height ``qpos[2]`` leaves
    ``[1, 2]`` (or is not finite)."""
    for i in range(state.shape[0]):
        x_before, y_before = com[i, 0], com[i, 1]
        _humanoid_com(i, body_xy, mass, com)
        angle = task_params[i, 0]
        forward = ((com[i, 0] - x_before) * np.cos(angle) + (com[i, 1] - y_before) * np.sin(angle)) / dt
        impact = 0.0
        for j in range(contact_start, extras.shape[1]):
            impact += extras[i, j] * extras[i, j]
        impact = min(HUMANOID_IMPACT_WEIGHT * impact, HUMANOID_IMPACT_CAP)
        rewards[i] = (HUMANOID_VELOCITY_WEIGHT * forward - _ctrl_cost(actions, i, 0.1) - impact
                      + HUMANOID_ALIVE_BONUS)
        terminated[i] = terminate and not 1.0 <= state[i, 3] <= 2.0
        _humanoid_obs(state, i, extras, obs)
