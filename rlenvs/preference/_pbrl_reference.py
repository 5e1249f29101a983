"""NumPy twin of the PrefPointButton kernels (vectorised over envs), used only by tests."""

from __future__ import annotations

import numpy as np

from rlenvs.core import _reference as core_ref
from rlenvs.preference import _pbrl_kernels as K


def advance(actions: np.ndarray, state: np.ndarray, params: np.ndarray) -> np.ndarray:
    """Move every env in place by its force; return the rewards."""
    vel = (1.0 - K.DAMPING) * state[:, 2:4] + K.ACCEL * actions
    speed = np.linalg.norm(vel, axis=1, keepdims=True)
    vel = np.where(speed > K.MAX_SPEED, vel * (K.MAX_SPEED / np.maximum(speed, 1e-300)), vel)
    pos = state[:, 0:2] + K.DT * vel
    outside = np.abs(pos) > 1.0
    pos = np.clip(pos, -1.0, 1.0)
    vel = np.where(outside, 0.0, vel)
    speed = np.linalg.norm(vel, axis=1)
    d_button = np.linalg.norm(pos - params[:, 0:2], axis=1)
    d_handle = np.linalg.norm(pos - params[:, 2:4], axis=1)
    pressed = (state[:, 4] > 0) | ((d_button <= K.RADIUS) & (speed <= K.PRESS_SPEED))
    holding = pressed & (d_handle <= K.RADIUS) & (speed <= K.HOLD_SPEED)
    rewards = np.where(pressed, 0.5 + 0.25 * (1.0 - np.tanh(2.0 * d_handle)) + 0.25 * holding,
                       0.5 * (1.0 - np.tanh(2.0 * d_button)))
    state[:, 0:2], state[:, 2:4] = pos, vel
    state[:, 4] = pressed
    state[:, 5] = np.where(holding, state[:, 5] + 1.0, 0.0)
    return rewards


def write_obs(state: np.ndarray, params: np.ndarray, obs: np.ndarray) -> None:
    obs[:, 0:4] = state[:, 0:4]
    obs[:, 4:8] = params
    obs[:, 8] = state[:, 4]
    obs[:, 9] = np.minimum(state[:, 5] / K.HOLD_STEPS, 1.0)


def _start(i: int, rng: np.ndarray, state: np.ndarray) -> None:
    state[i, 0] = (2.0 * core_ref.rng_uniform(rng, i) - 1.0) * K.START_NOISE
    state[i, 1] = (2.0 * core_ref.rng_uniform(rng, i) - 1.0) * K.START_NOISE
    state[i, 2:] = 0.0


def reset_batch(mask, rng, task_fixed, fixed_params, split_params, task_params, task_index, state, obs):
    for i in np.flatnonzero(mask):
        core_ref.begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
        _start(i, rng, state)
    write_obs(state, task_params, obs)


def step_batch(actions, rng, task_fixed, fixed_params, split_params, task_params, task_index, state, elapsed,
               needs_reset, max_steps, obs, rewards, terminations, truncations):
    resetting = needs_reset.copy()
    moving = ~resetting
    for i in np.flatnonzero(resetting):
        core_ref.begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
        _start(i, rng, state)
    moved = state.copy()
    step_rewards = advance(actions, moved, task_params)
    state[moving] = moved[moving]
    rewards[:] = np.where(moving, step_rewards, 0.0)
    elapsed[:] = np.where(moving, elapsed + 1, 0)
    truncations[:] = moving & (max_steps >= 0) & (elapsed >= max_steps)
    needs_reset[:] = truncations
    terminations[:] = False
    write_obs(state, task_params, obs)
