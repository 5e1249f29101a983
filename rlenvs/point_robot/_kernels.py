"""Point-Robot kernels: ``pos += action``; reward ``-|pos - goal|`` (dense) or PEARL's sparse reward."""

from __future__ import annotations

import numpy as np
from numba import njit

from rlenvs.core._kernels import begin_task


@njit(cache=True, inline="always")
def _reward(x, y, gx, gy, sparse, goal_radius):
    dist = np.sqrt((x - gx) ** 2 + (y - gy) ** 2)
    if not sparse:
        return -dist
    return 1.0 - dist if dist <= goal_radius else 0.0


@njit(cache=True)
def step_single(pos, goal, action, sparse, goal_radius):
    """Move one point in place and return its reward."""
    pos[0] += action[0]
    pos[1] += action[1]
    return _reward(pos[0], pos[1], goal[0], goal[1], sparse, goal_radius)


@njit(cache=True)
def reset_batch(mask, rng, task_fixed, fixed_params, split_params, task_params, task_index, pos, obs):
    """New episode where ``mask``: the task, then the point at the origin."""
    for i in range(mask.shape[0]):
        if mask[i]:
            begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
            pos[i, 0] = 0.0
            pos[i, 1] = 0.0
            obs[i, 0] = 0.0
            obs[i, 1] = 0.0


@njit(cache=True)
def step_batch(actions, rng, task_fixed, fixed_params, split_params, task_params, task_index, pos, elapsed,
               needs_reset, max_steps, sparse, goal_radius, obs, rewards, terminations, truncations):
    """One step of every env with NEXT_STEP autoreset; ``max_steps < 0`` never truncates."""
    for i in range(actions.shape[0]):
        if needs_reset[i]:
            begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
            pos[i, 0] = 0.0
            pos[i, 1] = 0.0
            elapsed[i] = 0
            needs_reset[i] = False
            rewards[i] = 0.0
            truncations[i] = False
        else:
            pos[i, 0] += actions[i, 0]
            pos[i, 1] += actions[i, 1]
            rewards[i] = _reward(pos[i, 0], pos[i, 1], task_params[i, 0], task_params[i, 1], sparse, goal_radius)
            elapsed[i] += 1
            truncations[i] = max_steps >= 0 and elapsed[i] >= max_steps
            needs_reset[i] = truncations[i]
        terminations[i] = False
        obs[i, 0] = pos[i, 0]
        obs[i, 1] = pos[i, 1]
