"""Native batched Point-Robot vector env: one numba call steps every env."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from rlenvs.core.vector import BatchedVectorEnv
from rlenvs.point_robot import _kernels
from rlenvs.point_robot.env import GOAL_RADIUS, point_robot_distribution, point_robot_spaces
from rlenvs.point_robot.tasks import PointRobotTask


class PointRobotVectorEnv(BatchedVectorEnv):
    """``num_envs`` Point-Robot envs (see :class:`~rlenvs.point_robot.env.PointRobotEnv`) stepped together.

    Same arguments as the single env plus ``num_envs``, ``max_episode_steps`` (20 when made through
    ``gym.make_vec``; ``None`` never truncates), ``tasks`` and ``copy``; see :class:`BatchedVectorEnv`.
    """

    metadata = {**BatchedVectorEnv.metadata, "render_modes": []}

    def __init__(self, num_envs: int, *, max_episode_steps: int | None = 20, task_split: str = "train",
                 tasks: Sequence[PointRobotTask | Mapping | None] | PointRobotTask | Mapping | None = None,
                 sparse: bool = False, goal_radius: float = GOAL_RADIUS, copy: bool = True):
        obs_space, act_space = point_robot_spaces()
        super().__init__(num_envs, point_robot_distribution(sparse), obs_space, act_space,
                         max_episode_steps=max_episode_steps, task_split=task_split, tasks=tasks, copy=copy)
        self.sparse = bool(sparse)
        self.goal_radius = float(goal_radius)
        self._pos = np.zeros((self.num_envs, 2))

    def _reset_envs(self, mask):
        _kernels.reset_batch(mask, self._rng, self._task_fixed, self._fixed_params, self._split_params,
                             self._task_params, self._task_index, self._pos, self._obs)

    def _step_envs(self):
        _kernels.step_batch(self._actions, self._rng, self._task_fixed, self._fixed_params, self._split_params,
                            self._task_params, self._task_index, self._pos, self._elapsed, self._needs_reset,
                            self._max_steps, self.sparse, self.goal_radius, self._obs, self._rewards,
                            self._terminations, self._truncations)
