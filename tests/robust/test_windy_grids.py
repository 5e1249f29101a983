import numpy as np
import pytest

from rlenvs.robust.grids import axis_points, uncertainty_grid
from rlenvs.robust.windy import WindyWalk, robust_value_iteration, static_worst_case, value_iteration

INSTANCES = [
    WindyWalk(),
    WindyWalk(height=3, width=4, start=(0, 0), goal=(0, 3), windy_cells=((0, 1), (0, 2)), p_low=0.0, p_high=0.9),
    WindyWalk(height=3, width=3, start=(2, 0), goal=(0, 2), windy_cells=((1, 1),), p_low=0.2, p_high=0.5, gamma=0.9),
]


@pytest.mark.parametrize("walk", INSTANCES)
def test_dynamic_robust_value_equals_the_worst_static_model(walk):
    s0 = walk.state(walk.start)
    robust = robust_value_iteration(walk)[s0]
    static, wind = static_worst_case(walk)
    assert robust == pytest.approx(static, abs=1e-9)
    # the minimising static model really gives that value
    assert value_iteration(walk.transitions(wind), walk.rewards(), walk.gamma)[s0] == pytest.approx(static)
    # and no scalar wind in the interval is worse than the robust value
    for p in np.linspace(walk.p_low, walk.p_high, 7):
        assert value_iteration(walk.transitions(float(p)), walk.rewards(), walk.gamma)[s0] >= robust - 1e-9


def test_windless_walk_is_a_shortest_path():
    walk = WindyWalk(height=2, width=5, start=(0, 0), goal=(0, 4), windy_cells=(), p_low=0.0, p_high=0.0)
    V = robust_value_iteration(walk)
    steps = 4  # -1 per step until the goal: -(1 + g + g^2 + g^3)
    assert V[walk.state(walk.start)] == pytest.approx(-sum(walk.gamma**k for k in range(steps)))
    T = walk.transitions(0.3)
    np.testing.assert_allclose(T.sum(axis=2), 1.0)


def test_bad_instances_are_refused():
    with pytest.raises(ValueError, match="p_low <= p_high"):
        WindyWalk(p_low=0.7, p_high=0.2)
    with pytest.raises(ValueError, match="lie in the 4x5 grid"):
        WindyWalk(goal=(9, 9))
    with pytest.raises(ValueError, match="2\\^16"):
        cells = ((1, 1), (1, 2), (1, 3), (2, 2), (3, 3))
        static_worst_case(WindyWalk(height=5, width=5, goal=(0, 4), windy_cells=cells))


def test_grid_conventions():
    np.testing.assert_allclose(axis_points(0.1, 3.0, 10, "m2td3"), np.linspace(0.1, 3.0, 10))
    rrls = axis_points(0.1, 3.0, 10, "rrls")
    assert len(rrls) == 10 and rrls[0] == pytest.approx(0.1) and rrls[-1] == pytest.approx(3.0 - 0.29)
    grid = uncertainty_grid({"friction": (0.1, 4.0), "torso_mass": (0.1, 7.0), "thigh_mass": (0.1, 3.0)})
    assert len(grid) == 1000 and grid[0] == {"friction": 0.1, "torso_mass": 0.1, "thigh_mass": 0.1}
    assert grid[-1] == pytest.approx({"friction": 4.0, "torso_mass": 7.0, "thigh_mass": 3.0})
    assert all(p["friction"] < 4.0 - 1e-9 for p in uncertainty_grid({"friction": (0.1, 4.0)}, convention="rrls"))
    with pytest.raises(ValueError, match="convention must be one of"):
        axis_points(0, 1, 10, "linspace")


def test_cma_finds_the_minimum_inside_the_box():
    from rlenvs.robust.search import cma_worst_case

    calls = []

    def objective(p):
        calls.append(p)
        return (p["mass"] - 2.0) ** 2 + (p["friction"] - 0.1) ** 2  # minimum on the friction bound

    best, value = cma_worst_case(objective, {"mass": (0.5, 3.0), "friction": (0.1, 4.0)}, budget=300, seed=1)
    assert best["mass"] == pytest.approx(2.0, abs=1e-2) and best["friction"] == pytest.approx(0.1, abs=1e-2)
    assert value == pytest.approx(0.0, abs=1e-3) and len(calls) <= 310
    assert all(0.5 <= p["mass"] <= 3.0 and 0.1 <= p["friction"] <= 4.0 for p in calls)
    again, _ = cma_worst_case(objective, {"mass": (0.5, 3.0), "friction": (0.1, 4.0)}, budget=300, seed=1)
    assert again == best
