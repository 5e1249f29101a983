"""Meta-World family: goal sets equal metaworld's, splits disjoint and golden, seeds honoured, the wrapped env
steps exactly like the package's own, experts succeed, Continual World order and metrics."""

import pickle

import gymnasium as gym
import metaworld
import numpy as np
import pytest
from metaworld import env_dict

import rlenvs
from rlenvs.metaworld import (
    CW10,
    CW20,
    ENV_NAMES,
    MetaWorldDistribution,
    MetaWorldEnv,
    MetaWorldTask,
    _goals,
    _sim,
    average_performance,
    continual_world,
    expert_policy,
    forgetting,
    forward_transfer,
)
from rlenvs.metaworld.continual import make_continual_world_envs
from rlenvs.metaworld.tasks import ML10_TEST, ML10_TRAIN, ML45_TEST, ML45_TRAIN, MT10_CLASSES, goal_data
from tests.golden_splits import GOLDEN_SPLITS

MW_IDS = [e.id for e in rlenvs.list_envs() if e.family == "metaworld"]


def _ml1_vecs(tasks):
    return [list(pickle.loads(t.data)["rand_vec"]) for t in tasks]


# --- goal sets ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("env_name", ["reach-v3", "button-press-v3"])  # a 6-number and a 3-number class
def test_ml1_goals_equal_metaworlds_own(env_name):
    bench = metaworld.ML1(env_name, seed=_goals.ML1_SEED)
    assert goal_data()["ml1_train"][env_name] == _ml1_vecs(bench.train_tasks)
    assert goal_data()["ml1_test"][env_name] == _ml1_vecs(bench.test_tasks)
    dist = MetaWorldDistribution("ML1", env_name)
    assert [list(t.class_rand_vec) for t in dist.split("train")] == _ml1_vecs(bench.train_tasks)


@pytest.mark.slow
@pytest.mark.parametrize("env_name", ENV_NAMES)
def test_ml1_goals_equal_metaworlds_own_all(env_name):
    bench = metaworld.ML1(env_name, seed=_goals.ML1_SEED)
    assert goal_data()["ml1_train"][env_name] == _ml1_vecs(bench.train_tasks)
    assert goal_data()["ml1_test"][env_name] == _ml1_vecs(bench.test_tasks)


def test_goal_generation_leaves_global_numpy_state_alone():
    before = np.random.get_state()[1].copy()  # noqa: NPY002 - the legacy global state is what is checked
    _goals.make_goals("reach-v3", 0, n_goals=3)
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002


def test_metadt_reach_goals_are_ml1_3407_first_20():
    bench = metaworld.ML1("reach-v3", seed=_goals.METADT_REACH_SEED)
    assert goal_data()["metadt_reach"] == _ml1_vecs(bench.train_tasks)[:20]
    dist = MetaWorldDistribution("Reach-MetaDT")
    assert [list(t.class_rand_vec) for t in dist.split("train")] == goal_data()["metadt_reach"][:15]
    assert [list(t.class_rand_vec) for t in dist.split("test")] == goal_data()["metadt_reach"][15:]


def test_class_lists_match_the_package():
    assert ENV_NAMES == tuple(env_dict.ALL_V3_ENVIRONMENTS)
    assert MT10_CLASSES == tuple(env_dict.MT10_V3)
    assert ML10_TRAIN == tuple(env_dict.ML10_V3["train"]) and ML10_TEST == tuple(env_dict.ML10_V3["test"])
    assert set(ML45_TRAIN) == set(env_dict.ML45_V3["train"]) and ML45_TEST == tuple(env_dict.ML45_V3["test"])


def test_reset_spaces_match_the_package():
    for name in ("reach-v3", "button-press-v3", "door-open-v3"):
        low, high = _goals.reset_space(name)
        assert goal_data()["reset_space"][name] == [low, high]


def test_every_ml1_split_is_disjoint_50_50_and_golden():
    for name in ENV_NAMES:
        dist = MetaWorldDistribution("ML1", name)
        train, test = dist.split("train"), dist.split("test")
        assert len(train) == len(set(train)) == 50 and len(test) == len(set(test)) == 50
        assert not set(train) & set(test)
        golden = GOLDEN_SPLITS[f"rlenvs/MetaWorld-ML1-{name[:-3]}-v3"]
        assert (train.sha256, test.sha256) == (golden["train"], golden["test"])


