import itertools
import math
import pickle
import subprocess
import sys

import numpy as np
import pytest

import rlenvs
from rlenvs.gridworld import _kernels as K
from rlenvs.gridworld import _reference as ref
from rlenvs.gridworld import lock
from rlenvs.gridworld.lock import (
    CombinationLockEnv,
    CombinationLockVectorEnv,
    EpsilonOracle,
    LockConfig,
    coverage,
    hadamard,
    lock_task_type,
    offline_dataset,
    random_success_probability,
)
from tests.gridworld.helpers import check_kernels_against_reference, episode_returns


def secret_task(horizon, num_actions, seed=0):
    return lock.lock_distribution(horizon, num_actions).sample(np.random.default_rng(seed))


def start_seeds(env) -> dict[int, int]:
    """A reset seed for each of the two start states."""
    seeds = {}
    for seed in range(20):
        env.reset(seed=seed)
        seeds.setdefault(env.latent_state[0], seed)
    assert set(seeds) == {0, 1}
    return seeds


@pytest.mark.kernel
@pytest.mark.parametrize("kwargs", [{}, {"rotate": True, "noise_std": 0.0}, {"anti_shaping_reward": 0.5,
                                                                             "step_penalty": 1.0, "swap_prob": 0.0}],
                         ids=["default", "rotate", "anti-shaping"])
def test_kernels_match_reference(kwargs):
    envs = CombinationLockVectorEnv(5, horizon=4, num_actions=3, noise_dims=3, max_episode_steps=3, **kwargs)
    cfg, noise_dims, rotation, scratch = envs.config.kernel_args()
    check_kernels_against_reference(envs, ref.lock_reset_batch, ref.lock_step_batch,
                                    (cfg, noise_dims, rotation, scratch),
                                    (cfg, noise_dims, rotation, scratch, 3, 3), 3, steps=40, seed=1)


def test_random_exploration_opens_the_lock_with_probability_a_to_the_minus_h():
    assert random_success_probability(4, 3) == 3.0**-4
    # exactly: with swap_prob 0 one open-loop action sequence out of A**H opens the lock from each start state
    horizon, num_actions = 3, 3
    task = secret_task(horizon, num_actions)
    env = CombinationLockEnv(horizon=horizon, num_actions=num_actions, swap_prob=0.0, task=task)
    for seed in start_seeds(env).values():
        opened = 0
        for actions in itertools.product(range(num_actions), repeat=horizon):
            env.reset(seed=seed)
            opened += sum(env.step(a)[1] for a in actions) == 1.0
        assert opened == 1
    # by simulation with swaps: 32,400 uniformly random episodes of a 4-level, 3-action lock
    horizon, num_actions, n = 4, 3, 2700
    envs = CombinationLockVectorEnv(n, horizon=horizon, num_actions=num_actions, tasks=secret_task(horizon, 3))
    rng = np.random.default_rng(0)
    returns = episode_returns(envs, lambda obs: rng.integers(0, num_actions, n), 12, seed=0)
    p = random_success_probability(horizon, num_actions)
    successes, episodes = int((returns == 1.0).sum()), returns.size
    assert abs(successes - episodes * p) < 4 * math.sqrt(episodes * p * (1 - p))
    assert set(np.unique(returns).tolist()) <= {0.0, 1.0}


def test_the_optimal_return_needs_the_secret():
    horizon, num_actions = 3, 3
    task = secret_task(horizon, num_actions, seed=4)
    env = CombinationLockEnv(horizon=horizon, num_actions=num_actions, swap_prob=0.0, task=task)
    for start, seed in start_seeds(env).items():
        for actions in itertools.product(range(num_actions), repeat=horizon):
            env.reset(seed=seed)
            total = sum(env.step(a)[1] for a in actions)
            assert total == (1.0 if list(actions) == task.secret[:, start].tolist() else 0.0)
    # closed loop, with swaps: the oracle always opens it; deviating once at any level never does
    task = secret_task(10, 10, seed=1)
    envs = CombinationLockVectorEnv(64, tasks=task)
    oracle = EpsilonOracle(envs.config)
    params = np.repeat(task.to_array()[None], 64, axis=0)
    assert (episode_returns(envs, lambda obs: oracle.act(obs, params), 3) == envs.config.optimal_return()).all()
    for level in range(10):
        def deviate(obs, level=level):
            actions = oracle.act(obs, params)
            at_level = envs.config.decode(obs)[1] == level
            return np.where(at_level, (actions + 1) % 10, actions)
        assert (episode_returns(envs, deviate, 1) == 0.0).all()


def test_anti_shaping_rewards():
    config = dict(horizon=5, num_actions=4, anti_shaping_reward=0.5, step_penalty=1.0)
    task = secret_task(5, 4)
    envs = CombinationLockVectorEnv(400, **config, tasks=task)
    oracle = EpsilonOracle(envs.config)
    params = np.repeat(task.to_array()[None], 400, axis=0)
    assert envs.config.optimal_return() == 0.0
    np.testing.assert_allclose(episode_returns(envs, lambda obs: oracle.act(obs, params), 1), 0.0, atol=1e-12)
    wrong = episode_returns(envs, lambda obs: (oracle.act(obs, params) + 1) % 4, 1)  # dead at once
    assert set(np.unique(wrong).tolist()) == {0.0, 0.5} and abs(np.mean(wrong == 0.5) - 0.5) < 0.1


