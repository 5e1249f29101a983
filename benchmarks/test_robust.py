"""Worst-case grid evaluation: the batched robust vector env against looping Gymnasium envs, in the same run.

Workload: RobustHalfCheetah-3d-v0's M2TD3 grid (1000 points: world friction x torso mass x back-thigh
mass), ``EPISODES`` episodes of ``HORIZON`` steps per point, under three policies: ``random`` (uniform
actions, drawn per step as a policy would), ``zero``, and ``mlp`` (M2TD3's policy network, one hidden layer
of 256, tanh output, random weights, torch on one thread, called per step on the observations as M2TD3's
``evaluate.py`` does). Figures are **grid points/s** (a point is ``EPISODES`` episodes of ``HORIZON``
steps: env-steps/s = points/s x ``EPISODES x HORIZON``); the summary table divides each by its baseline:

- ``robust-grid-<policy>``: baseline the Gymnasium loop, ``HalfCheetah-v5`` (``gym.make``) stepped one env
  at a time over ``LOOP_POINTS`` points spread over the grid (every 25th), each point's parameters written
  into its model as RRLS does (``geom_friction[:, 0]``, ``body_mass[1]``, ``body_mass[2]``) and no env
  rebuilt between points (the loop's cheapest form). Beside it :func:`rlenvs.robust.evaluate_worst_case`
  over the whole grid on 1 and 2 threads, env construction and the grid included (target >= 5x on 2
  threads).
- ``physics only``: the bound on any batched form, the batch's physics alone stepping the same 1000 models
  for ``EPISODES`` x ``HORIZON`` steps (zero or uniform random controls, drawn up front), with no
  observation, reward, policy or autoreset. Its ratio to the loop is the most a batched evaluation can
  reach on this machine.
- ``robust-grid-<policy>-alternating``: the loop, the batched evaluation and the physics alone (both on 2
  threads) timed in turn within every round, so that the machine's drift between benchmarks cancels out of
  their ratios (random and zero policies).

Both sides run the same MuJoCo physics, which costs about 30-40 us per HalfCheetah step on this machine
class; the loop adds Gymnasium's Python (about 12-25 us a step) and the policy's per-call overhead, the
batched form about 1 us per env-step and, once per evaluation, about 0.3 s to copy the 1000 models
(``EPISODES`` > 1 spreads that over more steps, as the protocol's 30 episodes do). The full protocol
(1000 points x 30 episodes x 1000 steps) takes ``1000 / points/s x (30 / EPISODES) x (1000 / HORIZON)``
seconds. Timings are wall-clock medians over ``--rlenvs-rounds`` blocks; thread scaling needs two idle
cores.
"""

from __future__ import annotations

import time

import gymnasium as gym
import numpy as np
import pytest

from rlenvs.registration import make_vec
from rlenvs.robust import evaluate_worst_case, grid_points

ENV_ID = "rlenvs/RobustHalfCheetah-3d-v0"
HORIZON = 100
EPISODES = 3
LOOP_POINTS = 40
POLICIES = ("random", "zero", "mlp")


