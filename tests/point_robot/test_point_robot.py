import numpy as np
import pytest

import rlenvs
from rlenvs.core import rng as core_rng
from rlenvs.point_robot import _kernels, _reference
from rlenvs.point_robot.env import PointRobotEnv
from rlenvs.point_robot.tasks import PointRobotDistribution, PointRobotSparseDistribution, PointRobotTask


def test_pearl_dense_goals_recomputed():
    # PEARL point_robot.py: np.random.seed(1337), then 100 x [uniform(-1, 1), uniform(-1, 1)].
    goals = np.random.RandomState(1337).uniform(-1.0, 1.0, size=200).reshape(100, 2)
    dist = PointRobotDistribution()
    np.testing.assert_array_equal(dist.split("pearl_train").to_array(), goals[:80])
    np.testing.assert_array_equal(dist.split("pearl_test").to_array(), goals[80:])


def test_pearl_sparse_goals_recomputed():
    # PEARL SparsePointEnv: half-circle angles linspace(0, pi, 100), rows shuffled after seed 1337.
    order = np.random.RandomState(1337).permutation(100)
    angles = np.linspace(0.0, np.pi, 100)[order]
    goals = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    dist = PointRobotSparseDistribution()
    np.testing.assert_allclose(dist.split("train").to_array(), goals[:80], rtol=0, atol=1e-15)
    np.testing.assert_allclose(dist.split("test").to_array(), goals[80:], rtol=0, atol=1e-15)
    samples = dist.sample_many(np.random.default_rng(0), 200)
    radii = np.hypot(*np.array([t.goal for t in samples]).T)
    np.testing.assert_allclose(radii, 1.0)
    assert min(t.goal[1] for t in samples) >= 0.0


def test_meta_dt_split_sizes_and_range():
    dist = PointRobotDistribution()
    assert len(dist.split("train")) == 45 and len(dist.split("test")) == 5
    goals = np.concatenate([dist.split("train").to_array(), dist.split("test").to_array()])
    assert np.abs(goals).max() <= 1.0 and len(np.unique(goals, axis=0)) == 50


@pytest.mark.parametrize("sparse", [False, True])
def test_episode_rewards_recomputed(sparse):
    env = rlenvs.make("PointRobotSparse-v0" if sparse else "PointRobot-v0")
    goal = (0.3, 0.4) if sparse else (-0.7, 0.2)
    obs, _ = env.reset(seed=0, options={"task": {"goal": goal}})
    np.testing.assert_array_equal(obs, [0.0, 0.0])
    env.action_space.seed(0)
    pos = np.zeros(2)
    for t in range(20):
        action = np.array([0.03, 0.04]) if sparse else env.action_space.sample()
        obs, reward, terminated, truncated, _ = env.step(action)
        pos = pos + np.asarray(action, dtype=np.float64)
        dist = float(np.linalg.norm(pos - goal))
        expected = (1.0 - dist if dist <= 0.2 else 0.0) if sparse else -dist
        assert reward == pytest.approx(expected, abs=1e-12)
        np.testing.assert_allclose(obs, pos, atol=1e-6)
        assert not terminated and truncated == (t == 19)
    if sparse:
        assert reward == 0.0 and pos == pytest.approx([0.6, 0.8])  # walked through and past the goal


def test_out_of_range_action_is_not_clipped():
    env = rlenvs.make("PointRobot-v0")
    env.reset(seed=0)
    with pytest.raises(ValueError, match=r"outside the action space.*ClipAction"):
        env.step(np.array([0.2, 0.0]))


def test_render_shows_the_goal_and_the_point():
    env = rlenvs.make("PointRobot-v0", render_mode="rgb_array")
    env.reset(seed=0, options={"task": PointRobotTask(goal=(1.0, 1.0))})
    image = env.render()
    assert image.shape == (256, 256, 3) and image.dtype == np.uint8
    assert (image == (60, 180, 75)).all(axis=-1).any() and (image == (0, 90, 200)).all(axis=-1).any()
    with pytest.raises(ValueError, match="render_mode must be one of"):
        PointRobotEnv(render_mode="human")


def _batch_state(n, seed):
    rng = np.random.default_rng(seed)
    split = PointRobotDistribution().split("train").to_array()
    state = {
        "rng": core_rng.new_state(n),
        "task_fixed": rng.random(n) < 0.3,
        "fixed_params": rng.uniform(-1, 1, (n, 2)),
        "split_params": split,
        "task_params": np.zeros((n, 2)),
        "task_index": np.zeros(n, dtype=np.int64),
        "pos": np.zeros((n, 2)),
        "elapsed": np.zeros(n, dtype=np.int64),
        "needs_reset": np.zeros(n, dtype=np.bool_),
        "obs": np.zeros((n, 2), dtype=np.float32),
        "rewards": np.zeros(n),
        "terminations": np.zeros(n, dtype=np.bool_),
        "truncations": np.zeros(n, dtype=np.bool_),
    }
    state["rng"][:, 0] = core_rng.seed_keys(np.arange(n, dtype=np.uint64) + np.uint64(seed))
    return state


@pytest.mark.kernel
@pytest.mark.parametrize("sparse", [False, True])
def test_kernels_match_the_numpy_reference(sparse):
    n, max_steps = 9, 4
    fast, slow = _batch_state(n, 1), _batch_state(n, 1)
    if sparse:  # fixed goals within reach, so that the sparse reward fires
        fast["fixed_params"][:] = slow["fixed_params"][:] = 0.15
    keys = ("rng", "task_fixed", "fixed_params", "split_params", "task_params", "task_index")
    mask = np.ones(n, dtype=np.bool_)
    _kernels.reset_batch(mask, *(fast[k] for k in keys), fast["pos"], fast["obs"])
    _reference.reset_batch(mask, *(slow[k] for k in keys), slow["pos"], slow["obs"])
    actions = np.random.default_rng(2).uniform(-0.1, 0.1, (13, n, 2))
    truncated = rewarded = 0
    for a in actions:
        for s, step in ((fast, _kernels.step_batch), (slow, _reference.step_batch)):
            step(a, *(s[k] for k in keys), s["pos"], s["elapsed"], s["needs_reset"], max_steps, sparse, 0.2,
                 s["obs"], s["rewards"], s["terminations"], s["truncations"])
        for name in fast:
            np.testing.assert_allclose(fast[name], slow[name], rtol=0, atol=1e-12, err_msg=name)
        truncated += fast["truncations"].sum()
        rewarded += (fast["rewards"] > 0).sum()
    assert truncated >= 2 * n, "the comparison must cross autoresets"
    assert rewarded > 0 or not sparse


@pytest.mark.kernel
def test_step_single_matches_the_reference_reward():
    pos, goal = np.array([0.1, -0.2]), np.array([0.25, -0.1])
    r = _kernels.step_single(pos, goal, np.array([0.05, 0.05]), True, 0.2)
    expected = _reference.reward(np.array([0.15, -0.15]), goal, True, 0.2)
    assert r == pytest.approx(float(expected), abs=1e-15) and r > 0.8


def test_vector_env_never_truncates_without_max_steps():
    envs = rlenvs.make_vec("PointRobot-v0", num_envs=2, max_episode_steps=None)
    envs.reset(seed=0)
    for _ in range(50):
        _, _, term, trunc, _ = envs.step(np.zeros((2, 2), dtype=np.float32))
        assert not (term | trunc).any()
