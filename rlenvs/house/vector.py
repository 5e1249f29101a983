"""Native batched HouseNav vector env: one numba call steps every env."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from rlenvs.core.vector import BatchedVectorEnv
from rlenvs.house import _kernels as K
from rlenvs.house.env import alloc_state, get_variant, house_spaces, make_cfg, ray_directions, subtask_metrics
from rlenvs.house.tasks import HouseDistribution, HouseTask


class HouseNavVectorEnv(BatchedVectorEnv):
    """``num_envs`` HouseNav envs (see :class:`~rlenvs.house.env.HouseNavEnv`) stepped in one numba call.

    Same arguments as the single env plus ``num_envs``, ``max_episode_steps`` (the trial is truncated at
    ``min(trial_steps, max_episode_steps)``), ``tasks`` and ``copy``; see :class:`BatchedVectorEnv`. Each
    env generates its house inside the kernel at every (auto)reset. Step infos are empty; the metrics of the
    sub-tasks that ended on the last step are available through :meth:`finished_subtasks` (pull-based, so
    the hot path does no Python work per env).
    """

    metadata = {**BatchedVectorEnv.metadata, "render_modes": []}

    def __init__(self, num_envs: int, *, variant: str = "default", max_episode_steps: int | None = None,
                 task_split: str = "train", tasks: Sequence[HouseTask | Mapping | None] | HouseTask | Mapping | None
                 = None, success_reward: float = 2.0, slack_reward: float = -0.001, dist_reward: float = 0.25,
                 wrong_stop_penalty: float = 0.0, shaping: bool = True, copy: bool = True):
        self.variant_name = variant
        self.variant = get_variant(variant)
        obs_space, act_space = house_spaces()
        super().__init__(num_envs, HouseDistribution(self.variant.preset), obs_space, act_space,
                         max_episode_steps=max_episode_steps, task_split=task_split, tasks=tasks, copy=copy)
        trial = self.variant.trial_steps if max_episode_steps is None else min(self.variant.trial_steps,
                                                                               int(max_episode_steps))
        self.cfg = make_cfg(self.variant, trial_steps=trial, success_reward=success_reward,
                            slack_reward=slack_reward, dist_reward=dist_reward, wrong_stop_penalty=wrong_stop_penalty,
                            ray_range=12.0, shaping=shaping)
        self.raydirs = ray_directions()
        arrays = alloc_state(self.num_envs)
        self._state, self._maps, self._dist, self._spawn = (arrays[k] for k in ("state", "maps", "dist", "spawn"))

    def _reset_envs(self, mask):
        K.reset_batch(mask, self._rng, self._task_fixed, self._fixed_params, self._split_params, self._task_params,
                      self._task_index, self._state, self._maps, self._dist, self._spawn, self.cfg, self.raydirs,
                      self._obs)

    def _step_envs(self):
        K.step_batch(self._actions, self._rng, self._task_fixed, self._fixed_params, self._split_params,
                     self._task_params, self._task_index, self._needs_reset, self._state, self._maps, self._dist,
                     self._spawn, self.cfg, self.raydirs, self._obs, self._rewards, self._terminations,
                     self._truncations)

    def finished_subtasks(self) -> list[tuple[int, dict]]:
        """``(env index, metrics)`` of every sub-task that ended on the last step (see ``subtask_metrics``)."""
        ended = np.flatnonzero(self._state[:, K.S_ENDED] == 1)
        return [(int(i), subtask_metrics(self._state[i])) for i in ended]
