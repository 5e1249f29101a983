"""BO kernels: the objective functions over batches of points, GP prior samples by random Fourier features,
the episode (candidates, initial design, history, regret, rewards) and the fixed-hyperparameter GP features.

Everything is a plain ``@njit(cache=True)`` function over arrays. One env's state lives in row ``i`` of the
arrays of a :class:`State`, so the single env (``n = 1``) and the batched env call the same functions. The
observation buffers (``hist_x`` ... ``cand_feats``) are state too: the step writes only what changed.

- ``cfg`` (:class:`Config`): the env's settings; ``data`` (:class:`Data`): constants shared by all envs (the
  function's bounds and optimum, fixed Sobol sets, the tabular meta-dataset).
- Values are always of the *maximisation* form, on the unit cube.

Randomness: a GP prior sample comes from its own counter stream keyed by the task's ``seed`` (a sample is a
pure function of its task); candidates, the initial design and observation noise come from the env's stream
``rng[i]``, in that order.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

from rlenvs.core._kernels import begin_task
from rlenvs.core.rng import rng_next, rng_normal, rng_uniform

FN_BRANIN, FN_GOLDSTEIN_PRICE, FN_HARTMANN3, FN_HARTMANN6 = 0, 1, 2, 3
FN_ACKLEY, FN_LEVY, FN_ROSENBROCK, FN_STYBLINSKI_TANG, FN_GP_PRIOR, FN_TABULAR = 4, 5, 6, 7, 8, 9
CAND_SOBOL_FIXED, CAND_RANDOM_PER_EPISODE, CAND_RANDOM_PER_STEP, CAND_DATASET, CAND_CONTINUOUS = range(5)
INIT_SOBOL, INIT_RANDOM = 0, 1
R_NEG_LOG_REGRET, R_LOG_IMPROVEMENT, R_IMPROVEMENT, R_NEG_REGRET, R_TERMINAL = range(5)
Y_NONE, Y_STANDARDIZE, Y_MINMAX = 0, 1, 2
REF_GLOBAL, REF_CANDIDATES = 0, 1
K_RBF, K_MATERN52, K_MATERN32 = 0, 1, 2
N_FEATS = 5  # GP features per candidate: mu, sigma, incumbent, t / T, T (MetaBO)

Config = namedtuple("Config", [
    "fn", "dim", "n_cand", "budget", "n_init", "cand_mode", "init_mode", "allow_repeats", "noise_std",
    "reward", "floor", "reference", "y_transform", "terminate_on_floor", "need_cand_f", "gp_features",
    "gp_lengthscale", "gp_noise", "kernel",
])
Data = namedtuple("Data", [
    "lo", "hi", "g_mean", "g_std", "g_transform", "g_max", "g_lo",
    "sobol_cand", "sobol_init", "sobol_ref",
    "tab_x", "tab_y", "ds_id", "ds_start", "ds_size", "ds_ymin", "ds_ymax", "designs",
])
State = namedtuple("State", [
    # observation buffers
    "hist_x", "hist_y", "hist_mask", "cand_x", "cand_mask", "t_frac", "incumbent", "cand_feats",
    # episode
    "y_raw", "count", "n_valid", "ds", "best_f", "best_obs", "y_opt", "y_lo", "nreg", "regret", "norm_regret",
    "last_x", "last_y", "invalid", "cand_f",
    # GP prior sample (random Fourier features) and the GP-features posterior
    "rff_w", "rff_b", "rff_a", "gp_l", "gp_v", "gp_vsum",
    # per split task, with fixed candidates: values at the candidates, (y_opt, y_lo), filled
    "cache_f", "cache_ref", "cache_ok",
])

# Hartmann constants (SFU library)
H_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
H3_A = np.array([[3.0, 10.0, 30.0], [0.1, 10.0, 35.0], [3.0, 10.0, 30.0], [0.1, 10.0, 35.0]])
H3_P = 1e-4 * np.array([[3689.0, 1170.0, 2673.0], [4699.0, 4387.0, 7470.0], [1091.0, 8732.0, 5547.0],
                        [381.0, 5743.0, 8828.0]])
H6_A = np.array([[10.0, 3.0, 17.0, 3.5, 1.7, 8.0], [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
                 [3.0, 3.5, 1.7, 10.0, 17.0, 8.0], [17.0, 8.0, 0.05, 10.0, 0.1, 14.0]])
H6_P = 1e-4 * np.array([[1312.0, 1696.0, 5569.0, 124.0, 8283.0, 5886.0],
                        [2329.0, 4135.0, 8307.0, 3736.0, 1004.0, 9991.0],
                        [2348.0, 1451.0, 3522.0, 2883.0, 3047.0, 6650.0],
                        [4047.0, 8828.0, 8732.0, 5743.0, 1091.0, 381.0]])


# --- objective functions -------------------------------------------------------------------------------

@njit(cache=True, inline="always", error_model="numpy")
def _hartmann(z, a, p):
    total = 0.0
    for k in range(4):
        s = 0.0
        for j in range(z.shape[0]):
            d = z[j] - p[k, j]
            s += a[k, j] * d * d
        total += H_ALPHA[k] * np.exp(-s)
    return -total


@njit(cache=True, inline="always", error_model="numpy")
def native_value(fn, z):
    """The published (minimisation-form) test function ``fn`` at the native point ``z``."""
    d = z.shape[0]
    if fn == FN_BRANIN:
        b, c, t = 5.1 / (4.0 * np.pi**2), 5.0 / np.pi, 1.0 / (8.0 * np.pi)
        u = z[1] - b * z[0] ** 2 + c * z[0] - 6.0
        return u * u + 10.0 * (1.0 - t) * np.cos(z[0]) + 10.0
    if fn == FN_GOLDSTEIN_PRICE:
        x1, x2 = z[0], z[1]
        a = 1.0 + (x1 + x2 + 1.0) ** 2 * (19.0 - 14.0 * x1 + 3.0 * x1**2 - 14.0 * x2 + 6.0 * x1 * x2 + 3.0 * x2**2)
        b = 30.0 + (2.0 * x1 - 3.0 * x2) ** 2 * (18.0 - 32.0 * x1 + 12.0 * x1**2 + 48.0 * x2 - 36.0 * x1 * x2
                                                 + 27.0 * x2**2)
        return a * b
    if fn == FN_HARTMANN3:
        return _hartmann(z, H3_A, H3_P)
    if fn == FN_HARTMANN6:
        return _hartmann(z, H6_A, H6_P)
    if fn == FN_ACKLEY:
        sq, cs = 0.0, 0.0
        for j in range(d):
            sq += z[j] * z[j]
            cs += np.cos(2.0 * np.pi * z[j])
        return -20.0 * np.exp(-0.2 * np.sqrt(sq / d)) - np.exp(cs / d) + 20.0 + np.e
    if fn == FN_LEVY:
        w0 = 1.0 + (z[0] - 1.0) / 4.0
        wd = 1.0 + (z[d - 1] - 1.0) / 4.0
        total = np.sin(np.pi * w0) ** 2 + (wd - 1.0) ** 2 * (1.0 + np.sin(2.0 * np.pi * wd) ** 2)
        for j in range(d - 1):
            w = 1.0 + (z[j] - 1.0) / 4.0
            total += (w - 1.0) ** 2 * (1.0 + 10.0 * np.sin(np.pi * w + 1.0) ** 2)
        return total
    if fn == FN_ROSENBROCK:
        total = 0.0
        for j in range(d - 1):
            total += 100.0 * (z[j + 1] - z[j] ** 2) ** 2 + (z[j] - 1.0) ** 2
        return total
    if fn == FN_STYBLINSKI_TANG:
        total = 0.0
        for j in range(d):
            total += z[j] ** 4 - 16.0 * z[j] ** 2 + 5.0 * z[j]
        return 0.5 * total
    return np.nan


@njit(cache=True, inline="always", error_model="numpy")
def _maximisation_form(f, g_mean, g_std, g_transform):
    if g_transform == 1:
        f = np.log(f)
    elif g_transform == 2:
        f = np.log1p(f)
    return -(f - g_mean) / g_std


@njit(cache=True, error_model="numpy")
def shifted_value(fn, x, params, lo, hi, g_mean, g_std, g_transform, z):
    """``scale * g(x - shift)`` for a unit-cube point ``x`` and a task row ``params = [scale, shift...]``;
    ``z`` is scratch of length ``D``."""
    for j in range(x.shape[0]):
        z[j] = lo[j] + (hi[j] - lo[j]) * (x[j] - params[1 + j])
    return params[0] * _maximisation_form(native_value(fn, z), g_mean, g_std, g_transform)


@njit(cache=True, error_model="numpy")
def rff_value(x, w, b, a):
    """A random-Fourier-feature sample path at ``x``: ``sum_m a_m cos(w_m . x + b_m)``."""
    total = 0.0
    for m in range(w.shape[0]):
        s = b[m]
        for j in range(x.shape[0]):
            s += w[m, j] * x[j]
        total += a[m] * np.cos(s)
    return total


@njit(cache=True, error_model="numpy")
def rff_value_grad(x, w, b, a, grad):
    """:func:`rff_value` and its gradient (written into ``grad``)."""
    total = 0.0
    grad[:] = 0.0
    for m in range(w.shape[0]):
        s = b[m]
        for j in range(x.shape[0]):
            s += w[m, j] * x[j]
        total += a[m] * np.cos(s)
        g = -a[m] * np.sin(s)
        for j in range(x.shape[0]):
            grad[j] += g * w[m, j]
    return total


@njit(cache=True, error_model="numpy")
def evaluate_batch(fn, X, params, lo, hi, g_mean, g_std, g_transform, out):
    """``out[k] = scale * g(X[k] - shift)`` for every row of ``X`` (float64 ``(K, D)``)."""
    z = np.empty(X.shape[1])
    for k in range(X.shape[0]):
        out[k] = shifted_value(fn, X[k], params, lo, hi, g_mean, g_std, g_transform, z)


@njit(cache=True, error_model="numpy")
def rff_batch(X, w, b, a, out):
    """``out[k] = rff_value(X[k], w, b, a)`` for every row of ``X``."""
    for k in range(X.shape[0]):
        out[k] = rff_value(X[k], w, b, a)


@njit(cache=True, error_model="numpy")
def draw_rff(seed, lengthscale, kernel, w, b, a):
    """The random Fourier features of GP prior sample ``seed``: ``f(x) = sum_m a_m cos(w_m . x + b_m)``.

    From the counter stream keyed by ``seed`` (the key of ``reset(seed=seed)``), per feature ``m`` in order:
    ``w_m = z / lengthscale`` with ``z ~ N(0, I_D)`` (RBF), or ``w_m = z / (lengthscale * sqrt(c / k))``
    with ``c ~ chi2(k)`` drawn first as ``k`` squared normals (Matern-5/2: ``k = 5``, Matern-3/2:
    ``k = 3``: a multivariate Student-t with ``2 nu`` degrees of freedom, the Matern spectral density);
    then ``b_m ~ U[0, 2 pi)`` and ``a_m = sqrt(2 / M) * N(0, 1)``, so ``f`` has unit prior variance.
    """
    rng = np.zeros((1, 2), dtype=np.uint64)
    rng[0, 0] = np.uint64(seed)
    rng[0, 0] = rng_next(rng, 0)  # = rlenvs.core.rng.seed_keys(seed)
    rng[0, 1] = 0
    n_feat, dim = w.shape
    amp = np.sqrt(2.0 / n_feat)
    for m in range(n_feat):
        inv = 1.0 / lengthscale
        if kernel != K_RBF:
            dof = 5 if kernel == K_MATERN52 else 3
            chi = 0.0
            for _ in range(dof):
                v = rng_normal(rng, 0)
                chi += v * v
            inv /= np.sqrt(chi / dof)
        for j in range(dim):
            w[m, j] = rng_normal(rng, 0) * inv
        b[m] = 2.0 * np.pi * rng_uniform(rng, 0)
        a[m] = amp * rng_normal(rng, 0)


@njit(cache=True, error_model="numpy")
def refine_max(x, w, b, a, iters):
    """Projected gradient ascent of a sample path from ``x`` (in place) inside the unit cube; the value."""
    dim = x.shape[0]
    grad, trial = np.empty(dim), np.empty(dim)
    fx = rff_value_grad(x, w, b, a, grad)
    step = 0.05
    for _ in range(iters):
        norm = np.sqrt((grad * grad).sum())
        if norm < 1e-12 or step < 1e-9:
            break
        for j in range(dim):
            trial[j] = min(max(x[j] + step * grad[j] / norm, 0.0), 1.0)
        ft = rff_value(trial, w, b, a)
        if ft > fx:
            x[:] = trial
            fx = rff_value_grad(x, w, b, a, grad)
            step = min(step * 1.5, 0.25)
        else:
            step *= 0.5
    return fx


@njit(cache=True, error_model="numpy")
def gp_prior_reference(points, w, b, a, n_starts):
    """``(y_opt, y_lo)`` of a sample path: the max over ``points`` refined by :func:`refine_max` from the best
    ``n_starts`` of them, and the min over ``points``."""
    values = np.empty(points.shape[0])
    rff_batch(points, w, b, a, values)
    order = np.argsort(-values)
    best = values[order[0]]
    x = np.empty(points.shape[1])
    for k in range(min(n_starts, points.shape[0])):
        x[:] = points[order[k]]
        best = max(best, refine_max(x, w, b, a, 200))
    return best, values.min()


# --- the GP features (fixed hyperparameters, incremental Cholesky) --------------------------------------

@njit(cache=True, inline="always", error_model="numpy")
def matern52(x, y, lengthscale):
    """Matern-5/2 kernel with unit variance between two points (float32 or float64 rows)."""
    r2 = 0.0
    for j in range(x.shape[0]):
        d = (np.float64(x[j]) - np.float64(y[j])) / lengthscale
        r2 += d * d
    r = np.sqrt(5.0 * r2)
    return (1.0 + r + r * r / 3.0) * np.exp(-r)


@njit(cache=True, error_model="numpy")
def gp_add_point(i, r, st, cfg):
    """Append history row ``r`` to env ``i``'s Cholesky factor ``L`` of ``K + noise I`` and to
    ``V = L^-1 K(X, C)`` (and the column sums of ``V^2``)."""
    ell, L, V = cfg.gp_lengthscale, st.gp_l[i], st.gp_v[i]
    xr = st.hist_x[i, r]
    for q in range(r):
        s = matern52(st.hist_x[i, q], xr, ell)
        for p in range(q):
            s -= L[q, p] * L[r, p]
        L[r, q] = s / L[q, q]
    d2 = 1.0 + cfg.gp_noise
    for q in range(r):
        d2 -= L[r, q] ** 2
    L[r, r] = np.sqrt(max(d2, 1e-12))
    for j in range(st.cand_x.shape[1]):
        s = matern52(st.cand_x[i, j], xr, ell)
        for q in range(r):
            s -= L[r, q] * V[q, j]
        V[r, j] = s / L[r, r]
        st.gp_vsum[i, j] += V[r, j] ** 2


@njit(cache=True, error_model="numpy")
def gp_new_candidates(i, st, cfg):
    """Recompute ``V`` and its column sums after env ``i``'s candidate set changed."""
    ell, L, V = cfg.gp_lengthscale, st.gp_l[i], st.gp_v[i]
    st.gp_vsum[i, :] = 0.0
    for j in range(st.cand_x.shape[1]):
        c = st.cand_x[i, j]
        for r in range(st.count[i]):
            s = matern52(c, st.hist_x[i, r], ell)
            for q in range(r):
                s -= L[r, q] * V[q, j]
            V[r, j] = s / L[r, r]
            st.gp_vsum[i, j] += V[r, j] ** 2


