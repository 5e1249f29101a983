"""``evaluate(policy_factory, benchmark)``: run a policy on a protocol and return a leaderboard entry.

A policy factory is called with the vector env the policy will act in (``envs``: spaces, ``num_envs``,
``task_distribution``) and returns a policy: a callable ``obs -> actions`` over the batch, or an object
with ``act(obs)``. Optional hooks: ``seed(seed)`` with the trial's seed, ``reset_memory()`` before
every trial (in-context learners start from scratch on each seed), ``observe(rewards, terminations,
truncations)`` after every step, and ``uses_task = True`` for oracle references, which are then called
as ``act(obs, task_params)``. A factory with the attribute ``vectorization_mode = "sync"`` gets a
``SyncVectorEnv`` of single envs (scripted references that read an env's internals); the native vector
env and it give identical trajectories.

Each seed is one trial: env ``i`` holds task ``i`` of the split and plays ``episodes_per_task``
episodes in a row; the protocol's metric (:mod:`rlenvs.evaluation.metrics`) turns them into one score per
task. Seeds run in parallel on a local process pool (``backend="process"``), on Ray (``backend="ray"``)
or in this process (``"serial"``); :func:`sweep` spreads methods x benchmarks x seeds over one pool.
"""

from __future__ import annotations

import importlib
import json
import platform
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rlenvs.evaluation.metrics import get_metric
from rlenvs.evaluation.protocol import Benchmark, validate_entry

BACKENDS = ("serial", "process", "ray")


def load_object(spec: str) -> Any:
    """``"package.module:name"`` -> the object."""
    module, sep, name = spec.partition(":")
    if not sep or not module or not name:
        raise ValueError(f"expected 'module:name', got {spec!r}")
    return getattr(importlib.import_module(module), name)


def _trial_seeds(seed: int, num_tasks: int) -> list[int]:
    # one independent env seed per (seed, task); consecutive protocol seeds share no env stream
    return [int(s) for s in np.random.SeedSequence([seed]).generate_state(num_tasks, dtype=np.uint64)]


class Trial:
    """The envs and the policy of one seed of a protocol on tasks ``start:stop`` of its split.

    Env ``i`` holds task ``start + i``, reset with that task's seed (drawn from the protocol seed, so a
    task's trajectory does not depend on how the split is chunked). ``obs`` is the first observation;
    :meth:`step` asks the policy for actions, steps the envs and feeds ``observe``. Use
    :func:`trials` to cover a whole split.
    """

    def __init__(self, benchmark: Benchmark, policy_spec: str, seed: int, start: int = 0, stop: int | None = None):
        from rlenvs.registration import get_entry, make_vec

        split = list(benchmark.tasks())
        self.env_id = benchmark.env_id
        self.tasks = split[start:stop]
        n = self.num_envs = len(self.tasks)
        seeds = _trial_seeds(seed, len(split))[start:start + n]
        factory = load_object(policy_spec)
        native = "vector_entry_point" if get_entry(benchmark.env_id).vector else "sync"
        mode = getattr(factory, "vectorization_mode", native)
        self.envs = make_vec(benchmark.env_id, num_envs=n, vectorization_mode=mode, **benchmark.env_kwargs)
        self.policy = factory(self.envs)
        self._act = getattr(self.policy, "act", self.policy)
        self._uses_task = getattr(self.policy, "uses_task", False)
        self._observe = getattr(self.policy, "observe", None)
        self.task_params = np.stack([t.to_array() for t in self.tasks])
        if hasattr(self.policy, "seed"):
            self.policy.seed(seed + start)
        if hasattr(self.policy, "reset_memory"):
            self.policy.reset_memory()
        if mode == "sync":
            for env, task in zip(self.envs.envs, self.tasks, strict=True):
                env.unwrapped.set_task(task)
            self.obs, _ = self.envs.reset(seed=seeds)
        else:
            self.obs, _ = self.envs.reset(seed=seeds, options={"tasks": self.tasks})

    def step(self):
        """One step of every env under the policy; returns ``(rewards, terminations, truncations, infos)``."""
        actions = self._act(self.obs, self.task_params) if self._uses_task else self._act(self.obs)
        self.obs, rewards, terms, truncs, infos = self.envs.step(actions)
        if self._observe is not None:
            self._observe(rewards, terms, truncs)
        return rewards, terms, truncs, infos

    def close(self) -> None:
        self.envs.close()


