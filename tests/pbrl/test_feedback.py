"""PreferenceFeedbackWrapper / PreferenceFeedbackVectorWrapper: hidden reward, budget, thresholds, vector envs."""

import gymnasium as gym
import numpy as np
import pytest

import rlenvs
from rlenvs.preference.feedback import (
    FeedbackBudgetError,
    PreferenceFeedbackVectorWrapper,
    PreferenceFeedbackWrapper,
)
from rlenvs.preference.point_button import PrefPointButtonVectorEnv
from rlenvs.preference.teachers import SimTeacher


def _episode(env, actions, seed=None):
    obs, _ = env.reset(seed=seed)
    out = []
    for a in actions:
        obs, reward, terminated, truncated, info = env.step(a)
        out.append((obs, reward, info))
        if terminated or truncated:
            break
    return out


def test_reward_is_hidden_and_the_true_reward_is_in_info():
    hidden, shown = rlenvs.make("PrefGrid-v0"), rlenvs.make("PrefGrid-v0", hide_reward=False)
    actions = np.random.default_rng(0).integers(0, 5, size=30)
    run_h, run_s = _episode(hidden, actions, seed=4), _episode(shown, actions, seed=4)
    gold = hidden.unwrapped.gold_reward()
    cell = hidden.unwrapped.initial_state
    assert len(run_h) == 30
    for (obs_h, r_h, info_h), (obs_s, r_s, info_s), a in zip(run_h, run_s, actions, strict=True):
        np.testing.assert_array_equal(obs_h, obs_s)
        assert r_h == 0.0 and info_h["gt_reward"] == info_s["gt_reward"] == r_s == gold[cell, a]
        cell = obs_h[0]
    assert any(r != 0.0 for _, r, _ in run_s)


def test_the_budget_refuses_queries_past_it_and_counts_nothing_then():
    env = rlenvs.make("PrefGrid-v0", max_feedback=5, segment=3)
    wrapper = env.get_wrapper_attr("query").__self__
    assert isinstance(wrapper, PreferenceFeedbackWrapper) and wrapper.max_feedback == 5
    env.reset(seed=0)
    assert wrapper.query([0.0, 0.0, 0.0], [1.0, 0.0, 0.0]) == 1.0
    np.testing.assert_array_equal(wrapper.query(np.ones((3, 3)), np.zeros((3, 3))), [0.0, 0.0, 0.0])
    assert wrapper.feedback_used == 4 and wrapper.feedback_left == 1
    with pytest.raises(FeedbackBudgetError, match=r"asks for 2 label\(s\), but 4 of max_feedback=5 are used \(1 left"):
        wrapper.query(np.ones((2, 3)), np.zeros((2, 3)))
    assert wrapper.feedback_used == 4
    wrapper.query({"gt_reward": [0.0, 0.0, 1.0]}, {"gt_reward": [0.0, 0.0, 0.0]})
    assert wrapper.feedback_used == 5 == wrapper.labels_given
    with pytest.raises(FeedbackBudgetError, match="feedback budget exceeded"):
        wrapper.query([0.0, 0.0, 0.0], [1.0, 0.0, 0.0])


def test_bad_queries_and_arguments_raise_clear_errors():
    wrapper = PreferenceFeedbackWrapper(gym.make("CartPole-v1"), segment=4, max_feedback=3)
    with pytest.raises(ValueError, match=r"seg0 must hold the true rewards of 4 steps, shape \(4,\) or \(B, 4\)"):
        wrapper.query(np.zeros(5), np.zeros(5))
    with pytest.raises(ValueError, match="same shape"):
        wrapper.query(np.zeros((2, 4)), np.zeros((3, 4)))
    with pytest.raises(ValueError, match="without a 'gt_reward' entry"):
        wrapper.query({"obs": np.zeros(4)}, np.zeros(4))
    assert wrapper.feedback_used == 0
    with pytest.raises(ValueError, match="segment must be a positive int"):
        PreferenceFeedbackWrapper(gym.make("CartPole-v1"), segment=0)
    with pytest.raises(ValueError, match="max_feedback must be a non-negative int"):
        PreferenceFeedbackWrapper(gym.make("CartPole-v1"), max_feedback=-1)
    with pytest.raises(ValueError, match="unknown teacher preset"):
        PreferenceFeedbackWrapper(gym.make("CartPole-v1"), teacher="stoic")
    with pytest.raises(TypeError, match="use PreferenceFeedbackVectorWrapper"):
        PreferenceFeedbackWrapper(PrefPointButtonVectorEnv(2))


def test_any_gymnasium_env_can_be_wrapped():
    env = PreferenceFeedbackWrapper(gym.make("CartPole-v1"), "oracle", segment=2, max_feedback=10)
    env.reset(seed=0)
    _, reward, _, _, info = env.step(0)
    assert reward == 0.0 and info["gt_reward"] == 1.0