@njit(cache=True, error_model="numpy")
def gp_write_features(i, yt, incumbent, t_frac, budget, st):
    """``cand_feats[i, j] = [mu_j, sigma_j, incumbent, t / T, T]`` from the posterior given ``yt``."""
    L, V, n = st.gp_l[i], st.gp_v[i], st.count[i]
    beta = np.empty(n)
    for q in range(n):
        s = yt[q]
        for p in range(q):
            s -= L[q, p] * beta[p]
        beta[q] = s / L[q, q]
    for j in range(st.cand_x.shape[1]):
        mu = 0.0
        for q in range(n):
            mu += V[q, j] * beta[q]
        st.cand_feats[i, j, 0] = mu
        st.cand_feats[i, j, 1] = np.sqrt(max(1.0 - st.gp_vsum[i, j], 0.0))
        st.cand_feats[i, j, 2] = incumbent
        st.cand_feats[i, j, 3] = t_frac
        st.cand_feats[i, j, 4] = budget


# --- the episode ----------------------------------------------------------------------------------------

@njit(cache=True, error_model="numpy")
def objective(fn, x, params, w, b, a, lo, hi, g_mean, g_std, g_transform, z):
    """Noiseless value at the unit-cube point ``x`` of a test-function task (``params``) or of a GP prior
    sample (``w, b, a``)."""
    if fn == FN_GP_PRIOR:
        return rff_value(x, w, b, a)
    return shifted_value(fn, x, params, lo, hi, g_mean, g_std, g_transform, z)


