"""The test functions: published optima, the maximisation form, shifts and scales, kernels == reference."""

import hashlib
import math

import numpy as np
import pytest
from scipy.optimize import minimize

import rlenvs
from rlenvs.bo import _kernels as K
from rlenvs.bo import _reference as ref
from rlenvs.bo.tasks import FUNCTIONS, SHIFT, ShiftScaleDistribution, sobol_points

# Published minima and minimisers: Surjanovic & Bingham's library (sfu.ca/~ssurjano) and BoTorch's
# test_functions/synthetic.py, typed here independently of rlenvs.bo.tasks.
PUBLISHED = {
    "branin": (0.397887, [(-math.pi, 12.275), (math.pi, 2.275), (9.42478, 2.475)]),
    "goldstein_price": (3.0, [(0.0, -1.0)]),
    "hartmann3": (-3.86278, [(0.114614, 0.555649, 0.852547)]),
    "hartmann6": (-3.32237, [(0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573)]),
}
PER_DIM = {  # value (per dimension for Styblinski-Tang) and the minimiser's coordinate, for any dimension
    "ackley": (0.0, 0.0), "levy": (0.0, 1.0), "rosenbrock": (0.0, 1.0), "styblinski_tang": (-39.166166, -2.903534),
}
CASES = [(name, len(points[0]), value, points) for name, (value, points) in PUBLISHED.items()] + [
    (name, d, value * d if name == "styblinski_tang" else value, [(coord,) * d])
    for name, (value, coord) in PER_DIM.items() for d in (2, 3, 6)
]


def kernel_native(name, z):
    return K.native_value(FUNCTIONS[name].fn_id, np.asarray(z, dtype=np.float64))


@pytest.mark.parametrize(("name", "dim", "value", "points"), CASES, ids=[f"{c[0]}-{c[1]}d" for c in CASES])
def test_published_optimum_value_and_location(name, dim, value, points):
    function = FUNCTIONS[name]
    assert math.isclose(function.optimum(dim), value, abs_tol=1e-9)
    np.testing.assert_allclose(function.native_minimisers(dim), points, atol=1e-12)
    for point in points:
        assert abs(kernel_native(name, point) - value) < 1e-4
        # the published point is the local minimum: a tight local search from it moves < 1e-4
        found = minimize(lambda z: kernel_native(name, z), np.array(point), method="Nelder-Mead",
                         options={"xatol": 1e-10, "fatol": 1e-15, "maxiter": 50000, "maxfev": 50000})
        assert np.abs(found.x - point).max() < 1e-4
        assert found.fun > value - 1e-4


def test_a_random_search_never_beats_the_published_minimum():
    rng = np.random.default_rng(0)
    for name, dim, value, _ in CASES:
        lo, hi = FUNCTIONS[name].bounds(dim)
        Z = lo + (hi - lo) * rng.random((20000, dim))
        assert ref.native_values(name, Z).min() > value - 1e-4, name


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_shift_keeps_a_maximiser_in_the_unit_cube(name):
    function = FUNCTIONS[name]
    dim = function.fixed_dim or 4
    margins = np.minimum(function.unit_maximisers(dim), 1 - function.unit_maximisers(dim)).min(axis=1)
    assert margins.max() >= SHIFT


@pytest.mark.parametrize("env_id", ["rlenvs/BO-Branin-v0", "rlenvs/BO-GoldsteinPrice-v0", "rlenvs/BO-Hartmann3-v0",
                                    "rlenvs/BO-Hartmann6-v0", "rlenvs/BO-Ackley-v0", "rlenvs/BO-Levy-v0",
                                    "rlenvs/BO-Rosenbrock-v0", "rlenvs/BO-StyblinskiTang-v0"])
