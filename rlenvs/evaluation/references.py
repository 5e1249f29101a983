"""Reference policy factories for the leaderboards (``rlenvs evaluate --policy module:factory``).

Each factory takes the vector env the policy acts in; see :mod:`rlenvs.evaluation.runner`.
"""

from __future__ import annotations

import numpy as np
from gymnasium import spaces


class RandomPolicy:
    """Uniform random actions from the env's action space, seeded by the trial's seed."""

    def __init__(self, envs):
        self.space = envs.action_space

    def seed(self, seed: int) -> None:
        self.space.seed(seed)

    def act(self, obs):
        return self.space.sample()


def random_policy(envs) -> RandomPolicy:
    return RandomPolicy(envs)


class ZeroPolicy:
    """The zero action at every step: "stand still" (no torque) for the MuJoCo bodies, a scripted lower
    anchor beside the random policy where no oracle exists."""

    def __init__(self, envs):
        space = envs.single_action_space
        if not isinstance(space, spaces.Box) or not space.contains(np.zeros(space.shape, space.dtype)):
            raise TypeError(f"the zero policy needs a Box action space that contains 0, got {space}")
        self.action = np.zeros((envs.num_envs, *space.shape), space.dtype)

    def act(self, obs):
        return self.action.copy()


def zero_policy(envs) -> ZeroPolicy:
    return ZeroPolicy(envs)


class TaskOracle:
    """A policy that is told the task: ``act(obs, task_params)`` (the upper reference of a benchmark)."""

    uses_task = True

    def __init__(self, act):
        self._act = act

    def act(self, obs, task_params):
        return self._act(obs, task_params, None)


def point_robot_oracle(envs) -> TaskOracle:
    """Point-Robot's optimal policy, which knows the goal (see ``rlenvs.datasets.policies``)."""
    from rlenvs.datasets.policies import point_robot_expert

    return TaskOracle(point_robot_expert)

