"""Throughput measurement shared by ``rlenvs bench`` and the pytest-benchmark suites in ``benchmarks/``.

Protocol: actions are drawn once up front (seeded), kernels are compiled before timing, outputs are
copied (the default), and env-steps count transitions only: a NEXT_STEP autoreset step is not a step.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import gymnasium as gym
import numpy as np

from rlenvs.registration import get_entry, make, make_vec

MODES = ("single", "sync", "vector")
TARGET_STEPS_PER_BLOCK = 16384
BLOCK_SECONDS = 0.25


class Runner:
    """Steps one env (``single``) or a vector env (``sync`` / ``vector``) over a block of fixed actions.

    ``num_envs`` is capped at the entry's ``max_num_envs`` (envs with heavy per-env state).

    ``warm_up()`` compiles the kernels and fits the block to the env's speed; ``run_block()`` does one block;
    ``transitions`` counts the env-steps done so far, ``blocks`` the blocks.
    """

    def __init__(self, env_id: str, mode: str, num_envs: int = 1, seed: int = 0, copy: bool = True):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        entry = get_entry(env_id)
        if mode == "vector" and not entry.vector:
            raise ValueError(f"{entry.id} has no native vector env; use mode 'sync'")
        self.env_id, self.mode = entry.id, mode
        self.num_envs = 1 if mode == "single" else min(int(num_envs), entry.max_num_envs or int(num_envs))
        self.transitions = 0
        self.blocks = 0
        block = max(1, TARGET_STEPS_PER_BLOCK // self.num_envs) if mode != "single" else 2048
        if mode == "single":
            self.env = make(entry.id)
            space = self.env.action_space
        else:
            kwargs = {"copy": copy} if mode == "vector" else {}
            self.env = make_vec(entry.id, num_envs=self.num_envs, vectorization_mode=(
                gym.VectorizeMode.VECTOR_ENTRY_POINT if mode == "vector" else gym.VectorizeMode.SYNC), **kwargs)
            space = self.env.action_space
        space.seed(seed)
        self.actions = [space.sample() for _ in range(block)]
        self.env.reset(seed=seed)
        self._resets_due = 0

    def warm_up(self, block_seconds: float = BLOCK_SECONDS) -> None:
        """Compile or load the kernels, then fit the block to the env's speed so that one takes about
        ``block_seconds`` at most (a full block of a slow env such as Meta-World takes seconds); resets the
        counters."""
        full = self.actions
        self.actions = full[:1]
        self.run_block()  # compiles or loads the kernels
        length, elapsed = 1, 0.0
        while length < len(full) and elapsed < block_seconds / 8:
            length = min(2 * length, len(full))
            self.actions = full[:length]
            start = time.perf_counter()
            self.run_block()
            elapsed = time.perf_counter() - start
        if elapsed > 0:  # scale the last probe to the target: up to the full block, or down for slow envs
            length = max(1, min(len(full), int(length * block_seconds / elapsed)))
        self.actions = full[:length]
        self.transitions = self.blocks = 0

    def run_block(self) -> None:
        """Step through the block of actions once."""
        step = self.env.step
        if self.mode == "single":
            reset = self.env.reset
            for action in self.actions:
                _, _, terminated, truncated, _ = step(action)
                if terminated or truncated:
                    reset()
            self.transitions += len(self.actions)
        else:
            done = 0
            resets = self._resets_due
            for action in self.actions:
                _, _, terminated, truncated, _ = step(action)
                resets += done
                done = np.count_nonzero(terminated | truncated)
            self._resets_due = done
            self.transitions += len(self.actions) * self.num_envs - resets
        self.blocks += 1

    @property
    def transitions_per_block(self) -> float:
        return self.transitions / max(self.blocks, 1)

    def close(self) -> None:
        self.env.close()


@dataclass(frozen=True)
class BenchResult:
    """One measured configuration."""

    env_id: str
    mode: str
    num_envs: int
    env_steps_per_s: float
    seconds: float


def measure(env_id: str, mode: str, num_envs: int = 1, seconds: float = 1.0, copy: bool = True) -> BenchResult:
    """Env-steps per second of ``env_id`` in ``mode`` over about ``seconds`` (after :meth:`Runner.warm_up`)."""
    runner = Runner(env_id, mode, num_envs, copy=copy)
    try:
        runner.warm_up(min(BLOCK_SECONDS, seconds / 4))
        start = time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds:
            runner.run_block()
        return BenchResult(runner.env_id, mode, runner.num_envs, runner.transitions / elapsed, elapsed)
    finally:
        runner.close()
