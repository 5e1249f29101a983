"""PrefPointButton kernels: a damped 2-D point mass that presses a button, then holds a handle.

Per env: ``state = [x, y, vx, vy, pressed, hold]``, task ``params = [bx, by, hx, hy]`` (button, handle),
``obs = [x, y, vx, vy, bx, by, hx, hy, pressed, min(hold / HOLD_STEPS, 1)]``. See
:class:`rlenvs.preference.point_button.PrefPointButtonEnv` for the formulas.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from rlenvs.core._kernels import begin_task
from rlenvs.core.rng import rng_uniform

DT = 0.1
ACCEL = 0.2  # velocity change per step at full force
DAMPING = 0.05  # fraction of the velocity lost per step
MAX_SPEED = 1.0
RADIUS = 0.1  # of the button and of the handle
PRESS_SPEED = 0.5  # the button is pressed by reaching it slower than this
HOLD_SPEED = 0.2  # the handle is held by staying on it slower than this
HOLD_STEPS = 10  # consecutive holding steps for success
START_NOISE = 0.1  # the start is uniform in [-START_NOISE, START_NOISE]^2


@njit(cache=True, inline="always")
def _start(i, rng, state):
    state[i, 0] = (2.0 * rng_uniform(rng, i) - 1.0) * START_NOISE
    state[i, 1] = (2.0 * rng_uniform(rng, i) - 1.0) * START_NOISE
    state[i, 2:] = 0.0


@njit(cache=True, inline="always")
def _write_obs(i, state, params, obs):
    obs[i, 0:4] = state[i, 0:4]
    obs[i, 4:8] = params[i, 0:4]
    obs[i, 8] = state[i, 4]
    obs[i, 9] = min(state[i, 5] / HOLD_STEPS, 1.0)


@njit(cache=True, inline="always")
def _advance(i, a0, a1, state, params):
    """Move env ``i`` by the force ``(a0, a1)``; return its reward."""
    vx = (1.0 - DAMPING) * state[i, 2] + ACCEL * a0
    vy = (1.0 - DAMPING) * state[i, 3] + ACCEL * a1
    speed = np.sqrt(vx * vx + vy * vy)
    if speed > MAX_SPEED:
        vx *= MAX_SPEED / speed
        vy *= MAX_SPEED / speed
    x = state[i, 0] + DT * vx
    y = state[i, 1] + DT * vy
    if x > 1.0 or x < -1.0:
        x = min(max(x, -1.0), 1.0)
        vx = 0.0
    if y > 1.0 or y < -1.0:
        y = min(max(y, -1.0), 1.0)
        vy = 0.0
    speed = np.sqrt(vx * vx + vy * vy)
    d_button = np.sqrt((x - params[i, 0]) ** 2 + (y - params[i, 1]) ** 2)
    d_handle = np.sqrt((x - params[i, 2]) ** 2 + (y - params[i, 3]) ** 2)
    pressed = state[i, 4] > 0.0 or (d_button <= RADIUS and speed <= PRESS_SPEED)
    if pressed:
        holding = d_handle <= RADIUS and speed <= HOLD_SPEED
        hold = state[i, 5] + 1.0 if holding else 0.0
        reward = 0.5 + 0.25 * (1.0 - np.tanh(2.0 * d_handle)) + (0.25 if holding else 0.0)
    else:
        hold = 0.0
        reward = 0.5 * (1.0 - np.tanh(2.0 * d_button))
    state[i, 0] = x
    state[i, 1] = y
    state[i, 2] = vx
    state[i, 3] = vy
    state[i, 4] = 1.0 if pressed else 0.0
    state[i, 5] = hold
    return reward


@njit(cache=True)
def reset_single(rng, state, params, obs):
    """New episode of the single env (row 0; its task is already in ``params``)."""
    _start(0, rng, state)
    _write_obs(0, state, params, obs)


@njit(cache=True)
def step_single(action, state, params, obs):
    """One step of the single env; returns its reward."""
    reward = _advance(0, action[0], action[1], state, params)
    _write_obs(0, state, params, obs)
    return reward


@njit(cache=True)
def reset_batch(mask, rng, task_fixed, fixed_params, split_params, task_params, task_index, state, obs):
    """New episode where ``mask``: the task, then the start."""
    for i in range(mask.shape[0]):
        if mask[i]:
            begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
            _start(i, rng, state)
            _write_obs(i, state, task_params, obs)


@njit(cache=True)
def step_batch(actions, rng, task_fixed, fixed_params, split_params, task_params, task_index, state, elapsed,
               needs_reset, max_steps, obs, rewards, terminations, truncations):
    """One step of every env with NEXT_STEP autoreset; ``max_steps < 0`` never truncates."""
    for i in range(actions.shape[0]):
        if needs_reset[i]:
            begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
            _start(i, rng, state)
            elapsed[i] = 0
            needs_reset[i] = False
            rewards[i] = 0.0
            truncations[i] = False
        else:
            rewards[i] = _advance(i, actions[i, 0], actions[i, 1], state, task_params)
            elapsed[i] += 1
            truncations[i] = max_steps >= 0 and elapsed[i] >= max_steps
            needs_reset[i] = truncations[i]
        terminations[i] = False
        _write_obs(i, state, task_params, obs)
