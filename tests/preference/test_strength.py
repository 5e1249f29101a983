"""PrefStrength's generator: the ground truth of every pair set is recomputed and pinned."""

import hashlib
import math

import numpy as np
import pytest

import rlenvs
from rlenvs.preference.strength import (
    D_X,
    KAPPA,
    LENGTH,
    TAU,
    PairSetSizes,
    PrefTask,
    PrefWorld,
    label_probability,
    pair_set,
    pref_world,
    sigmoid,
)

SMALL = PairSetSizes(n_train=3000, n_valid=2000, n_meta=300, n_test=500, rounds=4)
PAIR_SETS = [n for n in SMALL.set_names() if not n.startswith("meta_")]


def digest(arrays):
    """sha256 of a pair set: keys, dtypes, shapes and values (floats rounded to 1e-6, -0.0 folded)."""
    h = hashlib.sha256()
    for key in sorted(arrays):
        a = np.asarray(arrays[key])
        if a.dtype.kind == "f":
            a = np.round(a, 6) + 0.0
        h.update(f"{key}:{a.dtype.str}:{a.shape}".encode())
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


# Recompute with `digest(pair_set(PrefTask(), name, SMALL))` only with a new env version.
GOLDEN_PAIR_SETS = {
    "meta_2": "6e6b75b719e6bb1c8debdee233df0e0e36fca3f21c5b877d539730b1ec864a83",
    "ood_test": "15f12ab8b24c53fb06ae7f0d74ae46043abcc0522f864b36e973b919ed49b552",
    "shift_test_3": "bdce5a2abd60298065f6594e3499358aebff960ab0b035787a25a3b089957a1c",
    "train": "78e4fa98a1cf15ce073e2e621f7c71ed25df36751d21cf012bbf9ede0774cb6d",
    "valid_judge": "3d93ad38b196f62f8751ccb2868cdf18b5c7ace766bbc4872d16244f025aff99",
}


@pytest.mark.parametrize("name", sorted(GOLDEN_PAIR_SETS))
def test_pair_sets_are_golden(name):
    assert digest(pair_set(PrefTask(), name, SMALL)) == GOLDEN_PAIR_SETS[name]


def test_pair_sets_are_pure_functions_of_the_task():
    task = PrefTask(world_seed=5, eps_flip=0.1)
    for name in ("train", "meta_1", "ood_test"):
        a, b = pair_set.__wrapped__(task, name, SMALL), pair_set.__wrapped__(task, name, SMALL)
        assert digest(a) == digest(b)
    other = pair_set.__wrapped__(PrefTask(world_seed=6, eps_flip=0.1), "train", SMALL)
    assert not np.array_equal(other["prompt"], pair_set(task, "train", SMALL)["prompt"])


def test_annotator_parameters_change_only_the_labels():
    # common random numbers: the same world and draws, other flips
    a = pair_set(PrefTask(eps_flip=0.0), "train", SMALL)
    b = pair_set(PrefTask(eps_flip=0.3), "train", SMALL)
    np.testing.assert_array_equal(a["prompt"], b["prompt"])
    pairs_a = np.sort(np.stack([a["chosen"], a["rejected"]], 1), axis=1)
    pairs_b = np.sort(np.stack([b["chosen"], b["rejected"]], 1), axis=1)
    np.testing.assert_array_equal(pairs_a, pairs_b)
    assert b["flipped"].mean() > a["flipped"].mean()


def test_sets_hold_disjoint_prompts():
    rows = {name: pair_set(PrefTask(), name, SMALL)["prompt"] for name in SMALL.set_names()}
    groups = {"train": rows["train"], "valid": rows["valid_orig"], "ood": rows["ood_test"],
              **{f"meta_{k}": rows[f"meta_{k}"] for k in range(1, 5)},
              **{f"shift_{k}": rows[f"shift_test_{k}"] for k in range(1, 5)}}
    seen = {}
    for name, prompts in groups.items():
        for row in map(bytes, prompts):
            assert row not in seen, f"{name} shares a prompt with {seen.get(row)}"
            seen[row] = name
    np.testing.assert_array_equal(rows["valid_orig"], rows["valid_judge"])  # the same pairs, two labellers


@pytest.mark.parametrize("name", PAIR_SETS)
def test_ground_truth_fields_are_recomputed(name):
    task = PrefTask(world_seed=3, spurious=0.3)
    d = pair_set(task, name, SMALL)
    world = PrefWorld(3)  # uncached, independent instance
    gold_c, gold_r = world.gold_reward(d["prompt"], d["chosen"]), world.gold_reward(d["prompt"], d["rejected"])
    np.testing.assert_allclose(d["gold_chosen"], gold_c, atol=1e-12)
    np.testing.assert_allclose(d["gold_rejected"], gold_r, atol=1e-12)
    np.testing.assert_allclose(d["delta_gold"], gold_c - gold_r, atol=1e-12)
    np.testing.assert_array_equal(d["is_wrong"], d["delta_gold"] < 0)
    np.testing.assert_array_equal(d["is_ambiguous"], np.abs(d["delta_gold"]) < TAU)
    np.testing.assert_allclose(d["p_annotator"], 1 / (1 + np.exp(-task.beta_ann * d["delta_gold"])), atol=1e-12)
    threshold = math.sqrt(2) * _erfinv(1 - 2 * task.sys_fraction)
    np.testing.assert_array_equal(d["in_sys_region"], d["prompt"] @ world.sys_direction > threshold)
    if name.startswith(("shift_test", "ood")):  # gold labels
        assert not d["is_wrong"].any() and not d["flipped"].any()
    for arr in d.values():
        assert not arr.flags.writeable


