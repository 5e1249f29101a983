"""The task contract of DESIGN.md, checked for every registered env id.

Adding a row to ``rlenvs.registration.ENVS`` is all it takes for an env to be checked here.
"""

import hashlib
import json
import pickle
import warnings

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env
from gymnasium.vector import AutoresetMode

import rlenvs
from rlenvs.core.task import Task, TaskSet
from tests.conftest import ALL_IDS, VECTOR_IDS, assert_obs_equal, rollout, sample_actions, shares_memory, snapshot
from tests.golden_splits import GOLDEN_SPLITS

# Gymnasium warns about unbounded Box observations; unbounded positions are the truth for these envs. It also
# recommends [-1, 1] actions, which Gymnasium's own InvertedPendulum (+-3) and HumanoidStandup (+-0.4) do not
# follow: envs reproducing them keep their action units.
ALLOWED_CHECK_ENV_WARNINGS = ("A Box observation space minimum value is -infinity",
                              "A Box observation space maximum value is infinity",
                              "we recommend using a symmetric and normalized space")


def distribution(env):
    return env.unwrapped.task_distribution


def bad_action(space):
    """An action just outside ``space``."""
    if isinstance(space, gym.spaces.Box):
        action = space.sample().astype(np.float64)
        action.flat[0] = space.high.flat[0] + 1.0
        return action
    if isinstance(space, gym.spaces.Discrete):
        return np.int64(space.start + space.n)
    pytest.skip(f"no bad-action rule for {type(space).__name__}")


@pytest.mark.parametrize("env_id", ALL_IDS)
def test_check_env(env_id, make_env):
    env = make_env(env_id)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(env.unwrapped)
    unexpected = [str(w.message) for w in caught if not any(a in str(w.message) for a in ALLOWED_CHECK_ENV_WARNINGS)]
    assert unexpected == []


@pytest.mark.parametrize("env_id", ALL_IDS)
def test_same_seed_same_trajectory_over_1000_steps(env_id, make_env):
    env_a, env_b = make_env(env_id), make_env(env_id)
    actions = sample_actions(env_a.action_space, 1000)
    run_a, run_b = rollout(env_a, actions, seed=123), rollout(env_b, actions, seed=123)
    assert len(run_a) == len(run_b) > 1000
    for a, b in zip(run_a, run_b, strict=True):
        assert a[0] == b[0]
        assert_obs_equal(a[1], b[1])
        assert a[2:] == b[2:]


@pytest.mark.parametrize("env_id", ALL_IDS)
def test_seed_sets_the_task_draws(env_id, make_env):
    env = make_env(env_id)
    first = [env.reset(seed=s)[1]["task"] for s in range(20)]
    again = [env.reset(seed=s)[1]["task"] for s in range(20)]
    assert first == again
    assert len({json.dumps(t, sort_keys=True) for t in first}) > 1, "different seeds should draw different tasks"


@pytest.mark.parametrize("env_id", ALL_IDS)
def test_resets_draw_from_the_task_split(env_id, make_env):
    for split_name in distribution(make_env(env_id)).split_names:
        env = make_env(env_id, task_split=split_name)
        split = distribution(env).split(split_name)
        env.reset(seed=0)
        for _ in range(30):
            _, info = env.reset()
            assert env.unwrapped.task in split.tasks
            assert info["task"] == env.unwrapped.task.to_dict()


@pytest.mark.parametrize("env_id", ALL_IDS)
def test_set_task_persists_until_cleared(env_id, make_env):
    env = make_env(env_id, task_split="test")
    dist = distribution(env)
    rng = np.random.default_rng(0)
    task = dist.sample(rng)
    env.unwrapped.set_task(task)
    assert env.unwrapped.task == task
    for seed in (None, 1, 2):
        _, info = env.reset(seed=seed)
        assert info["task"] == task.to_dict()
    env.unwrapped.set_task(None)
    drawn = [dist.task_type.from_dict(env.reset()[1]["task"]) for _ in range(30)]
    assert all(t in dist.split("test").tasks for t in drawn)


@pytest.mark.parametrize("env_id", ALL_IDS)
def test_reset_option_task_accepts_task_and_dict(env_id, make_env):
    env = make_env(env_id)
    task = distribution(env).sample(np.random.default_rng(1))
    _, info = env.reset(seed=0, options={"task": task.to_dict()})
    assert info["task"] == task.to_dict() and env.unwrapped.task == task
    _, info = env.reset()  # the option persists, like set_task
    assert info["task"] == task.to_dict()
    other = distribution(env).sample(np.random.default_rng(2))
    _, info = env.reset(options={"task": other})
    assert env.unwrapped.task == other


