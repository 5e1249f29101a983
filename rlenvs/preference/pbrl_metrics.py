"""Leaderboard metrics of preference-based RL (spec section C.4): normalised return against the feedback
spent, the budget needed to reach 90% of the oracle, the area under that curve, and robustness over the six
B-Pref teachers.

A learning curve is two aligned 1-D arrays: the budget spent at each evaluation (queries, or env steps)
and the normalised return measured there.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from rlenvs.preference.teachers import TEACHERS


def normalized_return(returns, random_return, oracle_return) -> np.ndarray:
    """``(R - R_random) / (R_oracle - R_random)``: 0 = the random policy, 1 = the oracle (element-wise)."""
    returns, low, high = (np.asarray(x, dtype=np.float64) for x in (returns, random_return, oracle_return))
    if np.any(high <= low):
        raise ValueError(f"the oracle return must exceed the random return, got oracle {high} and random {low}")
    return (returns - low) / (high - low)


def _curve(budget, score) -> tuple[np.ndarray, np.ndarray]:
    budget, score = np.asarray(budget, dtype=np.float64), np.asarray(score, dtype=np.float64)
    if budget.ndim != 1 or budget.shape != score.shape or len(budget) < 1:
        raise ValueError(f"budget and score must be 1-D arrays of the same length, got {budget.shape}, {score.shape}")
    if np.any(np.diff(budget) <= 0):
        raise ValueError("budget must be strictly increasing (one evaluation per budget point)")
    return budget, score


def budget_to_reach(budget, score, fraction: float = 0.9) -> float:
    """The first budget at which the normalised ``score`` reaches ``fraction`` (default 90% of the oracle);
    ``inf`` if it never does. Queries-to-90% with ``budget`` = queries spent, env-steps-to-90% with env steps."""
    budget, score = _curve(budget, score)
    reached = np.flatnonzero(score >= fraction)
    return float(budget[reached[0]]) if len(reached) else float("inf")


def curve_auc(budget, score) -> float:
    """The mean normalised score over the measured budget range (trapezoidal area / range); a single point
    is its own score."""
    budget, score = _curve(budget, score)
    if len(budget) == 1:
        return float(score[0])
    area = float(np.sum(0.5 * (score[1:] + score[:-1]) * np.diff(budget)))
    return area / float(budget[-1] - budget[0])


def teacher_robustness(scores: Mapping[str, float]) -> dict[str, float | str]:
    """Mean and worst of a metric over the six B-Pref teachers (higher is better), with the worst teacher."""
    missing = sorted(set(TEACHERS) - set(scores))
    unknown = sorted(set(scores) - set(TEACHERS))
    if missing or unknown:
        raise ValueError(f"robustness needs a score for each of the six teachers {list(TEACHERS)}; "
                         f"missing {missing}, unknown {unknown}")
    values = {name: float(scores[name]) for name in TEACHERS}
    worst = min(values, key=values.__getitem__)
    return {"mean": float(np.mean(list(values.values()))), "worst": values[worst], "worst_teacher": worst}
