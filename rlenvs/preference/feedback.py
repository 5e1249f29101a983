"""Preference feedback on any Gymnasium env: the reward is hidden and a scripted teacher answers queries
within a fixed feedback budget (the B-Pref protocol, Lee et al. 2021).

- :class:`PreferenceFeedbackWrapper` wraps a single ``gymnasium.Env``; :class:`PreferenceFeedbackVectorWrapper`
  wraps a ``gymnasium.vector.VectorEnv`` (rlenvs' native batched envs, ``SyncVectorEnv``, ...) with one
  budget for all its envs.
- ``step`` returns reward 0 (``hide_reward=True``), or the learner's own estimate when ``reward_model`` is
  set; the true reward is in ``info["gt_reward"]``, for the teacher and for evaluation only.
- ``query(seg0, seg1)`` asks the teacher which of two segments it prefers. A segment is the true per-step
  rewards of ``segment`` consecutive steps (the ``info["gt_reward"]`` values of those steps, or a mapping
  with a ``"gt_reward"`` entry); a batch of ``B`` pairs is two ``(B, segment)`` arrays. Every pair costs one
  unit of ``max_feedback``, skipped pairs included (B-Pref's ``total_feedback``); a query that would go
  past the budget raises :class:`FeedbackBudgetError` and costs nothing.
- The teacher's skip/equal thresholds scale with the average true return of a segment, computed as in
  B-Pref's ``train_PEBBLE.py`` from the last 10 training episodes: ``segment * sum(returns) / sum(lengths)``
  (B-Pref's ``mean(returns) * segment / max_episode_steps`` when every episode runs to its time limit, as in
  all B-Pref tasks). An episode is counted when it ends (vector wrapper) or at the next ``reset`` (single
  wrapper, which may sit below the ``TimeLimit`` that ends the episode). Before the first episode is
  counted the scale is 0, so skip and equal do not fire yet (B-Pref's thresholds also start at 0).
- ``reset(seed=s)`` also re-seeds the teacher, so a seeded run gets reproducible labels.

The registered ``rlenvs/Pref*`` ids are these wrappers over their base envs (:func:`make_env`,
:func:`make_vector_env`), with ``teacher``, ``segment``, ``max_feedback`` and ``hide_reward`` as ``gym.make``
kwargs. ``gym.make`` puts its own wrappers above this one: call ``env.get_wrapper_attr("query")(seg0, seg1)``
and ``env.get_wrapper_attr("feedback_left")``. Pass ``hide_reward=False`` to score a policy on the true
return. The task contract is the base env's (``env.unwrapped``), and the task is what the gold reward or the
dynamics depend on:

- ``PrefGrid-v0`` (CI): start, goal and object cells, which set the gold reward.
- ``PrefPointButton-v0`` (CI, native vector env): the button and handle positions.
- ``PrefPendulum-v0`` (CI): Pendulum-v1's physics ``g``, ``m``, ``l``.
- ``PrefButtonPress-v0``, ``PrefDoorOpen-v0``, ``PrefSweepInto-v0`` (full tier, ``ci=False``; native vector
  env): Meta-World's ML1 goals (``rand_vec``) with the goal hidden, as in B-Pref (which redraws
  ``rand_vec`` every episode where these draw from the fixed ML1 split).
- ``PrefWalker2d-v0``, ``PrefHalfCheetah-v0`` (full tier): the gold reward's weights (forward, control cost).

Ids without a native vector env still batch with one budget through
``PreferenceFeedbackVectorWrapper(gym.vector.SyncVectorEnv([...base envs...]))``; ``make_vec`` of such an
id in ``sync`` mode gives every copy its own wrapper, so its own budget.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium.envs.registration import load_env_creator
from gymnasium.vector import VectorEnv, VectorWrapper

from rlenvs.preference.teachers import SimTeacher

RETURN_WINDOW = 10  # B-Pref's avg_train_true_return = deque(maxlen=10)
_TEACHER_STREAM = 0x7EAC4E  # mixed into the env seed, so the teacher's stream differs from the env's


class FeedbackBudgetError(RuntimeError):
    """A preference query past the wrapper's ``max_feedback``."""


def _teacher_seed(seed: int | Sequence[int | None] | None) -> list[int] | None:
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return [int(seed), _TEACHER_STREAM]
    if isinstance(seed, Sequence) and seed and all(isinstance(s, (int, np.integer)) for s in seed):
        return [*(int(s) for s in seed), _TEACHER_STREAM]
    return None


