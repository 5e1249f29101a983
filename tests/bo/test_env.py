"""BO env semantics, recomputed independently from the observations and the NumPy reference functions:
regret and rewards, y transforms, masks, candidates, initial designs, oracle isolation, GP features."""

import math

import gymnasium as gym
import numpy as np
import pytest

import rlenvs
from rlenvs.bo import _reference as ref
from rlenvs.bo.env import REWARDS
from rlenvs.bo.tasks import FUNCTIONS, sobol_points
from tests.conftest import assert_obs_equal

OBS_KEYS = {"hist_x", "hist_y", "hist_mask", "cand_x", "cand_mask", "t_frac", "incumbent"}


def task_function(env, task):
    """The task's objective from the NumPy reference (maximisation form, unit cube)."""
    setup = env.setup
    function = FUNCTIONS[setup.family]
    lo, hi = function.bounds(setup.dim)
    transform = setup.data.g_transform
    return lambda X: ref.shifted_values(setup.family, np.atleast_2d(np.asarray(X, dtype=np.float64)),
                                        task.to_array(), lo, hi, function.mean, function.std, transform)


def make(env_id="rlenvs/BO-Branin-v0", **kwargs):
    return rlenvs.make(env_id, **kwargs).unwrapped


@pytest.mark.parametrize("reward", sorted(REWARDS))
def test_episode_recomputed_from_the_reference(reward):
    """Every step: the observed y is f at the chosen candidate, the regret and reward follow the formulas,
    hist_y is the standardised history, masks and t_frac advance; masked actions spend the step."""
    env = make(reward=reward, n_candidates=64)
    task = env.task_distribution.split("test")[0]
    f = task_function(env, task)
    obs, info = env.reset(seed=3, options={"task": task})
    values = f(obs["cand_x"])
    assert info["y_opt"] == pytest.approx(values.max(), abs=1e-12) and info["y_lo"] == pytest.approx(values.min())
    assert info["normalized_regret"] == 1.0 and info["best_y"] == -np.inf
    rng = np.random.default_rng(0)
    history, chosen, n_before, floor = [], [], 1.0, 1e-6
    for t in range(env.setup.budget):
        a = int(chosen[-1]) if t in (4, 9) else int(rng.choice(np.flatnonzero(obs["cand_mask"])))
        obs, r, terminated, truncated, info = env.step(a)
        valid = a not in chosen
        assert info["invalid_action"] == (not valid)
        if valid:
            history.append(values[a])
            chosen.append(a)
            assert info["y"] == pytest.approx(values[a], abs=1e-12)
        else:
            assert math.isnan(info["y"])
        best = max(history)
        n = (values.max() - best) / (values.max() - values.min())
        assert info["best_y"] == pytest.approx(best, abs=1e-12)
        assert info["normalized_regret"] == pytest.approx(n, abs=1e-12)
        assert info["regret"] == pytest.approx(values.max() - best, abs=1e-12)
        n_after = max(n, floor)
        assert r == pytest.approx(ref.reward(reward, n_before, n_after, terminated), abs=1e-9)
        n_before = n_after
        k = len(history)
        assert obs["hist_mask"].tolist() == [1] * k + [0] * (env.setup.budget - k)
        expected_y = ref.transform_y(np.array(history), "history_standardize", 0, 0)
        np.testing.assert_allclose(obs["hist_y"][:k], expected_y, rtol=1e-5, atol=1e-5)
        np.testing.assert_array_equal(obs["hist_x"][:k], obs["cand_x"][chosen])
        assert obs["incumbent"][0] == pytest.approx(expected_y.max(), abs=1e-5)
        assert obs["cand_mask"][chosen].sum() == 0 and obs["cand_mask"].sum() == 64 - k
        assert obs["t_frac"][0] == pytest.approx((t + 1) / env.setup.budget)
        assert terminated == (t + 1 == env.setup.budget) and not truncated
    with pytest.raises(RuntimeError, match="call reset"):
        env.step(0)


