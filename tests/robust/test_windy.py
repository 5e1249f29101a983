"""The windy walk: robust value iteration (a dynamic adversary) equals the exact worst static model."""

import itertools

import numpy as np
import pytest

from rlenvs.robust.windy import WindyWalk, robust_value_iteration, static_worst_case, value_iteration

INSTANCES = [
    WindyWalk(),
    WindyWalk(height=3, width=4, start=(0, 0), goal=(0, 3), windy_cells=((0, 1), (0, 2)), p_low=0.0, p_high=0.9),
    WindyWalk(height=3, width=3, start=(2, 0), goal=(0, 2), windy_cells=((1, 1),), p_low=0.2, p_high=0.5, gamma=0.9),
]


def _policy_value(T, R, gamma, policy):
    """``V^pi`` of a deterministic policy by one linear solve."""
    n = T.shape[0]
    T_pi, R_pi = T[np.arange(n), policy], R[np.arange(n), policy]
    return np.linalg.solve(np.eye(n) - gamma * T_pi, R_pi)


@pytest.mark.parametrize("walk", INSTANCES)
def test_dynamic_robust_value_equals_the_worst_static_model(walk):
    s0 = walk.state(walk.start)
    robust = robust_value_iteration(walk)
    static, wind = static_worst_case(walk)
    assert robust[s0] == pytest.approx(static, abs=1e-9)
    R = walk.rewards()
    # the minimising static model really gives that value
    assert value_iteration(walk.transitions(wind), R, walk.gamma)[s0] == pytest.approx(static)
    # and no static model is worse: every extreme model and scalar winds inside the interval
    for p in np.linspace(walk.p_low, walk.p_high, 7):
        assert value_iteration(walk.transitions(float(p)), R, walk.gamma)[s0] >= robust[s0] - 1e-9
    # the robust greedy policy, a stationary policy, meets its worst case in a static model: the same value
    T_low, T_high = walk.transitions(walk.p_low), walk.transitions(walk.p_high)
    policy = (R + walk.gamma * np.minimum(T_low @ robust, T_high @ robust)).argmax(axis=1)
    assert _policy_value(walk.transitions(wind), R, walk.gamma, policy)[s0] == pytest.approx(robust[s0], abs=1e-9)


def test_interior_static_models_are_never_worse_than_the_extreme_ones():
    walk = INSTANCES[2]  # one windy cell: 4 (state, action) pairs, 5 wind values each
    pairs, R, s0 = walk.windy_pairs(), walk.rewards(), walk.state(walk.start)
    values = [value_iteration(walk.transitions(dict(zip(pairs, choice, strict=True))), R, walk.gamma)[s0]
              for choice in itertools.product(np.linspace(walk.p_low, walk.p_high, 5).tolist(), repeat=len(pairs))]
    assert min(values) == pytest.approx(static_worst_case(walk)[0], abs=1e-9)


def test_windless_walk_is_a_shortest_path():
    walk = WindyWalk(height=2, width=5, start=(0, 0), goal=(0, 4), windy_cells=(), p_low=0.0, p_high=0.0)
    V = robust_value_iteration(walk)
    steps = 4  # -1 per step until the goal: -(1 + g + g^2 + g^3)
    assert V[walk.state(walk.start)] == pytest.approx(-sum(walk.gamma**k for k in range(steps)))
    T = walk.transitions(0.3)
    np.testing.assert_allclose(T.sum(axis=2), 1.0)


def test_wind_pushes_down_with_its_probability():
    walk = WindyWalk()
    T = walk.transitions(0.25)
    s, right = walk.state((0, 2)), 3
    assert T[s, right, walk.state((0, 3))] == 0.75 and T[s, right, walk.state((1, 3))] == 0.25
    assert T[walk.state((2, 0)), right, walk.state((2, 1))] == 1.0  # a calm cell


def test_bad_instances_are_refused():
    with pytest.raises(ValueError, match="p_low <= p_high"):
        WindyWalk(p_low=0.7, p_high=0.2)
    with pytest.raises(ValueError, match="lie in the 4x5 grid"):
        WindyWalk(goal=(9, 9))
    with pytest.raises(ValueError, match="2\\^16"):
        cells = ((1, 1), (1, 2), (1, 3), (2, 2), (3, 3))
        static_worst_case(WindyWalk(height=5, width=5, goal=(0, 4), windy_cells=cells))
