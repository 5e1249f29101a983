"""The robust family kernels against their NumPy twin, on random arrays (no simulation)."""

import numpy as np
import pytest

from rlenvs.robust import _kernels as K
from rlenvs.robust import _reference as R

pytestmark = pytest.mark.kernel

# (kind, nq, nv, obs skip, velocity clip, extra width, contact start, extra clip): the six robots' layouts
LAYOUTS = {
    "half_cheetah": (K.HALF_CHEETAH, 9, 9, 1, np.inf, 0, 0, np.inf),
    "hopper": (K.HOPPER, 6, 6, 1, 10.0, 0, 0, np.inf),
    "walker2d": (K.WALKER2D, 9, 9, 1, 10.0, 0, 0, np.inf),
    "ant": (K.ANT, 15, 14, 2, np.inf, 78, 0, 1.0),
    "humanoid_standup": (K.HUMANOID_STANDUP, 24, 23, 2, np.inf, 303, 225, np.inf),
    "inverted_pendulum": (K.INVERTED_PENDULUM, 2, 2, 0, np.inf, 0, 0, np.inf),
}


def _states(n, nq, nv, seed):
    rng = np.random.default_rng(seed)
    state = rng.normal(0.0, 1.0, (n, 1 + nq + nv))
    state[:, 1 + nq:] *= 20.0  # velocities beyond the clip
    state[:, 2] = rng.uniform(0.0, 2.5, n)  # heights / angles around the health limits
    state[:, 3] = rng.uniform(-1.5, 1.5, n)
    state[0, -1] = np.nan  # a diverged env
    return state


@pytest.mark.parametrize("robot", list(LAYOUTS))
def test_score_matches_the_numpy_twin(robot):
    kind, nq, nv, skip, vel_clip, width, start, extra_clip = LAYOUTS[robot]
    n = 64
    rng = np.random.default_rng(1)
    state = _states(n, nq, nv, seed=2)
    x_before = state[:, 1] - rng.normal(0.0, 0.1, n)
    actions = rng.uniform(-1.0, 1.0, (n, 6))
    extra = rng.normal(0.0, 50.0, (n, width))
    obs, rewards, terminated = np.zeros((n, nq - skip + nv + width)), np.zeros(n), np.zeros(n, bool)
    K.score(kind, state, x_before, actions, extra, start, nq, skip, vel_clip, extra_clip, 0.05, 0.01, obs, rewards,
            terminated)
    obs_ref, rewards_ref, terminated_ref = R.score(kind, state, x_before, actions, extra, start, nq, skip, vel_clip,
                                                   extra_clip, 0.05, 0.01)
    np.testing.assert_allclose(obs, obs_ref, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(rewards, rewards_ref, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(terminated, terminated_ref)
    if kind in (K.HOPPER, K.ANT, K.INVERTED_PENDULUM):  # Walker2d-v5 checks only height and angle
        assert terminated[0] and 0 < terminated.sum() < n  # the NaN env ends; healthy and unhealthy both occur


def test_observe_writes_only_masked_rows_and_keeps_nan():
    state = _states(4, 6, 6, seed=3)
    extra = np.zeros((4, 0))
    obs = np.full((4, 11), 7.0)
    mask = np.array([True, False, True, False])
    K.observe(mask, state, 6, 1, 10.0, extra, np.inf, obs)
    np.testing.assert_array_equal(obs[mask], R.observe(state, 6, 1, 10.0, extra, np.inf)[mask])
    assert (obs[~mask] == 7.0).all() and np.isnan(obs[0, -1])  # clipping keeps NaN


def test_handover_keeps_x_and_hands_over_the_last_substep():
    rng = np.random.default_rng(4)
    state, out = rng.normal(size=(3, 13)), rng.normal(size=(3, 4, 13))
    warmstart, x_before = np.zeros((3, 6)), np.zeros(3)
    start = state.copy()
    K.handover(out, 6, 0.002, state, warmstart, x_before)
    np.testing.assert_array_equal(x_before, start[:, 1])
    np.testing.assert_array_equal(state, out[:, -1])
    np.testing.assert_allclose(warmstart, (out[:, -1, 7:] - out[:, -2, 7:]) / 0.002)
