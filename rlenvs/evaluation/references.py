"""Reference policy factories for the leaderboards (``rlenvs evaluate --policy module:factory``).

Each factory takes the vector env the policy acts in; see :mod:`rlenvs.evaluation.runner`.
"""

from __future__ import annotations


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