@pytest.mark.parametrize("bench_name", ["ML10", "ML45", "MT10", "MT50", "Reach-MetaDT"])
def test_benchmark_splits_are_golden_and_built_from_ml1_goals(bench_name):
    dist = MetaWorldDistribution(bench_name)
    golden = GOLDEN_SPLITS[f"rlenvs/MetaWorld-{bench_name}-v3"]
    for split in ("train", "test"):
        tasks = dist.split(split)
        assert tasks.sha256 == golden[split]
        if bench_name != "Reach-MetaDT":
            classes = dist.classes[split]
            assert [t.env_name for t in tasks] == [c for c in classes for _ in range(50)]
            assert all(list(t.class_rand_vec) in goal_data()[f"ml1_{split}"][t.env_name] for t in tasks)
    if bench_name.startswith("ML"):
        assert not {t.env_name for t in dist.split("train")} & {t.env_name for t in dist.split("test")}


def test_all_ids_registered():
    assert len(MW_IDS) == 55
    assert {f"rlenvs/MetaWorld-ML1-{n[:-3]}-v3" for n in ENV_NAMES} <= set(MW_IDS)
    for b in ("ML10", "ML45", "MT10", "MT50", "Reach-MetaDT"):
        assert f"rlenvs/MetaWorld-{b}-v3" in MW_IDS


# --- tasks --------------------------------------------------------------------------------------------

def test_task_validation_names_the_problem():
    with pytest.raises(ValueError, match="env_name"):
        MetaWorldTask(env_name="reach-v2", rand_vec=(0.0,) * 6)
    with pytest.raises(ValueError, match="outside the reset space of reach-v3"):
        MetaWorldTask(env_name="reach-v3", rand_vec=(0.0, 0.65, 0.02, 0.0, 0.85, 0.9))
    with pytest.raises(ValueError, match="last 3 must be 0"):
        MetaWorldTask(env_name="button-press-v3", rand_vec=(0.0, 0.85, 0.115, 0.1, 0.0, 0.0))
    with pytest.raises(ValueError, match="6 entries"):
        MetaWorldTask(env_name="reach-v3", rand_vec=(0.0, 0.65, 0.02))
    env = MetaWorldEnv("ML1", "reach-v3")
    # inside the reset box, but the goal is within 0.15 (xy) of the object: reach's reset would loop forever
    too_close = {"env_name": "reach-v3", "rand_vec": [0.0, 0.7, 0.02, 0.0, 0.8, 0.1]}
    with pytest.raises(ValueError, match="fails the class's reset rule"):
        env.reset(options={"task": too_close})


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match="unknown Meta-World benchmark"):
        MetaWorldEnv("ML5")
    with pytest.raises(ValueError, match="ML1 needs env_name"):
        MetaWorldEnv("ML1", "no-such-v3")
    with pytest.raises(ValueError, match="one_hot"):
        MetaWorldEnv("ML10", one_hot=True)
    with pytest.raises(ValueError, match="episode_length"):
        MetaWorldEnv("ML1", "reach-v3", episode_length=0)


def test_sample_draws_valid_tasks_reproducibly():
    dist = MetaWorldDistribution("ML10")
    a = dist.sample_many(np.random.default_rng(5), 4)
    b = dist.sample_many(np.random.default_rng(5), 4)
    assert a == b and len(set(a)) == 4
    assert all(t.env_name in dist.all_classes for t in a)


# --- the env ------------------------------------------------------------------------------------------

def _compare_with_package(env_name, goal_index=7, steps=150):
    """Step our env and the package's own env (set up as metaworld's docs do) with the expert's actions
    (so that grasps and contacts happen) and require identical outputs."""
    bench = metaworld.ML1(env_name, seed=0)
    theirs = bench.train_classes[env_name]()
    theirs.set_task(bench.train_tasks[goal_index])
    ours = MetaWorldEnv("ML1", env_name)
    task = ours.task_distribution.split("train")[goal_index]
    ours.set_task(task)
    obs_o, _ = ours.reset(seed=0)
    obs_t, _ = theirs.reset()
    np.testing.assert_array_equal(obs_o, obs_t)
    assert np.all(obs_o[36:39] == 0.0)  # ML: goal hidden
    policy = expert_policy(task)
    rng = np.random.default_rng(0)
    grasps = 0
    for _ in range(steps):
        action = np.clip(policy(obs_o) + rng.normal(0, 0.1, 4), -1, 1).astype(np.float32)
        obs_o, r1, _, _, i1 = ours.step(action)
        obs_t, r2, _, _, i2 = theirs.step(action)
        np.testing.assert_array_equal(obs_o, obs_t)
        assert r1 == r2 and i1 == {**i2, "success": bool(i2["success"])}
        grasps += bool(i1["grasp_success"])
    return grasps


