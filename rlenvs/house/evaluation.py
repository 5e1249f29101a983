"""HouseNav on the leaderboards: the sub-task trial metrics and the scripted references as policy factories.

A HouseNav benchmark scores one trial per house of its split (``episodes_per_task: 1``; a trial is one
Gymnasium episode). Metrics (see :mod:`rlenvs.evaluation.metrics`):

- ``spl``: the mean SPL over the trial's complete sub-tasks (ReLIC / Habitat SPL);
- ``icl_gain``: :func:`rlenvs.house.references.icl_gain` of the trial: mean SPL of the last sub-task
  indices minus the first ones (0 when fewer than 2 sub-tasks completed: no gain was shown).

The scripted references read the env's internals (distance fields, the integer pose), so their factories
ask the runner for a ``SyncVectorEnv`` of single envs, which steps exactly like the native vector env.
"""

from __future__ import annotations

import numpy as np

from rlenvs.house.references import Explorer, Oracle, icl_gain


def _finished_subtasks(envs, infos) -> list[tuple[int, dict]]:
    if hasattr(envs, "finished_subtasks"):  # the native vector env
        return envs.finished_subtasks()
    if "subtask" not in infos:
        return []
    sub, mask = infos["subtask"], infos["_subtask"]
    return [(int(i), {k: v[i] for k, v in sub.items()}) for i in np.flatnonzero(mask)]


def subtask_trial(benchmark, policy_spec: str, seed: int) -> list[float]:
    """Per house of the split: the trial's mean SPL (metric ``spl``) or its in-context gain (``icl_gain``)."""
    from rlenvs.evaluation.runner import trials

    if benchmark.episodes_per_task != 1:
        raise ValueError(f"{benchmark.name}: HouseNav metrics score one trial per house (episodes_per_task: 1)")
    records: list[list[dict]] = []
    for trial in trials(benchmark, policy_spec, seed):
        records += _subtask_records(trial)
    if benchmark.metric == "spl":
        return [float(np.mean([r["spl"] for r in rec])) if rec else 0.0 for rec in records]
    return [icl_gain([rec]) if len(rec) >= 2 else 0.0 for rec in records]


def _subtask_records(trial) -> list[list[dict]]:
    records: list[list[dict]] = [[] for _ in range(trial.num_envs)]
    running = np.ones(trial.num_envs, dtype=bool)
    while running.any():
        _, terms, truncs, infos = trial.step()
        for i, sub in _finished_subtasks(trial.envs, infos):
            if running[i] and not sub["incomplete"]:
                records[i].append(sub)
        running &= ~(terms | truncs)
    return records


class ScriptedReference:
    """One scripted HouseNav policy per env of a ``SyncVectorEnv``, reset at every trial."""

    def __init__(self, envs, make_policy):
        self.envs = envs.envs
        self.policies = [make_policy() for _ in self.envs]

    def reset_memory(self) -> None:
        for policy in self.policies:
            policy.reset()

    def act(self, obs: np.ndarray) -> np.ndarray:
        return np.array([p(env, o) for p, env, o in zip(self.policies, self.envs, obs, strict=True)])


def oracle(envs) -> ScriptedReference:
    """Privileged shortest path to the target (the upper reference)."""
    return ScriptedReference(envs, Oracle)


def explorer_with_memory(envs) -> ScriptedReference:
    """Frontier exploration that keeps its map over the trial (in-context memory of the house)."""
    return ScriptedReference(envs, lambda: Explorer(memory=True))


def explorer_without_memory(envs) -> ScriptedReference:
    """Frontier exploration that forgets the house at every sub-task (no in-context memory)."""
    return ScriptedReference(envs, lambda: Explorer(memory=False))


for _factory in (oracle, explorer_with_memory, explorer_without_memory):
    _factory.vectorization_mode = "sync"
