"""Grid-world throughput: the native vector envs of LPGGrid, Maze and CombinationLock at 256 envs (copied and
``copy=False`` outputs, one thread), their single ``gym.make`` envs, MiniGrid's closest envs as peers when
``minigrid`` is importable (skipped otherwise), the exact value iteration of LPG's five levels and the maze
generator.

Targets (issue 9): LPGGrid and Maze batched >= 5M env-steps/s on one core at 256 envs (stretch 10M). The
summary table divides each vector figure by its peer's: MiniGrid's ``Empty-8x8`` for LPGGrid (an open grid,
the nearest MiniGrid has to LPG's object worlds) and ``SimpleCrossingS11N5`` for Maze (a walled maze with
MiniGrid's egocentric view and actions, as the UED maze); the lock's by its own single env.
"""

import time

import numpy as np
import pytest

from rlenvs.benchmarking import Runner

NUM_ENVS = 256
PEERS = {"rlenvs/LPGGrid-v0": "MiniGrid-Empty-8x8-v0", "rlenvs/Maze-v0": "MiniGrid-SimpleCrossingS11N5-v0"}
IDS = ["rlenvs/LPGGrid-v0", "rlenvs/LPGGrid-All-v0", "rlenvs/Maze-v0", "rlenvs/CombinationLock-v0"]


def _label(env_id: str) -> str:
    return f"gridworld {env_id.split('/')[-1]}"


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "nocopy"])
@pytest.mark.parametrize("env_id", IDS)
def test_gridworld_vector_steps_per_second(benchmark, record_throughput, rounds, env_id, copy):
    runner = Runner(env_id, "vector", NUM_ENVS, copy=copy)
    runner.warm_up()
    benchmark.group = _label(env_id)
    benchmark.pedantic(runner.run_block, rounds=rounds)
    rate = record_throughput(runner.transitions_per_block, env_id=env_id, form=f"vector copy={copy}",
                             num_envs=NUM_ENVS, compare=_label(PEERS.get(env_id, env_id)), baseline=False)
    target = " (target 5M, stretch 10M)" if env_id in PEERS else ""
    print(f"\n{env_id} native vector x{NUM_ENVS} copy={copy}: {rate / 1e6:.2f}M env-steps/s{target}")
    runner.close()


@pytest.mark.parametrize("env_id", IDS)
def test_gridworld_single_env_steps_per_second(benchmark, record_throughput, rounds, env_id):
    runner = Runner(env_id, "single")
    runner.warm_up()
    benchmark.group = _label(env_id)
    benchmark.pedantic(runner.run_block, rounds=rounds)
    record_throughput(runner.transitions_per_block, env_id=env_id, form="gym.make", num_envs=1,
                      compare=_label(PEERS.get(env_id, env_id)), baseline=env_id not in PEERS)
    runner.close()


@pytest.mark.parametrize("env_id", list(PEERS))
def test_minigrid_peer_steps_per_second(benchmark, record_throughput, rounds, minigrid_walk, env_id):
    block = minigrid_walk(PEERS[env_id])
    benchmark.group = _label(env_id)
    benchmark.pedantic(block, rounds=rounds, warmup_rounds=0)
    rate = record_throughput(block.steps, env_id=PEERS[env_id], form="MiniGrid gym.make", num_envs=1,
                             compare=_label(PEERS[env_id]), baseline=True)
    print(f"\n{PEERS[env_id]} (peer of {env_id}): {rate / 1e3:.1f}k env-steps/s")


def test_lpg_value_iteration_time(benchmark, rounds):
    """Exact optimum of one instance of each of LPG's five levels (backward induction over cell x objects x t)."""
    from rlenvs.gridworld import _kernels as K
    from rlenvs.gridworld.lpg import LPG_LEVELS

    rows = {name: level.sample(np.random.default_rng(0)).to_array() for name, level in LPG_LEVELS.items()}
    for row in rows.values():
        K.lpg_value_iteration(row, False)
    benchmark.group = "gridworld value iteration"
    benchmark.pedantic(lambda: [K.lpg_value_iteration(r, False) for r in rows.values()], rounds=rounds)
    for name, row in rows.items():
        start = time.perf_counter()
        K.lpg_value_iteration(row, False)
        ms = (time.perf_counter() - start) * 1e3
        benchmark.extra_info[f"{name}_ms"] = ms
        print(f"\nvalue iteration {name}: {ms:.1f} ms (horizon {int(row[K.L_MAXSTEPS])})")


def test_maze_generator_levels_per_second(benchmark, rounds):
    """Solvable DR levels per second (draw, breadth-first search, redraw while unsolvable; 25 and 60 walls)."""
    from rlenvs.gridworld.maze import generate_level

    rng = np.random.default_rng(0)
    generate_level(rng, 25)
    benchmark.group = "gridworld maze generator"
    benchmark.pedantic(lambda: [generate_level(rng, n) for n in (25, 60) * 100], rounds=rounds)
    if benchmark.stats is not None:
        per_level = benchmark.stats.stats.median / 200
        benchmark.extra_info["us_per_level"] = per_level * 1e6
        print(f"\nmaze generator: {per_level * 1e6:.0f} us per solvable level (25 / 60 walls)")