@njit(cache=True, error_model="numpy")
def candidate_values(fn, cand, params, w, b, a, lo, hi, g_mean, g_std, g_transform, out):
    """``out[j]`` = :func:`objective` at the (float32) candidate ``cand[j]``."""
    x, z = np.empty(cand.shape[1]), np.empty(cand.shape[1])
    for j in range(cand.shape[0]):
        for d in range(cand.shape[1]):
            x[d] = cand[j, d]
        out[j] = objective(fn, x, params, w, b, a, lo, hi, g_mean, g_std, g_transform, z)


@njit(cache=True, inline="always", error_model="numpy")
def _value(i, x, task_params, st, data, cfg, z):
    return objective(cfg.fn, x, task_params[i], st.rff_w[i], st.rff_b[i], st.rff_a[i], data.lo, data.hi,
                     data.g_mean, data.g_std, data.g_transform, z)


@njit(cache=True, inline="always", error_model="numpy")
def _candidate_values(i, task_params, st, data, cfg):
    candidate_values(cfg.fn, st.cand_x[i], task_params[i], st.rff_w[i], st.rff_b[i], st.rff_a[i], data.lo, data.hi,
                     data.g_mean, data.g_std, data.g_transform, st.cand_f[i])


@njit(cache=True, inline="always", error_model="numpy")
def _draw_candidates(i, rng, task_params, st, data, cfg):
    for j in range(st.cand_x.shape[1]):
        for d in range(cfg.dim):
            st.cand_x[i, j, d] = rng_uniform(rng, i)  # stored as float32: the observed point is the point
        st.cand_mask[i, j] = 1
    if cfg.need_cand_f:
        _candidate_values(i, task_params, st, data, cfg)


