"""Numba kernels of the reference policies' GP: Matern-5/2 ARD regression, marginal likelihood and gradient.

Plain loops instead of BLAS/LAPACK calls: the matrices are small (n <= a few hundred) and threaded BLAS on
tiny matrices is slower than one core, badly so on a shared machine. ``theta`` is
``[log l_1 .. log l_D, log signal variance, log noise variance]``; ``y`` is standardised by the caller.
"""

from __future__ import annotations

import numpy as np
from numba import njit

SQRT5 = np.sqrt(5.0)
JITTER = 1e-8


@njit(cache=True)
def cholesky(K, L):
    """Lower Cholesky factor of ``K`` into ``L``; False if ``K`` is not positive definite."""
    n = K.shape[0]
    L[:, :] = 0.0
    for j in range(n):
        s = K[j, j]
        for k in range(j):
            s -= L[j, k] * L[j, k]
        if s <= 0.0:
            return False
        L[j, j] = np.sqrt(s)
        for i in range(j + 1, n):
            s = K[i, j]
            for k in range(j):
                s -= L[i, k] * L[j, k]
            L[i, j] = s / L[j, j]
    return True


@njit(cache=True)
def solve_lower(L, b, out):
    """``out = L^-1 b`` (forward substitution)."""
    for i in range(L.shape[0]):
        s = b[i]
        for k in range(i):
            s -= L[i, k] * out[k]
        out[i] = s / L[i, i]


@njit(cache=True)
def solve_upper_t(L, b, out):
    """``out = L^-T b`` (back substitution with the transpose of lower ``L``)."""
    n = L.shape[0]
    for i in range(n - 1, -1, -1):
        s = b[i]
        for k in range(i + 1, n):
            s -= L[k, i] * out[k]
        out[i] = s / L[i, i]


@njit(cache=True)
def kernel_matrix(theta, A, B):
    """Signal variance times Matern-5/2 ARD between the rows of ``A`` and ``B``."""
    dim = A.shape[1]
    signal = np.exp(theta[dim])
    inv = np.exp(-theta[:dim])
    out = np.empty((A.shape[0], B.shape[0]))
    for i in range(A.shape[0]):
        for j in range(B.shape[0]):
            r2 = 0.0
            for d in range(dim):
                u = (A[i, d] - B[j, d]) * inv[d]
                r2 += u * u
            r = SQRT5 * np.sqrt(r2)
            out[i, j] = signal * (1.0 + r + r * r / 3.0) * np.exp(-r)
    return out


@njit(cache=True)
def neg_log_likelihood(theta, X, y):
    """``(-log p(y | X, theta), gradient)``; ``(1e25, 0)`` where the kernel matrix is not positive definite."""
    n, dim = X.shape
    signal, noise = np.exp(theta[dim]), np.exp(theta[dim + 1])
    inv = np.exp(-theta[:dim])
    K = np.empty((n, n))
    common = np.empty((n, n))  # d k / d log l_d = common * (x_d - x'_d)^2 / l_d^2
    for i in range(n):
        for j in range(i + 1):
            r2 = 0.0
            for d in range(dim):
                u = (X[i, d] - X[j, d]) * inv[d]
                r2 += u * u
            r = SQRT5 * np.sqrt(r2)
            e = np.exp(-r)
            K[i, j] = K[j, i] = signal * (1.0 + r + r * r / 3.0) * e
            common[i, j] = common[j, i] = signal * (5.0 / 3.0) * (1.0 + r) * e
    kf_sum_w = 0.0
    L = np.empty((n, n))
    for i in range(n):
        K[i, i] += noise + JITTER
    grad = np.zeros(dim + 2)
    if not cholesky(K, L):
        return 1e25, grad
    tmp, alpha = np.empty(n), np.empty(n)
    solve_lower(L, y, tmp)
    solve_upper_t(L, tmp, alpha)
    nll = 0.5 * (y * alpha).sum() + 0.5 * n * np.log(2.0 * np.pi)
    for i in range(n):
        nll += np.log(L[i, i])
    # W = K^-1 - alpha alpha^T, from K^-1 = L^-T L^-1
    Linv = np.zeros((n, n))
    e_i = np.zeros(n)
    for i in range(n):
        e_i[:] = 0.0
        e_i[i] = 1.0
        solve_lower(L, e_i, tmp)
        Linv[:, i] = tmp
    W = np.empty((n, n))
    for i in range(n):
        for j in range(i + 1):
            s = 0.0
            for k in range(max(i, j), n):
                s += Linv[k, i] * Linv[k, j]
            W[i, j] = W[j, i] = s - alpha[i] * alpha[j]
    for i in range(n):
        for j in range(n):
            w = W[i, j]
            kf_sum_w += w * (K[i, j] - (noise + JITTER if i == j else 0.0))
            for d in range(dim):
                u = (X[i, d] - X[j, d]) * inv[d]
                grad[d] += w * common[i, j] * u * u
    for d in range(dim):
        grad[d] *= 0.5
    grad[dim] = 0.5 * kf_sum_w
    trace = 0.0
    for i in range(n):
        trace += W[i, i]
    grad[dim + 1] = 0.5 * noise * trace
    return nll, grad


@njit(cache=True)
def posterior(theta, X, y, Xs):
    """Posterior mean and standard deviation of the latent function at the rows of ``Xs``."""
    n, dim = X.shape
    K = kernel_matrix(theta, X, X)
    for i in range(n):
        K[i, i] += np.exp(theta[dim + 1]) + JITTER
    L = np.empty((n, n))
    cholesky(K, L)
    tmp, alpha = np.empty(n), np.empty(n)
    solve_lower(L, y, tmp)
    solve_upper_t(L, tmp, alpha)
    ks = kernel_matrix(theta, Xs, X)
    signal = np.exp(theta[dim])
    mean, std = np.empty(Xs.shape[0]), np.empty(Xs.shape[0])
    v = np.empty(n)
    for j in range(Xs.shape[0]):
        solve_lower(L, ks[j], v)
        mean[j] = (ks[j] * alpha).sum()
        std[j] = np.sqrt(max(signal - (v * v).sum(), 1e-18))
    return mean, std
