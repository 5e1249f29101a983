"""MuJoCo families: our batched and single envs against raw ``mj_step`` and EnvPool, measured in the same run.

Models: CheetahVel (Gymnasium's HalfCheetah, 5 substeps), AntDir (Gymnasium's Ant, 5 substeps) and HumanoidDir
(Gymnasium's Humanoid, 5 substeps, plus one ``mj_forward`` per env and step for its observation). Every
figure is env-steps/s of uniform random actions (pre-drawn); episodes last 200 steps, except that
HumanoidDir terminates when it falls (about 20 steps under random actions); NEXT_STEP reset steps are not
counted. The summary table divides each figure by its baseline:

- ``<model>-raw``: baseline ``raw mj_step``, one thread running ``mujoco.rollout`` over whole episodes, one
  call per episode (200 steps, 20 for the humanoid, from our reset states, each random action held for 5
  substeps), reported as substeps/s / 5.
  So the ratio of the native vector env (``num_envs`` 64, one thread) is
  ``env-steps/s x frame_skip / raw mj_step/s`` (target >= 0.9 for Cheetah and Ant), and that of
  ``gym.make`` the single-env ratio (target >= 0.7).
- ``<model>-single-alternating``: the same single-env ratio with the two timed in alternation, block by
  block.
- ``<model>-threads-<N>``: the native vector env with ``N`` envs (64, 256) on 2 threads over 1 thread
  (target >= 1.8), beside ``<model>-rollout-threads``, the same for the physics alone on the same 64 envs
  (its ceiling), stepped by our threads and by MuJoCo's own pool, which they replace (see
  :mod:`rlenvs.mujoco.team`).
- ``<model>-threads-alternating-<N>``: the same 2-thread over 1-thread ratio at ``N`` envs with the two timed in
  alternation, block by block (the separate benchmarks above run minutes apart, and this VM class drifts by
  tens of percent over that time), beside the same env stepped by MuJoCo's own pool of 2 threads (how it
  was stepped before :mod:`rlenvs.mujoco.team`) and the machine's own ceiling for the workload: ``2 procs x
  1 thr``, two processes each stepping a 1-thread native vector env of ``N`` envs at once, which share
  neither threads nor memory. Threading cannot scale better than that.
- ``<model>-envpool-<T>``: ours over EnvPool's ``HalfCheetah-v5`` / ``Ant-v5`` / ``Humanoid-v5`` with
  ``num_threads=T``, 64 envs, ``batch_size`` 64 (sync), configured to do no more than ours: 200-step
  episodes; for Cheetah and Ant no ``mj_rnePostConstraint``, no contact forces and no termination (target
  >= 1.2); the Humanoid terminates on its torso height as ours does. Skipped, saying so, when ``envpool``
  is not importable (it installs beside rlenvs in its own venv: ``pip install envpool``).

Timings are wall-clock medians over ``--rlenvs-rounds`` blocks; thread scaling needs two idle cores.
"""

from __future__ import annotations

import multiprocessing
import time

import mujoco
import numpy as np
import pytest
from mujoco import rollout

import rlenvs

NUM_ENVS = 64
EPISODE = 200
MODELS = {
    # raw_steps: the raw runs' episode length. Block sizes: about 0.1-0.5 s per timed block on one thread
    "cheetah": {"env_id": "rlenvs/CheetahVel-v0", "envpool": "HalfCheetah-v5", "raw_episodes": 16,
                "raw_steps": EPISODE, "vector_steps": 100, "single_steps": 2000,
                "envpool_kwargs": {"post_constraint": False}},
    "ant": {"env_id": "rlenvs/AntDir-v0", "envpool": "Ant-v5", "raw_episodes": 4, "raw_steps": EPISODE,
            "vector_steps": 25, "single_steps": 400,
            "envpool_kwargs": {"post_constraint": False, "use_contact_force": False,
                               "terminate_when_unhealthy": False}},
    # terminating (the default): random actions topple the humanoid in about 20 steps, which the raw
    # episodes' length follows; EnvPool keeps its contact forces (mj_rnePostConstraint), as HumanoidDir observes
    "humanoid": {"env_id": "rlenvs/HumanoidDir-v0", "envpool": "Humanoid-v5", "raw_episodes": 24, "raw_steps": 20,
                 "vector_steps": 20, "single_steps": 400, "envpool_kwargs": {}},
}


