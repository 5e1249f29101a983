"""The ``metaworld`` package's scripted expert policies, per task."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from rlenvs.metaworld import _sim
from rlenvs.metaworld.tasks import MetaWorldTask


class ExpertPolicy:
    """``policy(obs) -> action``: metaworld's scripted policy for the task's class.

    The scripted policies read the goal from ``obs[36:39]``, which the meta-learning benchmarks zero out;
    this wrapper writes the task's true goal there first (the ``_target_pos`` that the class's reset derives
    from ``rand_vec``), so it works whether or not the env shows the goal. The one-hot tail of MT
    observations is ignored. Actions are clipped to ``[-1, 1]`` (the scripted policies can exceed it,
    metaworld clips them silently; rlenvs envs reject out-of-range actions).
    """

    def __init__(self, task: MetaWorldTask):
        from metaworld.policies import ENV_POLICY_MAP

        self.task = task
        self.policy = ENV_POLICY_MAP[task.env_name]()
        self.goal = _sim.target_pos(task)

    def __call__(self, obs: np.ndarray) -> np.ndarray:
        obs = np.array(obs[:39], dtype=np.float64)
        obs[36:39] = self.goal
        return np.clip(self.policy.get_action(obs), -1.0, 1.0).astype(np.float32)


def expert_policy(task: MetaWorldTask | Mapping) -> ExpertPolicy:
    """The scripted expert of ``task`` (a :class:`MetaWorldTask` or its dict)."""
    return ExpertPolicy(MetaWorldTask.coerce(task))


class ExpertReference:
    """Leaderboard reference (``rlenvs evaluate --policy rlenvs.metaworld.experts:expert_reference``): each
    env's scripted expert, told its task (``uses_task``); experts are built once per distinct task."""

    uses_task = True

    def __init__(self, envs=None):
        self._experts: dict[tuple[float, ...], ExpertPolicy] = {}

    def act(self, obs: np.ndarray, task_params: np.ndarray) -> np.ndarray:
        actions = []
        for row, o in zip(task_params, obs, strict=True):
            key = tuple(row.tolist())
            if key not in self._experts:
                self._experts[key] = ExpertPolicy(MetaWorldTask.from_array(row))
            actions.append(self._experts[key](o))
        return np.stack(actions)


def expert_reference(envs) -> ExpertReference:
    return ExpertReference(envs)
