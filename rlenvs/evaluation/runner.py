"""``evaluate(policy_factory, benchmark)``: run a policy on a protocol and return a leaderboard entry.

A policy factory is called with the vector env the policy will act in (``envs``: spaces, ``num_envs``,
``task_distribution``) and returns a policy: a callable ``obs -> actions`` over the batch, or an object
with ``act(obs)``. Optional hooks: ``seed(seed)`` with the trial's seed, ``reset_memory()`` before
every trial (in-context learners start from scratch on each seed), ``observe(rewards, terminations,
truncations)`` after every step, and ``uses_task = True`` for oracle references, which are then called
as ``act(obs, task_params)``.

Each seed is one trial: env ``i`` holds task ``i`` of the split and plays ``episodes_per_task``
episodes in a row; the task's score is its mean episode return. Seeds run in parallel on a local
process pool (``backend="process"``), on Ray (``backend="ray"``) or in this process (``"serial"``).
"""

from __future__ import annotations

import importlib
import json
import platform
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

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


def run_trial(benchmark: Benchmark, policy_spec: str, seed: int) -> list[float]:
    """Scores of one seed: the mean episode return of each task of the split, in split order."""
    from rlenvs.registration import get_entry, make_vec

    tasks = list(benchmark.tasks())
    n, episodes = len(tasks), benchmark.episodes_per_task
    mode = "vector_entry_point" if get_entry(benchmark.env_id).vector else "sync"
    envs = make_vec(benchmark.env_id, num_envs=n, vectorization_mode=mode, **benchmark.env_kwargs)
    policy = load_object(policy_spec)(envs)
    act = getattr(policy, "act", policy)
    uses_task = getattr(policy, "uses_task", False)
    task_params = np.stack([t.to_array() for t in tasks])
    if hasattr(policy, "seed"):
        policy.seed(seed)
    if hasattr(policy, "reset_memory"):
        policy.reset_memory()
    if mode == "sync":
        for env, task in zip(envs.envs, tasks, strict=True):
            env.unwrapped.set_task(task)
        obs, _ = envs.reset(seed=_trial_seeds(seed, n))
    else:
        obs, _ = envs.reset(seed=_trial_seeds(seed, n), options={"tasks": tasks})
    totals, done_episodes = np.zeros(n), np.zeros(n, dtype=np.int64)
    running = np.zeros(n)
    resetting = np.zeros(n, dtype=bool)
    while (done_episodes < episodes).any():
        actions = act(obs, task_params) if uses_task else act(obs)
        obs, rewards, terms, truncs, _ = envs.step(actions)
        if hasattr(policy, "observe"):
            policy.observe(rewards, terms, truncs)
        counting = ~resetting & (done_episodes < episodes)  # NEXT_STEP autoreset steps carry no reward
        running += np.where(counting, rewards, 0.0)
        ended = (terms | truncs) & counting
        totals += np.where(ended, running, 0.0)
        running[ended | resetting] = 0.0
        done_episodes += ended
        resetting = terms | truncs
    envs.close()
    return (totals / episodes).tolist()


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


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
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    load_object(policy_spec)  # fail early on a bad spec
    seeds = list(benchmark.seeds if seeds is None else seeds)
    results = dict(done or {})
    todo = [s for s in seeds if s not in results]
    start = time.perf_counter()

    def finish(seed: int, scores: list[float]) -> None:
        results[seed] = scores
        if on_seed is not None:
            on_seed(seed, scores)

    if backend == "serial" or not todo:
        for seed in todo:
            finish(seed, run_trial(benchmark, policy_spec, seed))
    elif backend == "process":
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(run_trial, benchmark, policy_spec, s): s for s in todo}
            for future in as_completed(futures):
                finish(futures[future], future.result())
    else:
        import ray

        started = not ray.is_initialized()
        if started:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
        try:
            remote = ray.remote(run_trial)
            pending = {remote.remote(benchmark, policy_spec, s): s for s in todo}
            while pending:
                ready, _ = ray.wait(list(pending), num_returns=1)
                finish(pending.pop(ready[0]), ray.get(ready[0]))
        finally:
            if started:
                ray.shutdown()

    from rlenvs import __version__

    entry = {
        "method": method,
        "benchmark": benchmark.name,
        "env_id": benchmark.env_id,
        "split": benchmark.split,
        "split_sha256": benchmark.split_sha256,
        "episodes_per_task": benchmark.episodes_per_task,
        "seeds": seeds,
        "scores": [results[s] for s in seeds],
        "policy": policy_spec,
        "command": command or f"rlenvs evaluate --policy {policy_spec} --benchmark {benchmark.name} --method {method}",
        "paper": paper,
        "rlenvs_version": __version__,
        "commit": _git_commit(),
        "hardware": f"{platform.machine()} {platform.processor() or platform.system()}, backend {backend}",
        "wall_time_s": round(time.perf_counter() - start, 3),
    }
    return entry


def write_entry(entry: dict[str, Any], benchmark: Benchmark) -> Path:
    """Validate ``entry`` against its protocol and write it to ``<benchmark>/entries/<method>.json``."""
    validate_entry(entry, benchmark)
    benchmark.entries_dir.mkdir(parents=True, exist_ok=True)
    path = benchmark.entries_dir / f"{entry['method']}.json"
    path.write_text(json.dumps(entry, indent=1) + "\n")
    return path