@pytest.mark.parametrize("env_name", ["push-v3", "pick-place-v3"])
def test_env_steps_exactly_like_the_package(env_name):
    grasps = _compare_with_package(env_name)
    if env_name == "pick-place-v3":  # the gripper touches the object: the contact path is exercised
        assert grasps > 0


@pytest.mark.slow
@pytest.mark.parametrize("env_name", ENV_NAMES)
def test_env_steps_exactly_like_the_package_all(env_name):
    _compare_with_package(env_name, goal_index=3, steps=300)


def test_reset_seed_is_honoured_and_reproduces_episodes():
    env = gym.make("rlenvs/MetaWorld-ML10-v3")
    actions = np.random.default_rng(1).uniform(-1, 1, (30, 4)).astype(np.float32)

    def episode(seed):
        obs, info = env.reset(seed=seed)
        return info["task"], [obs] + [env.step(a)[0] for a in actions]

    task_a, run_a = episode(3)
    task_b, run_b = episode(3)
    assert task_a == task_b
    np.testing.assert_array_equal(np.array(run_a), np.array(run_b))
    tasks = {str(env.reset(seed=s)[1]["task"]) for s in range(10)}
    assert len(tasks) > 1


def test_mt10_shows_goal_and_one_hot():
    env = MetaWorldEnv("MT10", one_hot=True)
    obs, info = env.reset(seed=0)
    assert obs.shape == (49,) and obs in env.observation_space
    hot = obs[39:]
    assert hot.sum() == 1.0 and MT10_CLASSES[int(np.argmax(hot))] == info["task"]["env_name"]
    np.testing.assert_array_equal(obs[36:39], env._slot.env._target_pos)


def test_episode_length_argument_truncates():
    env = MetaWorldEnv("ML1", "reach-v3", episode_length=200)
    env.reset(seed=0)
    flags = [env.step(np.zeros(4, dtype=np.float32))[3] for _ in range(200)]
    assert flags[-1] and not any(flags[:-1])
    with pytest.raises(RuntimeError, match="call reset"):
        env.step(np.zeros(4, dtype=np.float32))


def test_multi_class_benchmark_is_lazy():
    built, compiled = len(_sim.BUILT), set(_sim._MODELS)
    env = gym.make("rlenvs/MetaWorld-ML45-v3")
    names = {env.reset(seed=s)[1]["task"]["env_name"] for s in range(3)}
    assert set(_sim.BUILT[built:]) <= names  # only the classes reset into were built
    assert len(set(_sim._MODELS) - compiled) <= len(names)  # and only their XMLs compiled


@pytest.mark.parametrize("env_name", ["pick-place-v3", "door-open-v3", "basketball-v3"])
def test_a_used_env_steps_like_a_fresh_one(env_name):
    """What makes the per-class pool exact: after reset, a used env is indistinguishable from a new one."""
    _reset_forgets_history(env_name)


@pytest.mark.slow
@pytest.mark.parametrize("env_name", ENV_NAMES)
def test_a_used_env_steps_like_a_fresh_one_all(env_name):
    _reset_forgets_history(env_name)


def _reset_forgets_history(env_name):
    split = MetaWorldDistribution("ML1", env_name).split("train")
    rng = np.random.default_rng(1)
    used = _sim.Slot(goal_observable=False, episode_length=500)
    used.env = _sim.build_env(env_name)
    used.begin(split[0])
    for a in rng.uniform(-1, 1, (150, 4)):
        used.step(a)
    fresh = _sim.Slot(goal_observable=False, episode_length=500)
    fresh.env = _sim.build_env(env_name)
    np.testing.assert_array_equal(used.begin(split[5]), fresh.begin(split[5]))
    for a in rng.uniform(-1, 1, (100, 4)):
        (o1, r1, i1), (o2, r2, i2) = used.step(a), fresh.step(a)
        np.testing.assert_array_equal(o1, o2)
        assert r1 == r2 and i1 == i2