def _erfinv(y):
    # bisection on math.erf: an independent inverse of the normal cdf for the region threshold
    lo, hi = -6.0, 6.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if math.erf(mid) < y else (lo, mid)
    return 0.5 * (lo + hi)


def _binomial_tol(p, n):
    return 4.0 * math.sqrt(max(p * (1 - p), 1e-4) / n) + 1e-3


def test_annotator_flip_rates_match_the_task():
    task = PrefTask(world_seed=11, eps_flip=0.1, eps_sys=0.6, sys_fraction=0.3)
    d = pair_set(task, "train", PairSetSizes(n_train=40_000))
    region = d["in_sys_region"]
    assert abs(region.mean() - 0.3) < _binomial_tol(0.3, len(region))
    outside, inside = d["flipped"][~region], d["flipped"][region]
    assert abs(outside.mean() - 0.1) < _binomial_tol(0.1, len(outside))
    q = 1 - 0.9 * 0.4  # flipped by either the random or the systematic flip
    assert abs(inside.mean() - q) < _binomial_tol(q, len(inside))


def test_annotator_is_bradley_terry_on_the_gold_reward():
    task = PrefTask(world_seed=12, beta_ann=2.0, eps_flip=0.0, eps_sys=0.0)
    d = pair_set(task, "train", PairSetSizes(n_train=40_000))
    strength = np.abs(d["delta_gold"])
    for lo, hi in ((0.0, 0.2), (0.2, 0.6), (0.6, 1.2), (1.2, np.inf)):  # calibrated in every strength band
        band = (strength >= lo) & (strength < hi)
        expected = np.mean(1 - sigmoid(2.0 * strength[band]))
        assert abs(d["is_wrong"][band].mean() - expected) < _binomial_tol(expected, band.sum())


def test_judge_agrees_with_gold_up_to_eps_judge():
    task = PrefTask(world_seed=13, eps_judge=0.07)
    d = pair_set(task, "valid_judge", PairSetSizes(n_valid=40_000))
    assert abs(d["is_wrong"].mean() - 0.07) < _binomial_tol(0.07, 40_000)
    np.testing.assert_array_equal(d["is_wrong"], d["flipped"])  # a judge label is wrong exactly when it erred


def test_valid_consistent_is_where_annotator_and_judge_agree():
    task = PrefTask()
    orig, judge, cons = (pair_set(task, n, SMALL) for n in ("valid_orig", "valid_judge", "valid_consistent"))
    agree = np.all(orig["chosen"] == judge["chosen"], axis=1)
    np.testing.assert_array_equal(cons["prompt"], orig["prompt"][agree])
    np.testing.assert_array_equal(cons["chosen"], orig["chosen"][agree])
    assert cons["is_wrong"].mean() < 0.5 * orig["is_wrong"].mean()  # agreement filters out most wrong labels


def test_default_task_has_about_a_quarter_wrong_labels():
    d = pair_set(PrefTask(), "train")
    assert 0.22 < d["is_wrong"].mean() < 0.28  # the paper's ~25 % (mu < 0) on HH-RLHF
    assert 0.03 < d["is_ambiguous"].mean() < 0.15


def test_gold_reward_is_standardised_and_ignores_length():
    world = pref_world(4)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50_000, D_X))
    y = world.sample_responses(x, rng.normal(size=x.shape))
    r = world.gold_reward(x, y)
    assert abs(r.mean()) < 0.03 and abs(r.std() - 1.0) < 0.03
    y2 = y.copy()
    y2[:, LENGTH] += rng.normal(size=len(y))
    np.testing.assert_array_equal(world.gold_reward(x, y2), r)


def test_gold_reward_formula_and_gradient():
    world = pref_world(2)
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(5, D_X)), rng.normal(size=(5, D_X))
    content = y.copy()
    content[:, LENGTH] = 0
    raw = np.tanh(np.concatenate([x, content, x * content], 1) @ world.W1.T + world.b1) @ world.w2
    mean = x @ world.A.T + world.b
    raw -= KAPPA * ((content - mean) ** 2).sum(1)
    np.testing.assert_allclose(world.gold_reward(x, y), (raw - world._offset) / world._scale, atol=1e-12)
    eps = 1e-6
    numeric = np.stack([(world.gold_reward(x, y + eps * e) - world.gold_reward(x, y - eps * e)) / (2 * eps)
                        for e in np.eye(D_X)], axis=1)
    np.testing.assert_allclose(world.gold_gradient(x, y), numeric, atol=1e-6)
    assert np.all(world.gold_gradient(x, y)[:, LENGTH] == 0)


