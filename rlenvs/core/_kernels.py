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
    # element-wise copies (no temporary): kernels compiled without numba's runtime (``_nrt=False``) can call it
    if task_fixed[i]:
        for p in range(task_params.shape[1]):
            task_params[i, p] = fixed_params[i, p]
        task_index[i] = -1
    else:
        k = rng_integers(rng, i, split_params.shape[0])
        for p in range(task_params.shape[1]):
            task_params[i, p] = split_params[k, p]
        task_index[i] = k
