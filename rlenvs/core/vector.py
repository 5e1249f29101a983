"""``BatchedVectorEnv``: the base of every family's native vector env (all envs step in one kernel call)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from gymnasium import spaces
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space, create_empty_array

from rlenvs.core import rng as _rng
from rlenvs.core.spaces import check_action
from rlenvs.core.task import Task, TaskDistribution


class BatchedVectorEnv(VectorEnv):
    """Native vector env over per-env tasks, with Gymnasium's ``NEXT_STEP`` autoreset.

    - ``set_tasks([...])`` fixes each env's task (a ``Task``, its dict, or ``None`` to draw from
      ``task_split``) from that env's next reset on, autoresets included; ``reset(options={"tasks": [...]})``
      is the same as ``set_tasks`` then reset. A single task fixes it for every env.
    - ``reset(seed=s)`` seeds env ``i`` with ``s + i``, exactly as ``SyncVectorEnv`` seeds its copies of
      the single env, so both give identical trajectories for the same seeds, tasks and actions.
    - Autoreset follows ``AutoresetMode.NEXT_STEP``: the step after an episode ends resets that env,
      ignores its action and returns its first obs with reward 0 and both flags False.
    - Outputs are fresh copies by default; ``copy=False`` returns the env's buffers, which the next
      ``step`` overwrites (a ``Dict`` observation space gets a dict of buffers, one per key). ``step``
      infos are empty (no per-step Python work); ``reset`` info holds ``info["task"][field]``, one row
      per env. ``envs.tasks`` lists the current tasks.

    Subclasses allocate their state, then implement :meth:`_reset_envs` and :meth:`_step_envs` as single
    kernel calls that read ``self._actions`` and write ``self._obs``, ``self._rewards``,
    ``self._terminations``, ``self._truncations``, advancing ``self._elapsed`` and ``self._needs_reset``.
    Task arrays for the kernels (see :func:`rlenvs.core._kernels.begin_task`): ``_task_fixed``,
    ``_fixed_params``, ``_split_params``, ``_task_params``, ``_task_index``.
    """

    metadata: dict[str, Any] = {"autoreset_mode": AutoresetMode.NEXT_STEP}
    reset_options = ("tasks",)

    def __init__(
        self,
        num_envs: int,
        task_distribution: TaskDistribution,
        single_observation_space: spaces.Space,
        single_action_space: spaces.Space,
        *,
        max_episode_steps: int | None = None,
        task_split: str = "train",
        tasks: Sequence[Task | Mapping | None] | Task | Mapping | None = None,
        copy: bool = True,
    ):
        if isinstance(num_envs, bool) or not isinstance(num_envs, (int, np.integer)) or num_envs < 1:
            raise ValueError(f"num_envs must be a positive int, got {num_envs!r}")
        if max_episode_steps is not None and (not isinstance(max_episode_steps, (int, np.integer))
                                              or max_episode_steps < 1):
            raise ValueError(f"max_episode_steps must be a positive int or None, got {max_episode_steps!r}")
        n = self.num_envs = int(num_envs)
        self.single_observation_space = single_observation_space
        self.single_action_space = single_action_space
        self.observation_space = batch_space(single_observation_space, n)
        self.action_space = batch_space(single_action_space, n)
        self.max_episode_steps = max_episode_steps
        self.copy = copy
        self.task_distribution = task_distribution
        self.task_split = task_split
        self._split = task_distribution.split(task_split)
        self._split_params = self._split.to_array()
        n_params = self._split_params.shape[1]
        self._task_fixed = np.zeros(n, dtype=np.bool_)
        self._fixed_params = np.zeros((n, n_params))
        self._task_params = np.zeros((n, n_params))
        self._task_index = np.zeros(n, dtype=np.int64)
        self._rng = _rng.new_state(n)
        self._rng_seeded = False
        self._max_steps = -1 if max_episode_steps is None else int(max_episode_steps)
        self._elapsed = np.zeros(n, dtype=np.int64)
        self._needs_reset = np.zeros(n, dtype=np.bool_)
        self._obs = create_empty_array(single_observation_space, n, fn=np.zeros)
        self._rewards = np.zeros(n, dtype=np.float64)
        self._terminations = np.zeros(n, dtype=np.bool_)
        self._truncations = np.zeros(n, dtype=np.bool_)
        self._all = np.ones(n, dtype=np.bool_)
        if tasks is not None:
            self.set_tasks(tasks)

    # --- tasks -------------------------------------------------------------------------------------
    def set_tasks(self, tasks: Sequence[Task | Mapping | None] | Task | Mapping | None) -> None:
        """Fix each env's task from its next reset on (``None`` entries draw from ``task_split``)."""
        if tasks is None or isinstance(tasks, (Task, Mapping)):
            tasks = [tasks] * self.num_envs
        if isinstance(tasks, (str, bytes)) or not isinstance(tasks, Sequence) or len(tasks) != self.num_envs:
            raise ValueError(f"tasks must be a sequence of {self.num_envs} tasks (or None entries), got {tasks!r}")
        task_type = self.task_distribution.task_type
        coerced = [None if t is None else task_type.coerce(t) for t in tasks]
        for i, task in enumerate(coerced):
            self._task_fixed[i] = task is not None
            if task is not None:
                self._fixed_params[i] = task.to_array()

    @property
    def tasks(self) -> list[Task]:
        """The task of each env's current episode."""
        from_array = self.task_distribution.task_type.from_array
        return [
            self._split[k] if k >= 0 else from_array(row)
            for k, row in zip(self._task_index.tolist(), self._task_params, strict=True)
        ]

    def _task_info(self) -> dict[str, Any]:
        task_type = self.task_distribution.task_type
        fields = {
            spec.name: self._task_params[:, where].copy() if spec.is_tuple else self._task_params[:, where.start].copy()
            for spec, where in zip(task_type.field_specs(), task_type.array_slices().values(), strict=True)
        }
        return {"task": fields, "_task": self._all.copy()}

    # --- gymnasium API -----------------------------------------------------------------------------
    def reset(self, *, seed: int | Sequence[int | None] | None = None, options: dict[str, Any] | None = None):
        """Reset every env; see the class docstring for ``seed`` and ``options={"tasks": [...]}``."""
        self._seed(seed)
        if options is not None:
            if not isinstance(options, Mapping):
                raise TypeError(f"options must be a dict or None, got {type(options).__name__}")
            unknown = sorted(set(options) - set(self.reset_options))
            if unknown:
                raise ValueError(f"unknown reset option(s) {unknown}; valid options: {list(self.reset_options)}")
            if "tasks" in options:
                self.set_tasks(options["tasks"])
        self._reset_envs(self._all)
        self._needs_reset[:] = False
        self._elapsed[:] = 0
        obs = _copied(self._obs) if self.copy else self._obs
        return obs, self._task_info()

    def step(self, actions):
        """Step every env in one kernel call (envs whose episode ended last step are reset instead)."""
        self._actions = check_action(actions, self.single_action_space, self.num_envs)
        self._step_envs()
        if self.copy:
            return (_copied(self._obs), self._rewards.copy(), self._terminations.copy(),
                    self._truncations.copy(), {})
        return self._obs, self._rewards, self._terminations, self._truncations, {}

    def _seed(self, seed: int | Sequence[int | None] | None) -> None:
        n = self.num_envs
        if seed is None:
            if self._rng_seeded:
                return
            seeds: list[int | None] = [None] * n
        elif isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
            seeds = [int(seed) + i for i in range(n)]
        elif isinstance(seed, Sequence) and len(seed) == n:
            seeds = list(seed)
        else:
            raise ValueError(f"seed must be None, an int or a sequence of {n} ints/None, got {seed!r}")
        fresh = np.random.default_rng().integers(0, 2**64, size=n, dtype=np.uint64)
        given = np.array([0 if s is None else _rng.seed_to_uint64(s) for s in seeds], dtype=np.uint64)
        is_given = np.array([s is not None for s in seeds])
        self._rng[:, 0] = np.where(is_given, _rng.seed_keys(given), fresh)
        self._rng[:, 1] = 0
        self._rng_seeded = True

    def _reset_envs(self, mask: np.ndarray) -> None:
        """Start a new episode (task first, see ``begin_task``) in every env where ``mask`` is True."""
        raise NotImplementedError

    def _step_envs(self) -> None:
        """Advance every env by ``self._actions`` (with NEXT_STEP autoreset and truncation)."""
        raise NotImplementedError


def _copied(obs):
    """A copy of an observation batch: an array, or a dict of arrays (``Dict`` spaces)."""
    return {key: value.copy() for key, value in obs.items()} if isinstance(obs, dict) else obs.copy()
