"""The six B-Pref teachers pinned on hand-made segment pairs (rll-research/BPref reward_model.py get_label)."""

import math

import numpy as np
import pytest

from rlenvs.preference.teachers import TEACHER_PRESETS, TEACHERS, SimTeacher


def test_presets_are_the_b_pref_scripts():
    # scripts/<task>/<budget>/<teacher>/run_PEBBLE.sh: teacher_beta, gamma, eps_mistake, eps_skip, eps_equal
    scripts = {
        "oracle": (-1, 1, 0, 0, 0), "noisy": (1, 1, 0, 0, 0), "mistake": (-1, 1, 0.1, 0, 0),
        "skip": (-1, 1, 0, 0.1, 0), "myopic": (-1, 0.9, 0, 0, 0), "equal": (-1, 1, 0, 0, 0.1),
    }
    assert TEACHERS == tuple(scripts)
    for name, (beta, gamma, mistake, skip, equal) in scripts.items():
        p = SimTeacher(name).params
        assert (p.beta == math.inf) == (beta == -1) and (beta == -1 or p.beta == beta)
        assert (p.gamma, p.eps_mistake, p.eps_skip, p.eps_equal) == (gamma, mistake, skip, equal)


def test_oracle_prefers_the_higher_return_and_label_one_means_the_second():
    teacher = SimTeacher("oracle")
    low, high = [0.0, 0.0, 0.0, 0.5], [0.25, 0.25, 0.25, 0.0]  # returns 0.5 and 0.75
    assert teacher.label(low, high) == 1.0
    assert teacher.label(high, low) == 0.0
    assert teacher.label(low, low) == 0.0  # a tie goes to the first segment: 1 * (R0 < R1)
    labels = teacher.label(np.array([low, high, low]), np.array([high, low, low]))
    np.testing.assert_array_equal(labels, [1.0, 0.0, 0.0])


def test_myopic_discounts_the_early_steps():
    early, late = [1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.8]
    assert SimTeacher("oracle").label(early, late) == 0.0  # undiscounted: 1 > 0.8
    # weights 0.9 ** (T - 1 - t): 0.729 * 1 < 1 * 0.8
    assert SimTeacher("myopic").label(early, late) == 1.0
    assert SimTeacher("myopic").label([0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.8]) == 0.0


def test_skip_drops_pairs_whose_better_segment_is_at_most_the_threshold():
    teacher = SimTeacher("skip")
    assert teacher.thresholds(10.0) == (1.0, 0.0)  # eps_skip * average segment return
    r0 = np.array([[0.25, 0.25], [0.25, 0.25], [-3.0, 0.0]])
    r1 = np.array([[0.5, 0.5], [0.5, 0.51], [0.0, 0.0]])  # max returns 1.0 (<= 1: skip), 1.01, 0
    labels = teacher.label(r0, r1, scale=10.0)
    assert np.isnan(labels[0]) and labels[1] == 1.0 and np.isnan(labels[2])
    np.testing.assert_array_equal(teacher.label(r0, r1, scale=0.0), [1.0, 1.0, 1.0])  # threshold 0: off
    np.testing.assert_array_equal(teacher.label(r0, r1, scale=-10.0), [1.0, 1.0, 1.0])  # negative: off, as B-Pref


def test_equal_labels_close_pairs_one_half_on_undiscounted_returns():
    teacher = SimTeacher("equal")
    r0 = np.array([[1.5, 1.5], [1.5, 1.5], [2.0, 1.0]])
    r1 = np.array([[2.0, 1.99], [2.0, 2.0], [1.0, 2.0]])  # |dR| = 0.99 (< 1: equal), 1.0 (not), 0
    np.testing.assert_array_equal(teacher.label(r0, r1, scale=10.0), [0.5, 1.0, 0.5])
    np.testing.assert_array_equal(teacher.label(r0, r1, scale=0.0), [1.0, 1.0, 0.0])
    # the mask uses undiscounted returns even for a myopic teacher
    myopic_equal = SimTeacher("myopic", eps_equal=0.1)
    assert myopic_equal.label([2.0, 1.0], [1.0, 2.0], scale=10.0) == 0.5


def test_mistake_flips_a_tenth_of_the_labels():
    teacher = SimTeacher("mistake", seed=0)
    n = 20000
    labels = teacher.label(np.zeros((n, 3)), np.ones((n, 3)))  # the second is clearly better
    assert set(np.unique(labels)) == {0.0, 1.0}
    assert abs((labels == 0.0).mean() - 0.1) < 4 * math.sqrt(0.1 * 0.9 / n)


def test_noisy_is_bradley_terry_with_beta_one():
    teacher = SimTeacher("noisy", seed=1)
    n = 20000
    r0, r1 = np.zeros((n, 2)), np.full((n, 2), 0.5)  # dR = 1
    p = 1.0 / (1.0 + math.exp(-1.0))  # softmax(beta [R0, R1])[1]
    assert abs(teacher.label(r0, r1).mean() - p) < 4 * math.sqrt(p * (1 - p) / n)
    assert abs(teacher.label(r0, r0).mean() - 0.5) < 4 * math.sqrt(0.25 / n)
    sharp = SimTeacher("noisy", beta=50.0, seed=2)
    assert sharp.label(r0, r1).mean() > 0.99
    huge = SimTeacher("noisy", beta=1e6, seed=2).label([0.0], [1e6])  # no overflow
    assert huge == 1.0


def test_order_of_rules_mistake_then_equal_then_skip():
    teacher = SimTeacher("oracle", eps_mistake=1.0, eps_equal=0.1, eps_skip=0.1)
    r0 = np.array([[0.0, 0.0], [5.0, 5.0], [0.3, 0.3]])
    r1 = np.array([[8.0, 8.0], [5.0, 5.5], [0.2, 0.2]])
    # pair 0: flipped by the certain mistake; pair 1: |dR| = 0.5 < 1 -> equal; pair 2: max R 0.6 <= 1 -> skip
    labels = teacher.label(r0, r1, scale=10.0)
    assert labels[0] == 0.0 and labels[1] == 0.5 and np.isnan(labels[2])


def test_seeded_teachers_repeat_their_labels():
    r0, r1 = np.random.default_rng(0).normal(size=(2, 50, 5))
    first = SimTeacher("noisy", seed=7).label(r0, r1)
    again = SimTeacher("noisy", seed=7)
    np.testing.assert_array_equal(again.label(r0, r1), first)
    again.seed(7)
    np.testing.assert_array_equal(again.label(r0, r1), first)


def test_bad_teachers_and_segments_raise_clear_errors():
    with pytest.raises(ValueError, match="unknown teacher preset 'stoic'.*oracle"):
        SimTeacher("stoic")
    with pytest.raises(ValueError, match="unknown teacher parameter.*eps_mistake"):
        SimTeacher("oracle", eps_mistakes=0.1)
    with pytest.raises(ValueError, match="math.inf for a perfectly rational teacher"):
        SimTeacher("oracle", beta=-1.0)
    with pytest.raises(ValueError, match="gamma must be in"):
        SimTeacher("myopic", gamma=0.0)
    with pytest.raises(ValueError, match="eps_skip must be in"):
        SimTeacher("skip", eps_skip=1.5)
    with pytest.raises(ValueError, match="same shape"):
        SimTeacher().label(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="finite"):
        SimTeacher().label([np.nan], [0.0])
    assert set(TEACHER_PRESETS) == set(TEACHERS)