def _mlp():
    """M2TD3's policy architecture (17 -> 256 -> 6, ReLU, tanh), random weights, as a numpy function."""
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(17, 256), torch.nn.ReLU(), torch.nn.Linear(256, 6), torch.nn.Tanh())

    def act(obs: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return net(torch.as_tensor(obs, dtype=torch.float32)).numpy()

    return act


def _timed(benchmark, rounds, block, group, warm_up=None):
    (warm_up or block)()  # kernels compiled or loaded, caches hot
    benchmark.group = group
    benchmark.pedantic(block, rounds=rounds, warmup_rounds=0)


def _loop_block(policy):
    """The Gymnasium loop over ``LOOP_POINTS`` points; ``block.close()`` closes its env."""
    points = grid_points(ENV_ID)[::1000 // LOOP_POINTS]  # spread over the grid: its average physics
    env = gym.make("HalfCheetah-v5", max_episode_steps=HORIZON)
    model = env.unwrapped.model
    zero = np.zeros(env.action_space.shape, np.float32)
    mlp = _mlp() if policy == "mlp" else None

    def block():
        for k, point in enumerate(points):
            model.geom_friction[:, 0] = point.worldfriction
            model.body_mass[1], model.body_mass[2] = point.torsomass, point.backthighmass
            env.action_space.seed(k)
            for episode in range(EPISODES):
                obs, _ = env.reset(seed=EPISODES * k + episode)
                done = False
                while not done:
                    if policy == "random":
                        action = env.action_space.sample()
                    else:
                        action = zero if policy == "zero" else mlp(obs[None])[0]
                    obs, _, terminated, truncated, _ = env.step(action)
                    done = terminated or truncated

    block.close = env.close
    return block


def _batched_block(policy, threads):
    """:func:`evaluate_worst_case` over the whole grid; ``block(episodes, steps)`` also runs a shorter one
    (the warm-up), ``block.results`` keeps what it returned."""
    zero = np.zeros((1000, 6))
    actor = {"random": "rlenvs.evaluation.references:random_policy", "zero": lambda obs: zero,
             "mlp": _mlp() if policy == "mlp" else None}[policy]

    def block(episodes=EPISODES, steps=HORIZON):
        block.results.append(evaluate_worst_case(actor, ENV_ID, "m2td3", episodes=episodes, num_threads=threads,
                                                 max_episode_steps=steps))

    block.results = []
    return block


def _physics_block(policy, threads):
    """The physics alone (``Batch.rollout``) on the 1000 grid models (``block(controls[:1, :2])`` is the warm-up);
    ``block.close()`` closes its envs."""
    envs = make_vec(ENV_ID, num_envs=1000, vectorization_mode="vector_entry_point", num_threads=threads,
                    max_episode_steps=HORIZON)
    envs.reset(seed=0, options={"tasks": grid_points(ENV_ID)})
    batch, start = envs._batch, envs._batch.state.copy()
    rng = np.random.default_rng(0)
    shape = (EPISODES, HORIZON, 1000, 6)
    controls = rng.uniform(-1, 1, shape) if policy == "random" else np.zeros(shape)

    def block(episodes=controls):
        for episode in episodes:
            batch.state[:] = start
            for actions in episode:
                batch.rollout(actions)
                batch.state[:] = batch.out[:, -1]

    block.warm_up = lambda: block(controls[:1, :2])
    block.close = envs.close
    return block


@pytest.mark.parametrize("policy", POLICIES)
def test_gymnasium_loop(benchmark, record_throughput, rounds, policy):
    block = _loop_block(policy)
    _timed(benchmark, rounds, block, f"robust-grid-{policy}")
    record_throughput(LOOP_POINTS, env_id=f"HalfCheetah-v5 grid, {policy}", form="[points/s] gym loop", num_envs=1,
                      compare=f"robust-grid-{policy}", baseline=True, threads=1, horizon=HORIZON, episodes=EPISODES)
    block.close()


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("policy", POLICIES)
def test_batched_grid(benchmark, record_throughput, rounds, policy, threads):
    block = _batched_block(policy, threads)
    _timed(benchmark, rounds, block, f"robust-grid-{policy}", warm_up=lambda: block(1, 2))
    result = block.results[-1]
    assert len(result.points) == 1000 and result.episodes == EPISODES and np.isfinite(result.worst)
    record_throughput(1000, env_id=f"RobustHalfCheetah-3d grid, {policy}", form=f"[points/s] batched {threads} thr",
                      num_envs=1000, compare=f"robust-grid-{policy}", baseline=False, threads=threads,
                      horizon=HORIZON, episodes=EPISODES)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("policy", ["random", "zero"])
def test_physics_only(benchmark, record_throughput, rounds, policy, threads):
    block = _physics_block(policy, threads)
    _timed(benchmark, rounds, block, f"robust-grid-{policy}", warm_up=block.warm_up)
    record_throughput(1000, env_id=f"RobustHalfCheetah-3d grid, {policy}", form=f"[points/s] physics {threads} thr",
                      num_envs=1000, compare=f"robust-grid-{policy}", baseline=False, threads=threads,
                      horizon=HORIZON, episodes=EPISODES)
    block.close()


@pytest.mark.parametrize("policy", ["random", "zero"])
def test_grid_alternating(benchmark, record_throughput, rounds, policy):
    """The loop, the batched evaluation on 2 threads and the physics alone on 2 threads, timed in turn within
    every round (the separate benchmarks above run minutes apart, and this VM drifts by tens of percent)."""
    loop, batched, physics = _loop_block(policy), _batched_block(policy, 2), _physics_block(policy, 2)
    loop()
    batched(1, 2)
    physics.warm_up()
    workloads = {"[points/s] gym loop": (loop, LOOP_POINTS), "[points/s] batched 2 thr": (batched, 1000),
                 "[points/s] physics 2 thr": (physics, 1000)}
    seconds = {name: [] for name in workloads}

    def one_round():
        for name, (block, _) in workloads.items():
            t0 = time.perf_counter()
            block()
            seconds[name].append(time.perf_counter() - t0)

    benchmark.group = f"robust-grid-{policy}"
    benchmark.pedantic(one_round, rounds=rounds, warmup_rounds=0)
    for name, (_, points) in workloads.items():
        record_throughput(points, seconds_per_block=float(np.median(seconds[name])),
                          env_id=f"RobustHalfCheetah-3d grid, {policy}, alternating", form=name, num_envs=points,
                          compare=f"robust-grid-{policy}-alternating", baseline=name.endswith("gym loop"),
                          threads=1 if name.endswith("gym loop") else 2, horizon=HORIZON, episodes=EPISODES)
    loop.close()
    physics.close()
