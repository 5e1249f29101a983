"""``TaskEnv``: the gymnasium.Env base that implements the task contract for every single-agent family."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import gymnasium as gym
import numpy as np

from rlenvs.core import rng as _rng
from rlenvs.core.task import Task, TaskDistribution


class TaskEnv(gym.Env):
    """A gymnasium env whose dynamics or reward depend on a task drawn from a :class:`TaskDistribution`.

    - ``set_task(task)`` fixes the task from the next reset on, for every episode until
      ``set_task(None)``; ``reset(options={"task": task})`` is the same as ``set_task(task)`` then reset.
      A task is a ``Task`` of the family's type or its dict.
    - With no task fixed, every reset draws a task uniformly from the split ``task_split``.
    - ``reset(seed=s)`` makes the episode reproducible, task draw included: draws come from a counter-based
      stream keyed by ``s`` (see :mod:`rlenvs.core.rng`), which the batched env shares.
    - ``info["task"]`` on reset is the current task's dict.

    Subclasses call ``super().__init__(distribution, task=..., task_split=...)``, set the spaces and
    implement :meth:`_reset_episode` (and ``step``); ``self._rng`` is the env's stream for any further
    randomness, drawn after the task.
    """

    reset_options = ("task",)

    def __init__(self, task_distribution: TaskDistribution, *, task: Task | Mapping | None = None,
                 task_split: str = "train"):
        self.task_distribution = task_distribution
        self.task_split = task_split
        self._split = task_distribution.split(task_split)
        self._fixed_task: Task | None = None
        self._task: Task | None = None
        self._rng = _rng.new_state(1)
        self._rng_seeded = False
        self.set_task(task)

    @property
    def task(self) -> Task | None:
        """The task of the current episode (before the first reset: the fixed task, if any)."""
        return self._task if self._task is not None else self._fixed_task

    def set_task(self, task: Task | Mapping | None) -> None:
        """Fix the task from the next reset on; ``None`` goes back to drawing from ``task_split``."""
        self._fixed_task = None if task is None else self.task_distribution.task_type.coerce(task)

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        super().reset(seed=seed)
        if options is not None:
            if not isinstance(options, Mapping):
                raise TypeError(f"options must be a dict or None, got {type(options).__name__}")
            unknown = sorted(set(options) - set(self.reset_options))
            if unknown:
                raise ValueError(f"unknown reset option(s) {unknown}; valid options: {list(self.reset_options)}")
            if "task" in options:
                self.set_task(options["task"])
        if seed is not None:
            self._rng[0] = (_rng.seed_keys([_rng.seed_to_uint64(seed)])[0], 0)
            self._rng_seeded = True
        elif not self._rng_seeded:
            self._rng[0] = (self.np_random.integers(0, 2**64, dtype=np.uint64), 0)
            self._rng_seeded = True
        if self._fixed_task is not None:
            self._task = self._fixed_task
        else:
            self._task = self._split[int(_rng.draw_integers(self._rng, 0, len(self._split), 1)[0])]
        obs, info = self._reset_episode(self._task)
        info["task"] = self._task.to_dict()
        return obs, info

    def _reset_episode(self, task: Task) -> tuple[Any, dict[str, Any]]:
        """Start an episode of ``task``; return ``(obs, info)``."""
        raise NotImplementedError
