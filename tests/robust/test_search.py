"""Evaluation grids in both conventions, and the CMA-ES worst-case search."""

import numpy as np
import pytest

import rlenvs
from rlenvs.robust.grids import axis_points, uncertainty_grid
from rlenvs.robust.search import cma_worst_case


def test_grid_conventions():
    np.testing.assert_array_equal(axis_points(0.1, 3.0, 10, "m2td3"), np.linspace(0.1, 3.0, 10))
    np.testing.assert_array_equal(axis_points(0.1, 3.0, 10, "rrls"), np.arange(0.1, 3.0, 0.29))
    grid = uncertainty_grid({"friction": (0.1, 4.0), "torso_mass": (0.1, 7.0), "thigh_mass": (0.1, 3.0)})
    assert len(grid) == 1000 and grid[0] == {"friction": 0.1, "torso_mass": 0.1, "thigh_mass": 0.1}
    assert grid[1] == pytest.approx({"friction": 0.1, "torso_mass": 0.1, "thigh_mass": 0.1 + 2.9 / 9})  # last fastest
    assert grid[-1] == pytest.approx({"friction": 4.0, "torso_mass": 7.0, "thigh_mass": 3.0})
    rrls = uncertainty_grid({"friction": (0.1, 4.0)}, convention="rrls")
    assert len(rrls) == 10 and max(p["friction"] for p in rrls) == pytest.approx(3.61)
    with pytest.raises(ValueError, match="convention must be one of"):
        axis_points(0, 1, 10, "linspace")


def test_grid_splits_of_the_envs():
    dist = rlenvs.make("rlenvs/RobustHalfCheetah-3d-v0").unwrapped.task_distribution
    m2td3, rrls = dist.split("m2td3_grid"), dist.split("rrls_grid")
    assert len(m2td3) == len(rrls) == 1000
    assert m2td3[-1].to_dict() == pytest.approx({"worldfriction": 4.0, "torsomass": 7.0, "backthighmass": 3.0})
    assert max(t.worldfriction for t in rrls) == pytest.approx(3.61)
    ip = rlenvs.make("rlenvs/RobustInvertedPendulum-1d-v0").unwrapped.task_distribution
    assert [t.polemass for t in ip.split("m2td3_grid")] == pytest.approx(np.linspace(1.0, 31.0, 10).tolist())
    force = rlenvs.make("rlenvs/RobustHopper-Force-v0").unwrapped.task_distribution
    assert force.split_names == ("train", "test")


def test_cma_finds_the_minimum_inside_the_box_with_batched_calls():
    calls = []

    def objective(points):
        calls.append(len(points))
        return [(p["mass"] - 2.0) ** 2 + (p["friction"] - 0.1) ** 2 for p in points]  # minimum on a bound

    bounds = {"mass": (0.5, 3.0), "friction": (0.1, 4.0)}
    best, value = cma_worst_case(objective, bounds, budget=300, seed=1)
    assert best["mass"] == pytest.approx(2.0, abs=1e-2) and best["friction"] == pytest.approx(0.1, abs=1e-2)
    assert value == pytest.approx(0.0, abs=1e-3) and sum(calls) <= 300 and max(calls) > 1
    assert cma_worst_case(objective, bounds, budget=300, seed=1) == (best, value)


def test_one_parameter_is_a_single_batched_scan():
    calls = []
    best, value = cma_worst_case(lambda ps: calls.append(len(ps)) or [-abs(p["x"] - 0.3) for p in ps],
                                 {"x": (0.0, 1.0)}, budget=11)
    assert calls == [11] and best == {"x": 1.0} and value == pytest.approx(-0.7)
    with pytest.raises(ValueError, match="budget"):
        cma_worst_case(lambda ps: [0.0] * len(ps), {"x": (0.0, 1.0)}, budget=1)