class _FeedbackChannel:
    """The teacher, the budget and the episode-return window the teacher's thresholds scale with."""

    def __init__(self, teacher: SimTeacher | str, segment: int, max_feedback: int):
        if isinstance(segment, bool) or not isinstance(segment, (int, np.integer)) or segment < 1:
            raise ValueError(f"segment must be a positive int (steps per segment), got {segment!r}")
        if isinstance(max_feedback, bool) or not isinstance(max_feedback, (int, np.integer)) or max_feedback < 0:
            raise ValueError(f"max_feedback must be a non-negative int (labels allowed), got {max_feedback!r}")
        if isinstance(teacher, str):
            teacher = SimTeacher(teacher)
        if not isinstance(teacher, SimTeacher):
            raise TypeError(f"teacher must be a SimTeacher or a preset name, got {type(teacher).__name__}")
        self.teacher = teacher
        self.segment = int(segment)
        self.max_feedback = int(max_feedback)
        self.used = 0
        self.labelled = 0
        self.episodes: deque[tuple[float, int]] = deque(maxlen=RETURN_WINDOW)

    def scale(self) -> float:
        length = sum(n for _, n in self.episodes)
        return self.segment * sum(r for r, _ in self.episodes) / length if length else 0.0

    def _rewards(self, seg: Any, which: str) -> np.ndarray:
        if isinstance(seg, Mapping):
            if "gt_reward" not in seg:
                raise ValueError(f"{which} is a mapping without a 'gt_reward' entry (keys: {sorted(seg)})")
            seg = seg["gt_reward"]
        rewards = np.asarray(seg, dtype=np.float64)
        if rewards.ndim not in (1, 2) or rewards.shape[-1] != self.segment:
            raise ValueError(f"{which} must hold the true rewards of {self.segment} steps, shape ({self.segment},) "
                             f"or (B, {self.segment}), got shape {rewards.shape}")
        return rewards

    def query(self, seg0: Any, seg1: Any) -> float | np.ndarray:
        r0, r1 = self._rewards(seg0, "seg0"), self._rewards(seg1, "seg1")
        if r0.shape != r1.shape:
            raise ValueError(f"seg0 and seg1 must have the same shape, got {r0.shape} and {r1.shape}")
        n = 1 if r0.ndim == 1 else len(r0)
        if self.used + n > self.max_feedback:
            raise FeedbackBudgetError(
                f"feedback budget exceeded: this query asks for {n} label(s), but {self.used} of "
                f"max_feedback={self.max_feedback} are used ({self.max_feedback - self.used} left)")
        labels = self.teacher.label(r0, r1, self.scale())
        self.used += n
        self.labelled += int(np.count_nonzero(~np.isnan(labels)))
        return float(labels) if r0.ndim == 1 else labels


class _FeedbackAPI:
    """What both wrappers expose (they hold a ``_channel``)."""

    _channel: _FeedbackChannel

    def query(self, seg0: Any, seg1: Any) -> float | np.ndarray:
        """The teacher's label(s) for segment pair(s): 1.0 = ``seg1`` preferred, 0.0 = ``seg0``, 0.5 = equal,
        nan = skipped; see the module docstring for the segment format and the budget."""
        return self._channel.query(seg0, seg1)

    @property
    def teacher(self) -> SimTeacher:
        return self._channel.teacher

    @property
    def segment(self) -> int:
        """Steps per segment."""
        return self._channel.segment

    @property
    def max_feedback(self) -> int:
        """The budget: how many pairs may be queried in all."""
        return self._channel.max_feedback

    @property
    def feedback_used(self) -> int:
        """Pairs queried so far (skipped ones included)."""
        return self._channel.used

    @property
    def feedback_left(self) -> int:
        return self._channel.max_feedback - self._channel.used

    @property
    def labels_given(self) -> int:
        """Pairs the teacher labelled (not skipped): B-Pref's ``labeled_feedback``."""
        return self._channel.labelled

    @property
    def segment_return_scale(self) -> float:
        """The average true segment return the teacher's thresholds scale with now."""
        return self._channel.scale()


class PreferenceFeedbackWrapper(_FeedbackAPI, gym.Wrapper):
    """Hide the reward of a single env and answer preference queries within a budget (module docstring).

    ## Arguments
    - ``env``: any ``gymnasium.Env`` (for a ``VectorEnv`` use :class:`PreferenceFeedbackVectorWrapper`).
    - ``teacher``: a :class:`~rlenvs.preference.teachers.SimTeacher` or a preset name ("oracle", "noisy",
      "mistake", "skip", "myopic", "equal").
    - ``segment``: steps per queried segment; ``max_feedback``: the number of pairs that may be queried.
    - ``hide_reward``: return 0 as the reward (default) or the true reward (for evaluation).
    - ``reward_model``: optional ``reward_model(obs, action) -> float``, the learner's reward estimate for the
      transition from ``obs``; when set, ``step`` returns it as the reward.
    """

    def __init__(self, env: gym.Env, teacher: SimTeacher | str = "oracle", segment: int = 50,
                 max_feedback: int = 100, hide_reward: bool = True,
                 reward_model: Callable[[Any, Any], float] | None = None):
        if isinstance(env, VectorEnv):
            raise TypeError("PreferenceFeedbackWrapper wraps a single env; use PreferenceFeedbackVectorWrapper "
                            "for a VectorEnv")
        super().__init__(env)
        self._channel = _FeedbackChannel(teacher, segment, max_feedback)
        self.hide_reward = bool(hide_reward)
        self.reward_model = reward_model
        self._obs = None
        self._return, self._length = 0.0, 0

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        obs, info = self.env.reset(seed=seed, options=options)
        if self._length:
            self._channel.episodes.append((self._return, self._length))
        self._return, self._length = 0.0, 0
        if (teacher_seed := _teacher_seed(seed)) is not None:
            self._channel.teacher.seed(teacher_seed)
        self._obs = obs
        return obs, info

    def step(self, action):
        shown = None if self.reward_model is None else float(self.reward_model(self._obs, action))
        obs, reward, terminated, truncated, info = self.env.step(action)
        reward = float(reward)
        self._return += reward
        self._length += 1
        self._obs = obs
        if shown is None:
            shown = 0.0 if self.hide_reward else reward
        return obs, shown, terminated, truncated, {**info, "gt_reward": reward}