def test_terminal_reward_is_sparse_and_returns_telescope():
    returns = {}
    for reward in ("terminal", "log_improvement", "neg_log_regret"):
        env = make(reward=reward)
        env.reset(seed=1, options={"task": env.task_distribution.split("test")[2]})
        rewards = []
        for a in range(30):
            *_, r, terminated, _, info = env.step(a * 7)
            rewards.append(r)
        returns[reward] = (rewards, info["normalized_regret"])
    rewards, n_final = returns["terminal"]
    assert all(r == 0.0 for r in rewards[:-1]) and rewards[-1] == pytest.approx(-math.log10(max(n_final, 1e-6)))
    # log_improvement sums to the log-regret reduction from n_0 = 1, i.e. the terminal reward
    assert sum(returns["log_improvement"][0]) == pytest.approx(rewards[-1])
    assert returns["neg_log_regret"][0][-1] == pytest.approx(rewards[-1])


def test_no_oracle_values_in_the_observation():
    plain, oracle = make(n_candidates=32), make(n_candidates=32, expose_oracle=True)
    task = plain.task_distribution.split("test")[1]
    obs_p, info_p = plain.reset(seed=0, options={"task": task})
    obs_o, info_o = oracle.reset(seed=0, options={"task": task})
    assert set(obs_p) == OBS_KEYS and set(plain.observation_space.spaces) == OBS_KEYS
    assert "cand_y" not in info_p
    assert_obs_equal(obs_p, obs_o)
    np.testing.assert_allclose(info_o["cand_y"], task_function(oracle, task)(obs_o["cand_x"]), atol=1e-12)
    for a in (3, 5, 3):
        obs_p, *_ = plain.step(a)
        obs_o, _, _, _, info_o = oracle.step(a)
        assert_obs_equal(obs_p, obs_o)
    assert np.all(np.isfinite(info_o["cand_y"]))


def test_noise_reaches_the_observations_but_not_the_regret():
    env = make(noise_std=0.5, y_transform="none", n_candidates=32)
    task = env.task_distribution.split("test")[0]
    obs, _ = env.reset(seed=0, options={"task": task})
    values = task_function(env, task)(obs["cand_x"])
    observed = []
    for a in range(10):
        obs, _, _, _, info = env.step(a)
        observed.append(info["y"])
        assert info["best_y"] == pytest.approx(values[: a + 1].max(), abs=1e-12)
    noise = np.array(observed) - values[:10]
    assert np.abs(noise).max() > 0.05 and abs(noise.std() - 0.5) < 0.35
    np.testing.assert_allclose(obs["hist_y"][:10], observed, rtol=1e-6)
    assert obs["incumbent"][0] == pytest.approx(max(observed), rel=1e-6)


def test_allow_repeats_and_action_masks():
    env = make(allow_repeats=True, n_candidates=16)
    obs, _ = env.reset(seed=0)
    for _ in range(3):
        obs, _, _, _, info = env.step(7)
        assert not info["invalid_action"]
    assert obs["hist_mask"].sum() == 3 and obs["cand_mask"].all()
    np.testing.assert_array_equal(env.action_masks(), obs["cand_mask"].astype(bool))
    strict = make(n_candidates=16)
    strict.reset(seed=0)
    strict.step(7)
    assert strict.action_masks().sum() == 15 and not strict.action_masks()[7]
    with pytest.raises(ValueError, match="no discrete actions"):
        make(candidates="continuous").action_masks()


def test_candidate_modes():
    fixed = make(n_candidates=64)
    obs_a, _ = fixed.reset(seed=0)
    np.testing.assert_array_equal(obs_a["cand_x"], sobol_points(64, 2, "bo/candidates/2d").astype(np.float32))
    per_episode = make(candidates="random_per_episode", n_candidates=64)
    first, _ = per_episode.reset(seed=0)
    after, *_ = per_episode.step(0)
    np.testing.assert_array_equal(first["cand_x"], after["cand_x"])
    second, _ = per_episode.reset()
    assert not np.array_equal(first["cand_x"], second["cand_x"])
    per_step = make(candidates="random_per_step", n_candidates=64)
    first, info = per_step.reset(seed=0)
    after, _, _, _, step_info = per_step.step(5)
    assert not np.array_equal(first["cand_x"], after["cand_x"]) and after["cand_mask"].all()
    np.testing.assert_array_equal(step_info["x"], first["cand_x"][5])
    assert info["y_opt"] == pytest.approx(per_step.setup.data.g_max * per_step.task.scale)  # global reference


