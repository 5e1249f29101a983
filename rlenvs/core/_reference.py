"""Slow pure-Python twins of the shared numba helpers, used only by tests."""

from __future__ import annotations

import numpy as np

_MASK = (1 << 64) - 1
_GAMMA = 0x9E3779B97F4A7C15


def mix64(z: int) -> int:
    """SplitMix64's output function on Python ints."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def seed_key(seed: int) -> int:
    return mix64((seed + _GAMMA) & _MASK)


def rng_next(state: np.ndarray, i: int) -> int:
    counter = (int(state[i, 1]) + 1) & _MASK
    state[i, 1] = counter
    return mix64((int(state[i, 0]) + counter * _GAMMA) & _MASK)


def rng_uniform(state: np.ndarray, i: int) -> float:
    return (rng_next(state, i) >> 11) / 2.0**53


def rng_integers(state: np.ndarray, i: int, n: int) -> int:
    return min(int(rng_uniform(state, i) * n), n - 1)


def begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index) -> None:
    if task_fixed[i]:
        task_params[i] = fixed_params[i]
        task_index[i] = -1
    else:
        k = rng_integers(rng, i, split_params.shape[0])
        task_params[i] = split_params[k]
        task_index[i] = k