def test_shifted_policies_climb_the_gold_reward_and_concentrate():
    task = PrefTask(world_seed=8, shift_step=0.5, rho=0.7)
    gold, spread, strength = [], [], []
    for k in range(1, 5):
        meta = pair_set(task, f"meta_{k}", SMALL)
        gold.append(meta["gold"].mean())
        spread.append(meta["responses"][..., :LENGTH].std(axis=1, ddof=1).mean())
        strength.append(np.abs(pair_set(task, f"shift_test_{k}", SMALL)["delta_gold"]).mean())
    assert np.all(np.diff(gold) > 0), gold
    assert np.all(np.diff(strength) < 0), strength  # responses to a prompt become alike: weaker preferences
    np.testing.assert_allclose(np.array(spread[1:]) / np.array(spread[:-1]), 0.7, rtol=0.05)
    base = pair_set(task, "valid_orig", SMALL)
    assert np.abs(base["delta_gold"]).mean() > strength[0]


def test_ood_prompts_and_spurious_length():
    task = PrefTask(world_seed=9, prompt_shift=2.0, spurious=0.6)
    world = pref_world(9)
    ood = pair_set(task, "ood_test", PairSetSizes(n_test=20_000))
    along = ood["prompt"] @ world.ood_direction
    assert abs(along.mean() - 2.0) < 0.05 and abs(ood["prompt"].std(axis=0).mean() - 2.0) < 0.05

    def corr(d):
        length = np.concatenate([d["chosen"][:, LENGTH], d["rejected"][:, LENGTH]])
        return np.corrcoef(length, np.concatenate([d["gold_chosen"], d["gold_rejected"]]))[0, 1]

    assert corr(pair_set(task, "train", SMALL)) > 0.5  # length predicts gold in the ID data ...
    assert abs(corr(ood)) < 0.03  # ... and not out of it


def test_label_probability_is_the_labellers_model():
    task = PrefTask(world_seed=14)
    d = pair_set(task, "train", PairSetSizes(n_train=40_000))
    p = label_probability(task, "train", d["prompt"], d["chosen"], d["rejected"])
    # calibrated: among pairs it gives probability ~p, the annotator chose the first about p of the time
    for lo, hi in ((0.2, 0.5), (0.5, 0.8), (0.8, 1.0)):
        band = (p >= lo) & (p < hi)
        # "chosen" is by construction the annotator's pick; the rejected-first view has probability 1 - p
        p_band = np.concatenate([p[band], 1 - p[(1 - p >= lo) & (1 - p < hi)]])
        hit = np.concatenate([np.ones(band.sum()), np.zeros(((1 - p >= lo) & (1 - p < hi)).sum())])
        assert abs(hit.mean() - p_band.mean()) < _binomial_tol(p_band.mean(), len(hit))
    gold = pair_set(task, "ood_test", SMALL)
    np.testing.assert_array_equal(label_probability(task, "ood_test", gold["prompt"], gold["chosen"],
                                                    gold["rejected"]), 1.0)


def test_env_sweeps_a_pair_set_with_log_likelihood_rewards():
    env = rlenvs.make("rlenvs/PrefStrength-v0", pairs="valid_orig", n_valid=50)
    task = PrefTask(world_seed=21)
    obs, info = env.reset(seed=0, options={"task": task})
    d = env.unwrapped.dataset("valid_orig")
    seen, steps, terminated = set(), 0, False
    while not terminated:
        x, y1, y2 = obs[:8], obs[8:16], obs[16:]
        i = int(np.nonzero(np.all(d["prompt"] == x, axis=1))[0][0])
        first_won = np.array_equal(y1, d["chosen"][i])
        assert first_won or np.array_equal(y2, d["chosen"][i])
        obs, reward, terminated, truncated, info = env.step(np.array([0.8]))
        assert reward == pytest.approx(math.log(0.8) if first_won else math.log(0.2))
        assert info["label"] == float(first_won)
        assert info["delta_gold"] == pytest.approx(d["delta_gold"][i] * (1 if first_won else -1))
        assert info["is_wrong"] == bool(d["is_wrong"][i]) and not truncated
        seen.add(i)
        steps += 1
    assert steps == 50 and seen == set(range(50))
    _, reward, *_ = env.step(np.array([0.0]))  # clipped inside the log
    assert reward in (pytest.approx(math.log(1e-6)), pytest.approx(math.log1p(-1e-6)))


def test_env_bad_arguments():
    with pytest.raises(ValueError, match="pairs must be one of"):
        rlenvs.make("rlenvs/PrefStrength-v0", pairs="meta_1")
    with pytest.raises(ValueError, match="n_train must be a positive int"):
        rlenvs.make("rlenvs/PrefStrength-v0", n_train=0)
    env = rlenvs.make("rlenvs/PrefStrength-v0")
    with pytest.raises(RuntimeError, match="call reset"):
        env.unwrapped.dataset("train")
    env.reset(seed=0)
    with pytest.raises(ValueError, match="unknown pair set 'meta_9'"):
        env.unwrapped.dataset("meta_9")
