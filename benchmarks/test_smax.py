"""SMAX-lite throughput: the batched form ``SMAXVector`` (heuristic enemy, one thread) on the issue's maps, the
PettingZoo parallel env, and JaxMARL's SMAX (jit + vmap on the CPU) as a peer when it is importable.

Env-steps count transitions of the batch (autoreset steps excluded). Actions: uniform over each agent's
whole action space (unmasked), drawn once up front, as in the JaxMARL CPU figures of specs/smax.md.
Targets (issue 7, one core, JIT warm): 3m >= 500k, 5m_vs_6m >= 200k, 27m_vs_30m >= 15k env-steps/s.
"""

from __future__ import annotations

import numpy as np
import pytest

import rlenvs

MAPS = {"3m": 1024, "5m_vs_6m": 1024, "2s3z": 1024, "27m_vs_30m": 256}
TARGETS = {"3m": 500_000, "5m_vs_6m": 200_000, "27m_vs_30m": 15_000}
STEPS_PER_BLOCK = 32


class _VectorRunner:
    def __init__(self, scenario: str, num_envs: int, seed: int = 0):
        from rlenvs.smax import SMAXVector

        self.envs = SMAXVector(scenario, num_envs, copy=False)
        rng = np.random.default_rng(seed)
        n = self.envs.num_actions
        self.actions = [rng.integers(0, n[None, :], size=(num_envs, len(n))) for _ in range(STEPS_PER_BLOCK)]
        self.envs.reset(seed=seed)
        self.transitions = 0

    def run_block(self) -> None:
        envs, core = self.envs, self.envs.core
        for action in self.actions:
            self.transitions += core.num_envs - int(core.needs_reset.sum())
            envs.step(action)


@pytest.mark.parametrize("scenario", list(MAPS))
def test_smax_vector_env_steps_per_second(benchmark, record_throughput, rounds, scenario):
    runner = _VectorRunner(scenario, MAPS[scenario])
    runner.run_block()  # compile / load the kernels
    runner.transitions = 0
    benchmark.group = f"SMAX-{scenario}"
    benchmark.pedantic(runner.run_block, rounds=rounds, warmup_rounds=1)
    per_block = runner.transitions / (rounds + 1)
    rate = record_throughput(per_block, env_id=f"rlenvs/SMAX-{scenario}-v0", form="SMAXVector",
                             num_envs=MAPS[scenario], compare=f"smax-{scenario}", baseline=False,
                             target=TARGETS.get(scenario))
    assert runner.transitions > 0 and rate > 0


def test_smax_parallel_env_steps_per_second(benchmark, record_throughput, rounds):
    env = rlenvs.make_parallel("rlenvs/SMAX-3m-v0")
    obs, _ = env.reset(seed=0)
    rng = np.random.default_rng(0)
    actions = rng.integers(0, 8, size=(2048, 3))
    done = [0]

    def block():
        nonlocal obs
        for row in actions:
            if not env.agents:
                obs, _ = env.reset()
            obs = env.step({a: int(row[k]) for k, a in enumerate(env.possible_agents) if a in env.agents})[0]
            done[0] += 1

    block()
    done[0] = 0
    benchmark.group = "SMAX-3m"
    benchmark.pedantic(block, rounds=rounds, warmup_rounds=1)
    record_throughput(done[0] / (rounds + 1), env_id="rlenvs/SMAX-3m-v0", form="ParallelEnv", num_envs=1,
                      compare="smax-3m-parallel", baseline=False)


@pytest.mark.parametrize("scenario", ["3m", "27m_vs_30m"])
def test_jaxmarl_smax_peer(benchmark, record_throughput, rounds, scenario):
    """JaxMARL's HeuristicEnemySMAX, jit(vmap) of a lax.scan over the same block length, compile excluded.

    jaxmarl 0.2.0 pins gymnasium < 1.4, so it cannot be installed beside rlenvs (gymnasium 1.4): this
    benchmark skips unless a jaxmarl that accepts gymnasium 1.4 is importable."""
    pytest.importorskip("jaxmarl", reason="jaxmarl (pins gymnasium<1.4) is not installable beside rlenvs")
    import jax
    import jax.numpy as jnp
    from jaxmarl import make
    from jaxmarl.environments.smax import map_name_to_scenario

    num_envs = MAPS[scenario]
    env = make("HeuristicEnemySMAX", scenario=map_name_to_scenario(scenario))
    n_actions = env.action_space(env.agents[0]).n

    def one_env(key):
        key, reset_key = jax.random.split(key)
        _, state = env.reset(reset_key)

        def body(carry, _):
            key, state = carry
            key, act_key, step_key = jax.random.split(key, 3)
            acts = jax.random.randint(act_key, (env.num_agents,), 0, n_actions)
            actions = {a: acts[i] for i, a in enumerate(env.agents)}
            _, state, _, _, _ = env.step(step_key, state, actions)
            return (key, state), None

        (key, state), _ = jax.lax.scan(body, (key, state), None, length=STEPS_PER_BLOCK)
        return jnp.sum(state.unit_health)

    run = jax.jit(jax.vmap(one_env))
    keys = jax.random.split(jax.random.PRNGKey(0), num_envs)
    run(keys).block_until_ready()  # compile
    benchmark.group = f"SMAX-{scenario}"
    benchmark.pedantic(lambda: run(keys).block_until_ready(), rounds=rounds, warmup_rounds=1)
    record_throughput(num_envs * STEPS_PER_BLOCK, env_id=f"rlenvs/SMAX-{scenario}-v0", form="JaxMARL jit+vmap",
                      num_envs=num_envs, compare=f"smax-{scenario}", baseline=True)
