"""Throughput harness: ``pytest benchmarks`` times blocks of env steps with pytest-benchmark.

Each benchmark stores ``env_steps_per_s`` (transitions per second over the median block; NEXT_STEP
autoreset steps are not counted), ``num_envs``, ``mode`` and library versions in ``extra_info``. At the
end a table puts every figure beside its baseline measured in this run: records that share a ``compare``
label are divided by the one recorded with ``baseline=True`` (Gymnasium's ``SyncVectorEnv`` of the same
env for the throughput suite).

Options: ``--rlenvs-rounds N`` timed blocks per benchmark (default 5), ``--rlenvs-num-envs N`` envs of the
native vector form (default 1024).
"""

from __future__ import annotations

import pytest

_RESULTS: list[dict] = []


def pytest_addoption(parser):
    group = parser.getgroup("rlenvs")
    group.addoption("--rlenvs-rounds", type=int, default=5, help="timed blocks per benchmark")
    group.addoption("--rlenvs-num-envs", type=int, default=1024, help="envs in the native vector form")


@pytest.fixture
def rounds(request) -> int:
    return request.config.getoption("--rlenvs-rounds")


@pytest.fixture
def record_throughput(benchmark):
    """``record_throughput(steps_per_block, **config)``: store env-steps/s of the last pedantic run (or
    ``seconds_per_block``, a block time the test measured itself)."""

    def _record(steps_per_block: float, seconds_per_block: float | None = None, **config) -> float:
        import numba
        import numpy

        stats = benchmark.stats.stats if benchmark.stats is not None else None
        if stats is None:  # --benchmark-disable: nothing was timed
            return float("nan")
        rate = steps_per_block / (stats.median if seconds_per_block is None else seconds_per_block)
        benchmark.extra_info.update(config, env_steps_per_s=rate, numba=numba.__version__, numpy=numpy.__version__)
        _RESULTS.append({**config, "env_steps_per_s": rate})
        return rate

    return _record


@pytest.fixture
def minigrid_walk():
    """``minigrid_walk(peer_id)``: a warmed-up block of 2048 random left/right/forward steps of a MiniGrid env
    made with ``gym.make`` (the MiniGrid peers' workload; ``block.steps`` steps). Skips without MiniGrid."""
    pytest.importorskip("minigrid", reason="MiniGrid is not installed beside rlenvs: peer skipped")
    import gymnasium as gym
    import minigrid  # noqa: F401  (registers the MiniGrid ids)
    import numpy as np

    made = []

    def make_block(peer_id: str):
        env = gym.make(peer_id)
        made.append(env)
        env.reset(seed=0)
        actions = np.random.default_rng(0).integers(0, 3, size=2048).tolist()

        def block():
            for a in actions:
                _, _, terminated, truncated, _ = env.step(a)
                if terminated or truncated:
                    env.reset()

        block.steps = len(actions)
        block()
        return block

    yield make_block
    for env in made:
        env.close()


def pytest_terminal_summary(terminalreporter):
    if not _RESULTS:
        return
    baselines = {r["compare"]: r for r in _RESULTS if r.get("baseline")}
    write = terminalreporter.write_line
    terminalreporter.section("rlenvs throughput (env-steps/s, median block, 1 thread unless the form says)")
    write(f"{'env':<34} {'form':<16} {'num_envs':>8} {'env-steps/s':>14} {'ratio':>9}  baseline")
    def key(r):
        return r.get("env_id"), r.get("form"), r.get("num_envs"), r["env_steps_per_s"]

    compared = {key(r) for r in _RESULTS if r.get("compare") in baselines}
    for r in _RESULTS:
        base_record = baselines.get(r.get("compare"))
        if base_record is None and key(r) in compared:
            continue  # the same figure has a row with a ratio (its peer here was not installed)
        base = base_record["env_steps_per_s"] if base_record else None
        ratio = f"{r['env_steps_per_s'] / base:,.1f}x" if base else ""
        write(f"{r.get('env_id', ''):<34} {r.get('form', r.get('mode', '')):<16} {r.get('num_envs', 1):>8} "
              f"{r['env_steps_per_s']:>14,.0f} {ratio:>9}  {base_record['form'] if base_record else ''}")
