"""SMAX-lite throughput: the batched form ``SMAXVector`` (heuristic enemy, one thread) on the issue's maps,
the PettingZoo parallel env, and JaxMARL's SMAX (jit + vmap on the CPU) side by side when it is importable.

Env-steps count transitions of the batch (NEXT_STEP autoreset steps excluded; JaxMARL resets inside its
step, so all its steps count). Actions: uniform over each agent's whole action space (unmasked), drawn up
front, as in the JaxMARL CPU figures of specs/smax.md. Targets (issue 7, one core, JIT warm): 3m >= 500k,
5m_vs_6m >= 200k, 27m_vs_30m >= 15k env-steps/s, and >= 5x JaxMARL on the same CPU (the ``ratio`` column).

JaxMARL 0.2.0 needs gymnax, which pins gymnasium < 1.4, so it lives in its own venv beside an editable
rlenvs (rlenvs supports gymnasium >= 1.3)::

    python3 -m venv /work/venv-jaxmarl && /work/venv-jaxmarl/bin/pip install -e ".[marl,dev]" jaxmarl
    taskset -c 0 /work/venv-jaxmarl/bin/python -m pytest benchmarks/test_smax.py -p no:cacheprovider

``taskset -c 0`` puts both on one core (XLA would otherwise spread JaxMARL over every core); without it the
ratio compares our single thread with JaxMARL on all cores.
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
    env.reset(seed=0)
    actions = np.random.default_rng(0).integers(0, 8, size=(2048, 3))
    done = [0]

    def block():
        for row in actions:
            if not env.agents:
                env.reset()
            env.step({a: int(row[k]) for k, a in enumerate(env.possible_agents) if a in env.agents})
            done[0] += 1

    block()
    done[0] = 0
    benchmark.group = "SMAX-3m"
    benchmark.pedantic(block, rounds=rounds, warmup_rounds=1)
    record_throughput(done[0] / (rounds + 1), env_id="rlenvs/SMAX-3m-v0", form="ParallelEnv", num_envs=1,
                      compare="smax-3m-parallel", baseline=False)


@pytest.mark.parametrize("scenario", list(MAPS))
def test_jaxmarl_smax_peer(benchmark, record_throughput, rounds, scenario):
    """JaxMARL's ``HeuristicEnemySMAX`` (its defaults: closest-target heuristic enemy), ``jit(vmap(...))``
    of a ``lax.scan`` over the same block of steps with the same number of envs, compile excluded."""
    pytest.importorskip("jaxmarl", reason="jaxmarl is not installed (it pins gymnasium<1.4: see the docstring)")
    import jax
    from jaxmarl import make
    from jaxmarl.environments.smax import map_name_to_scenario

    num_envs = MAPS[scenario]
    env = make("HeuristicEnemySMAX", scenario=map_name_to_scenario(scenario))
    n_actions = env.action_space(env.agents[0]).n

    def block(key, state):  # one env: STEPS_PER_BLOCK steps (JaxMARL's step autoresets)
        def body(carry, _):
            key, state = carry
            key, act_key, step_key = jax.random.split(key, 3)
            acts = jax.random.randint(act_key, (env.num_agents,), 0, n_actions)
            _, state, _, _, _ = env.step(step_key, state, {a: acts[i] for i, a in enumerate(env.agents)})
            return (key, state), None

        return jax.lax.scan(body, (key, state), None, length=STEPS_PER_BLOCK)[0]

    run = jax.jit(jax.vmap(block))
    keys = jax.random.split(jax.random.PRNGKey(0), num_envs)
    _, states = jax.jit(jax.vmap(env.reset))(keys)
    carry = [jax.block_until_ready(run(keys, states))]  # compile

    def timed():
        carry[0] = jax.block_until_ready(run(*carry[0]))

    benchmark.group = f"SMAX-{scenario}"
    benchmark.pedantic(timed, rounds=rounds, warmup_rounds=1)
    record_throughput(num_envs * STEPS_PER_BLOCK, env_id=f"rlenvs/SMAX-{scenario}-v0", form="JaxMARL jit+vmap",
                      num_envs=num_envs, compare=f"smax-{scenario}", baseline=True)
