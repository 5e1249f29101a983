"""Win rates of a team policy against SMAX's heuristic enemy, for multi-agent leaderboards.

A *team policy factory* is called with the :class:`~rlenvs.smax.vector.SMAXVector` the policy will act in
(``num_envs``, ``num_agents``, ``num_actions``, ``obs_size``, ``mask_width``, ``task_distribution``) and
returns a policy: a callable ``(obs, masks) -> actions`` over the batch (``obs`` ``(num_envs,
num_agents, obs_size)`` float32, ``masks`` ``(num_envs, num_agents, mask_width)`` int8, actions
``(num_envs, num_agents)`` ints in the env's action order), or an object with ``act(obs, masks)``. The
optional hooks are those of :mod:`rlenvs.evaluation.runner`: ``seed(seed)`` with the trial's seed,
``reset_memory()`` before each trial, and ``observe(rewards, terminations, truncations)`` after each step.
Factories may also be given as ``"module:name"`` strings.

Each (scenario, seed) is one trial: ``episodes`` envs play one episode each (env ``b`` holds task
``b mod len(split)`` of ``task_split``, so the ``smacv2_*`` maps cover their held-out compositions evenly)
and the score is the fraction of battles won (SMAC's headline metric; draws and timeouts are not wins).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from rlenvs.smax import _kernels
from rlenvs.smax.vector import OUTCOMES, SMAXVector

#: the maps of JaxMARL's published SMAX baselines (IPPO / MAPPO win rates after 1e7 steps, specs/smax.md)
BASELINE_SCENARIOS = ("2s3z", "3s5z", "5m_vs_6m", "6h_vs_8z", "10m_vs_11m", "27m_vs_30m", "3s_vs_5z",
                      "3s5z_vs_3s6z")


def episode_outcomes(envs: SMAXVector, act: Callable, observe: Callable | None = None,
                     seed: int | list[int] | None = None) -> np.ndarray:
    """Reset ``envs`` (with ``seed``), play until every env has finished one episode with ``act(obs,
    masks)``, and return each env's first outcome code (:data:`rlenvs.smax.vector.OUTCOMES`)."""
    obs, info = envs.reset(seed=seed)
    first = np.zeros(envs.num_envs, dtype=np.int8)
    for _ in range(envs.core.max_steps):
        obs, rewards, terms, truncs, info = envs.step(act(obs, info["action_mask"]))
        if observe is not None:
            observe(rewards, terms, truncs)
        new = (first == _kernels.RUNNING) & (info["outcome"] != _kernels.RUNNING)
        first[new] = info["outcome"][new]
        if (first != _kernels.RUNNING).all():
            break
    return first


def _policy(factory: Callable | str, envs: SMAXVector, seed: int):
    if isinstance(factory, str):
        from rlenvs.evaluation.runner import load_object

        factory = load_object(factory)
    policy = factory(envs)
    if hasattr(policy, "seed"):
        policy.seed(seed)
    if hasattr(policy, "reset_memory"):
        policy.reset_memory()
    return getattr(policy, "act", policy), getattr(policy, "observe", None)


def win_rates(policy_factory: Callable | str, scenarios: Iterable[str] = BASELINE_SCENARIOS,
              seeds: Iterable[int] = (0, 1, 2), episodes: int = 32, task_split: str = "test",
              **env_kwargs: Any) -> dict[str, list[float]]:
    """Per scenario, the win rate of each seed's trial: ``{scenario: [win rate of seed 0, ...]}``.

    ``episodes`` battles per trial (SMAC's PyMARL tests use 32), against the heuristic enemy;
    ``env_kwargs`` go to :class:`~rlenvs.smax.vector.SMAXVector` (e.g. ``action_order="smac"``).
    Env seeds of a trial come from ``SeedSequence([seed])``, so scores are reproducible.
    """
    if not isinstance(episodes, (int, np.integer)) or episodes < 1:
        raise ValueError(f"episodes must be a positive int, got {episodes!r}")
    out: dict[str, list[float]] = {}
    for scenario in scenarios:
        split = SMAXVector(scenario, 1, task_split=task_split).task_distribution.split(task_split)
        tasks = [split[b % len(split)] for b in range(episodes)]
        out[scenario] = [float(np.mean(_wins(scenario, tasks, policy_factory, seed, task_split, env_kwargs)))
                         for seed in seeds]
    return out


def _wins(scenario: str, tasks: list, policy_factory: Callable | str, seed: int, task_split: str,
          env_kwargs: dict[str, Any]) -> np.ndarray:
    """One battle per entry of ``tasks`` (env ``b`` on ``tasks[b]``, seeded from ``SeedSequence([seed])``):
    whether the allies won each."""
    envs = SMAXVector(scenario, len(tasks), copy=False, task_split=task_split, **env_kwargs)
    envs.set_tasks(tasks)
    act, observe = _policy(policy_factory, envs, seed)
    env_seeds = [int(s) for s in np.random.SeedSequence([seed]).generate_state(len(tasks), np.uint64)]
    return episode_outcomes(envs, act, observe, seed=env_seeds) == _kernels.ALLY_WIN


def win_rate_trial(benchmark, policy_spec: str, seed: int) -> list[float]:
    """The leaderboard metric ``win_rate`` (:mod:`rlenvs.evaluation.metrics`): per task of the protocol's
    split, the fraction of its ``episodes_per_task`` battles won; ``policy_spec`` is a team policy factory."""
    from rlenvs.registration import get_entry

    tasks, k = list(benchmark.tasks()), benchmark.episodes_per_task
    scenario = get_entry(benchmark.env_id).kwargs["scenario"]
    wins = _wins(scenario, [t for t in tasks for _ in range(k)], policy_spec, seed, benchmark.split,
                 dict(benchmark.env_kwargs))
    return wins.reshape(len(tasks), k).mean(axis=1).tolist()


def heuristic_outcomes(scenario: str, episodes: int, seed: int = 0, **env_kwargs: Any) -> dict[str, float]:
    """Heuristic allies against the heuristic enemy: the fraction of ``episodes`` (one per env, each counted
    once) that end in each outcome, ``{"ally_win", "enemy_win", "draw", "timeout"}``. JaxMARL's reference
    split is in tests/smax; pass ``max_steps=101`` for JaxMARL's horizon (it counts one step more)."""
    envs = SMAXVector(scenario, episodes, copy=False, **env_kwargs)
    outcomes = episode_outcomes(envs, heuristic_policy(envs), seed=seed)
    return {name: float(np.mean(outcomes == code)) for code, name in enumerate(OUTCOMES) if code != 0}


# -- reference team policies --------------------------------------------------------------------------

def heuristic_policy(envs: SMAXVector) -> Callable:
    """JaxMARL's heuristic for the allies (it reads the env's state, so it needs these very ``envs``): the
    mirror match of the enemy, the reference a learner should beat on symmetric maps (about 0.49 on 3m)."""
    return lambda obs, masks: envs.heuristic_actions(0)


class RandomTeamPolicy:
    """Each agent picks uniformly among its available actions (the mask), seeded by the trial's seed."""

    def __init__(self, envs: SMAXVector):
        self.rng = np.random.default_rng()

    def seed(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def act(self, obs: np.ndarray, masks: np.ndarray) -> np.ndarray:
        scores = np.where(masks > 0, self.rng.random(masks.shape), -1.0)
        return scores.argmax(axis=-1)


def random_policy(envs: SMAXVector) -> RandomTeamPolicy:
    """Uniform over available actions: the lower reference (JaxMARL measures 0 wins on 3m and 2s3z)."""
    return RandomTeamPolicy(envs)