def trials(benchmark: Benchmark, policy_spec: str, seed: int):
    """The :class:`Trial` of each chunk of the split, in order: chunks hold at most the env's
    ``max_num_envs`` tasks (envs with heavy per-env state), otherwise the whole split is one trial."""
    from rlenvs.registration import get_entry

    n = len(benchmark.tasks())
    size = get_entry(benchmark.env_id).max_num_envs or n
    for start in range(0, n, size):
        trial = Trial(benchmark, policy_spec, seed, start, start + size)
        try:
            yield trial
        finally:
            trial.close()


def _step_success(infos: dict[str, Any], env_id: str) -> np.ndarray:
    """Which envs report ``info["success"]`` on this step, as 0/1 floats."""
    if "success" not in infos:
        raise ValueError(f"metric 'success' needs step infos with 'success'; {env_id}'s envs report none")
    return np.where(infos.get("_success", True), np.asarray(infos["success"], dtype=np.float64), 0.0)


def episode_trial(benchmark: Benchmark, policy_spec: str, seed: int) -> list[float]:
    """Per task: the mean episode return (metric ``return``) or the fraction of episodes with
    ``info["success"]`` at some step (metric ``success``, Meta-World's convention)."""
    scores: list[float] = []
    for trial in trials(benchmark, policy_spec, seed):
        scores += _episode_scores(trial, benchmark.episodes_per_task, success=benchmark.metric == "success")
    return scores


def _episode_scores(trial: Trial, episodes: int, success: bool) -> list[float]:
    success_of = (lambda infos: _step_success(infos, trial.env_id)) if success else None
    return episode_means(trial.step, trial.num_envs, episodes, success_of=success_of).tolist()


