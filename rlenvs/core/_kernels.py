"""Numba helpers shared by every family's batched kernels."""

from __future__ import annotations

from numba import njit

from rlenvs.core.rng import rng_integers


@njit(cache=True, inline="always")
def begin_task(i, rng, task_fixed, fixed_params, split_params, task_params, task_index):
    """Set env ``i``'s task for a new episode: its fixed task, or a uniform draw from the split.

    Call it first in a family's reset, before any other draw from ``rng``: the single env draws the
    split index first too, which keeps the batched env and the single env on the same stream.
    """
    if task_fixed[i]:
        task_params[i, :] = fixed_params[i, :]
        task_index[i] = -1
    else:
        k = rng_integers(rng, i, split_params.shape[0])
        task_params[i, :] = split_params[k, :]
        task_index[i] = k
