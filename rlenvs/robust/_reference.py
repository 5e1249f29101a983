"""NumPy twin of the robust family kernels (vectorised over envs), used only by tests."""

from __future__ import annotations

import numpy as np

from rlenvs.robust._kernels import ANT, HALF_CHEETAH, HOPPER, HUMANOID_STANDUP, WALKER2D


def observe(state, nq, skip, vel_clip, extra, extra_clip):
    qpos, qvel = state[:, 1 + skip:1 + nq], state[:, 1 + nq:]
    return np.concatenate([qpos, np.clip(qvel, -vel_clip, vel_clip), np.clip(extra, -extra_clip, extra_clip)], axis=1)


def score(kind, state, x_before, actions, extra, contact_start, nq, skip, vel_clip, extra_clip, dt, timestep):
    """``(obs, rewards, terminated)`` after a step, Gymnasium v5's formulas."""
    qpos, qvel = state[:, 1:1 + nq], state[:, 1 + nq:]
    velocity = (qpos[:, 0] - x_before) / dt
    squared = (actions ** 2).sum(axis=1)
    forces = extra[:, contact_start:]
    finite = np.isfinite(state[:, 1:]).all(axis=1)
    with np.errstate(invalid="ignore"):
        if kind == HALF_CHEETAH:
            rewards, done = velocity - 0.1 * squared, np.zeros(len(state), bool)
        elif kind in (HOPPER, WALKER2D):
            z, angle = qpos[:, 1], qpos[:, 2]
            if kind == HOPPER:
                rest = np.concatenate([qpos[:, 2:], qvel], axis=1)
                healthy = (z > 0.7) & (np.abs(angle) < 0.2) & ((rest > -100) & (rest < 100)).all(axis=1)
            else:
                healthy = (z > 0.8) & (z < 2.0) & (angle > -1.0) & (angle < 1.0)
            rewards, done = velocity + healthy - 1e-3 * squared, ~healthy
        elif kind == ANT:
            healthy = finite & (qpos[:, 2] >= 0.2) & (qpos[:, 2] <= 1.0)
            contact = 5e-4 * (np.clip(forces, -1.0, 1.0) ** 2).sum(axis=1)
            rewards, done = velocity + healthy - 0.5 * squared - contact, ~healthy
        elif kind == HUMANOID_STANDUP:
            impact = np.minimum(0.5e-6 * (forces ** 2).sum(axis=1), 10.0)
            rewards, done = qpos[:, 2] / timestep - 0.1 * squared - impact + 1.0, np.zeros(len(state), bool)
        else:
            healthy = finite & (np.abs(qpos[:, 1]) <= 0.2)
            rewards, done = healthy.astype(float), ~healthy
    return observe(state, nq, skip, vel_clip, extra, extra_clip), rewards, done
