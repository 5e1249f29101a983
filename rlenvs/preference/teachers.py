"""B-Pref scripted teachers: which of two segments a simulated human prefers (Lee et al., NeurIPS 2021 D&B).

A port of ``RewardModel.get_label`` of ``rll-research/BPref`` (``reward_model.py``) in NumPy, with its six
teachers as presets. A teacher sees the true per-step rewards of two segments ``sigma0``, ``sigma1`` of equal
length ``T`` and answers, in this order:

1. **Skip** (``eps_skip``): if ``thres_skip = eps_skip * scale > 0``, a pair whose better segment has
   ``max(R0, R1) <= thres_skip`` is not labelled (``nan``). ``R`` is the undiscounted segment return.
2. **Equal mask** (``eps_equal``): pairs with ``|R0 - R1| < thres_equal = eps_equal * scale`` (undiscounted).
3. **Myopia** (``gamma``): the segments are scored with weights ``gamma ** (T - 1 - t)``, so the early steps
   count least: ``D = sum_t gamma ** (T - 1 - t) * r_t``.
4. **Label**: perfectly rational (``beta = inf``): ``1`` if ``D0 < D1`` else ``0`` (a tie prefers the first);
   Bradley-Terry (``beta > 0``): ``1`` with probability ``softmax(beta * [D0, D1])[1] = sigmoid(beta (D1 - D0))``.
5. **Mistake** (``eps_mistake``): the label is flipped where a uniform draw ``u <= eps_mistake``.
6. **Equal**: masked pairs get ``0.5`` (B-Pref's ``-1``, which its ``train_soft_reward`` turns into the soft
   target 0.5).

Labels: ``1.0`` = the **second** segment is preferred, ``0.0`` = the first, ``0.5`` = equally preferable,
``nan`` = skipped. ``scale`` is the average true return of a segment; B-Pref sets it to
``mean(last 10 training episode returns) * segment / max_episode_steps`` before every feedback round
(:class:`~rlenvs.preference.feedback.PreferenceFeedbackWrapper` tracks it for you).

Deviations from B-Pref, on purpose:

- B-Pref writes ``beta = -1`` for the perfectly rational teacher; here it is ``beta = inf`` (the limit of the
  Bradley-Terry model), and ``beta <= 0`` is refused.
- From the second feedback round on, ``train_PEBBLE.py`` passes ``margin * eps`` to setters that multiply by
  ``eps`` again, so its skip/equal thresholds become ``eps**2 * margin`` after the first round. Here the
  threshold is always ``eps * scale``, the rule the paper states and the first round uses.
- Skipped pairs come back as ``nan`` in place instead of being dropped, so labels stay aligned with queries.
- On tasks whose segment returns are negative (Pendulum), ``thres_skip`` and ``thres_equal`` are negative, so
  skip and equal never fire, exactly as in B-Pref (all its tasks have non-negative rewards).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

# The six teachers of B-Pref (the scripts' folder names; the paper calls "noisy" Stoc).
TEACHER_PRESETS: Mapping[str, Mapping[str, float]] = {
    "oracle": {"beta": math.inf, "gamma": 1.0, "eps_mistake": 0.0, "eps_skip": 0.0, "eps_equal": 0.0},
    "noisy": {"beta": 1.0, "gamma": 1.0, "eps_mistake": 0.0, "eps_skip": 0.0, "eps_equal": 0.0},
    "mistake": {"beta": math.inf, "gamma": 1.0, "eps_mistake": 0.1, "eps_skip": 0.0, "eps_equal": 0.0},
    "skip": {"beta": math.inf, "gamma": 1.0, "eps_mistake": 0.0, "eps_skip": 0.1, "eps_equal": 0.0},
    "myopic": {"beta": math.inf, "gamma": 0.9, "eps_mistake": 0.0, "eps_skip": 0.0, "eps_equal": 0.0},
    "equal": {"beta": math.inf, "gamma": 1.0, "eps_mistake": 0.0, "eps_skip": 0.0, "eps_equal": 0.1},
}
TEACHERS = tuple(TEACHER_PRESETS)


@dataclass(frozen=True)
class TeacherParams:
    """B-Pref's teacher parameters (``teacher_beta`` ... ``teacher_eps_equal``), with ``beta = inf`` = rational."""

    beta: float
    gamma: float
    eps_mistake: float
    eps_skip: float
    eps_equal: float

    def __post_init__(self) -> None:
        if not (self.beta > 0):  # also refuses nan
            raise ValueError(f"beta must be > 0 (math.inf for a perfectly rational teacher, B-Pref's -1), "
                             f"got {self.beta!r}")
        if not 0.0 < self.gamma <= 1.0:
            raise ValueError(f"gamma must be in (0, 1], got {self.gamma!r}")
        for name in ("eps_mistake", "eps_skip", "eps_equal"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {value!r}")


class SimTeacher:
    """A scripted B-Pref teacher: ``label(rewards0, rewards1, scale)`` -> preference labels.

    ``SimTeacher("mistake")`` is B-Pref's Mistake teacher; keyword overrides make variants
    (``SimTeacher("oracle", eps_mistake=0.2)``). ``seed`` seeds its random draws (Bradley-Terry labels and
    mistakes); :meth:`seed` re-seeds it (the feedback wrappers do so on ``reset(seed=...)``).
    """

    def __init__(self, preset: str = "oracle", *, seed: int | None = None, **overrides: float):
        if preset not in TEACHER_PRESETS:
            raise ValueError(f"unknown teacher preset {preset!r}; the B-Pref teachers are {list(TEACHERS)}")
        unknown = sorted(set(overrides) - set(TEACHER_PRESETS[preset]))
        if unknown:
            raise ValueError(f"unknown teacher parameter(s) {unknown}; valid: {list(TEACHER_PRESETS[preset])}")
        self.preset = preset
        self.params = TeacherParams(**{**TEACHER_PRESETS[preset], **overrides})
        self.seed(seed)

    def seed(self, seed: int | None) -> None:
        """Restart the teacher's random stream (``None``: fresh entropy)."""
        self._rng = np.random.default_rng(seed)

    def thresholds(self, scale: float) -> tuple[float, float]:
        """``(thres_skip, thres_equal)`` for an average true segment return ``scale``."""
        return self.params.eps_skip * scale, self.params.eps_equal * scale

    def label(self, rewards0, rewards1, scale: float = 0.0) -> np.ndarray:
        """Labels of the pairs ``(rewards0[i], rewards1[i])``, each a segment's true per-step rewards.

        ``rewards0`` and ``rewards1`` have shape ``(T,)`` (one pair) or ``(B, T)``; the result has shape
        ``()`` or ``(B,)``: 1.0 (second preferred), 0.0 (first), 0.5 (equal) or nan (skipped).
        """
        r0, r1 = np.asarray(rewards0, dtype=np.float64), np.asarray(rewards1, dtype=np.float64)
        if r0.shape != r1.shape or r0.ndim not in (1, 2) or r0.shape[-1] < 1:
            raise ValueError(f"the two segments must have the same shape (T,) or (B, T), got {r0.shape} and {r1.shape}")
        if not (np.isfinite(r0).all() and np.isfinite(r1).all()):
            raise ValueError("segment rewards must be finite")
        single = r0.ndim == 1
        r0, r1 = np.atleast_2d(r0), np.atleast_2d(r1)
        p = self.params
        thres_skip, thres_equal = self.thresholds(float(scale))
        ret0, ret1 = r0.sum(axis=1), r1.sum(axis=1)
        skipped = np.maximum(ret0, ret1) <= thres_skip if thres_skip > 0 else np.zeros(len(r0), dtype=bool)
        equal = np.abs(ret0 - ret1) < thres_equal
        weights = p.gamma ** np.arange(r0.shape[1] - 1, -1, -1, dtype=np.float64)
        d0, d1 = r0 @ weights, r1 @ weights
        if math.isinf(p.beta):
            labels = (d0 < d1).astype(np.float64)
        else:
            prob_second = 0.5 * (1.0 + np.tanh(0.5 * p.beta * (d1 - d0)))  # sigmoid, without overflow
            labels = (self._rng.random(len(r0)) < prob_second).astype(np.float64)
        if p.eps_mistake > 0:
            flip = self._rng.random(len(r0)) <= p.eps_mistake
            labels[flip] = 1.0 - labels[flip]
        labels[equal] = 0.5
        labels[skipped] = np.nan
        return labels[0] if single else labels

    def __repr__(self) -> str:
        return f"SimTeacher({self.preset!r}, {self.params})"