@pytest.mark.parametrize("env_id", ALL_IDS)
def test_task_json_round_trip(env_id, make_env):
    dist = distribution(make_env(env_id))
    tasks = [t for name in dist.split_names for t in dist.split(name)]
    tasks += dist.sample_many(np.random.default_rng(0), 20)
    for task in tasks:
        assert isinstance(task, Task)
        again = dist.task_type.from_dict(json.loads(task.to_json()))
        assert again == task and hash(again) == hash(task) and again.to_json() == task.to_json()
        if all(spec.kind != "str" for spec in task.field_specs()):
            assert dist.task_type.from_array(task.to_array()) == task


@pytest.mark.parametrize("env_id", ALL_IDS)
def test_split_hashes_are_golden(env_id, make_env):
    dist = distribution(make_env(env_id))
    assert env_id in GOLDEN_SPLITS, f"add {env_id}'s split hashes (from `rlenvs info {env_id}`) to golden_splits.py"
    assert set(GOLDEN_SPLITS[env_id]) == set(dist.split_names)
    for name, golden in GOLDEN_SPLITS[env_id].items():
        split = dist.split(name)
        assert isinstance(split, TaskSet) and len(split) == dist.split_sizes[name]
        text = json.dumps([t.to_dict() for t in split], sort_keys=True, separators=(",", ":"))
        assert hashlib.sha256(text.encode()).hexdigest() == split.sha256 == golden


@pytest.mark.parametrize("env_id", ALL_IDS)
def test_bad_input_raises_clear_errors(env_id, make_env):
    env = make_env(env_id)
    env.reset(seed=0)
    with pytest.raises(ValueError, match="outside the action space"):
        env.step(bad_action(env.action_space))
    with pytest.raises(ValueError, match="shape"):
        env.step(np.zeros((7, 7, 7)))
    if isinstance(env.action_space, gym.spaces.Box):
        nan = env.action_space.sample().astype(np.float64)
        nan.flat[0] = np.nan
        with pytest.raises(ValueError, match="outside the action space"):
            env.step(nan)
    with pytest.raises(TypeError, match="options must be a dict"):
        env.reset(options=["task"])
    with pytest.raises(ValueError, match="unknown reset option"):
        env.reset(options={"tsk": None})
    with pytest.raises(ValueError, match="unknown field.*Valid fields"):
        env.unwrapped.set_task({"no_such_field": 1.0})
    with pytest.raises(TypeError, match="expected a"):
        env.unwrapped.set_task(3.0)
    spec = next((s for s in distribution(env).task_type.field_specs() if s.high is not None or s.choices), None)
    if spec is not None:
        task = distribution(env).sample(np.random.default_rng(0)).to_dict()
        too_big = (spec.high + 1.0) if spec.high is not None else "not-a-choice"
        task[spec.name] = [too_big] * len(task[spec.name]) if spec.is_tuple else too_big
        with pytest.raises(ValueError, match=spec.name):
            env.reset(options={"task": task})
    with pytest.raises(ValueError, match="unknown split"):
        make_env(env_id, task_split="no_such_split")


@pytest.mark.parametrize("env_id", ALL_IDS)
def test_pickled_env_continues_identically(env_id, make_env):
    env = make_env(env_id)
    actions = sample_actions(env.action_space, 60)
    env.reset(seed=5)
    for action in actions[:10]:
        env.step(action)
    clone = pickle.loads(pickle.dumps(env))
    for action in actions[10:]:
        out, out_clone = env.step(action), clone.step(action)
        assert_obs_equal(out[0], out_clone[0])
        assert out[1:4] == out_clone[1:4]
        if out[2] or out[3]:
            assert env.reset()[1] == clone.reset()[1]


# --- native vector envs -------------------------------------------------------------------------------

def make_native(env_id, num_envs, **kwargs):
    return rlenvs.make_vec(env_id, num_envs=num_envs, vectorization_mode="vector_entry_point", **kwargs)