class PreferenceFeedbackVectorWrapper(_FeedbackAPI, VectorWrapper):
    """:class:`PreferenceFeedbackWrapper` for a ``VectorEnv``: one teacher and one budget for all envs.

    ``info["gt_reward"]`` is the ``(num_envs,)`` true rewards (0 on NEXT_STEP autoreset steps, which are
    not transitions and are not counted in the episode statistics; the env's own buffer if it was made
    with ``copy=False``). ``reward_model(obs, actions)`` gets the
    batch and returns ``(num_envs,)`` estimates (0 is shown on autoreset steps). The task interface of
    rlenvs' batched envs (``task_distribution``, ``tasks``, ``set_tasks``) passes through.
    """

    def __init__(self, env: VectorEnv, teacher: SimTeacher | str = "oracle", segment: int = 50,
                 max_feedback: int = 100, hide_reward: bool = True,
                 reward_model: Callable[[Any, Any], np.ndarray] | None = None):
        super().__init__(env)
        self._channel = _FeedbackChannel(teacher, segment, max_feedback)
        self.hide_reward = bool(hide_reward)
        self.reward_model = reward_model
        n = env.num_envs
        self._obs = None
        self._returns, self._lengths = np.zeros(n), np.zeros(n, dtype=np.int64)
        self._resetting = np.zeros(n, dtype=bool)

    @property
    def task_distribution(self):
        return self.env.task_distribution

    @property
    def tasks(self):
        return self.env.tasks

    def set_tasks(self, tasks) -> None:
        self.env.set_tasks(tasks)

    def _count(self, done: np.ndarray) -> None:
        for i in np.flatnonzero(done):
            self._channel.episodes.append((float(self._returns[i]), int(self._lengths[i])))
        self._returns[done] = 0.0
        self._lengths[done] = 0

    def reset(self, *, seed=None, options=None):
        obs, info = self.env.reset(seed=seed, options=options)
        self._count(self._lengths > 0)
        self._resetting[:] = False
        if (teacher_seed := _teacher_seed(seed)) is not None:
            self._channel.teacher.seed(teacher_seed)
        self._obs = obs
        return obs, info

    def step(self, actions):
        shown = None
        if self.reward_model is not None:
            shown = np.asarray(self.reward_model(self._obs, actions), dtype=np.float64).reshape(self.num_envs)
            shown = np.where(self._resetting, 0.0, shown)
        obs, rewards, terminations, truncations, info = self.env.step(actions)
        live = ~self._resetting
        self._returns += rewards  # NEXT_STEP autoreset steps (not live) have reward 0 ...
        self._lengths += live  # ... and are not counted
        self._resetting = terminations | truncations
        ended = self._resetting & live
        if ended.any():
            self._count(ended)
        self._obs = obs
        if shown is None:
            shown = np.zeros(self.num_envs) if self.hide_reward else rewards.copy()
        info = {**info, "gt_reward": rewards, "_gt_reward": np.ones(self.num_envs, dtype=bool)}
        return obs, shown, terminations, truncations, info


def make_env(*, base_entry_point: str, base_vector_entry_point: str | None = None,
             teacher: SimTeacher | str = "oracle", segment: int = 50, max_feedback: int = 100,
             hide_reward: bool = True, **kwargs) -> PreferenceFeedbackWrapper:
    """Entry point of the ``rlenvs/Pref*`` ids: ``base_entry_point(**kwargs)`` in a
    :class:`PreferenceFeedbackWrapper` (``base_vector_entry_point`` is :func:`make_vector_env`'s)."""
    env = load_env_creator(base_entry_point)(**kwargs)
    return PreferenceFeedbackWrapper(env, teacher, segment, max_feedback, hide_reward)


def make_vector_env(num_envs: int, *, base_entry_point: str, base_vector_entry_point: str,
                    teacher: SimTeacher | str = "oracle", segment: int = 50, max_feedback: int = 100,
                    hide_reward: bool = True, **kwargs) -> PreferenceFeedbackVectorWrapper:
    """Vector entry point of the ``rlenvs/Pref*`` ids: the native ``base_vector_entry_point(num_envs, **kwargs)``
    in a :class:`PreferenceFeedbackVectorWrapper` (``base_entry_point`` is :func:`make_env`'s)."""
    envs = load_env_creator(base_vector_entry_point)(num_envs, **kwargs)
    return PreferenceFeedbackVectorWrapper(envs, teacher, segment, max_feedback, hide_reward)
