"""Native Meta-World vector env: per-env slots that keep one MuJoCo model per class, no wrapper stack."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from rlenvs.core import rng as _rng
from rlenvs.core.vector import BatchedVectorEnv
from rlenvs.metaworld import _sim
from rlenvs.metaworld.env import EPISODE_LENGTH, check_args, default_goal_observable, metaworld_spaces
from rlenvs.metaworld.tasks import MetaWorldDistribution, MetaWorldTask


class MetaWorldVectorEnv(BatchedVectorEnv):
    """``num_envs`` Meta-World envs (see :class:`~rlenvs.metaworld.env.MetaWorldEnv`) stepped together.

    Each env owns a :class:`~rlenvs.metaworld._sim.Slot`: the metaworld env of its task's class, taken from
    a per-process pool of built envs (each class's XML compiled once per process), so a task switch (new
    goal or new class) never recompiles XML and memory stays ~20 MB per env. ``gym.make_vec(id, num_envs=N)``
    returns it. Task draws use the same per-env counter streams as the single env, so it equals
    ``SyncVectorEnv`` of the single env for the same seeds, tasks and actions (NEXT_STEP autoreset).
    ``reset`` info carries ``info["task"]["env_name"]`` (object array) and ``info["task"]["rand_vec"]``
    (``(num_envs, 6)`` floats); ``step`` info carries ``info["success"]``.

    Why a Python loop over envs: reward and success are metaworld's Python code per class, so the step
    cannot be one compiled call without re-implementing them; what we save over metaworld's own
    ``make_vec`` is its per-env wrapper stack, env rebuilding, and (in grasping) its contact loop.

    Same arguments as the single env plus ``num_envs``, ``tasks``, ``copy`` and ``max_episode_steps``
    (what ``gym.make_vec`` passes from the registry, 500): episodes are truncated after
    ``min(episode_length, max_episode_steps)`` steps, as the single env under ``gym.make``'s ``TimeLimit``.
    """

    metadata = {**BatchedVectorEnv.metadata, "render_modes": []}

    def __init__(self, num_envs: int, benchmark: str = "ML1", env_name: str | None = None, *,
                 task_split: str = "train",
                 tasks: Sequence[MetaWorldTask | Mapping | None] | MetaWorldTask | Mapping | None = None,
                 episode_length: int = EPISODE_LENGTH, max_episode_steps: int | None = None,
                 goal_observable: bool | None = None, one_hot: bool = False, terminate_on_success: bool = False,
                 reward_function_version: str = "v2", copy: bool = True):
        check_args(benchmark, episode_length, one_hot)
        if reward_function_version not in ("v1", "v2"):
            raise ValueError(f"reward_function_version must be 'v1' or 'v2', got {reward_function_version!r}")
        dist = MetaWorldDistribution(benchmark, env_name)
        self.goal_observable = default_goal_observable(benchmark) if goal_observable is None else bool(goal_observable)
        self.one_hot = bool(one_hot)
        obs_space, act_space = metaworld_spaces(dist, self.goal_observable, self.one_hot)
        self._fixed_tasks: list[MetaWorldTask | None] = []
        self._current: list[MetaWorldTask | None] = []
        self._split_set: frozenset = frozenset()
        super().__init__(num_envs, dist, obs_space, act_space,
                         max_episode_steps=int(episode_length if max_episode_steps is None
                                               else min(episode_length, max_episode_steps)),
                         task_split=task_split, tasks=None, copy=copy)
        self.benchmark = benchmark
        self.episode_length = int(episode_length)
        self.terminate_on_success = bool(terminate_on_success)
        self._split_set = frozenset(self._split.tasks)
        self._fixed_tasks = [None] * self.num_envs
        self._current = [None] * self.num_envs
        self._slots = [_sim.Slot(goal_observable=self.goal_observable, episode_length=self.episode_length,
                                 reward_function_version=reward_function_version) for _ in range(self.num_envs)]
        self._success = np.zeros(self.num_envs, dtype=np.bool_)
        self._classes = dist.all_classes
        if tasks is not None:
            self.set_tasks(tasks)

    # --- tasks ---------------------------------------------------------------------------------------
    def set_tasks(self, tasks) -> None:
        super().set_tasks(tasks)  # validates the sequence and every task
        if tasks is None or isinstance(tasks, (MetaWorldTask, Mapping)):
            tasks = [tasks] * self.num_envs
        coerced = [None if t is None else MetaWorldTask.coerce(t) for t in tasks]
        for task in coerced:
            if task is not None and task not in self._split_set:
                _sim.check_task(task)
        self._fixed_tasks = coerced

    @property
    def tasks(self) -> list[MetaWorldTask]:
        """The task of each env's current episode."""
        return list(self._current)

    def _task_info(self) -> dict[str, Any]:
        names = np.empty(self.num_envs, dtype=object)
        names[:] = [task.env_name for task in self._current]
        vecs = np.array([task.rand_vec for task in self._current])
        return {"task": {"env_name": names, "rand_vec": vecs}, "_task": self._all.copy()}

    # --- simulation ----------------------------------------------------------------------------------
    def _begin(self, i: int) -> None:
        task = self._fixed_tasks[i]
        if task is None:
            task = self._split[int(_rng.draw_integers(self._rng, i, len(self._split), 1)[0])]
        self._current[i] = task
        obs = self._slots[i].begin(task)
        self._write_obs(i, obs, task)

    def _write_obs(self, i: int, obs: np.ndarray, task: MetaWorldTask) -> None:
        if self.one_hot:
            self._obs[i, :39] = obs
            self._obs[i, 39:] = 0.0
            self._obs[i, 39 + self._classes.index(task.env_name)] = 1.0
        else:
            self._obs[i] = obs

    def _reset_envs(self, mask: np.ndarray) -> None:
        for i in np.flatnonzero(mask):
            self._begin(int(i))
        self._success[mask] = False

    def _step_envs(self) -> None:
        actions = self._actions
        for i in range(self.num_envs):
            if self._needs_reset[i]:
                self._begin(i)
                self._elapsed[i] = 0
                self._needs_reset[i] = False
                self._rewards[i] = 0.0
                self._terminations[i] = False
                self._truncations[i] = False
                self._success[i] = False
                continue
            obs, reward, info = self._slots[i].step(actions[i])
            self._write_obs(i, obs, self._current[i])
            success = bool(info["success"])
            self._success[i] = success
            self._rewards[i] = reward
            self._elapsed[i] += 1
            self._terminations[i] = self.terminate_on_success and success
            self._truncations[i] = self._max_steps >= 0 and self._elapsed[i] >= self._max_steps
            self._needs_reset[i] = self._terminations[i] or self._truncations[i]

    def step(self, actions):
        obs, rewards, terminations, truncations, _ = super().step(actions)
        return obs, rewards, terminations, truncations, {"success": self._success.copy(), "_success": self._all.copy()}

    def close_extras(self, **kwargs) -> None:
        for slot in self._slots:
            slot.close()