def test_the_shifted_optimum_is_the_maximum_and_the_global_reference(env_id):
    """Maximisation form, sign of the shift and y_opt: querying x* + shift has zero regret, and no random point
    beats it (the min/max and the shift-direction pitfalls)."""
    env = rlenvs.make(env_id, candidates="continuous").unwrapped
    setup, dist = env.setup, env.task_distribution
    name = setup.family
    task = dist.split("test")[3]
    _, info = env.reset(seed=0, options={"task": task})
    params = task.to_array()
    function = FUNCTIONS[name]
    lo, hi = function.bounds(setup.dim)

    def f_task(X):
        return ref.shifted_values(name, X, params, lo, hi, function.mean, function.std, function.transform)

    x_star = function.unit_maximisers(setup.dim)[:1] + np.asarray(task.shift)
    assert math.isclose(info["y_opt"], f_task(x_star)[0], rel_tol=1e-9, abs_tol=1e-9)
    values = f_task(np.random.default_rng(1).random((20000, setup.dim)))
    assert values.max() <= info["y_opt"] + 1e-9
    _, _, _, _, info = env.step(x_star[0].astype(np.float32))
    assert abs(info["regret"]) < 1e-5 * (info["y_opt"] - info["y_lo"])


@pytest.mark.kernel
@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_kernel_values_equal_the_reference(name):
    function = FUNCTIONS[name]
    rng = np.random.default_rng(0)
    for dim in [function.fixed_dim] if function.fixed_dim else [2, 5]:
        lo, hi = function.bounds(dim)
        X = rng.random((32, dim))
        params = np.concatenate([[rng.uniform(0.9, 1.1)], rng.uniform(-0.1, 0.1, dim)])
        for transform in (function.transform, 2) if name == "rosenbrock" else (function.transform,):
            out = np.empty(len(X))
            K.evaluate_batch(function.fn_id, X, params, lo, hi, function.mean, function.std, transform, out)
            expected = ref.shifted_values(name, X, params, lo, hi, function.mean, function.std, transform)
            np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-10)


def test_metabo_standardisations():
    """MetaBO's constants (metabo/environment/objectives.py) and ours for Hartmann-6, which MetaBO lacks."""
    assert (FUNCTIONS["branin"].mean, FUNCTIONS["branin"].std) == (54.44, 51.44)
    assert (FUNCTIONS["goldstein_price"].mean, FUNCTIONS["goldstein_price"].std) == (8.693, 2.427)
    assert (FUNCTIONS["hartmann3"].mean, FUNCTIONS["hartmann3"].std) == (-0.93, 0.95)
    Z = sobol_points(2**16, 6, "test/hartmann6-moments")
    f = ref.native_values("hartmann6", Z)
    assert abs(f.mean() - FUNCTIONS["hartmann6"].mean) < 2e-3 and abs(f.std() - FUNCTIONS["hartmann6"].std) < 2e-3


def test_sobol_sets_are_pinned():
    """The fixed candidate sets (and so every sobol_fixed episode) must not change under a library upgrade."""
    digests = {d: hashlib.sha256(sobol_points(1024, d, f"bo/candidates/{d}d").astype(np.float32).tobytes())
               .hexdigest()[:16] for d in (2, 3, 6)}
    assert digests == {2: "4d67fc209514e1ea", 3: "18d474f96e3da400", 6: "739e3272e6c0a15f"}
    points = sobol_points(1024, 3, "x")
    assert points.min() >= 0 and points.max() < 1 and len(np.unique(points, axis=0)) == 1024
    # a Sobol sequence rotated modulo 1 keeps its stratification: each coordinate has one point per 1/1024 slot
    assert all(len(np.unique(np.floor(((points[:, d] - points[0, d]) % 1.0) * 1024 + 1e-9))) == 1024
               for d in range(3))


def test_splits_are_disjoint_and_inside_the_box():
    dist = ShiftScaleDistribution(FUNCTIONS["hartmann3"], 3)
    splits = {name: set(dist.split(name)) for name in dist.split_names}
    assert not splits["train"] & splits["test"] and not splits["train"] & splits["val"]
    assert not splits["val"] & splits["test"]
    train = dist.split("train").to_array()
    assert train[:, 0].min() >= 0.9 and train[:, 0].max() <= 1.1 and np.abs(train[:, 1:]).max() <= SHIFT
    # the Sobol grid spreads the 1000 train tasks: every tenth of the scale range holds about a tenth of them
    counts = np.histogram(train[:, 0], bins=10, range=(0.9, 1.1))[0]
    assert counts.min() >= 95 and counts.max() <= 105
