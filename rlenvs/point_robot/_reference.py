"""NumPy twin of the Point-Robot kernels (vectorised over envs), used only by tests."""

from __future__ import annotations

import numpy as np

from rlenvs.core import _reference as core_ref


def reward(pos: np.ndarray, goals: np.ndarray, sparse: bool, goal_radius: float) -> np.ndarray:
    """Dense ``-|pos - goal|``, or PEARL's sparse reward ``1 - |pos - goal|`` inside ``goal_radius``."""
    dist = np.sqrt(((pos - goals) ** 2).sum(axis=-1))
    if not sparse:
        return -dist
    return np.where(dist <= goal_radius, 1.0 - dist, 0.0)


def reset_batch(mask, rng, task_fixed, fixed_params, split_params, task_params, task_index, pos, obs):
    for i in np.flatnonzero(mask):
        core_ref.begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
    pos[mask] = 0.0
    obs[mask] = 0.0


def step_batch(actions, rng, task_fixed, fixed_params, split_params, task_params, task_index, pos, elapsed,
               needs_reset, max_steps, sparse, goal_radius, obs, rewards, terminations, truncations):
    resetting = needs_reset.copy()
    moving = ~resetting
    reset_batch(resetting, rng, task_fixed, fixed_params, split_params, task_params, task_index, pos, obs)
    pos[moving] += actions[moving]
    rewards[:] = np.where(moving, reward(pos, task_params[:, :2], sparse, goal_radius), 0.0)
    elapsed[:] = np.where(moving, elapsed + 1, 0)
    truncations[:] = moving & (max_steps >= 0) & (elapsed >= max_steps)
    needs_reset[:] = truncations
    terminations[:] = False
    obs[:] = pos
