"""GP prior samples: the random Fourier features have the kernel's covariance; kernels == reference."""

import numpy as np
import pytest

import rlenvs
from rlenvs.bo import _kernels as K
from rlenvs.bo import _reference as ref
from rlenvs.bo.env import KERNELS


@pytest.mark.kernel
@pytest.mark.parametrize("kernel", sorted(KERNELS))
def test_feature_draws_equal_the_reference(kernel):
    m, d = 8, 3
    w, b, a = np.empty((m, d)), np.empty(m), np.empty(m)
    K.draw_rff(12345, 0.2, KERNELS[kernel], w, b, a)
    rw, rb, ra = ref.draw_rff(12345, 0.2, KERNELS[kernel], m, d)
    np.testing.assert_allclose(w, rw, rtol=1e-12)
    np.testing.assert_allclose(b, rb, rtol=1e-12)
    np.testing.assert_allclose(a, ra, rtol=1e-12)
    X = np.random.default_rng(0).random((5, d))
    out = np.empty(5)
    K.rff_batch(X, w, b, a, out)
    np.testing.assert_allclose(out, ref.rff_values(X, rw, rb, ra), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kernel", sorted(KERNELS))
def test_frequencies_follow_the_spectral_density(kernel):
    """``E cos(omega . delta) = k(delta)`` (Bochner) over the drawn frequencies, along a diagonal.

    Tight enough (about 0.001 standard error) to reject MetaBO's per-dimension Student-t draws, a
    product-type kernel whose value at ``|delta| = 0.3`` along the diagonal is 0.04 lower than Matern's."""
    m, d, ell = 512, 3, 0.3
    w, b, a = np.empty((m, d)), np.empty(m), np.empty(m)
    omegas = []
    for seed in range(1000):
        K.draw_rff(seed, ell, KERNELS[kernel], w, b, a)
        omegas.append(w.copy())
    omega = np.concatenate(omegas)
    radii = np.array([0.15, 0.3, 0.6])
    direction = np.ones(d) / np.sqrt(d)
    char = np.cos(omega @ (radii[None, :] * direction[:, None])).mean(axis=0)
    np.testing.assert_allclose(char, ref.kernel_values(kernel, radii, ell), atol=0.005)


@pytest.mark.parametrize("kernel", sorted(KERNELS))
def test_sample_covariance_is_the_kernel(kernel):
    """End to end (frequencies, phases, amplitudes): over independent tasks, ``cov(f(x), f(x + r u))`` is the
    kernel at distance ``r`` and the prior variance is 1 (Monte Carlo, 4 standard errors)."""
    tasks, m, d, ell = 2000, 256, 3, 0.3
    radii = np.array([0.0, 0.15, 0.3, 0.6])
    points = np.full(d, 0.2) + radii[:, None] * (np.ones(d) / np.sqrt(d))
    values = np.empty((tasks, len(radii)))
    w, b, a = np.empty((m, d)), np.empty(m), np.empty(m)
    out = np.empty(len(radii))
    for seed in range(tasks):
        K.draw_rff(seed, ell, KERNELS[kernel], w, b, a)
        K.rff_batch(points, w, b, a, out)
        values[seed] = out
    cov = (values[:, :1] * values).mean(axis=0)
    expected = ref.kernel_values(kernel, radii, ell)
    assert np.all(np.abs(cov - expected) < 4 * np.sqrt((1 + expected**2) / tasks)), (cov, expected)


def test_gp_prior_tasks_and_references():
    env = rlenvs.make("rlenvs/BO-GPPrior-v0").unwrapped
    task = env.task_distribution.split("test")[0]
    obs, info = env.reset(seed=0, options={"task": task})
    st = env._st
    # the candidates reference: the max / min of the sample path over the candidates
    rw, rb, ra = ref.draw_rff(task.seed, task.lengthscale, KERNELS["rbf"], env.setup.n_features, 3)
    values = ref.rff_values(obs["cand_x"].astype(np.float64), rw, rb, ra)
    assert np.isclose(info["y_opt"], values.max()) and np.isclose(info["y_lo"], values.min())
    np.testing.assert_allclose(st.cand_f[0], values, rtol=1e-9, atol=1e-12)
    # the global reference: Sobol points refined by gradient ascent beat every candidate and random point
    glob = rlenvs.make("rlenvs/BO-GPPrior-v0", regret_reference="global").unwrapped
    _, ginfo = glob.reset(seed=0, options={"task": task})
    dense = ref.rff_values(np.random.default_rng(0).random((20000, 3)), rw, rb, ra)
    assert ginfo["y_opt"] >= max(values.max(), dense.max()) - 1e-9
    assert ginfo["y_lo"] <= values.min() + 0.1
