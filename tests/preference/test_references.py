"""The text worlds' reference policies, played through a vector env the way the leaderboard runner plays them."""

import numpy as np
import pytest

import rlenvs
from rlenvs.evaluation.references import random_policy
from rlenvs.preference import gold_references as refs


def play(env_id, factory, split="test_ood", num_envs=6):
    """Mean gold reward of one episode per task on the first ``num_envs`` tasks of ``split``."""
    envs = rlenvs.make_vec(env_id, num_envs=num_envs, vectorization_mode="sync")
    tasks = list(envs.envs[0].unwrapped.task_distribution.split(split)[:num_envs])
    for env, task in zip(envs.envs, tasks, strict=True):
        env.unwrapped.set_task(task)
    policy = factory(envs)
    if hasattr(policy, "seed"):
        policy.seed(0)
    act = getattr(policy, "act", policy)
    params = np.stack([t.to_array() for t in tasks])
    obs, _ = envs.reset(seed=0)
    score, done = np.zeros(num_envs), np.zeros(num_envs, dtype=bool)
    while not done.all():
        actions = act(obs, params) if getattr(policy, "uses_task", False) else act(obs)
        obs, rewards, terminated, truncated, _ = envs.step(actions)
        score += np.where(done, 0.0, rewards)
        done |= terminated | truncated
    envs.close()
    return score.mean()


@pytest.mark.parametrize(("env_id", "prefix"), [("rlenvs/SynthSumm-v0", "synthsumm"),
                                                ("rlenvs/SeqInstruct-v0", "seqinstruct")])
def test_text_references_are_ordered(env_id, prefix):
    scores = {name: play(env_id, getattr(refs, f"{prefix}_{name}")) for name in
              ("demonstrator", "best_of_16", "oracle")}
    scores["random"] = play(env_id, random_policy)
    assert scores["random"] < 0.2 < scores["demonstrator"] <= scores["best_of_16"] <= scores["oracle"] + 1e-12
    world = refs.SYNTHSUMM if prefix == "synthsumm" else refs.SEQINSTRUCT
    tasks = world.task_distribution.split("test_ood")[:6]
    docs = world.documents(tasks)
    assert scores["oracle"] == pytest.approx(world.gold_reward(docs, world.oracle(docs)).mean())


def test_prefstrength_references_are_ordered():
    envs = rlenvs.make_vec("rlenvs/PrefStrength-v0", num_envs=2, vectorization_mode="sync", n_valid=100)
    tasks = list(envs.envs[0].unwrapped.task_distribution.split("test")[:2])
    for env, task in zip(envs.envs, tasks, strict=True):
        env.unwrapped.set_task(task)
    params = np.stack([t.to_array() for t in tasks])
    returns = {}
    for name, factory in (("label_model", refs.strength_label_model), ("constant", refs.strength_constant),
                          ("random", random_policy)):
        policy = factory(envs)
        act = getattr(policy, "act", policy)
        obs, _ = envs.reset(seed=0)
        total = np.zeros(2)
        for _ in range(100):  # one sweep of the 100 pairs of valid_judge
            obs, rewards, *_ = envs.step(act(obs, params) if getattr(policy, "uses_task", False) else act(obs))
            total += rewards
        returns[name] = total.mean()
    assert returns["constant"] == pytest.approx(100 * np.log(0.5))
    assert returns["random"] < returns["constant"] < returns["label_model"]
