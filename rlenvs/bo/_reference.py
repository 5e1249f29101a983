"""Slow NumPy twins of the BO kernels, used only by tests: the test functions, GP prior sample paths, the
GP-features posterior, the reference GP's marginal likelihood, the y transforms and the rewards."""

from __future__ import annotations

import math

import numpy as np

from rlenvs.core import _reference as core_ref

H_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
H3_A = np.array([[3.0, 10, 30], [0.1, 10, 35], [3.0, 10, 30], [0.1, 10, 35]])
H3_P = 1e-4 * np.array([[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]])
H6_A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8],
                 [17, 8, 0.05, 10, 0.1, 14]])
H6_P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                        [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])


def native_values(name: str, Z: np.ndarray) -> np.ndarray:
    """The published (minimisation-form) test function ``name`` at the rows of ``Z`` (native coordinates)."""
    Z = np.atleast_2d(Z)
    d = Z.shape[1]
    if name == "branin":
        x1, x2 = Z[:, 0], Z[:, 1]
        u = x2 - 5.1 / (4 * np.pi**2) * x1**2 + 5 / np.pi * x1 - 6
        return u**2 + 10 * (1 - 1 / (8 * np.pi)) * np.cos(x1) + 10
    if name == "goldstein_price":
        x1, x2 = Z[:, 0], Z[:, 1]
        a = 1 + (x1 + x2 + 1) ** 2 * (19 - 14 * x1 + 3 * x1**2 - 14 * x2 + 6 * x1 * x2 + 3 * x2**2)
        b = 30 + (2 * x1 - 3 * x2) ** 2 * (18 - 32 * x1 + 12 * x1**2 + 48 * x2 - 36 * x1 * x2 + 27 * x2**2)
        return a * b
    if name in ("hartmann3", "hartmann6"):
        A, P = (H3_A, H3_P) if name == "hartmann3" else (H6_A, H6_P)
        return -(H_ALPHA * np.exp(-(A * (Z[:, None, :] - P) ** 2).sum(-1))).sum(-1)
    if name == "ackley":
        return (-20 * np.exp(-0.2 * np.sqrt((Z**2).mean(1))) - np.exp(np.cos(2 * np.pi * Z).mean(1)) + 20 + np.e)
    if name == "levy":
        w = 1 + (Z - 1) / 4
        middle = ((w[:, :-1] - 1) ** 2 * (1 + 10 * np.sin(np.pi * w[:, :-1] + 1) ** 2)).sum(1)
        return np.sin(np.pi * w[:, 0]) ** 2 + middle + (w[:, -1] - 1) ** 2 * (1 + np.sin(2 * np.pi * w[:, -1]) ** 2)
    if name == "rosenbrock":
        return (100 * (Z[:, 1:] - Z[:, :-1] ** 2) ** 2 + (Z[:, :-1] - 1) ** 2).sum(1)
    if name == "styblinski_tang":
        return 0.5 * (Z**4 - 16 * Z**2 + 5 * Z).sum(1)
    raise ValueError(f"unknown function {name!r} (d={d})")


def shifted_values(name: str, X: np.ndarray, params: np.ndarray, lo, hi, mean: float, std: float,
                   transform: int) -> np.ndarray:
    """``scale * g(x - shift)`` at the unit-cube rows of ``X`` for ``params = [scale, shift...]``."""
    f = native_values(name, lo + (hi - lo) * (X - params[1:]))
    if transform == 1:
        f = np.log(f)
    elif transform == 2:
        f = np.log1p(f)
    return params[0] * -(f - mean) / std