def test_continuous_queries_the_point_itself():
    env = make("rlenvs/BO-Hartmann3-v0", candidates="continuous")
    assert isinstance(env.action_space, gym.spaces.Box) and env.action_space.shape == (3,)
    task = env.task_distribution.split("test")[0]
    obs, _ = env.reset(seed=0, options={"task": task})
    assert set(obs) == OBS_KEYS - {"cand_x", "cand_mask"}
    x = np.array([0.3, 0.6, 0.9], dtype=np.float32)
    obs, _, _, _, info = env.step(x)
    assert info["y"] == pytest.approx(task_function(env, task)(x)[0], abs=1e-12)
    np.testing.assert_array_equal(obs["hist_x"][0], x)


def test_initial_designs_and_the_candidate_reference():
    sobol = make(n_init=3, n_candidates=32)
    obs, info = sobol.reset(seed=0)
    design = sobol_points(3, 2, "bo/init/2d").astype(np.float32)
    np.testing.assert_array_equal(obs["hist_x"][:3], design)
    assert obs["hist_mask"].sum() == 3 and obs["t_frac"][0] == 0.0 and obs["hist_x"].shape == (33, 2)
    again, _ = sobol.reset(seed=1)
    np.testing.assert_array_equal(again["hist_x"][:3], design)
    f = task_function(sobol, sobol.task)
    every = np.concatenate([f(again["cand_x"]), f(design)])  # the reference covers the initial design too
    assert info is not None and sobol._st.y_opt[0] == pytest.approx(every.max())
    assert sobol._st.y_lo[0] == pytest.approx(every.min())
    random = make(n_init=3, init_design="random", n_candidates=32)
    a, _ = random.reset(seed=0)
    b, _ = random.reset(seed=1)
    assert not np.array_equal(a["hist_x"][:3], b["hist_x"][:3])


def test_terminate_on_floor():
    env = make(n_candidates=8, terminate_on_floor=True)
    task = env.task_distribution.split("test")[0]
    obs, _ = env.reset(seed=0, options={"task": task})
    best = int(np.argmax(task_function(env, task)(obs["cand_x"])))
    _, r, terminated, _, info = env.step(best)
    assert terminated and info["normalized_regret"] == 0.0 and r == pytest.approx(6.0)


@pytest.mark.kernel
def test_gp_features_equal_the_posterior():
    """``cand_feats`` from the incremental Cholesky equals a direct GP posterior on the observed history,
    also when the candidates change every step."""
    for candidates in ("sobol_fixed", "random_per_step"):
        env = make("rlenvs/BO-Hartmann3-v0", gp_features=True, n_candidates=12, budget=6, n_init=2,
                   candidates=candidates)
        obs, _ = env.reset(seed=0)
        for step in range(6):
            rows = obs["hist_mask"].astype(bool)
            mean, std = ref.gp_features(obs["hist_x"][rows].astype(np.float64), obs["hist_y"][rows].astype(np.float64),
                                        obs["cand_x"].astype(np.float64), 0.2, 1e-4)
            feats = obs["cand_feats"]
            np.testing.assert_allclose(feats[:, 0], mean, atol=2e-4)
            np.testing.assert_allclose(feats[:, 1], std, atol=2e-4)
            np.testing.assert_allclose(feats[:, 2], obs["incumbent"][0])
            np.testing.assert_allclose(feats[:, 3], step / 6)
            np.testing.assert_allclose(feats[:, 4], 6)
            if step < 5:
                obs, *_ = env.step(step)


def test_y_transforms():
    env = make("rlenvs/BO-Tabular-v0", y_transform="task_minmax")
    obs, info = env.reset(seed=0)
    k = obs["hist_mask"].sum()
    y = env._st.y_raw[0, :k]
    np.testing.assert_allclose(obs["hist_y"][:k], ref.transform_y(y, "task_minmax", info["y_opt"], info["y_lo"]),
                               rtol=1e-6)
    assert 0 <= obs["hist_y"][:k].min() and obs["hist_y"][:k].max() <= 1
    with pytest.raises(ValueError, match="only for tabular"):
        make(y_transform="task_minmax")


