import json
import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

import rlenvs
from rlenvs import datasets
from rlenvs.cli import app
from rlenvs.datasets import DatasetError, Recipe, recipes
from rlenvs.point_robot.tasks import PointRobotTask

ENV_ID = "rlenvs/PointRobot-v0"


@pytest.fixture(autouse=True)
def minari_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MINARI_DATASETS_PATH", str(tmp_path / "minari"))
    warnings.filterwarnings("ignore", category=UserWarning, module="minari")
    return tmp_path / "minari"


@pytest.fixture
def small_recipe(monkeypatch):
    recipe = Recipe(ENV_ID, "medium-expert", split="test", episodes_per_task=10, seed=3, num_envs=16)
    monkeypatch.setitem(recipes.RECIPES, "tiny/medium-expert-v0", recipe)
    return "tiny/medium-expert-v0"


def tasks_of(split):
    return list(rlenvs.make(ENV_ID).unwrapped.task_distribution.split(split))


def test_expert_return_matches_the_analytic_optimum():
    tasks = tasks_of("test")
    policy = datasets.get_policy(ENV_ID, "expert", None)
    episodes = datasets.rollout_episodes(ENV_ID, policy, tasks)
    for ep, task in zip(episodes, tasks, strict=True):
        goal = np.array(task.goal)
        t = np.arange(1, 21)[:, None]
        pos = np.sign(goal) * np.minimum(0.1 * t, np.abs(goal))  # each axis at full speed, then stays
        optimum = -np.linalg.norm(pos - goal, axis=1).sum()
        assert ep.episode_return == pytest.approx(optimum, abs=1e-5)
        assert len(ep.actions) == 20 and ep.truncations[-1] and not ep.terminations.any()


def test_tiers_are_ordered():
    tasks = [t for t in tasks_of("train")[:10] for _ in range(5)]
    space = rlenvs.make(ENV_ID).action_space
    mean = {tier: np.mean([ep.episode_return for ep in datasets.rollout_episodes(
        ENV_ID, datasets.get_policy(ENV_ID, tier, space), tasks, seed=1)]) for tier in ("random", "medium", "expert")}
    assert mean["expert"] > mean["medium"] > mean["random"]
    with pytest.raises(ValueError, match=r"no 'replay' policy .* available tiers: \['expert', 'medium', 'random'\]"):
        datasets.get_policy("rlenvs/PointRobotSparse-v0", "replay", space)


def test_vector_and_single_env_collection_agree():
    tasks = tasks_of("test") * 3
    policy = datasets.get_policy(ENV_ID, "expert", None)
    fast = datasets.rollout_episodes(ENV_ID, policy, tasks, seed=5, num_envs=4)
    slow = datasets.rollout_episodes(ENV_ID, policy, tasks, seed=5, vectorized=False)
    assert datasets.episodes_hash(fast) == datasets.episodes_hash(slow)


def test_recipe_rebuilds_bit_for_bit(small_recipe):
    recipe = recipes.get_recipe(small_recipe)
    assert recipe.tier_plan() == [("medium", 7), ("expert", 3)]
    first, again = recipes.build_episodes(recipe), recipes.build_episodes(recipe)
    assert len(first) == 5 * 10 and datasets.episodes_hash(first) == datasets.episodes_hash(again)
    other = recipes.build_episodes(Recipe(ENV_ID, "medium-expert", "test", 10, seed=4, num_envs=16))
    assert datasets.episodes_hash(other) != datasets.episodes_hash(first)
    # the chunking of envs does not change the data of the deterministic tier
    expert = Recipe(ENV_ID, "expert", "test", 4, seed=0, num_envs=3)
    assert datasets.episodes_hash(recipes.build_episodes(expert)) == datasets.episodes_hash(
        recipes.build_episodes(Recipe(ENV_ID, "expert", "test", 4, seed=0, num_envs=64)))
    with pytest.raises(DatasetError, match="unknown dataset recipe"):
        recipes.get_recipe("nope/expert-v0")


