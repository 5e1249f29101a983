"""PrefPointButton: a 2-D point mass reaches and presses a button, then holds a handle (a fast Meta-World
button-press / door-open analog for preference-based RL, stepped by numba)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from gymnasium import spaces

from rlenvs.core.env import TaskEnv
from rlenvs.core.spaces import check_action
from rlenvs.core.task import Task, TaskDistribution, task_field
from rlenvs.core.vector import BatchedVectorEnv
from rlenvs.preference import _pbrl_kernels as K

EPISODE_LENGTH = 100
OBS_PRESSED, OBS_HOLD = 8, 9  # obs columns: the button flag and the hold progress (1 = success)


@dataclass(frozen=True)
class PointButtonTask(Task):
    """Where the button and the handle are."""

    button: tuple[float, ...] = task_field(low=-1.0, high=1.0, size=2, doc="button centre (x, y)")
    handle: tuple[float, ...] = task_field(low=-1.0, high=1.0, size=2, doc="handle centre (x, y)")


class PointButtonDistribution(TaskDistribution):
    """Button and handle uniform in ``[-0.8, 0.8]^2``, each at least 0.4 from the origin (the start) and at
    least 0.5 apart (rejection sampling); splits ``train`` (50), ``test`` (10)."""

    family = "pref_point_button"
    task_type = PointButtonTask
    split_sizes = {"train": 50, "test": 10}

    def sample(self, rng: np.random.Generator) -> PointButtonTask:
        while True:
            button, handle = rng.uniform(-0.8, 0.8, size=2), rng.uniform(-0.8, 0.8, size=2)
            if min(np.hypot(*button), np.hypot(*handle)) >= 0.4 and np.hypot(*(button - handle)) >= 0.5:
                return PointButtonTask(button=tuple(button), handle=tuple(handle))


def point_button_spaces() -> tuple[spaces.Box, spaces.Box]:
    """(observation space, action space) of one env."""
    low = np.array([-1, -1, -K.MAX_SPEED, -K.MAX_SPEED, -1, -1, -1, -1, 0, 0], dtype=np.float32)
    high = np.array([1, 1, K.MAX_SPEED, K.MAX_SPEED, 1, 1, 1, 1, 1, 1], dtype=np.float32)
    return spaces.Box(low, high, dtype=np.float32), spaces.Box(-1.0, 1.0, shape=(2,), dtype=np.float32)


class PrefPointButtonEnv(TaskEnv):
    """A point mass on ``[-1, 1]^2`` must press a button, then hold a handle for 10 steps.

    ## Description
    A Meta-World-like two-stage manipulation task (B-Pref's button-press, PARL's door-open) at numba speed,
    for preference-based RL: the gold reward is staged, so a teacher's preferences must convey both where
    to go and in which order. Success is holding the handle for ``HOLD_STEPS`` (10) consecutive steps.

    ## Task distribution
    :class:`PointButtonTask` ``(button, handle)`` from :class:`PointButtonDistribution` (splits ``train``
    50, ``test`` 10).

    ## Action Space
    ``Box(-1, 1, (2,), float32)``: the force. Actions outside the box raise ``ValueError``.

    ## Observation Space
    ``Box(float32, (10,))``: position (x, y), velocity (vx, vy), button (x, y), handle (x, y), ``pressed``
    (0/1) and hold progress ``min(hold / 10, 1)`` (1 = success; read success from the vector env's obs).

    ## Dynamics
    ``v' = 0.95 v + 0.2 a`` (speed capped at 1), ``p' = p + 0.1 v'``; at a wall the position is clipped and
    that velocity component zeroed. The button is pressed (for the rest of the episode) when the point is
    within 0.1 of it at speed <= 0.5; the handle is held while within 0.1 of it at speed <= 0.2.

    ## Rewards
    After the move, with ``d_b``, ``d_h`` the distances to the button and the handle:
    not pressed: ``0.5 (1 - tanh(2 d_b))``; pressed: ``0.5 + 0.25 (1 - tanh(2 d_h)) + 0.25 [holding]``.
    So rewards lie in [0, 1], and every step after the press pays more than any step before it.

    ## Starting State
    Position uniform in ``[-0.1, 0.1]^2``, at rest, button not pressed.

    ## Episode End
    No termination; ``info["success"]`` says whether the handle has been held for 10 steps (it stays True
    while the hold lasts). Truncation after 100 steps (``max_episode_steps``).

    ## Arguments
    ``task``, ``task_split``, ``render_mode`` ("rgb_array").

    ## Vectorized environment
    :class:`PrefPointButtonVectorEnv` steps all envs in one numba call.

    ## Version History
    - v0: initial version.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 10}

    def __init__(self, *, task: PointButtonTask | Mapping | None = None, task_split: str = "train",
                 render_mode: str | None = None):
        super().__init__(PointButtonDistribution(), task=task, task_split=task_split)
        if render_mode not in (None, *self.metadata["render_modes"]):
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None, got {render_mode!r}")
        self.render_mode = render_mode
        self.observation_space, self.action_space = point_button_spaces()
        self._state = np.zeros((1, 6))
        self._params = np.zeros((1, 4))
        self._obs = np.zeros((1, 10), dtype=np.float32)

    def _reset_episode(self, task: PointButtonTask):
        self._params[0] = task.to_array()
        K.reset_single(self._rng, self._state, self._params, self._obs)
        return self._obs[0].copy(), {}

    def step(self, action):
        if self._task is None:
            raise RuntimeError("call reset() before step()")
        action = check_action(action, self.action_space)
        reward = K.step_single(action, self._state, self._params, self._obs)
        return self._obs[0].copy(), float(reward), False, False, {"success": bool(self._state[0, 5] >= K.HOLD_STEPS)}

    def render(self):
        """An RGB image of ``[-1, 1]^2``: the button red (green once pressed), the handle orange, the point blue."""
        if self.render_mode != "rgb_array":
            return None
        size = 256
        ys, xs = np.mgrid[0:size, 0:size]
        wx, wy = (xs + 0.5) / size * 2 - 1, 1 - (ys + 0.5) / size * 2
        image = np.full((size, size, 3), 255, dtype=np.uint8)
        x, y, _, _, pressed, _ = self._state[0]
        bx, by, hx, hy = self._params[0]
        image[(wx - bx) ** 2 + (wy - by) ** 2 <= K.RADIUS**2] = (60, 180, 75) if pressed else (220, 50, 50)
        image[(wx - hx) ** 2 + (wy - hy) ** 2 <= K.RADIUS**2] = (245, 130, 48)
        image[(wx - x) ** 2 + (wy - y) ** 2 <= 0.04**2] = (0, 90, 200)
        return image