@pytest.mark.parametrize("rotate", [False, True])
def test_observations_reveal_the_latent_state_only_through_noise(rotate):
    envs = CombinationLockVectorEnv(256, horizon=6, num_actions=4, noise_dims=7, rotate=rotate, tasks=secret_task(6, 4))
    obs, _ = envs.reset(seed=0)
    assert obs.shape == (256, 32 if rotate else 3 + 7 + 7)
    rng = np.random.default_rng(0)
    raw = []
    for _ in range(6):
        latent, level = envs.config.decode(obs)
        np.testing.assert_array_equal(np.stack([latent, level], 1), envs.latent_states)
        raw.append(obs @ hadamard(32) if rotate else obs)
        obs, *_ = envs.step(rng.integers(0, 4, 256))
    raw = np.concatenate(raw)
    onehots = raw[:, :10]
    noise = onehots - np.round(onehots)
    assert noise.std() == pytest.approx(0.1, rel=0.05)
    distractors = raw[:, 10:17]
    assert set(np.round(distractors, 4).ravel().tolist()) == {0.0, 1.0}
    assert distractors.mean() == pytest.approx(0.5, abs=0.02)
    if rotate:
        assert np.abs(raw[:, 17:]).max() < 1e-5  # padding of the rotation
        assert np.allclose(hadamard(32) @ hadamard(32), np.eye(32))


def test_offline_dataset_coverage_is_tunable():
    task = secret_task(5, 4)
    for epsilon in (0.0, 0.3, 1.0):
        episodes = offline_dataset(task, 3000, epsilon, horizon=5, num_actions=4, num_envs=1000, seed=1)
        assert len(episodes) == 3000
        opened = np.mean([ep.episode_return == 1.0 for ep in episodes])
        q = coverage(epsilon, 5, 4)
        assert abs(opened - q) < 4 * math.sqrt(q * (1 - q) / 3000) + 1e-12
    ep = episodes[0]
    assert ep.observations.shape == (6, 14) and ep.actions.shape == (5,) and ep.terminations.tolist()[-1]
    assert coverage(0.0, 5, 4) == 1.0 and coverage(1.0, 5, 4) == random_success_probability(5, 4)
    again = offline_dataset(task, 10, 0.3, horizon=5, num_actions=4, seed=1)
    np.testing.assert_array_equal(again[3].actions, offline_dataset(task, 10, 0.3, horizon=5, num_actions=4,
                                                                    seed=1)[3].actions)


@pytest.mark.filterwarnings("ignore:`eval_env` is set to None")
def test_offline_dataset_writes_to_minari(tmp_path, monkeypatch):
    pytest.importorskip("minari")
    from rlenvs.datasets import load, read_episodes, write_minari

    monkeypatch.setenv("MINARI_DATASETS_PATH", str(tmp_path))
    episodes = offline_dataset(secret_task(10, 10), 4, 0.2)
    write_minari("rlenvs/lock/test-v0", "rlenvs/CombinationLock-v0", episodes, algorithm_name="epsilon-oracle",
                 description="epsilon-greedy oracle data of one lock")
    back = read_episodes(load("rlenvs/lock/test-v0"))
    assert [b.task for b in back] == [e.task for e in episodes]
    np.testing.assert_allclose(back[2].observations, episodes[2].observations)


def test_task_types_are_per_size_and_pickle_by_name():
    task_type = lock_task_type(7, 5)
    assert task_type is lock_task_type(7, 5) and task_type.horizon == 7 and task_type.num_actions == 5
    task = task_type(good_a=(0,) * 7, good_b=(4,) * 7)
    assert pickle.loads(pickle.dumps(task)) == task
    with pytest.raises(ValueError, match="good_b"):
        task_type(good_a=(0,) * 7, good_b=(5,) * 7)
    with pytest.raises(ValueError, match="7 entries"):
        task_type(good_a=(0,) * 6, good_b=(0,) * 7)
    code = ("import pickle, sys; t = pickle.loads(sys.stdin.buffer.read()); "
            "print(type(t).__name__, t.secret[:, 1].tolist())")
    done = subprocess.run([sys.executable, "-c", code], input=pickle.dumps(task), capture_output=True, check=True)
    assert done.stdout.decode().split() == ["CombinationLockTask_H7_A5", "[4,", "4,", "4,", "4,", "4,", "4,", "4]"]
    with pytest.raises(AttributeError):
        lock.NotATaskType  # noqa: B018


def test_bad_arguments():
    for kwargs, message in [({"horizon": 0}, "horizon"), ({"num_actions": 1}, "num_actions"),
                            ({"swap_prob": 1.5}, "swap_prob"), ({"noise_std": -1.0}, "noise_std")]:
        with pytest.raises(ValueError, match=message):
            CombinationLockEnv(**kwargs)
    with pytest.raises(ValueError, match="epsilon"):
        EpsilonOracle(LockConfig(), epsilon=2.0)
    env = rlenvs.make("rlenvs/CombinationLock-v0")
    with pytest.raises(ValueError, match="good_a"):
        env.reset(options={"task": {"good_a": [10] * 10, "good_b": [0] * 10}})
    assert K.CS_SIZE == 2 and LockConfig(horizon=5, rotate=True).obs_dim == 16
