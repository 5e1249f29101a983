"""Native batched vector envs of the MuJoCo families: every env stepped at once, on ``num_threads`` threads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from rlenvs.core.vector import BatchedVectorEnv
from rlenvs.mujoco import _kernels as K
from rlenvs.mujoco import families
from rlenvs.mujoco.env import family_spaces
from rlenvs.mujoco.sim import Batch, Family

EPISODE_STEPS = 200


class MujocoVectorEnv(BatchedVectorEnv):
    """``num_envs`` envs of one MuJoCo family stepped together; a subclass names its ``family_type``.

    Each step runs the physics of every env (its own task's model, its own state and warm-start; see
    :mod:`rlenvs.mujoco.sim`) on ``num_threads`` threads: the calling thread and workers that live as long
    as the env, call MuJoCo without the GIL, and spin for about a millisecond between steps before they
    sleep (:mod:`rlenvs.mujoco.team`). Then one kernel call computes every observation, reward and termination.
    The trajectories equal ``SyncVectorEnv`` of the single env for the same seeds, tasks and actions, whatever
    ``num_threads``.

    Arguments: the single env's (``task_split``, family options such as ``terminate``) plus ``num_envs``,
    ``num_threads=1``, ``max_episode_steps=200`` (``None`` never truncates), ``tasks`` and ``copy``; see
    :class:`~rlenvs.core.vector.BatchedVectorEnv` for tasks, seeding, autoreset (``NEXT_STEP``) and copies.
    ``step`` infos are empty. No rendering: render a single env.
    """

    metadata = {**BatchedVectorEnv.metadata, "render_modes": []}
    family_type: ClassVar[type[Family]]

    def __init__(self, num_envs: int, *, max_episode_steps: int | None = EPISODE_STEPS, task_split: str = "train",
                 tasks: Sequence[Any] | Any = None, num_threads: int = 1, copy: bool = True, **options: Any):
        family = self.family_type(**options)
        obs_space, act_space = family_spaces(family)
        super().__init__(num_envs, family.distribution, obs_space, act_space, max_episode_steps=max_episode_steps,
                         task_split=task_split, tasks=tasks, copy=copy)
        self.family = family
        self._batch = Batch(family, self.num_envs, num_threads)
        self.num_threads = self._batch.num_threads

    def _reset_envs(self, mask: np.ndarray) -> None:
        family, batch = self.family, self._batch
        K.reset_batch(mask, self._rng, True, self._task_fixed, self._fixed_params, self._split_params,
                      self._task_params, self._task_index, family.model.qpos0, family.pos_noise, family.vel_noise,
                      family.vel_normal, batch.state, batch.warmstart)
        batch.configure(mask, self._task_params)
        family.observe(mask, batch, self._obs)

    def _step_envs(self) -> None:
        resetting = self._needs_reset.copy()
        if not resetting.all():  # envs about to reset step too (their results are overwritten below)
            self._batch.rollout(self._actions)
            self.family.step(self._batch, self._actions, self._task_params, self._obs, self._rewards,
                             self._terminations)
            self._elapsed += 1
            self._truncations[:] = (self._elapsed >= self._max_steps) if self._max_steps >= 0 else False
        if resetting.any():
            self._reset_envs(resetting)
            self._elapsed[resetting] = 0
            self._rewards[resetting] = 0.0
            self._terminations[resetting] = False
            self._truncations[resetting] = False
        self._needs_reset[:] = self._terminations | self._truncations

    def close_extras(self, **kwargs) -> None:
        self._batch.close()


class CheetahVelVectorEnv(MujocoVectorEnv):
    """Batched :class:`~rlenvs.mujoco.env.CheetahVelEnv`; see :class:`MujocoVectorEnv`."""

    family_type = families.CheetahVel


class CheetahDirVectorEnv(MujocoVectorEnv):
    """Batched :class:`~rlenvs.mujoco.env.CheetahDirEnv`; see :class:`MujocoVectorEnv`."""

    family_type = families.CheetahDir


class AntDirVectorEnv(MujocoVectorEnv):
    """Batched :class:`~rlenvs.mujoco.env.AntDirEnv`; see :class:`MujocoVectorEnv`."""

    family_type = families.AntDir


class AntFwdBackVectorEnv(MujocoVectorEnv):
    """Batched :class:`~rlenvs.mujoco.env.AntFwdBackEnv`; see :class:`MujocoVectorEnv`."""

    family_type = families.AntFwdBack


class AntGoalVectorEnv(MujocoVectorEnv):
    """Batched :class:`~rlenvs.mujoco.env.AntGoalEnv`; see :class:`MujocoVectorEnv`."""

    family_type = families.AntGoal


class HumanoidDirVectorEnv(MujocoVectorEnv):
    """Batched :class:`~rlenvs.mujoco.env.HumanoidDirEnv`; see :class:`MujocoVectorEnv`."""

    family_type = families.HumanoidDir


class HopperParamVectorEnv(MujocoVectorEnv):
    """Batched :class:`~rlenvs.mujoco.env.HopperParamEnv`; see :class:`MujocoVectorEnv`."""

    family_type = families.HopperParam


class WalkerParamVectorEnv(MujocoVectorEnv):
    """Batched :class:`~rlenvs.mujoco.env.WalkerParamEnv`; see :class:`MujocoVectorEnv`."""

    family_type = families.WalkerParam
