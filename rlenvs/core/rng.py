"""Counter-based random numbers for numba kernels, one independent stream per env.

The state of ``N`` streams is a ``(N, 2)`` ``uint64`` array of ``[key, counter]`` rows. Draw ``n`` of
stream ``i`` is SplitMix64's output function applied to ``key + n * gamma``: no hidden state, so a batched
kernel and a single env that hold the same row produce the same numbers, whatever the batch size.

Keys come from seeds through :func:`seed_keys` (``reset(seed=s)`` of a single env and env ``i`` of a
vector env reset with ``seed=s - i`` hold the same stream, as ``SyncVectorEnv`` seeds them).
"""

from __future__ import annotations

import numpy as np
from numba import njit

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_ONE = np.uint64(1)
_TWO_POW_M53 = 1.0 / 9007199254740992.0


def new_state(num_envs: int) -> np.ndarray:
    """An all-zero ``(num_envs, 2)`` state; fill its keys with :func:`seed_keys` before drawing."""
    return np.zeros((num_envs, 2), dtype=np.uint64)


def seed_keys(seeds: np.ndarray) -> np.ndarray:
    """Map integer seeds (any size, taken mod 2**64) to well-mixed ``uint64`` stream keys."""
    seeds = np.asarray(seeds, dtype=np.uint64)
    z = seeds.reshape(-1) + _GAMMA  # 1-d arrays wrap silently mod 2**64 (scalars would warn)
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return (z ^ (z >> _S31)).reshape(seeds.shape)


def seed_to_uint64(seed: int) -> np.uint64:
    """Reduce a Python seed (a non-negative int of any size) to ``uint64``."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative int or None, got {seed!r}")
    return np.uint64(int(seed) % (1 << 64))


@njit(cache=True, inline="always")
def rng_next(state, i):
    """Next raw ``uint64`` of stream ``i`` (advances its counter)."""
    counter = state[i, 1] + _ONE
    state[i, 1] = counter
    z = state[i, 0] + counter * _GAMMA
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True, inline="always")
def rng_uniform(state, i):
    """Uniform float64 in [0, 1) with 53 random bits."""
    return float(rng_next(state, i) >> _S11) * _TWO_POW_M53


@njit(cache=True, inline="always")
def rng_integers(state, i, n):
    """Integer in ``[0, n)``; ``n`` must be positive."""
    k = int(rng_uniform(state, i) * n)
    return min(k, n - 1)


@njit(cache=True, inline="always")
def rng_normal(state, i):
    """Standard normal draw (Box-Muller, two uniforms per draw)."""
    u1 = 1.0 - rng_uniform(state, i)  # in (0, 1], so the log is finite
    u2 = rng_uniform(state, i)
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


@njit(cache=True)
def draw_integers(state, i, n, count):
    """``count`` draws of :func:`rng_integers` from stream ``i``, for shells and tests."""
    out = np.empty(count, dtype=np.int64)
    for k in range(count):
        out[k] = rng_integers(state, i, n)
    return out


@njit(cache=True)
def draw_uniform(state, i, count):
    """``count`` draws of :func:`rng_uniform` from stream ``i``, for shells and tests."""
    out = np.empty(count, dtype=np.float64)
    for k in range(count):
        out[k] = rng_uniform(state, i)
    return out


@njit(cache=True)
def draw_normal(state, i, count):
    """``count`` draws of :func:`rng_normal` from stream ``i``, for shells and tests."""
    out = np.empty(count, dtype=np.float64)
    for k in range(count):
        out[k] = rng_normal(state, i)
    return out