def _normal(state: np.ndarray) -> float:
    u1 = 1.0 - core_ref.rng_uniform(state, 0)
    u2 = core_ref.rng_uniform(state, 0)
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def draw_rff(seed: int, lengthscale: float, kernel: int, n_features: int, dim: int):
    """``(w, b, a)`` of GP prior sample ``seed``, drawn in the kernel's order (kernel 0 RBF, 1 / 2 Matern-5/2 / 3/2)."""
    state = np.array([[seed, 0]], dtype=np.uint64)
    state[0] = (core_ref.rng_next(state, 0), 0)
    w, b, a = np.empty((n_features, dim)), np.empty(n_features), np.empty(n_features)
    for m in range(n_features):
        inv = 1.0 / lengthscale
        if kernel:
            dof = 5 if kernel == 1 else 3
            inv /= math.sqrt(sum(_normal(state) ** 2 for _ in range(dof)) / dof)
        w[m] = [_normal(state) * inv for _ in range(dim)]
        b[m] = 2 * math.pi * core_ref.rng_uniform(state, 0)
        a[m] = math.sqrt(2.0 / n_features) * _normal(state)
    return w, b, a


def rff_values(X: np.ndarray, w: np.ndarray, b: np.ndarray, a: np.ndarray) -> np.ndarray:
    return np.cos(np.atleast_2d(X) @ w.T + b) @ a


def kernel_values(kernel: str, r: np.ndarray, lengthscale: float) -> np.ndarray:
    """Closed-form isotropic kernels with unit variance at distance ``r``."""
    s = r / lengthscale
    if kernel == "rbf":
        return np.exp(-0.5 * s**2)
    if kernel == "matern52":
        return (1 + math.sqrt(5) * s + 5 * s**2 / 3) * np.exp(-math.sqrt(5) * s)
    if kernel == "matern32":
        return (1 + math.sqrt(3) * s) * np.exp(-math.sqrt(3) * s)
    raise ValueError(kernel)


def gp_features(hist_x: np.ndarray, yt: np.ndarray, cand_x: np.ndarray, lengthscale: float, noise: float):
    """Posterior mean and sd (latent) of the fixed GP-features model: Matern-5/2, unit variance, ``noise``."""
    def k(a, b):
        r = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
        return kernel_values("matern52", r, lengthscale)

    if len(hist_x) == 0:
        return np.zeros(len(cand_x)), np.ones(len(cand_x))
    K = k(hist_x, hist_x) + noise * np.eye(len(hist_x))
    ks = k(cand_x, hist_x)
    mean = ks @ np.linalg.solve(K, yt)
    var = 1.0 - (ks * np.linalg.solve(K, ks.T).T).sum(1)
    return mean, np.sqrt(np.maximum(var, 0.0))


def gp_neg_log_likelihood(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """``-log N(y; 0, s2 * Matern52_ARD + noise I)`` for ``theta = [log l..., log s2, log noise]``."""
    d = X.shape[1]
    r = math.sqrt(5) * np.sqrt((((X[:, None, :] - X[None, :, :]) / np.exp(theta[:d])) ** 2).sum(-1))
    K = math.exp(theta[d]) * (1 + r + r**2 / 3) * np.exp(-r) + (math.exp(theta[d + 1]) + 1e-8) * np.eye(len(X))
    _, logdet = np.linalg.slogdet(K)
    return float(0.5 * y @ np.linalg.solve(K, y) + 0.5 * logdet + 0.5 * len(X) * math.log(2 * math.pi))


def transform_y(y_raw: np.ndarray, mode: str, y_opt: float, y_lo: float) -> np.ndarray:
    """The ``hist_y`` of an observed history under ``y_transform=mode``."""
    if mode == "none":
        return y_raw
    if mode == "history_standardize":
        sd = y_raw.std() if len(y_raw) > 1 and y_raw.std() > 1e-12 else 1.0
        return (y_raw - y_raw.mean()) / sd
    return (y_raw - y_lo) / (y_opt - y_lo)


def reward(mode: str, n_before: float, n_after: float, terminated: bool) -> float:
    """The reward of a step from the floored normalised regrets before and after it."""
    return {
        "neg_log_regret": -math.log10(n_after),
        "log_improvement": math.log10(n_before) - math.log10(n_after),
        "improvement": n_before - n_after,
        "neg_regret": -n_after,
        "terminal": -math.log10(n_after) if terminated else 0.0,
    }[mode]