def test_minari_round_trip_and_recovered_env(small_recipe):
    built = recipes.build_episodes(recipes.get_recipe(small_recipe))
    datasets.create(small_recipe)
    dataset = datasets.load(f"rlenvs/{small_recipe}")
    assert dataset.total_episodes == 50 and dataset.total_steps == 50 * 20
    episodes = datasets.read_episodes(dataset)
    assert datasets.episodes_hash(episodes) == datasets.episodes_hash(built)
    assert {json.dumps(ep.task) for ep in episodes} == {json.dumps(t.to_dict()) for t in tasks_of("test")}
    meta = dataset.storage.metadata
    assert meta["ref_min_score"] < meta["ref_max_score"] and datasets.episodes_hash(built) in meta["description"]
    env = dataset.recover_environment()
    obs, info = env.reset(seed=0, options={"task": PointRobotTask(goal=(0.5, 0.5))})
    assert info["task"] == {"goal": [0.5, 0.5]} and env.step(np.zeros(2, np.float32))[1] < 0


def test_broken_datasets_give_clear_errors(small_recipe, minari_dir):
    with pytest.raises(DatasetError, match="is not in .*rlenvs dataset create tiny/medium-expert-v0"):
        datasets.load(f"rlenvs/{small_recipe}")
    datasets.create(small_recipe)
    data = minari_dir / "rlenvs" / "tiny" / "medium-expert-v0" / "data"
    hdf5 = data / "main_data.hdf5"
    hdf5.write_bytes(hdf5.read_bytes()[:2000])  # truncated
    with pytest.raises(DatasetError, match="is corrupt"):
        datasets.load(f"rlenvs/{small_recipe}")
    hdf5.unlink()
    with pytest.raises(DatasetError, match="main_data.hdf5 is missing"):
        datasets.load(f"rlenvs/{small_recipe}")


def _fixture_trajectories(returns):
    return [{"observations": np.zeros((2, 1)), "actions": np.full((2, 1), k), "rewards": np.array([r, 0.0]),
             "task": {"k": k}} for k, r in enumerate(returns)]


def test_mask_actions_follows_ss_orl():
    returns = np.random.default_rng(0).permutation(20).astype(float)
    trajs = _fixture_trajectories(returns)
    labelled, free = datasets.mask_actions(trajs, labelled_frac=0.1, from_bottom_quantile=0.5, seed=7)
    assert len(labelled) == 2 and len(free) == 18
    assert all(t["rewards"][0] < 10 for t in labelled) and all("actions" not in t for t in free)
    # recomputed from the definition: indices drawn among the 10 lowest returns, without replacement
    picks = np.random.default_rng(7).choice(10, size=2, replace=False)
    assert sorted(t["rewards"][0] for t in labelled) == sorted(picks.astype(float).tolist())
    labelled, free = datasets.mask_actions(trajs, labelled_frac=0.5, from_bottom_quantile=0.5, seed=1)
    assert [t["rewards"][0] for t in labelled] == list(range(10)) and len(free) == 10
    with pytest.raises(ValueError, match="must be in"):
        datasets.mask_actions(trajs, labelled_frac=1.5)


def test_trajectory_views():
    tasks = tasks_of("test")[:2] * 3
    episodes = datasets.rollout_episodes(ENV_ID, datasets.get_policy(ENV_ID, "expert", None), tasks)
    trajs = datasets.to_trajectories(episodes)
    for traj, ep in zip(trajs, episodes, strict=True):
        assert len(traj["observations"]) == len(traj["actions"]) == len(traj["rewards"]) == 20
        np.testing.assert_array_equal(traj["next_observations"][:-1], traj["observations"][1:])
        np.testing.assert_array_equal(traj["next_observations"][-1], ep.observations[-1])
    groups = datasets.per_task(trajs)
    assert [len(g) for g in groups.values()] == [3, 3]
    segments = datasets.sample_prompt_segments(trajs, length=5, count=8, rng=np.random.default_rng(0))
    for seg in segments:
        assert len(seg["rewards"]) == 5 and seg["task"] in [t["task"] for t in trajs]
        np.testing.assert_array_equal(seg["next_observations"][:-1], seg["observations"][1:])
    with pytest.raises(ValueError, match="no trajectory has 50 steps"):
        datasets.sample_prompt_segments(trajs, length=50, count=1, rng=np.random.default_rng(0))


