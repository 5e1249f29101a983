"""PrefBandit: gold rewards, rounds and the learned-reward wrapper; the reference policies' ordering."""

import numpy as np
import pytest

import rlenvs
from rlenvs.evaluation.references import random_policy
from rlenvs.preference import gold_references as refs
from rlenvs.preference.bandit import RESPONSE_SCALE
from rlenvs.preference.learned_reward import LearnedRewardWrapper
from rlenvs.preference.strength import PrefTask, pref_world


def test_reward_is_the_gold_reward_of_the_scaled_action():
    env = rlenvs.make("rlenvs/PrefBandit-v0")
    task = PrefTask(world_seed=3)
    x, info = env.reset(seed=4, options={"task": task})
    world = pref_world(3)
    reference = env.unwrapped.reference_response
    assert info["reference_gold_reward"] == pytest.approx(float(world.gold_reward(x, reference)))
    action = np.linspace(-0.3, 0.3, 8)
    obs, reward, terminated, truncated, info = env.step(action)
    assert reward == pytest.approx(float(world.gold_reward(x, RESPONSE_SCALE * action)))
    assert info["gold_reward"] == reward and terminated and not truncated and info["round"] == 0
    np.testing.assert_array_equal(obs, x)
    prompt, response = env.unwrapped.scored_response()
    np.testing.assert_array_equal(prompt, x)
    np.testing.assert_allclose(response, RESPONSE_SCALE * action)


def test_ood_prompts_follow_the_task_shift():
    env = rlenvs.make("rlenvs/PrefBandit-v0", prompts="ood")
    task = PrefTask(world_seed=5, prompt_shift=3.0)
    direction = pref_world(5).ood_direction
    env.reset(seed=0, options={"task": task})
    along = [env.reset()[0] @ direction for _ in range(400)]
    assert abs(np.mean(along) - 3.0) < 0.4  # mean 3, std 2.5 over 400 draws
    with pytest.raises(ValueError, match="prompts must be 'id' or 'ood'"):
        rlenvs.make("rlenvs/PrefBandit-v0", prompts="oasst")


def test_round_option_persists_and_is_checked():
    env = rlenvs.make("rlenvs/PrefBandit-v0")
    _, info = env.reset(seed=0, options={"round": 3})
    assert info["round"] == 3
    _, info = env.reset()
    assert info["round"] == 3 and env.step(np.zeros(8))[4]["round"] == 3
    for bad in (-1, 17, 1.5, True):
        with pytest.raises(ValueError, match="round must be an int"):
            env.reset(options={"round": bad})


def test_learned_reward_wrapper_replaces_the_reward_and_keeps_gold():
    calls = []

    def rm(prompts, responses):
        calls.append((prompts.shape, responses.shape))
        return responses.sum(axis=1)

    env = LearnedRewardWrapper(rlenvs.make("rlenvs/PrefBandit-v0"), rm)
    env.reset(seed=1)
    action = np.full(8, 0.1)
    _, reward, _, _, info = env.step(action)
    assert calls == [((1, 8), (1, 8))]
    assert reward == pytest.approx(8.0) and info["learned_reward"] == reward
    gold = env.unwrapped.world.gold_reward(*env.unwrapped.scored_response())
    assert info["gold_reward"] == pytest.approx(float(gold))


def test_learned_reward_wrapper_picks_the_rounds_model():
    env = LearnedRewardWrapper(rlenvs.make("rlenvs/PrefBandit-v0"),
                               [lambda p, r: np.array([0.0]), lambda p, r: np.array([1.0])])
    env.reset(seed=0, options={"round": 1})
    assert env.step(np.zeros(8))[1] == 1.0
    env.reset(options={"round": 0})
    assert env.step(np.zeros(8))[1] == 0.0
    env.reset(options={"round": 2})
    with pytest.raises(ValueError, match="round 2 has no reward function"):
        env.step(np.zeros(8))
    with pytest.raises(TypeError, match="reward_fn must be callable"):
        LearnedRewardWrapper(rlenvs.make("rlenvs/PrefBandit-v0"), 3.0)
    with pytest.raises(TypeError, match="does not score responses"):
        LearnedRewardWrapper(rlenvs.make("rlenvs/PointRobot-v0"), lambda p, r: p)
    bad = LearnedRewardWrapper(rlenvs.make("rlenvs/PrefBandit-v0"), lambda p, r: np.zeros(2))
    bad.reset(seed=0)
    with pytest.raises(ValueError, match="one score per pair"):
        bad.step(np.zeros(8))


def _mean_reward(factory, task, episodes=48):
    envs = rlenvs.make_vec("rlenvs/PrefBandit-v0", num_envs=4, vectorization_mode="sync")
    for env in envs.envs:
        env.unwrapped.set_task(task)
    policy = factory(envs)
    if hasattr(policy, "seed"):
        policy.seed(0)
    act = getattr(policy, "act", policy)
    obs, _ = envs.reset(seed=0)
    total = 0.0
    params = np.stack([task.to_array()] * 4)
    for _ in range(episodes // 4):
        actions = act(obs, params) if getattr(policy, "uses_task", False) else act(obs)
        obs, rewards, *_ = envs.step(actions)  # one-step episodes: the next step autoresets
        total += rewards.sum()
        obs, *_ = envs.step(actions)
    return total / episodes


def test_reference_policies_are_ordered():
    task = PrefTask(world_seed=17)
    scores = {name: _mean_reward(f, task) for name, f in (
        ("random", random_policy), ("base", refs.bandit_base), ("best_of_16", refs.bandit_best_of_16),
        ("gold_ascent", refs.bandit_gold_ascent))}
    assert scores["random"] < -5 < scores["base"] < scores["best_of_16"] < scores["gold_ascent"], scores
    assert abs(scores["base"]) < 0.5  # pi_0's gold reward has mean 0