def test_vector_infos_and_masks():
    envs = rlenvs.make_vec("rlenvs/BO-Branin-v0", num_envs=3, vectorization_mode="vector_entry_point",
                           n_candidates=16)
    single = make(n_candidates=16)
    obs, info = envs.reset(seed=4)
    _, info_s = single.reset(seed=4)
    for key in ("regret", "normalized_regret", "best_y", "y_opt", "y_lo"):
        assert info[key].shape == (3,) and info[f"_{key}"].all() and info[key][0] == info_s[key]
    obs, _, _, _, info = envs.step(np.array([1, 1, 2]))
    _, _, _, _, info_s = single.step(1)
    np.testing.assert_array_equal(info["x"][0], info_s["x"])
    assert info["regret"][0] == info_s["regret"] and not info["invalid_action"].any()
    np.testing.assert_array_equal(envs.action_masks(), obs["cand_mask"].astype(bool))
    assert envs.action_masks().shape == (3, 16) and envs.action_masks().sum() == 45


@pytest.mark.parametrize("options", [
    {"candidates": "continuous", "noise_std": 0.1},
    {"candidates": "random_per_step", "gp_features": True, "n_candidates": 32, "n_init": 2},
    {"init_design": "random", "n_init": 3, "n_candidates": 64, "reward": "improvement"},
], ids=["continuous-noise", "per-step-gp-features", "random-init"])
def test_native_vector_equals_sync_for_options(options):
    env_id, n = "rlenvs/BO-Hartmann3-v0", 3
    native = rlenvs.make_vec(env_id, num_envs=n, vectorization_mode="vector_entry_point", **options)
    sync = rlenvs.make_vec(env_id, num_envs=n, vectorization_mode="sync", **options)
    assert_obs_equal(native.reset(seed=5)[0], sync.reset(seed=5)[0])
    sync.action_space.seed(1)
    for _ in range(70):  # two autoresets
        actions = sync.action_space.sample()
        for a, b in zip(native.step(actions)[:4], sync.step(actions)[:4], strict=True):
            assert_obs_equal(a, b)


def test_bad_options_raise_clear_errors():
    with pytest.raises(TypeError, match="unexpected option.*'kernel'.*other families"):
        make(kernel="rbf")
    with pytest.raises(TypeError, match=r"unexpected option\(s\) \['dim'\] for BO family 'branin'"):
        make(dim=3)
    with pytest.raises(ValueError, match="fixed over the episode"):
        make(candidates="continuous", regret_reference="candidates")
    with pytest.raises(ValueError, match="reward must be one of"):
        make(reward="regret")
    with pytest.raises(ValueError, match="need a candidate set"):
        make(candidates="continuous", gp_features=True)
    with pytest.raises(ValueError, match="needs a tabular family"):
        make(candidates="dataset")
    env = make("rlenvs/BO-Ackley-v0", dim=3)
    with pytest.raises(ValueError, match="'shift' must have 3 entries"):
        env.reset(options={"task": {"scale": 1.0, "shift": [0.0, 0.0]}})
    envs = rlenvs.make_vec("rlenvs/BO-Ackley-v0", num_envs=2, dim=3)
    with pytest.raises(ValueError, match="'shift' must have 3 entries"):
        envs.set_tasks([None, {"scale": 1.0, "shift": [0.0]}])


@pytest.mark.parametrize("env_id", ["rlenvs/BO-GPPrior-v0", "rlenvs/BO-Branin-v0"])
def test_cached_episodes_equal_fresh_ones(env_id):
    """The vector env caches the values at fixed candidates per split task; the single envs of a
    SyncVectorEnv never do. With 2 train tasks every later episode is a cache hit."""
    options = {"n_train_tasks": 2, "n_candidates": 128}
    native = rlenvs.make_vec(env_id, num_envs=3, vectorization_mode="vector_entry_point", **options)
    sync = rlenvs.make_vec(env_id, num_envs=3, vectorization_mode="sync", **options)
    assert_obs_equal(native.reset(seed=2)[0], sync.reset(seed=2)[0])
    sync.action_space.seed(0)
    for _ in range(100):
        actions = sync.action_space.sample()
        out_n, out_s = native.step(actions), sync.step(actions)
        for a, b in zip(out_n[:4], out_s[:4], strict=True):
            assert_obs_equal(a, b)
        np.testing.assert_array_equal(out_n[4]["regret"], out_s[4]["regret"])
    assert native._st.cache_ok.all()
