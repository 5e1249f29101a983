"""Leaderboard metrics: what one trial of a policy on a protocol scores, and which way is better.

A metric names a *trial function* ``trial(benchmark, policy_spec, seed) -> list[float]`` that builds the
env and the policy, plays one trial and returns one score per task of the protocol's split (in split
order). Families whose score is not a per-episode sum (win rate, sub-task SPL) put their trial function
in their own package; this table names them by string, so nothing is imported until a benchmark uses it.
A metric may reduce a seed's task scores for the leaderboard: ``worst_case_return`` keeps the per-point
returns of a robust env's grid in the entry and ranks methods by their minimum.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """One metric: its trial function (``"module:function"``), direction and meaning."""

    name: str
    trial: str
    higher_is_better: bool
    description: str
    reduce_over_tasks: str | None = None  # "min": the leaderboard scores each seed's worst task


METRICS: dict[str, Metric] = {m.name: m for m in (
    Metric("return", "rlenvs.evaluation.runner:episode_trial", True,
           "mean undiscounted episode return per task"),
    Metric("success", "rlenvs.evaluation.runner:episode_trial", True,
           "fraction of a task's episodes in which the step info reported success at least once"),
    Metric("spl", "rlenvs.house.evaluation:subtask_trial", True,
           "mean SPL over the complete sub-tasks of a trial in each house (ReLIC, Habitat)"),
    Metric("icl_gain", "rlenvs.house.evaluation:subtask_trial", True,
           "in-context gain: SPL of the last sub-task indices minus the first ones, per house"),
    Metric("worst_case_return", "rlenvs.evaluation.runner:episode_trial", True,
           "the worst mean episode return over the split's tasks (a robust env's evaluation grid), per seed",
           reduce_over_tasks="min"),
    Metric("win_rate", "rlenvs.smax.evaluation:win_rate_trial", True,
           "fraction of a task's episodes won against the scenario's enemy (SMAX)"),
)}


def get_metric(name: str) -> Metric:
    """The metric ``name``; unknown names list the known ones."""
    if name not in METRICS:
        raise ValueError(f"unknown metric {name!r}; known: {sorted(METRICS)}")
    return METRICS[name]