def _actions(space, steps: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(space.low, space.high, (steps, *space.shape)).astype(np.float32)


class _VectorBlock:
    """``steps`` vector steps with pre-drawn actions; counts transitions (NEXT_STEP reset steps excluded)."""

    def __init__(self, envs, steps: int):
        self.envs = envs
        self.actions = _actions(envs.action_space, steps)
        self.ended = np.zeros(envs.num_envs, dtype=bool)
        self.transitions = 0
        envs.reset(seed=0)

    def __call__(self):
        for action in self.actions:
            _, _, terminated, truncated, _ = self.envs.step(action)
            self.transitions += int(np.count_nonzero(~self.ended))
            self.ended = terminated | truncated


def _timed(benchmark, rounds, block, group):
    block()  # warm-up: kernels compiled or loaded, caches hot
    block.transitions = 0
    benchmark.group = group
    benchmark.pedantic(block, rounds=rounds, warmup_rounds=0)
    return block.transitions / rounds


def _raw_block(cfg):
    """One thread, one ``mujoco.rollout`` call per episode (``block.transitions`` counts env steps)."""
    env = rlenvs.make(cfg["env_id"]).unwrapped
    mj_model, fs, steps = env.model, env.family.frame_skip, cfg["raw_steps"]
    episodes = []  # distinct episodes: our reset states, each with its own actions
    for seed in range(cfg["raw_episodes"]):
        env.reset(seed=seed)
        actions = _actions(env.action_space, steps, seed=seed)[None].astype(np.float64)
        episodes.append((env._batch.state.copy(), np.repeat(actions, fs, axis=1)))
    data = [mujoco.MjData(mj_model)]
    pool = rollout.Rollout(nthread=0)

    def block():
        for start, controls in episodes:
            pool.rollout([mj_model], data, start, controls, skip_checks=True, nstep=steps * fs)
        block.transitions += len(episodes) * steps

    block.transitions = 0
    block.close = pool.close
    return block


def _single_block(cfg):
    """``gym.make``'s env stepped with pre-drawn actions, reset when an episode ends."""
    env = rlenvs.make(cfg["env_id"])
    actions = _actions(env.action_space, cfg["single_steps"])
    env.reset(seed=0)

    def block():
        for action in actions:
            _, _, terminated, truncated, _ = env.step(action)
            if terminated or truncated:
                env.reset()
        block.transitions += len(actions)

    block.transitions = 0
    block.close = env.close
    return block


@pytest.mark.parametrize("model", list(MODELS))
def test_raw_mj_step(benchmark, record_throughput, rounds, model):
    """One thread, one long trajectory: MuJoCo's own speed on this model (the physical limit)."""
    cfg = MODELS[model]
    block = _raw_block(cfg)
    per_block = _timed(benchmark, rounds, block, f"mujoco-{model}")
    record_throughput(per_block, env_id=cfg["env_id"], form="raw mj_step / 5", num_envs=1,
                      compare=f"{model}-raw", baseline=True, threads=1)
    block.close()


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("num_envs", [NUM_ENVS, 4 * NUM_ENVS])
@pytest.mark.parametrize("model", list(MODELS))
def test_native_vector(benchmark, record_throughput, rounds, model, num_envs, threads):
    cfg = MODELS[model]
    envs = rlenvs.make_vec(cfg["env_id"], num_envs=num_envs, num_threads=threads)
    steps = cfg["vector_steps"] * NUM_ENVS // num_envs
    per_block = _timed(benchmark, rounds, _VectorBlock(envs, steps), f"mujoco-{model}")
    comparisons = [(f"{model}-raw", False), (f"{model}-threads-{num_envs}", threads == 1)]
    if num_envs == NUM_ENVS:
        comparisons.append((f"{model}-envpool-{threads}", False))
    for compare, baseline in comparisons:
        record_throughput(per_block, env_id=cfg["env_id"], form=f"native vector {threads} thr", num_envs=num_envs,
                          compare=compare, baseline=baseline, threads=threads)
    envs.close()


@pytest.mark.parametrize(("threads", "pool"), [(1, "rlenvs"), (2, "rlenvs"), (2, "mujoco")])
@pytest.mark.parametrize("model", list(MODELS))
def test_rollout_alone(benchmark, record_throughput, rounds, model, threads, pool):
    """The physics of the same 64 envs with nothing else (each step continuing from the last state; the
    humanoid's with its forward pass, which its observation needs): our
    threads (``Batch.rollout``, :mod:`rlenvs.mujoco.team`), the ceiling of the native vector env, beside
    MuJoCo's own pool (one ``mujoco.rollout.Rollout(nthread=2)`` call per step), which they replace."""
    cfg = MODELS[model]
    envs = rlenvs.make_vec(cfg["env_id"], num_envs=NUM_ENVS, num_threads=threads if pool == "rlenvs" else 1)
    envs.reset(seed=0)
    batch = envs._batch
    step_physics = batch.rollout if pool == "rlenvs" else _mujocos_pool(batch)
    actions = _actions(envs.action_space, cfg["vector_steps"]).astype(np.float64)

    def block():
        for action in actions:
            step_physics(action)
            batch.state[:] = batch.out[:, -1]
        block.transitions += len(actions) * NUM_ENVS

    block.transitions = 0
    per_block = _timed(benchmark, rounds, block, f"mujoco-{model}")
    form = f"rollout alone {threads} thr" if pool == "rlenvs" else f"rollout, MuJoCo's pool {threads} thr"
    record_throughput(per_block, env_id=cfg["env_id"], form=form, num_envs=NUM_ENVS,
                      compare=f"{model}-rollout-threads", baseline=threads == 1, threads=threads)
    envs.close()
    if pool == "mujoco":
        step_physics.close()


def _mujocos_pool(batch):
    """A stand-in for ``batch.rollout`` (a 1-thread batch): one call per step to MuJoCo's own pool of 2
    threads, 4 chunks per thread, then the forward pass of a family's ``observed`` fields one env at a time
    on the calling thread, as batches were stepped before :mod:`rlenvs.mujoco.team`. ``.close()`` closes
    the pool."""
    pool = rollout.Rollout(nthread=2)
    family = batch.family
    data = [mujoco.MjData(family.model) for _ in range(2)]
    qvel = slice(1 + family.model.nq, None)

    def step_physics(actions):
        batch.ctrl[:, :, :actions.shape[1]] = actions[:, None, :]
        pool.rollout(batch.models, data, batch.state, batch.ctrl, control_spec=family.control_spec,
                     skip_checks=True, nstep=family.frame_skip, initial_warmstart=batch.warmstart,
                     state=batch.out, chunk_size=max(1, batch.num_envs // 8))
        for i in range(batch.num_envs) if family.observed else ():
            one = data[0]
            mujoco.mj_setState(batch.models[i], one, batch.out[i, -1], mujoco.mjtState.mjSTATE_FULLPHYSICS)
            mujoco.mj_setState(batch.models[i], one, batch.ctrl[i, -1], family.control_spec)
            one.qacc_warmstart[:] = (batch.out[i, -1, qvel] - batch.out[i, -2, qvel]) / family.timestep
            mujoco.mj_forward(batch.models[i], one)
            mujoco.mj_rnePostConstraint(batch.models[i], one)
            batch.forwarded[i] = np.concatenate([getattr(one, name).ravel() for name in family.observed])

    step_physics.close = pool.close
    return step_physics


def _steps_of(block) -> int:
    """Run one block; the transitions it did."""
    before = block.transitions
    block()
    return block.transitions - before


def _alternate(benchmark, rounds, group, workloads):
    """Time the workloads (name: callable returning its transitions) in turn within every round; per name
    the (mean transitions, median seconds) of a block."""
    seconds = {name: [] for name in workloads}
    transitions = {name: [] for name in workloads}

    def one_round():
        for name, run in workloads.items():
            t0 = time.perf_counter()
            transitions[name].append(run())
            seconds[name].append(time.perf_counter() - t0)

    benchmark.group = group
    benchmark.pedantic(one_round, rounds=rounds, warmup_rounds=0)
    return {name: (float(np.mean(transitions[name])), float(np.median(seconds[name]))) for name in workloads}


def _second_process(conn, env_id: str, num_envs: int, steps: int) -> None:
    """One process's share of ``2 procs x 1 thr``: a 1-thread native vector env, one block per message."""
    envs = rlenvs.make_vec(env_id, num_envs=num_envs, num_threads=1)
    block = _VectorBlock(envs, steps)
    block()  # warm-up
    conn.send("ready")
    while conn.recv():
        conn.send(_steps_of(block))
    envs.close()


@pytest.mark.parametrize("num_envs", [NUM_ENVS, 4 * NUM_ENVS])
@pytest.mark.parametrize("model", list(MODELS))
def test_thread_scaling_alternating(benchmark, record_throughput, rounds, model, num_envs):
    """1 thread, 2 threads and two 1-thread processes, timed in turn within every round."""
    cfg = MODELS[model]
    steps = cfg["vector_steps"] * NUM_ENVS // num_envs
    blocks = {threads: _VectorBlock(rlenvs.make_vec(cfg["env_id"], num_envs=num_envs, num_threads=threads), steps)
              for threads in (1, 2)}
    mujoco_envs = rlenvs.make_vec(cfg["env_id"], num_envs=num_envs)
    mujoco_envs._batch.rollout = _mujocos_pool(mujoco_envs._batch)
    blocks["mujoco"] = _VectorBlock(mujoco_envs, steps)
    spawn = multiprocessing.get_context("spawn")  # no fork of a process that holds thread pools
    pipes, processes = [], []
    for _ in range(2):
        parent, child = spawn.Pipe()
        processes.append(spawn.Process(target=_second_process, args=(child, cfg["env_id"], num_envs, steps),
                                       daemon=True))
        processes[-1].start()
        pipes.append(parent)
    assert [pipe.recv() for pipe in pipes] == ["ready", "ready"]

    def two_processes() -> int:
        for pipe in pipes:
            pipe.send(True)
        return sum(pipe.recv() for pipe in pipes)

    workloads = {"native vector 1 thr": lambda: _steps_of(blocks[1]),
                 "native vector 2 thr": lambda: _steps_of(blocks[2]),
                 "native vector, MuJoCo's pool 2 thr": lambda: _steps_of(blocks["mujoco"]),
                 "2 procs x 1 thr": two_processes}
    for block in blocks.values():
        block()  # warm-up
    timed = _alternate(benchmark, rounds, f"mujoco-{model}", workloads)
    for pipe, process in zip(pipes, processes, strict=True):
        pipe.send(False)
        process.join(timeout=30)
    for block in blocks.values():
        block.envs.close()
    mujoco_envs._batch.rollout.close()
    for name, (transitions, seconds) in timed.items():
        one_thread = name == "native vector 1 thr"
        record_throughput(transitions, seconds_per_block=seconds,
                          env_id=cfg["env_id"], form=name, num_envs=num_envs, threads=1 if one_thread else 2,
                          compare=f"{model}-threads-alternating-{num_envs}", baseline=one_thread)


@pytest.mark.parametrize("model", list(MODELS))
def test_single_env(benchmark, record_throughput, rounds, model):
    cfg = MODELS[model]
    block = _single_block(cfg)
    per_block = _timed(benchmark, rounds, block, f"mujoco-{model}")
    record_throughput(per_block, env_id=cfg["env_id"], form="gym.make", num_envs=1, compare=f"{model}-raw",
                      baseline=False, threads=1)
    block.close()


@pytest.mark.parametrize("model", list(MODELS))
def test_single_env_alternating(benchmark, record_throughput, rounds, model):
    """Raw ``mj_step`` and ``gym.make`` timed in turn within every round."""
    cfg = MODELS[model]
    blocks = {"raw mj_step / 5": _raw_block(cfg), "gym.make": _single_block(cfg)}
    for block in blocks.values():
        block()  # warm-up
    timed = _alternate(benchmark, rounds, f"mujoco-{model}",
                       {name: lambda block=block: _steps_of(block) for name, block in blocks.items()})
    for name, block in blocks.items():
        block.close()
        transitions, seconds = timed[name]
        record_throughput(transitions, seconds_per_block=seconds,
                          env_id=cfg["env_id"], form=name, num_envs=1, threads=1,
                          compare=f"{model}-single-alternating", baseline=name.startswith("raw"))


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("model", list(MODELS))
def test_envpool_peer(benchmark, record_throughput, rounds, model, threads):
    envpool = pytest.importorskip("envpool", reason="envpool is not installed beside rlenvs: EnvPool peer skipped")
    cfg = MODELS[model]
    envs = envpool.make_gymnasium(cfg["envpool"], num_envs=NUM_ENVS, batch_size=NUM_ENVS, num_threads=threads,
                                  seed=0, max_episode_steps=EPISODE, **cfg["envpool_kwargs"])
    steps = cfg["vector_steps"]
    actions = _actions(envs.action_space, steps * NUM_ENVS).reshape(steps, NUM_ENVS, -1)  # a single-env space
    envs.reset()

    def block():
        for action in actions:
            envs.step(action)
        block.transitions += len(actions) * NUM_ENVS

    block.transitions = 0
    per_block = _timed(benchmark, rounds, block, f"mujoco-{model}")
    record_throughput(per_block, env_id=f"EnvPool {cfg['envpool']}", form=f"envpool {threads} thr",
                      num_envs=NUM_ENVS, compare=f"{model}-envpool-{threads}", baseline=True, threads=threads)
    envs.close()