def test_dataset_cli(small_recipe):
    runner = CliRunner()
    listed = runner.invoke(app, ["dataset", "list"])
    assert listed.exit_code == 0 and "pointrobot/expert-v0" in listed.output
    created = runner.invoke(app, ["dataset", "create", small_recipe])
    assert created.exit_code == 0 and "50 episodes, 1000 steps" in created.output
    info = runner.invoke(app, ["dataset", "info", small_recipe])
    assert info.exit_code == 0 and "episodes sha256" in info.output
    missing = runner.invoke(app, ["dataset", "info", "pointrobot/expert-v0"])
    assert missing.exit_code == 2 and "rlenvs dataset create pointrobot/expert-v0" in missing.output


def test_metaworld_tiers_are_ordered_and_the_expert_succeeds():
    env_id = "rlenvs/MetaWorld-Reach-MetaDT-v3"
    env = rlenvs.make(env_id)
    tasks = list(env.unwrapped.task_distribution.split("train"))[:4]
    mean = {tier: np.mean([ep.episode_return for ep in datasets.rollout_episodes(
        env_id, datasets.get_policy(env_id, tier, env.action_space), tasks, seed=2, max_episode_steps=150)])
        for tier in ("random", "medium", "expert")}
    assert mean["expert"] > mean["medium"] > mean["random"], mean
    # metaworld's scripted reach expert reaches every goal (success = within 5 cm)
    expert = datasets.get_policy(env_id, "expert", env.action_space)
    for ep in datasets.rollout_episodes(env_id, expert, tasks, seed=2, max_episode_steps=150):
        goal = np.asarray(ep.task["rand_vec"][3:6])
        assert np.linalg.norm(ep.observations[-1][:3] - goal) < 0.05


def test_privileged_house_oracle_collects_through_single_envs():
    env_id = "rlenvs/DarkRoom-v0"
    env = rlenvs.make(env_id)
    tasks = list(env.unwrapped.task_distribution.split("test"))[:6]
    oracle = datasets.get_policy(env_id, "expert", None)
    with pytest.raises(DatasetError, match="needs_env"):
        datasets.rollout_episodes(env_id, oracle, tasks)
    assert recipes._vectorized(Recipe(env_id, "expert"), oracle) is False
    expert_eps = datasets.rollout_episodes(env_id, oracle, tasks, vectorized=False)
    random_eps = datasets.rollout_episodes(env_id, datasets.get_policy(env_id, "random", env.action_space), tasks)
    assert all(len(ep.actions) == 500 for ep in expert_eps)
    assert min(ep.episode_return for ep in expert_eps) > max(ep.episode_return for ep in random_eps)


@pytest.mark.parametrize(("env_id", "limit"), [("rlenvs/LPGGrid-v0", None), ("rlenvs/Maze-v0", None),
                                               ("rlenvs/CombinationLock-v0", 10)])
def test_grid_world_tiers_are_ordered(env_id, limit):
    """The grid worlds' expert tier is their leaderboard oracle bound to the collecting vector env."""
    means = {tier: np.mean([ep.episode_return for ep in recipes.build_episodes(
        Recipe(env_id, tier, split="test", episodes_per_task=4, max_episode_steps=limit))])
        for tier in ("random", "medium", "expert")}
    assert means["expert"] > means["medium"] > means["random"], means
    expert = datasets.get_policy(env_id, "expert", None)
    with pytest.raises(DatasetError, match="binds to the native vector env"):
        datasets.rollout_episodes(env_id, expert, [rlenvs.make(env_id).unwrapped.task_distribution.sample(
            np.random.default_rng(0))], vectorized=False, max_episode_steps=limit)
