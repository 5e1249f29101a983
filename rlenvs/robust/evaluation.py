"""Worst-case evaluation of a fixed policy over an uncertainty set, batched over the set's points.

- :func:`evaluate_worst_case`: the uniform-grid protocol of M2TD3 / RRLS / IWOCS. Every grid point gets
  ``episodes`` episodes; the worst-case score is the minimum over the points of the mean return at each,
  the average score their mean.
- :func:`worst_case_search`: CMA-ES over the set for the parameters that minimise the policy's mean return
  (IWOCS's worst-case search), one batched evaluation per CMA-ES population.

Both step every point at once in the robust vector env (all points stepped at once at every
step). Env ``i`` holds point ``i`` and plays its episodes in a row, seeded exactly as the leaderboards'
trials seed task ``i`` of a split (:mod:`rlenvs.evaluation.runner`): on a grid split (``m2td3_grid``,
``rrls_grid``) the per-point returns equal the leaderboard ``return`` scores of the same seed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rlenvs.core.task import Task
from rlenvs.robust.grids import GRID_CONVENTIONS, uncertainty_grid
from rlenvs.robust.search import cma_worst_case
from rlenvs.robust.tasks import GRID_POINTS


@dataclass(frozen=True)
class WorstCase:
    """A policy's mean return at each of ``points`` (``episodes`` episodes each) of ``env_id``."""

    env_id: str
    grid: str
    points: tuple[dict[str, float], ...]
    returns: tuple[float, ...]
    episodes: int
    seed: int

    @property
    def worst(self) -> float:
        """The worst-case score: the minimum over the points of the mean return."""
        return float(min(self.returns))

    @property
    def average(self) -> float:
        """The average score: the mean over the points of the mean return."""
        return float(np.mean(self.returns))

    @property
    def argmin(self) -> dict[str, float]:
        """The parameters of the worst point (the first of equal ones)."""
        return self.points[int(np.argmin(self.returns))]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary and per-point returns."""
        return {"env_id": self.env_id, "grid": self.grid, "episodes": self.episodes, "seed": self.seed,
                "worst": self.worst, "average": self.average, "argmin": self.argmin,
                "points": list(self.points), "returns": list(self.returns)}


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _envs(env_id: str, num_envs: int, num_threads: int | None, max_episode_steps: int | None,
          env_kwargs: Mapping[str, Any]):
    from rlenvs.registration import get_entry, make_vec

    entry = get_entry(env_id)
    if entry.vector_entry_point != "rlenvs.robust.vector:RobustVectorEnv":
        raise ValueError(f"{entry.id} is not a robust env (rlenvs/Robust*); `rlenvs list` shows them")
    kwargs = dict(env_kwargs)
    if max_episode_steps is not None:
        kwargs["max_episode_steps"] = max_episode_steps
    threads = num_threads if num_threads is not None else _cpus()
    return make_vec(entry.id, num_envs=num_envs, vectorization_mode="vector_entry_point", num_threads=threads,
                    **kwargs)


def mean_returns(policy: Any, env_id: str, tasks: Sequence[Task | Mapping[str, float]], episodes: int = 30, *,
                 seed: int = 0, num_envs: int | None = None, num_threads: int | None = None,
                 max_episode_steps: int | None = None, progress: Callable[[int], None] | None = None,
                 **env_kwargs: Any) -> np.ndarray:
    """The mean undiscounted return of ``policy`` over ``episodes`` episodes at each of ``tasks``.

    ``policy``: a function of the batch of observations (or an object with ``act(obs)``), or a policy
    factory ``"module:name"`` called with the vector env, as ``rlenvs evaluate`` takes (its ``seed`` hook,
    if any, gets ``seed + first task index`` of each chunk). ``num_envs`` caps the envs stepped together
    (default: every task in one batch); ``num_threads`` defaults to the CPUs this process may use.
    ``progress(k)`` is called with the number of episodes each step completed.
    """
    if isinstance(episodes, bool) or not isinstance(episodes, int) or episodes < 1:
        raise ValueError(f"episodes must be a positive int, got {episodes!r}")
    if len(tasks) == 0:
        raise ValueError("no tasks to evaluate")
    # the leaderboards' seeding, episode scoring and policy specs
    from rlenvs.evaluation.runner import _trial_seeds, episode_means, load_object
    n = len(tasks)
    seeds = _trial_seeds(seed, n)
    chunk = n if num_envs is None else int(num_envs)
    returns = np.empty(n)
    for start in range(0, n, chunk):
        part = list(tasks[start:start + chunk])
        envs = _envs(env_id, len(part), num_threads, max_episode_steps, env_kwargs)
        try:
            actor = load_object(policy)(envs) if isinstance(policy, str) else policy
            if hasattr(actor, "seed"):
                actor.seed(seed + start)
            act = getattr(actor, "act", actor)
            obs, _ = envs.reset(seed=seeds[start:start + len(part)], options={"tasks": part})
            step = _policy_step(envs, act, obs)
            returns[start:start + len(part)] = episode_means(step, len(part), episodes, progress=progress)
        finally:
            envs.close()
    return returns


def _policy_step(envs, act, obs):
    """``step()`` for :func:`~rlenvs.evaluation.runner.episode_means`: ``act`` on the last observations."""

    def step():
        nonlocal obs
        obs, rewards, terminations, truncations, infos = envs.step(act(obs))
        return rewards, terminations, truncations, infos

    return step


def grid_points(env_id: str, grid: str | Sequence[Mapping[str, float] | Task] = "m2td3", points: int = GRID_POINTS,
                **env_kwargs: Any) -> list[Task]:
    """The tasks of an evaluation grid of ``env_id``'s uncertainty set.

    ``grid``: ``"m2td3"`` (``linspace``, end points included) or ``"rrls"`` (``arange``, upper bound left
    out) with ``points`` per dimension (10: the env's ``m2td3_grid`` / ``rrls_grid`` split), or explicit
    points (dicts or tasks).
    """
    from rlenvs.registration import make

    env = make(env_id, **env_kwargs)
    distribution = env.unwrapped.task_distribution
    env.close()
    if not isinstance(grid, str):
        return [distribution.task_type.coerce(point) for point in grid]
    if grid not in GRID_CONVENTIONS:
        raise ValueError(f"grid must be one of {GRID_CONVENTIONS} or a sequence of points, got {grid!r}")
    if points == GRID_POINTS and f"{grid}_grid" in distribution.split_names:
        return list(distribution.split(f"{grid}_grid"))
    bounds = {spec.name: (spec.low, spec.high) for spec in distribution.task_type.field_specs()}
    return [distribution.task_type(**point) for point in uncertainty_grid(bounds, points, grid)]


def evaluate_worst_case(policy: Any, env_id: str, grid: str | Sequence[Mapping[str, float] | Task] = "m2td3",
                        episodes: int = 30, *, points: int = GRID_POINTS, seed: int = 0, num_envs: int | None = None,
                        num_threads: int | None = None, max_episode_steps: int | None = None,
                        progress: Callable[[int], None] | None = None, **env_kwargs: Any) -> WorstCase:
    """Score ``policy`` over a uniform grid of ``env_id``'s uncertainty set (see :func:`grid_points`):
    ``episodes`` episodes per point (M2TD3's ``evaluate_num``, 30), all points stepped together.

    Returns a :class:`WorstCase` (``worst``, ``average``, ``argmin``, per-point ``returns``). Keyword
    arguments as :func:`mean_returns`; ``env_kwargs`` (e.g. ``convention="rrls"``) go to the env.
    """
    tasks = grid_points(env_id, grid, points, **env_kwargs)
    returns = mean_returns(policy, env_id, tasks, episodes, seed=seed, num_envs=num_envs, num_threads=num_threads,
                           max_episode_steps=max_episode_steps, progress=progress, **env_kwargs)
    name = grid if isinstance(grid, str) else "custom"
    return WorstCase(env_id, name, tuple(t.to_dict() for t in tasks), tuple(returns.tolist()), episodes, seed)


def worst_case_search(policy: Any, env_id: str, *, budget: int = 200, episodes: int = 10, seed: int = 0,
                      sigma: float = 0.3, num_threads: int | None = None, max_episode_steps: int | None = None,
                      **env_kwargs: Any) -> tuple[dict[str, float], float]:
    """The parameters of ``env_id``'s set where ``policy``'s mean return (``episodes`` episodes) is lowest,
    searched by CMA-ES (:func:`rlenvs.robust.search.cma_worst_case`, ``budget`` points); returns them
    and that mean return. Every population is one batched evaluation, seeded alike (common random
    numbers: candidate ``k`` of every population gets the same reset seeds)."""
    from rlenvs.registration import make

    env = make(env_id, **env_kwargs)
    task_type = env.unwrapped.task_distribution.task_type
    env.close()
    bounds = {spec.name: (spec.low, spec.high) for spec in task_type.field_specs()}

    def objective(candidates: list[dict[str, float]]) -> np.ndarray:
        return mean_returns(policy, env_id, [task_type(**c) for c in candidates], episodes, seed=seed,
                            num_threads=num_threads, max_episode_steps=max_episode_steps, **env_kwargs)

    return cma_worst_case(objective, bounds, budget=budget, seed=seed, sigma=sigma)