def test_native_vector_switches_classes_like_sync():
    n = 3
    native = rlenvs.make_vec("rlenvs/MetaWorld-ML10-v3", num_envs=n, episode_length=5)
    sync = gym.make_vec("rlenvs/MetaWorld-ML10-v3", num_envs=n, vectorization_mode="sync", episode_length=5)
    on, _ = native.reset(seed=4)
    os_, _ = sync.reset(seed=4)
    np.testing.assert_array_equal(on, os_)
    seen = set()
    actions = np.random.default_rng(0).uniform(-1, 1, (30, n, 4)).astype(np.float32)
    for a in actions:
        out_n, out_s = native.step(a), sync.step(a)
        for x, y in zip(out_n[:4], out_s[:4], strict=True):
            np.testing.assert_array_equal(x, y)
        if "success" in out_s[4]:  # sync has no step info for envs that reset on this step
            mask = out_s[4]["_success"]
            np.testing.assert_array_equal(out_n[4]["success"][mask], out_s[4]["success"][mask])
        seen |= {t.env_name for t in native.tasks}
    assert len(seen) > 2  # episodes of 5 steps: classes switch every episode


# --- experts ------------------------------------------------------------------------------------------

def _expert_success(task, max_steps=500):
    env = MetaWorldEnv("ML1", task.env_name, task=task)
    policy = expert_policy(task)
    obs, _ = env.reset(seed=0)
    for _ in range(max_steps):
        obs, _, _, truncated, info = env.step(policy(obs))
        if info["success"]:
            return True
        if truncated:
            return False
    return False


@pytest.mark.parametrize("env_name", ["reach-v3", "button-press-topdown-v3", "drawer-close-v3"])
def test_expert_policies_succeed_on_a_sample(env_name):
    tasks = MetaWorldDistribution("ML1", env_name).split("test")
    assert all(_expert_success(tasks[k]) for k in (0, 17))


@pytest.mark.slow
@pytest.mark.parametrize("env_name", ENV_NAMES)
def test_expert_policies_succeed_on_every_class(env_name):
    tasks = MetaWorldDistribution("ML1", env_name).split("test")
    rate = np.mean([_expert_success(tasks[k]) for k in range(0, 50, 5)])
    assert rate >= 0.7, f"{env_name}: expert success {rate:.0%} on 10 test goals"


# --- Continual World ----------------------------------------------------------------------------------

def test_continual_world_order_matches_the_paper():
    # Wolczyk et al. 2021, Sec. 3 / continualworld/tasks.py: the CW10 order, and CW20 = CW10 twice.
    paper = ["hammer", "push-wall", "faucet-close", "push-back", "stick-pull", "handle-press-side", "push",
             "shelf-place", "window-close", "peg-unplug-side"]
    assert continual_world("CW10") == CW10 == tuple(f"{n}-v3" for n in paper)
    assert continual_world("CW20") == CW20 == CW10 + CW10
    assert set(CW10) <= set(ENV_NAMES)
    with pytest.raises(ValueError, match="CW10"):
        continual_world("CW5")


def test_continual_world_envs_use_200_steps():
    envs = make_continual_world_envs("CW10")
    assert [e.task_distribution.env_name for e in envs] == list(CW10)
    assert all(e.episode_length == 200 and e.goal_observable for e in envs)


def test_cw_metrics_on_a_worked_example():
    # 2 tasks, 2 evaluations per task window (last=1 for a hand-checkable example)
    success = np.array([[0.2, 0.0],
                        [0.8, 0.1],   # end of task 0's window: 0.8
                        [0.5, 0.6],
                        [0.4, 1.0]])  # end: task 0 0.4, task 1 1.0
    assert average_performance(success, last=1) == pytest.approx((0.4 + 1.0) / 2)
    assert forgetting(success, last=1) == pytest.approx(((0.8 - 0.4) + (1.0 - 1.0)) / 2)
    reference = np.array([[0.0, 0.2], [0.5, 0.6]])
    auc = np.array([(0.2 + 0.8) / 2, (0.6 + 1.0) / 2])
    auc_b = np.array([0.25, 0.4])
    assert forward_transfer(success, reference) == pytest.approx(np.mean((auc - auc_b) / (1 - auc_b)))
    with pytest.raises(ValueError, match="task windows"):
        forgetting(success[:3])
    with pytest.raises(ValueError, match="success rates"):
        average_performance(success + 1)
