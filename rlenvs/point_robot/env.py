"""Point-Robot: 2-D point navigation to a task-specific goal (PEARL, Meta-DT)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from gymnasium import spaces

from rlenvs.core.env import TaskEnv
from rlenvs.core.spaces import check_action
from rlenvs.point_robot import _kernels
from rlenvs.point_robot.tasks import PointRobotDistribution, PointRobotSparseDistribution, PointRobotTask

MAX_STEP = 0.1
GOAL_RADIUS = 0.2


def point_robot_spaces() -> tuple[spaces.Box, spaces.Box]:
    """(observation space, action space) of one Point-Robot env."""
    obs = spaces.Box(-np.inf, np.inf, shape=(2,), dtype=np.float32)
    act = spaces.Box(-MAX_STEP, MAX_STEP, shape=(2,), dtype=np.float32)
    return obs, act


def point_robot_distribution(sparse: bool):
    """The task distribution of the dense (``sparse=False``) or the sparse variant."""
    return PointRobotSparseDistribution() if sparse else PointRobotDistribution()


class PointRobotEnv(TaskEnv):
    """A point on the plane moves by its action towards a goal that the task sets.

    ## Description
    Meta-DT's ``PointRobot-v0`` and PEARL's ``point-robot`` / ``sparse-point-robot``: the state is the
    point's position, each step adds the action to it, episodes start at the origin and last 20 steps.

    ## Action Space
    ``Box(-0.1, 0.1, (2,), float32)``: the displacement (dx, dy). Actions outside the box raise
    ``ValueError`` (PEARL and Meta-DT clip them silently; wrap the env in ``ClipAction`` for that).

    ## Observation Space
    ``Box(-inf, inf, (2,), float32)``: the position (x, y).

    ## Rewards
    - dense (``PointRobot-v0``): ``-|pos - goal|``, after the move.
    - sparse (``PointRobotSparse-v0``): ``1 - |pos - goal|`` within ``goal_radius`` (0.2) of the goal,
      else 0: the ``sparse_reward`` of PEARL's ``SparsePointEnv``, returned here as the reward.

    ## Tasks
    ``PointRobotTask(goal=(x, y))``. Dense: goals uniform in ``[-1, 1]^2``, splits ``train`` (45) /
    ``test`` (5) after Meta-DT, plus PEARL's exact ``pearl_train`` (80) / ``pearl_test`` (20). Sparse:
    goals on the upper unit half-circle, PEARL's exact ``train`` (80) / ``test`` (20).

    ## Starting State
    The origin (Meta-DT and PEARL's sparse env; PEARL's dense env starts uniformly in ``[-1, 1]^2``).

    ## Episode End
    No termination; truncation after 20 steps through ``max_episode_steps`` (the ``TimeLimit`` that
    ``gym.make`` adds, or the vector env's own counter).

    ## Vectorized environment
    ``gym.make_vec("rlenvs/PointRobot-v0", num_envs=N)`` returns :class:`PointRobotVectorEnv`, which steps
    all envs in one numba call.

    ## Version History
    - v0: initial version.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 10}

    def __init__(self, *, task: PointRobotTask | Mapping | None = None, task_split: str = "train",
                 sparse: bool = False, goal_radius: float = GOAL_RADIUS, render_mode: str | None = None):
        super().__init__(point_robot_distribution(sparse), task=task, task_split=task_split)
        if render_mode not in (None, *self.metadata["render_modes"]):
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None, got {render_mode!r}")
        self.sparse = bool(sparse)
        self.goal_radius = float(goal_radius)
        self.render_mode = render_mode
        self.observation_space, self.action_space = point_robot_spaces()
        self._pos = np.zeros(2)
        self._goal = np.zeros(2)

    def _reset_episode(self, task: PointRobotTask):
        self._goal[:] = task.goal
        self._pos[:] = 0.0
        return self._pos.astype(np.float32), {}

    def step(self, action):
        action = check_action(action, self.action_space)
        reward = _kernels.step_single(self._pos, self._goal, action, self.sparse, self.goal_radius)
        return self._pos.astype(np.float32), float(reward), False, False, {}

    def render(self):
        """An RGB image of the square ``[-1.5, 1.5]^2``: the goal in green, the point in blue."""
        if self.render_mode != "rgb_array":
            return None
        size, extent = 256, 1.5
        ys, xs = np.mgrid[0:size, 0:size]
        world_x = (xs + 0.5) / size * 2 * extent - extent
        world_y = extent - (ys + 0.5) / size * 2 * extent
        image = np.full((size, size, 3), 255, dtype=np.uint8)
        goal_r = self.goal_radius if self.sparse else 0.05
        image[(world_x - self._goal[0]) ** 2 + (world_y - self._goal[1]) ** 2 <= goal_r**2] = (60, 180, 75)
        image[(world_x - self._pos[0]) ** 2 + (world_y - self._pos[1]) ** 2 <= 0.04**2] = (0, 90, 200)
        return image
