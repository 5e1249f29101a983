"""Views of a dataset's episodes for offline learners: DT trajectories, per-task groups, prompts, SS-ORL."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np

from rlenvs.datasets.collect import Episode


def to_trajectories(episodes: Sequence[Episode]) -> list[dict[str, Any]]:
    """The Decision-Transformer layout: one dict per episode with ``observations``, ``actions``,
    ``rewards``, ``next_observations``, ``terminals`` (T rows each) and the episode's ``task`` dict."""
    return [
        {
            "observations": ep.observations[:-1],
            "actions": ep.actions,
            "rewards": ep.rewards,
            "next_observations": ep.observations[1:],
            "terminals": ep.terminations,
            "task": ep.task,
        }
        for ep in episodes
    ]


def per_task(trajectories: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Trajectories grouped by task, keyed by the task's canonical JSON, in first-seen order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for traj in trajectories:
        groups.setdefault(json.dumps(traj["task"], sort_keys=True, separators=(",", ":")), []).append(traj)
    return groups


def sample_prompt_segments(trajectories: Sequence[dict[str, Any]], length: int, count: int,
                           rng: np.random.Generator) -> list[dict[str, Any]]:
    """``count`` windows of ``length`` consecutive steps, each from a uniformly drawn trajectory at a
    uniformly drawn start (Prompt-DT's prompts; pass one task's trajectories for task prompts)."""
    usable = [t for t in trajectories if len(t["rewards"]) >= length]
    if not usable:
        raise ValueError(f"no trajectory has {length} steps")
    out = []
    for _ in range(count):
        traj = usable[rng.integers(len(usable))]
        start = int(rng.integers(len(traj["rewards"]) - length + 1))
        out.append({key: (value[start:start + length] if isinstance(value, np.ndarray) else value)
                    for key, value in traj.items()})
    return out


def mask_actions(trajectories: Sequence[dict[str, Any]], labelled_frac: float = 0.1,
                 from_bottom_quantile: float = 0.5, seed: int = 0) -> tuple[list[dict], list[dict]]:
    """SS-ORL's split (Zheng et al., ICML 2023): ``(labelled, action_free)`` trajectories.

    Trajectories are sorted by return (ascending, stable); the labelled set is a uniform draw without
    replacement of ``min(int(n * from_bottom_quantile), int(n * labelled_frac))`` trajectories among the
    lowest ``int(n * from_bottom_quantile)``; every other trajectory loses its ``actions``. Both lists are
    in return order. Deviation: the original's loader also drops the lowest-return trajectory as a side
    effect of a timestep budget loop; here every trajectory is kept.
    """
    if not 0.0 <= labelled_frac <= 1.0 or not 0.0 <= from_bottom_quantile <= 1.0:
        raise ValueError("labelled_frac and from_bottom_quantile must be in [0, 1]")
    n = len(trajectories)
    order = np.argsort([float(np.sum(t["rewards"])) for t in trajectories], kind="stable")
    upper = int(n * from_bottom_quantile)
    size = min(upper, int(n * labelled_frac))
    chosen = set(np.random.default_rng(seed).choice(upper, size=size, replace=False).tolist())
    labelled = [trajectories[order[k]] for k in range(n) if k in chosen]
    action_free = [{key: v for key, v in trajectories[order[k]].items() if key != "actions"}
                   for k in range(n) if k not in chosen]
    return labelled, action_free