def episode_means(step: Callable[[], tuple], num_envs: int, episodes: int, *,
                  success_of: Callable[[dict[str, Any]], np.ndarray] | None = None,
                  progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Per env, the mean over its first ``episodes`` episodes of the undiscounted return, or, given
    ``success_of(infos)`` (0/1 per env), of whether the episode succeeded at some step.

    ``step()`` steps every env and returns ``(rewards, terminations, truncations, infos)``; autoreset is
    NEXT_STEP, so the step after an episode's end carries no reward. ``progress(k)`` gets the number of
    episodes each step ended.
    """
    totals, done = np.zeros(num_envs), np.zeros(num_envs, dtype=np.int64)
    running = np.zeros(num_envs)
    resetting = np.zeros(num_envs, dtype=bool)
    while (done < episodes).any():
        rewards, terms, truncs, infos = step()
        counting = ~resetting & (done < episodes)
        if success_of is not None:
            running = np.maximum(running, np.where(counting, success_of(infos), 0.0))
        else:
            running += np.where(counting, rewards, 0.0)
        ended = (terms | truncs) & counting
        totals += np.where(ended, running, 0.0)
        running[ended | resetting] = 0.0
        done += ended
        resetting = terms | truncs
        if progress is not None and ended.any():
            progress(int(ended.sum()))
    return totals / episodes


def run_trial(benchmark: Benchmark, policy_spec: str, seed: int) -> list[float]:
    """Scores of one seed under the protocol's metric: one per task of the split, in split order."""
    return load_object(get_metric(benchmark.metric).trial)(benchmark, policy_spec, seed)


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def timed_trial(benchmark: Benchmark, policy_spec: str, seed: int) -> tuple[list[float], float]:
    """:func:`run_trial` and the seconds it took."""
    start = time.perf_counter()
    scores = run_trial(benchmark, policy_spec, seed)
    return scores, time.perf_counter() - start


def run_jobs(jobs: Sequence[tuple[Benchmark, str, int]], *, backend: str = "process", workers: int = 2,
             on_done: Callable[[int, list[float]], None] | None = None) -> list[tuple[list[float], float]]:
    """Run ``(benchmark, policy_spec, seed)`` trials on ``backend``; returns ``(scores, seconds)`` in job order.

    ``on_done(job_index, scores)`` is called as each job finishes, in any order.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    results: dict[int, tuple[list[float], float]] = {}

    def finish(k: int, result: tuple[list[float], float]) -> None:
        results[k] = result
        if on_done is not None:
            on_done(k, result[0])

    if backend == "serial" or not jobs:
        for k, job in enumerate(jobs):
            finish(k, timed_trial(*job))
    elif backend == "process":
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(timed_trial, *job): k for k, job in enumerate(jobs)}
            for future in as_completed(futures):
                finish(futures[future], future.result())
    else:
        import ray

        started = not ray.is_initialized()
        if started:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
        try:
            remote = ray.remote(timed_trial)
            pending = {remote.remote(*job): k for k, job in enumerate(jobs)}
            while pending:
                ready, _ = ray.wait(list(pending), num_returns=1)
                finish(pending.pop(ready[0]), ray.get(ready[0]))
        finally:
            if started:
                ray.shutdown()
    return [results[k] for k in range(len(jobs))]


def make_entry(benchmark: Benchmark, policy_spec: str, *, method: str, seeds: Sequence[int],
               scores: Sequence[list[float]], backend: str, wall_time_s: float, paper: str = "",
               command: str = "") -> dict[str, Any]:
    """The leaderboard entry of ``method``'s per-seed ``scores`` on ``benchmark``."""
    from rlenvs import __version__

    return {
        "method": method,
        "benchmark": benchmark.name,
        "env_id": benchmark.env_id,
        "split": benchmark.split,
        "split_sha256": benchmark.split_sha256,
        "episodes_per_task": benchmark.episodes_per_task,
        "seeds": list(seeds),
        "scores": [list(row) for row in scores],
        "policy": policy_spec,
        "command": command or f"rlenvs evaluate --policy {policy_spec} --benchmark {benchmark.name} --method {method}",
        "paper": paper,
        "rlenvs_version": __version__,
        "commit": _git_commit(),
        "hardware": f"{platform.machine()} {platform.processor() or platform.system()}, backend {backend}",
        "wall_time_s": round(wall_time_s, 3),
    }


def evaluate(policy_spec: str, benchmark: Benchmark, *, method: str, seeds: Sequence[int] | None = None,
             backend: str = "process", workers: int = 2, paper: str = "", command: str = "",
             done: dict[int, list[float]] | None = None,
             on_seed: Callable[[int, list[float]], None] | None = None) -> dict[str, Any]:
    """Score ``policy_spec`` (``"module:factory"``) on ``benchmark`` and return the entry.

    ``seeds`` defaults to the protocol's; an entry on other seeds is for analysis only and
    :func:`write_entry` refuses it.

    ``done`` holds seeds already scored (resuming); ``on_seed(seed, scores)`` is called as each seed
    finishes, in any order.
    """
    load_object(policy_spec)  # fail early on a bad spec
    seeds = list(benchmark.seeds if seeds is None else seeds)
    results = dict(done or {})
    todo = [s for s in seeds if s not in results]
    start = time.perf_counter()

    def finish(k: int, scores: list[float]) -> None:
        results[todo[k]] = scores
        if on_seed is not None:
            on_seed(todo[k], scores)

    run_jobs([(benchmark, policy_spec, s) for s in todo], backend=backend, workers=workers, on_done=finish)
    return make_entry(benchmark, policy_spec, method=method, seeds=seeds, scores=[results[s] for s in seeds],
                      backend=backend, wall_time_s=time.perf_counter() - start, paper=paper, command=command)


def sweep(methods: Mapping[str, str], benchmarks: Sequence[Benchmark], *, backend: str = "process",
          workers: int = 2, on_done: Callable[[str, str, int], None] | None = None) -> list[dict[str, Any]]:
    """Score every method (``{name: "module:factory"}``) on every benchmark over its protocol seeds.

    All ``methods x benchmarks x seeds`` trials share one pool (or Ray cluster), so a sweep keeps every
    worker busy; returns one entry per (benchmark, method), benchmarks outer, whose ``wall_time_s`` is the
    sum of its trials' times. ``on_done(benchmark, method, seed)`` is called as each trial finishes.
    """
    for spec in methods.values():
        load_object(spec)
    jobs = [(b, spec, s) for b in benchmarks for spec in methods.values() for s in b.seeds]
    keys = [(b.name, m, s) for b in benchmarks for m in methods for s in b.seeds]
    results = run_jobs(jobs, backend=backend, workers=workers,
                       on_done=None if on_done is None else lambda k, _: on_done(*keys[k]))
    by_key = dict(zip(keys, results, strict=True))
    return [make_entry(b, spec, method=m, seeds=b.seeds, scores=[by_key[(b.name, m, s)][0] for s in b.seeds],
                       backend=backend, wall_time_s=sum(by_key[(b.name, m, s)][1] for s in b.seeds))
            for b in benchmarks for m, spec in methods.items()]


def write_entry(entry: dict[str, Any], benchmark: Benchmark) -> Path:
    """Validate ``entry`` against its protocol and write it to ``<benchmark>/entries/<method>.json``."""
    validate_entry(entry, benchmark)
    benchmark.entries_dir.mkdir(parents=True, exist_ok=True)
    path = benchmark.entries_dir / f"{entry['method']}.json"
    path.write_text(json.dumps(entry, indent=1) + "\n")
    return path