@pytest.mark.parametrize("env_id", VECTOR_IDS)
def test_native_vector_equals_sync_vector(env_id):
    n = 5
    native = make_native(env_id, n)
    sync = rlenvs.make_vec(env_id, num_envs=n, vectorization_mode="sync")
    dist = native.task_distribution
    test_split = dist.split(dist.split_names[-1])
    tasks = [test_split[0], None, dist.sample(np.random.default_rng(3)), None, test_split[-1]]
    native.set_tasks(tasks)
    for env, task in zip(sync.envs, tasks, strict=True):
        env.unwrapped.set_task(task)
    obs_n, info_n = native.reset(seed=11)
    obs_s, info_s = sync.reset(seed=11)
    assert_obs_equal(obs_n, obs_s)
    for name, values in info_n["task"].items():
        np.testing.assert_array_equal(values, np.asarray(info_s["task"][name].tolist()))
    assert native.tasks == [env.unwrapped.task for env in sync.envs]
    steps = 3 * (rlenvs.get_entry(env_id).max_episode_steps or 50) + 7  # several autoresets
    sync.action_space.seed(0)
    dones = 0
    for _ in range(steps):
        actions = sync.action_space.sample()
        out_n, out_s = native.step(actions), sync.step(actions)
        for a, b in zip(out_n[:4], out_s[:4], strict=True):
            assert_obs_equal(a, b)
        dones += int(np.count_nonzero(out_n[2] | out_n[3]))
        assert native.tasks == [env.unwrapped.task for env in sync.envs]
    assert dones >= 2 * n, "the comparison must cross autoresets"
    native.close()
    sync.close()


@pytest.mark.parametrize("env_id", VECTOR_IDS)
def test_native_vector_contract(env_id):
    envs = make_native(env_id, 3)
    assert envs.metadata["autoreset_mode"] == AutoresetMode.NEXT_STEP
    dist = envs.task_distribution
    task = dist.sample(np.random.default_rng(0))
    obs, info = envs.reset(seed=0, options={"tasks": [None, task.to_dict(), None]})
    assert envs.tasks[1] == task and info["_task"].all()
    envs.set_tasks(task)  # one task fixes it for every env
    envs.reset()
    assert envs.tasks == [task] * 3
    assert obs in envs.observation_space
    # copies by default: a later step leaves earlier outputs alone
    actions = envs.action_space.sample()
    first = envs.step(actions)[0]
    kept = snapshot(first)
    envs.step(actions)
    assert_obs_equal(first, kept)
    envs.close()


@pytest.mark.parametrize("env_id", VECTOR_IDS)
def test_native_vector_copy_false_returns_the_buffers(env_id):
    envs = make_native(env_id, 2, copy=False)
    obs0, _ = envs.reset(seed=0)
    obs1 = envs.step(envs.action_space.sample())[0]
    obs2 = envs.step(envs.action_space.sample())[0]
    assert obs1 is obs2 and shares_memory(obs0, obs1)
    envs.close()


@pytest.mark.parametrize("env_id", VECTOR_IDS)
def test_native_vector_pickles(env_id):
    envs = make_native(env_id, 4)
    envs.reset(seed=2)
    envs.action_space.seed(0)
    actions = [envs.action_space.sample() for _ in range(30)]
    for a in actions[:5]:
        envs.step(a)
    clone = pickle.loads(pickle.dumps(envs))
    for a in actions[5:]:
        for x, y in zip(envs.step(a)[:4], clone.step(a)[:4], strict=True):
            assert_obs_equal(x, y)


@pytest.mark.parametrize("env_id", VECTOR_IDS)
def test_native_vector_bad_input(env_id):
    envs = make_native(env_id, 3)
    envs.reset(seed=0)
    with pytest.raises(ValueError, match="tasks must be a sequence of 3"):
        envs.set_tasks([None, None])
    with pytest.raises(ValueError, match="seed must be"):
        envs.reset(seed=[1, 2])
    with pytest.raises(ValueError, match="seed must be"):
        envs.reset(seed=-1)
    with pytest.raises(TypeError, match="options must be a dict"):
        envs.reset(options=("tasks",))
    with pytest.raises(ValueError, match="unknown reset option"):
        envs.reset(options={"task": None})
    with pytest.raises(ValueError, match="shape"):
        envs.step(np.stack([envs.single_action_space.sample()] * 2))
    actions = np.stack([bad_action(envs.single_action_space)] * 3)
    with pytest.raises(ValueError, match="outside the action space"):
        envs.step(actions)
    with pytest.raises(ValueError, match="unknown field"):
        envs.set_tasks([{"nope": 0}, None, None])
    with pytest.raises(ValueError, match="num_envs must be a positive int"):
        make_native(env_id, 0)
    envs.close()