@njit(cache=True, inline="always", error_model="numpy")
def _observe(i, x, f, rng, st, cfg):
    """Append ``(x, f + noise)`` to env ``i``'s history."""
    r = st.count[i]
    for d in range(cfg.dim):
        st.hist_x[i, r, d] = x[d]
    y = f + cfg.noise_std * rng_normal(rng, i) if cfg.noise_std > 0.0 else f
    st.y_raw[i, r] = y
    st.hist_mask[i, r] = 1
    st.count[i] = r + 1
    st.best_f[i] = max(st.best_f[i], f)
    st.best_obs[i] = max(st.best_obs[i], y)
    st.last_x[i, :] = x
    st.last_y[i] = y
    if cfg.gp_features:
        gp_add_point(i, r, st, cfg)


@njit(cache=True, inline="always", error_model="numpy")
def _regret(i, st, cfg):
    """Write env ``i``'s regret and normalised regret; return the normalised regret floored at ``floor``."""
    den = st.y_opt[i] - st.y_lo[i]
    if st.count[i] == 0:
        st.regret[i] = den
        st.norm_regret[i] = 1.0
    else:
        st.regret[i] = st.y_opt[i] - st.best_f[i]
        st.norm_regret[i] = st.regret[i] / den if den > 0.0 else 0.0
    return max(st.norm_regret[i], cfg.floor)


