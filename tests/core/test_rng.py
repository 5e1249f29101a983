"""The counter-based RNG against its pure-Python twin, and its statistics."""

import numpy as np
import pytest

from rlenvs.core import _reference as ref
from rlenvs.core import rng


def test_seed_keys_match_the_python_twin():
    seeds = [0, 1, 2, 12345, 2**63, 2**64 - 1]
    keys = rng.seed_keys(np.array(seeds, dtype=np.uint64))
    assert [int(k) for k in keys] == [ref.seed_key(s) for s in seeds]
    assert rng.seed_to_uint64(2**64 + 5) == 5
    for bad in (-1, 1.5, True, "3"):
        with pytest.raises(ValueError, match="non-negative int"):
            rng.seed_to_uint64(bad)


@pytest.mark.kernel
def test_draws_match_the_python_twin():
    state = rng.new_state(3)
    state[:, 0] = rng.seed_keys(np.array([7, 8, 9], dtype=np.uint64))
    twin = state.copy()
    np.testing.assert_array_equal(rng.draw_uniform(state, 1, 50), [ref.rng_uniform(twin, 1) for _ in range(50)])
    np.testing.assert_array_equal(rng.draw_integers(state, 2, 7, 50), [ref.rng_integers(twin, 2, 7) for _ in range(50)])
    np.testing.assert_array_equal(state, twin)
    assert state[0, 1] == 0, "other streams are untouched"


@pytest.mark.kernel
def test_streams_do_not_depend_on_batch_position():
    big = rng.new_state(5)
    big[:, 0] = rng.seed_keys(np.arange(5, dtype=np.uint64))
    small = big[3:4].copy()
    np.testing.assert_array_equal(rng.draw_uniform(big, 3, 10), rng.draw_uniform(small, 0, 10))


def test_uniform_and_integer_draws_are_uniform():
    state = rng.new_state(1)
    state[0, 0] = rng.seed_keys(np.array([42], dtype=np.uint64))[0]
    u = rng.draw_uniform(state, 0, 100_000)
    assert u.min() >= 0.0 and u.max() < 1.0
    counts = np.histogram(u, bins=20, range=(0, 1))[0]
    chi2 = ((counts - 5000) ** 2 / 5000).sum()
    assert chi2 < 43.8  # 99.9% quantile of chi-square with 19 degrees of freedom
    k = rng.draw_integers(state, 0, 6, 60_000)
    counts = np.bincount(k, minlength=6)
    assert counts.size == 6 and ((counts - 10_000) ** 2 / 10_000).sum() < 20.5  # 99.9%, 5 dof
    z = rng.draw_normal(state, 0, 100_000)
    assert abs(z.mean()) < 0.015 and abs(z.std() - 1.0) < 0.015
