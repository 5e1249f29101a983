"""Kernels of the robust MuJoCo families: Gymnasium-v5 observations, rewards and terminations of the six
robots, for the whole batch in one call.

States are ``mjSTATE_FULLPHYSICS`` rows ``[time, qpos (nq), qvel (nv)]``. An observation row is
``qpos[skip:]``, ``qvel`` clipped to ``[-vel_clip, vel_clip]``, then the env's ``extra`` row (quantities
MuJoCo computes in its forward pass: contact forces, com-based inertias and velocities) clipped to
``[-extra_clip, extra_clip]``; an infinite bound leaves the part as it is. Clipping keeps NaN, as
``np.clip`` does.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from rlenvs.mujoco._kernels import advance

HALF_CHEETAH, HOPPER, WALKER2D, ANT, HUMANOID_STANDUP, INVERTED_PENDULUM = range(6)

# Gymnasium v5 reward weights
CTRL_COST = (0.1, 1e-3, 1e-3, 0.5, 0.1, 0.0)  # per kind
CONTACT_COST = 5e-4  # Ant: on clip(cfrc_ext, -1, 1)^2
IMPACT_COST, IMPACT_COST_MAX = 0.5e-6, 10.0  # HumanoidStandup: on cfrc_ext^2, capped


@njit(cache=True, inline="always")
def _clip(x, bound):
    if x < -bound:
        return -bound
    if x > bound:
        return bound
    return x


@njit(cache=True)
def handover(out, nq, timestep, state, warmstart, x_before):
    """Keep each env's ``qpos[0]`` before the step in ``x_before``, then hand it over to its next step
    (the last substep's state and warm-start, see ``rlenvs.mujoco._kernels.advance``)."""
    for i in range(out.shape[0]):
        x_before[i] = state[i, 1]
        advance(i, out, nq, timestep, state, warmstart)


@njit(cache=True, inline="always")
def _observe(i, state, nq, skip, vel_clip, extra, extra_clip, obs):
    k = 0
    for j in range(skip, nq):
        obs[i, k] = state[i, 1 + j]
        k += 1
    for j in range(state.shape[1] - 1 - nq):
        obs[i, k] = _clip(state[i, 1 + nq + j], vel_clip)
        k += 1
    for j in range(extra.shape[1]):
        obs[i, k] = _clip(extra[i, j], extra_clip)
        k += 1


@njit(cache=True)
def observe(mask, state, nq, skip, vel_clip, extra, extra_clip, obs):
    """The observation of every env where ``mask``."""
    for i in range(state.shape[0]):
        if mask[i]:
            _observe(i, state, nq, skip, vel_clip, extra, extra_clip, obs)


@njit(cache=True)
def score(kind, state, x_before, actions, extra, contact_start, nq, skip, vel_clip, extra_clip, dt, timestep, obs,
          rewards, terminated):
    """Observation, reward and termination of every env after its step (Gymnasium v5, default arguments).

    With ``v = (qpos[0] - x_before) / dt``, ``c = sum(a^2)`` and ``F`` the ``extra`` columns from
    ``contact_start`` on (the contact forces ``cfrc_ext[1:]``):

    - HALF_CHEETAH: ``v - 0.1 c``; never terminates.
    - HOPPER: ``v + h - 1e-3 c``, ``h`` = healthy: every ``(qpos, qvel)[2:]`` in (-100, 100), height
      ``qpos[1] > 0.7``, angle ``qpos[2]`` in (-0.2, 0.2); terminates when not healthy.
    - WALKER2D: the same with healthy = height in (0.8, 2), angle in (-1, 1).
    - ANT: ``v + h - 0.5 c - 5e-4 sum(clip(F, -1, 1)^2)``, healthy = finite state and torso height
      ``qpos[2]`` in [0.2, 1]; terminates when not healthy.
    - HUMANOID_STANDUP: ``qpos[2] / timestep - 0.1 c - min(0.5e-6 sum(F^2), 10) + 1``; never terminates.
    - INVERTED_PENDULUM: 1 while the state is finite and ``|qpos[1]| <= 0.2``, else 0 and terminates.
    """
    nstate = state.shape[1]
    for i in range(state.shape[0]):
        velocity = (state[i, 1] - x_before[i]) / dt
        ctrl = 0.0
        for j in range(actions.shape[1]):
            ctrl += actions[i, j] * actions[i, j]
        ctrl *= CTRL_COST[kind]
        finite = True
        for j in range(1, nstate):
            finite = finite and np.isfinite(state[i, j])
        height, angle = state[i, 2], state[i, 3]
        done = False
        if kind == HALF_CHEETAH:
            reward = velocity - ctrl
        elif kind == HOPPER or kind == WALKER2D:
            if kind == HOPPER:
                healthy = height > 0.7 and -0.2 < angle < 0.2
                for j in range(3, nstate):
                    healthy = healthy and -100.0 < state[i, j] < 100.0
            else:
                healthy = 0.8 < height < 2.0 and -1.0 < angle < 1.0
            reward = velocity + (1.0 if healthy else 0.0) - ctrl
            done = not healthy
        elif kind == ANT:
            healthy = finite and 0.2 <= state[i, 3] <= 1.0
            contact = 0.0
            for j in range(contact_start, extra.shape[1]):
                force = _clip(extra[i, j], 1.0)
                contact += force * force
            reward = velocity + (1.0 if healthy else 0.0) - ctrl - CONTACT_COST * contact
            done = not healthy
        elif kind == HUMANOID_STANDUP:
            impact = 0.0
            for j in range(contact_start, extra.shape[1]):
                impact += extra[i, j] * extra[i, j]
            reward = state[i, 3] / timestep - ctrl - min(IMPACT_COST * impact, IMPACT_COST_MAX) + 1.0
        else:
            healthy = finite and abs(state[i, 2]) <= 0.2  # the hinge angle qpos[1]
            reward = 1.0 if healthy else 0.0
            done = not healthy
        rewards[i] = reward
        terminated[i] = done
        _observe(i, state, nq, skip, vel_clip, extra, extra_clip, obs)