def test_skipped_queries_count_against_the_budget_and_thresholds_follow_the_episodes():
    env = rlenvs.make("PrefPointButton-v0", teacher="skip", segment=25, max_feedback=100)
    wrapper = env.get_wrapper_attr("query").__self__
    rng = np.random.default_rng(1)
    returns = []
    env.reset(seed=0)
    assert wrapper.segment_return_scale == 0.0
    for _ in range(12):
        run = _episode(env, rng.uniform(-1, 1, (100, 2)).astype(np.float32))
        assert len(run) == 100
        returns.append(sum(info["gt_reward"] for *_, info in run))
    env.reset()  # the single wrapper counts an episode at the next reset (the TimeLimit sits above it)
    expected = 25 * sum(returns[-10:]) / (10 * 100)  # segment * mean return / episode length: B-Pref's margin
    assert wrapper.segment_return_scale == pytest.approx(expected, rel=1e-12) and expected > 0
    below, above = np.full(25, 0.05 * expected / 25), np.full(25, 0.1 * expected / 25 + 0.01)
    labels = wrapper.query(np.stack([below, below]), np.stack([below, above]))
    assert np.isnan(labels[0]) and labels[1] == 1.0  # max return <= 0.1 * scale: skipped
    assert wrapper.feedback_used == 2 and wrapper.labels_given == 1


def test_reset_seed_reseeds_the_teacher():
    env = rlenvs.make("PrefGrid-v0", teacher="noisy", segment=2, max_feedback=1000)
    wrapper = env.get_wrapper_attr("query").__self__
    r0, r1 = np.zeros((200, 2)), np.full((200, 2), 0.2)
    env.reset(seed=3)
    first = wrapper.query(r0, r1)
    env.reset(seed=3)
    np.testing.assert_array_equal(wrapper.query(r0, r1), first)
    env.reset(seed=4)
    assert not np.array_equal(wrapper.query(r0, r1), first)


def test_reward_model_hook_scores_the_transition_from_the_previous_obs():
    env = rlenvs.make("PrefGrid-v0")
    env.get_wrapper_attr("query").__self__.reward_model = lambda obs, action: float(obs[0] * 10 + action)
    obs, _ = env.reset(seed=0)
    for action in (1, 4, 0):
        before = obs
        obs, reward, *_ = env.step(action)
        assert reward == before[0] * 10 + action


def test_vector_wrapper_over_the_native_env():
    n, steps = 4, 230
    base = PrefPointButtonVectorEnv(n)
    envs = PreferenceFeedbackVectorWrapper(PrefPointButtonVectorEnv(n), SimTeacher("oracle"), segment=25,
                                           max_feedback=7)
    rng = np.random.default_rng(0)
    obs_b, _ = base.reset(seed=9)
    obs_w, _ = envs.reset(seed=9)
    np.testing.assert_array_equal(obs_b, obs_w)
    episodes = []
    running, resetting = np.zeros(n), np.zeros(n, dtype=bool)
    for _ in range(steps):
        actions = rng.uniform(-1, 1, (n, 2)).astype(np.float32)
        obs_b, r_b, term_b, trunc_b, _ = base.step(actions)
        obs_w, r_w, term_w, trunc_w, info = envs.step(actions)
        np.testing.assert_array_equal(obs_b, obs_w)
        np.testing.assert_array_equal(info["gt_reward"], r_b)
        assert (r_w == 0).all() and info["_gt_reward"].all()
        running += np.where(resetting, 0.0, r_b)
        resetting = term_b | trunc_b
        episodes += [running[i] for i in np.flatnonzero(resetting)]
        running[resetting] = 0.0
    assert len(episodes) == 2 * n  # 100-step episodes, the autoreset steps not counted
    assert envs.segment_return_scale == pytest.approx(25 * sum(episodes) / (100 * len(episodes)), rel=1e-12)
    assert envs.task_distribution is envs.env.task_distribution and envs.tasks == envs.env.tasks
    envs.query(np.zeros((7, 25)), np.ones((7, 25)))
    with pytest.raises(FeedbackBudgetError, match="0 left"):
        envs.query(np.zeros(25), np.ones(25))


def test_vector_reward_model_is_zero_on_autoreset_steps():
    envs = rlenvs.make_vec("PrefPointButton-v0", num_envs=2, max_episode_steps=3)
    assert isinstance(envs, PreferenceFeedbackVectorWrapper)
    envs.reward_model = lambda obs, actions: obs[:, 0] + 5.0
    obs, _ = envs.reset(seed=0)
    zero = np.zeros((2, 2), dtype=np.float32)
    for step in range(8):
        before = obs
        obs, reward, *_ = envs.step(zero)
        expected = np.zeros(2) if step % 4 == 3 else before[:, 0] + 5.0
        np.testing.assert_array_equal(reward, expected)


def test_native_vector_equals_sync_with_the_true_reward():
    # the contract suite compares the hidden (zero) rewards; this compares the true ones
    n = 3
    native = rlenvs.make_vec("PrefPointButton-v0", num_envs=n, vectorization_mode="vector_entry_point",
                             hide_reward=False)
    sync = rlenvs.make_vec("PrefPointButton-v0", num_envs=n, vectorization_mode="sync", hide_reward=False)
    np.testing.assert_array_equal(native.reset(seed=5)[0], sync.reset(seed=5)[0])
    sync.action_space.seed(1)
    rewarded = 0
    for _ in range(260):
        actions = sync.action_space.sample()
        out_n, out_s = native.step(actions), sync.step(actions)
        for a, b in zip(out_n[:4], out_s[:4], strict=True):
            np.testing.assert_array_equal(a, b)
        # SyncVectorEnv's autoreset steps carry the reset info: no gt_reward there, 0 in the native wrapper
        np.testing.assert_array_equal(out_n[4]["gt_reward"], out_s[4].get("gt_reward", np.zeros(n)))
        rewarded += int(np.count_nonzero(out_n[1]))
    assert rewarded > 0