@njit(cache=True, inline="always", error_model="numpy")
def _write_obs(i, elapsed, st, data, cfg):
    n = st.count[i]
    shift, scale = 0.0, 1.0
    if cfg.y_transform == Y_STANDARDIZE and n > 0:
        shift = st.y_raw[i, :n].mean()
        if n > 1:
            sd = st.y_raw[i, :n].std()
            if sd > 1e-12:
                scale = sd
    elif cfg.y_transform == Y_MINMAX:
        shift = st.y_lo[i]
        if st.y_opt[i] - st.y_lo[i] > 0.0:
            scale = st.y_opt[i] - st.y_lo[i]
    yt = np.empty(n)
    for r in range(n):
        yt[r] = (st.y_raw[i, r] - shift) / scale
        st.hist_y[i, r] = yt[r]
    incumbent = (st.best_obs[i] - shift) / scale if n > 0 else 0.0
    t_frac = elapsed[i] / cfg.budget
    st.incumbent[i, 0] = incumbent
    st.t_frac[i, 0] = t_frac
    if cfg.gp_features:
        gp_write_features(i, yt, incumbent, t_frac, cfg.budget, st)


@njit(cache=True, error_model="numpy")
def start_episode(i, rng, task_params, task_index, elapsed, st, data, cfg, z, xs):
    """A new episode of env ``i`` on the task in ``task_params[i]``: candidates, reference values, initial design.

    With fixed candidates the values at the candidates and the reference values depend on the task only: they
    are cached per split task (``task_index[i] >= 0``) where the state has a cache.
    """
    fn, mode, dim = cfg.fn, cfg.cand_mode, cfg.dim
    n_cand = st.cand_x.shape[1]
    key = task_index[i] if st.cache_ok.shape[0] > 0 else -1
    cached = key >= 0 and st.cache_ok[key]
    if fn == FN_GP_PRIOR and not (cached and cfg.need_cand_f and cfg.n_init == 0):
        # (skipped when every value of the episode comes from the cache: the features would go unused)
        draw_rff(int(task_params[i, 1]), task_params[i, 0], cfg.kernel, st.rff_w[i], st.rff_b[i], st.rff_a[i])
    k = 0
    if fn == FN_TABULAR:
        while data.ds_id[k] != int(task_params[i, 0]):
            k += 1
        st.ds[i] = k
    # candidates
    n_valid = n_cand
    if mode == CAND_SOBOL_FIXED:
        st.cand_x[i] = data.sobol_cand
        st.cand_mask[i, :] = 1
        if cached:
            st.cand_f[i] = st.cache_f[key]
        elif cfg.need_cand_f:
            _candidate_values(i, task_params, st, data, cfg)
    elif mode == CAND_RANDOM_PER_EPISODE or mode == CAND_RANDOM_PER_STEP:
        _draw_candidates(i, rng, task_params, st, data, cfg)
    elif mode == CAND_DATASET:
        n_valid, start = data.ds_size[k], data.ds_start[k]
        st.cand_x[i, :n_valid] = data.tab_x[start:start + n_valid]
        st.cand_x[i, n_valid:] = 0.0
        st.cand_mask[i, :n_valid] = 1
        st.cand_mask[i, n_valid:] = 0
        st.cand_f[i, :n_valid] = data.tab_y[start:start + n_valid]
        st.cand_f[i, n_valid:] = np.nan
    st.n_valid[i] = n_valid
    # reference values
    if cached:
        st.y_opt[i], st.y_lo[i] = st.cache_ref[key, 0], st.cache_ref[key, 1]
    elif mode == CAND_DATASET:
        st.y_opt[i], st.y_lo[i] = data.ds_ymax[k], data.ds_ymin[k]
    elif cfg.reference == REF_CANDIDATES:
        st.y_opt[i], st.y_lo[i] = st.cand_f[i, :n_valid].max(), st.cand_f[i, :n_valid].min()
    elif fn == FN_GP_PRIOR:
        st.y_opt[i], st.y_lo[i] = gp_prior_reference(data.sobol_ref, st.rff_w[i], st.rff_b[i], st.rff_a[i], 5)
    else:
        st.y_opt[i], st.y_lo[i] = task_params[i, 0] * data.g_max, task_params[i, 0] * data.g_lo
    if key >= 0 and not cached:
        st.cache_f[key] = st.cand_f[i]
        st.cache_ref[key, 0], st.cache_ref[key, 1] = st.y_opt[i], st.y_lo[i]
        st.cache_ok[key] = True
    # empty history
    st.count[i] = 0
    st.best_f[i] = -np.inf
    st.best_obs[i] = -np.inf
    st.hist_x[i] = 0.0
    st.hist_y[i] = 0.0
    st.hist_mask[i] = 0
    st.last_x[i, :] = np.nan
    st.last_y[i] = np.nan
    st.invalid[i] = False
    if cfg.gp_features:
        st.gp_vsum[i, :] = 0.0
    # initial design
    design = int(task_params[i, 1]) if fn == FN_TABULAR else -1
    for r in range(cfg.n_init):
        if mode == CAND_DATASET:
            if design >= 0:
                j = data.designs[k, design, r]
            else:
                j = int(rng_uniform(rng, i) * n_valid)
                while st.cand_mask[i, j] == 0:  # distinct indices (the setup checks n_init < n_valid)
                    j = int(rng_uniform(rng, i) * n_valid)
            for d in range(dim):
                xs[d] = st.cand_x[i, j, d]
            f = st.cand_f[i, j]
            st.cand_mask[i, j] = 0
        else:
            for d in range(dim):
                xs[d] = np.float32(data.sobol_init[r, d] if cfg.init_mode == INIT_SOBOL else rng_uniform(rng, i))
            f = _value(i, xs, task_params, st, data, cfg, z)
            if cfg.reference == REF_CANDIDATES:  # the reference covers every point the episode evaluates
                st.y_opt[i] = max(st.y_opt[i], f)
                st.y_lo[i] = min(st.y_lo[i], f)
        _observe(i, xs, f, rng, st, cfg)
    if mode == CAND_DATASET and cfg.allow_repeats:
        st.cand_mask[i, :n_valid] = 1
    st.last_x[i, :] = np.nan
    st.last_y[i] = np.nan
    st.nreg[i] = _regret(i, st, cfg)
    elapsed[i] = 0
    _write_obs(i, elapsed, st, data, cfg)