class PrefPointButtonVectorEnv(BatchedVectorEnv):
    """``num_envs`` :class:`PrefPointButtonEnv` stepped together in one numba call.

    Arguments as the single env plus ``num_envs``, ``max_episode_steps`` (100 through ``gym.make_vec``;
    ``None`` never truncates), ``tasks`` and ``copy``; see :class:`~rlenvs.core.vector.BatchedVectorEnv`.
    Step infos are empty: success is ``obs[:, OBS_HOLD] == 1``.
    """

    metadata = {**BatchedVectorEnv.metadata, "render_modes": []}

    def __init__(self, num_envs: int, *, max_episode_steps: int | None = EPISODE_LENGTH, task_split: str = "train",
                 tasks: Sequence[PointButtonTask | Mapping | None] | PointButtonTask | Mapping | None = None,
                 copy: bool = True):
        obs_space, act_space = point_button_spaces()
        super().__init__(num_envs, PointButtonDistribution(), obs_space, act_space,
                         max_episode_steps=max_episode_steps, task_split=task_split, tasks=tasks, copy=copy)
        self._state = np.zeros((self.num_envs, 6))

    def _reset_envs(self, mask):
        K.reset_batch(mask, self._rng, self._task_fixed, self._fixed_params, self._split_params, self._task_params,
                      self._task_index, self._state, self._obs)

    def _step_envs(self):
        K.step_batch(self._actions, self._rng, self._task_fixed, self._fixed_params, self._split_params,
                     self._task_params, self._task_index, self._state, self._elapsed, self._needs_reset,
                     self._max_steps, self._obs, self._rewards, self._terminations, self._truncations)


# --- reference for the leaderboards (see rlenvs.evaluation.runner) -----------------------------------------

KP, KD = 4.0, 4.0  # the scripted controller's gains: 100% success on both splits, median 54 of 100 steps


def scripted_actions(obs: np.ndarray) -> np.ndarray:
    """A PD controller to the button until it is pressed, then to the handle:
    ``a = clip(KP (target - p) - KD v, -1, 1)`` from the observations alone (batched ``(n, 10)``)."""
    obs = np.asarray(obs, dtype=np.float64)
    target = np.where(obs[:, OBS_PRESSED:OBS_PRESSED + 1] > 0, obs[:, 6:8], obs[:, 4:6])
    return np.clip(KP * (target - obs[:, 0:2]) - KD * obs[:, 2:4], -1.0, 1.0).astype(np.float32)


def scripted_policy(envs):
    """Policy factory of :func:`scripted_actions` (the expert reference of PrefPointButton)."""
    return scripted_actions
