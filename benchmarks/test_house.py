"""HouseNav-specific throughput: the batched env at 64 / 1024 envs (copied and ``copy=False`` outputs),
the single ``gym.make`` env, the kernel alone (a whole block of steps inside numba), house generation per
trial, and MiniGrid's FourRooms / MultiRoom as peers when ``minigrid`` is importable (skipped otherwise).

Every-id single/sync/vector figures are in ``test_throughput.py``; this file adds what is HouseNav's own.
Actions are uniform over the 4 actions (a STOP every 4 steps on average, so sub-tasks turn over fast,
which is the expensive case: every sub-task start draws a spawn and re-observes).
"""

import numpy as np
import pytest

import rlenvs
from rlenvs.benchmarking import Runner
from rlenvs.house import _kernels as K

ENV_ID = "rlenvs/HouseNav-v0"


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "nocopy"])
@pytest.mark.parametrize("num_envs", [64, 1024])
def test_house_vector_steps_per_second(benchmark, record_throughput, rounds, num_envs, copy):
    runner = Runner(ENV_ID, "vector", num_envs, copy=copy)
    runner.warm_up()
    benchmark.group = "house-vector"
    benchmark.pedantic(runner.run_block, rounds=rounds)
    record_throughput(runner.transitions_per_block, env_id=ENV_ID, form=f"vector copy={copy}", num_envs=num_envs,
                      compare="house-single", baseline=False)
    runner.close()


def test_house_single_env_steps_per_second(benchmark, record_throughput, rounds):
    runner = Runner(ENV_ID, "single")
    runner.warm_up()
    benchmark.group = "house-single"
    benchmark.pedantic(runner.run_block, rounds=rounds)
    record_throughput(runner.transitions_per_block, env_id=ENV_ID, form="gym.make", num_envs=1,
                      compare="house-single", baseline=True)
    runner.close()


def test_house_kernel_only_steps_per_second(benchmark, record_throughput, rounds):
    env = rlenvs.make(ENV_ID).unwrapped
    env.reset(seed=0)
    actions = np.random.default_rng(0).integers(0, 4, size=200_000)
    env.cfg[K.C_TRIAL] = 10**9  # one long trial: no resets inside the block
    args = (env._rng, env._state, env._maps, env._dist, env._spawn, env.cfg, env.raydirs, env._obs, env._scratch)
    K.rollout_single(actions[:10], *args)
    benchmark.group = "house-single"
    benchmark.pedantic(K.rollout_single, args=(actions, *args), rounds=rounds, warmup_rounds=1)
    record_throughput(len(actions), env_id=ENV_ID, form="kernel loop", num_envs=1, compare="house-single")


def test_house_generation_time(benchmark, record_throughput, rounds):
    """A whole-batch reset: per env the task draw, house generation (layout, furniture, objects, spawn
    list, a BFS field per category), the first sub-task and the first observation."""
    envs = rlenvs.make_vec(ENV_ID, num_envs=1024, vectorization_mode="vector_entry_point")
    envs.reset(seed=0)
    benchmark.group = "house-generation"
    benchmark.pedantic(envs.reset, rounds=rounds, warmup_rounds=1)
    per_house = benchmark.stats.stats.median / 1024 if benchmark.stats is not None else float("nan")
    benchmark.extra_info["us_per_house"] = per_house * 1e6
    record_throughput(1024, env_id=ENV_ID, form="houses/s (reset)", num_envs=1024, compare="house-gen")
    print(f"\nHouseNav-v0 house generation + trial start: {per_house * 1e6:.1f} us per house")
    envs.close()


@pytest.mark.parametrize("peer_id", ["MiniGrid-FourRooms-v0", "MiniGrid-MultiRoom-N6-v0"])
def test_minigrid_peer_steps_per_second(benchmark, record_throughput, rounds, minigrid_walk, peer_id):
    block = minigrid_walk(peer_id)
    benchmark.group = "house-single"
    benchmark.pedantic(block, rounds=rounds, warmup_rounds=0)
    record_throughput(block.steps, env_id=peer_id, form="MiniGrid gym.make", num_envs=1, compare="house-single")


@pytest.mark.parametrize("form", ["python-loop", "lax.scan"])
def test_xland_minigrid_peer_steps_per_second(benchmark, record_throughput, rounds, form):
    """XLand-MiniGrid R9-25x25 (9 rooms, like HouseNav-v0's 3x3 house), 1024 envs, JAX on the CPU with one
    XLA thread, navigation actions only: stepped from Python (one jitted ``vmap(step)`` call per step, the
    analogue of the native vector env) and inside ``jit(lax.scan)`` (its best case). Skipped when
    ``xminigrid`` is not installed beside rlenvs; it has its own venv (it pulls JAX)::

        python3 -m venv /work/venv-xland && /work/venv-xland/bin/pip install -e ".[dev]" xminigrid
        /work/venv-xland/bin/python -m pytest benchmarks/test_house.py -p no:cacheprovider
    """
    import os

    os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
    pytest.importorskip("xminigrid", reason="XLand-MiniGrid is not installed beside rlenvs: peer skipped")
    import jax
    import xminigrid
    from xminigrid.wrappers import GymAutoResetWrapper

    env, params = xminigrid.make("XLand-MiniGrid-R9-25x25")
    env = GymAutoResetWrapper(env)
    n, t_steps = 1024, 64
    state = [jax.jit(jax.vmap(env.reset, in_axes=(None, 0)))(params, jax.random.split(jax.random.key(0), n))]
    actions = jax.random.randint(jax.random.key(1), (t_steps, n), 0, 3)  # forward, turn right, turn left
    step = jax.jit(jax.vmap(env.step, in_axes=(None, 0, 0)))

    @jax.jit
    def scan(timestep, acts):
        return jax.lax.scan(lambda ts, a: (step(params, ts, a), None), timestep, acts)[0]

    def block():
        if form == "lax.scan":
            state[0] = scan(state[0], actions)
        else:
            ts = state[0]
            for a in actions:
                ts = step(params, ts, a)
            state[0] = ts
        jax.block_until_ready(state[0])

    block()  # compile
    benchmark.group = "house-vector"
    benchmark.pedantic(block, rounds=rounds, warmup_rounds=1)
    record_throughput(n * t_steps, env_id="XLand-MiniGrid-R9-25x25", form=f"xminigrid {form}", num_envs=n,
                      compare="house-single")