@njit(cache=True, error_model="numpy")
def step_env(i, action, act_x, rng, task_params, elapsed, st, data, cfg, z, xs):
    """One query of env ``i``; returns ``(reward, terminated)``."""
    mode, dim = cfg.cand_mode, cfg.dim
    st.invalid[i] = False
    if mode == CAND_CONTINUOUS:
        for d in range(dim):
            xs[d] = np.float32(act_x[i, d])  # the history holds float32 points: evaluate exactly those
        _observe(i, xs, _value(i, xs, task_params, st, data, cfg, z), rng, st, cfg)
    else:
        a = action[i]
        for d in range(dim):
            xs[d] = st.cand_x[i, a, d]
        if st.cand_mask[i, a] == 0:  # padding or already queried: the step is spent, nothing is evaluated
            st.invalid[i] = True
            st.last_x[i, :] = xs
            st.last_y[i] = np.nan
        else:
            f = st.cand_f[i, a] if cfg.need_cand_f else _value(i, xs, task_params, st, data, cfg, z)
            _observe(i, xs, f, rng, st, cfg)
            if not cfg.allow_repeats and mode != CAND_RANDOM_PER_STEP:
                st.cand_mask[i, a] = 0
    elapsed[i] += 1
    if mode == CAND_RANDOM_PER_STEP:
        _draw_candidates(i, rng, task_params, st, data, cfg)
        if cfg.gp_features:
            gp_new_candidates(i, st, cfg)
    before = st.nreg[i]
    after = _regret(i, st, cfg)
    st.nreg[i] = after
    terminated = elapsed[i] >= cfg.budget or (cfg.terminate_on_floor and after <= cfg.floor)
    if cfg.reward == R_NEG_LOG_REGRET:
        reward = -np.log10(after)
    elif cfg.reward == R_LOG_IMPROVEMENT:
        reward = np.log10(before) - np.log10(after)
    elif cfg.reward == R_IMPROVEMENT:
        reward = before - after
    elif cfg.reward == R_NEG_REGRET:
        reward = -after
    else:
        reward = -np.log10(after) if terminated else 0.0
    _write_obs(i, elapsed, st, data, cfg)
    return reward, terminated


@njit(cache=True, error_model="numpy")
def advance(stepping, needs_reset, action, act_x, rng, task_fixed, fixed_params, split_params, task_params,
            task_index, elapsed, max_steps, st, data, cfg, rewards, terminations, truncations):
    """Every env where ``needs_reset`` starts a new episode (the task first, see ``begin_task``, with reward 0
    and both flags False); with ``stepping`` the others take a step and the ones that just reset are
    cleared from ``needs_reset`` (NEXT_STEP autoreset). ``max_steps < 0`` never truncates."""
    z, xs = np.empty(cfg.dim), np.empty(cfg.dim)
    for i in range(rewards.shape[0]):
        if needs_reset[i]:
            begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index)
            start_episode(i, rng, task_params, task_index, elapsed, st, data, cfg, z, xs)
            rewards[i] = 0.0
            terminations[i] = False
            truncations[i] = False
            if stepping:
                needs_reset[i] = False
        elif stepping:
            rewards[i], terminations[i] = step_env(i, action, act_x, rng, task_params, elapsed, st, data, cfg, z, xs)
            truncations[i] = max_steps >= 0 and elapsed[i] >= max_steps
            needs_reset[i] = terminations[i] or truncations[i]
