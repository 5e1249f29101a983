"""Continual-learning metrics of Continual World (Wolczyk et al., NeurIPS 2021, arXiv 2105.10919).

Metrics (``continualworld/results_processing/tables.py``), over a success matrix ``success[e, i]``: the
test success of the task at sequence position ``i`` at the ``e``-th evaluation, ``E`` evaluations per task
window, ``N`` tasks (``N * E`` rows):

- average performance  ``P = mean_i mean(success[-last:, i])``
- forgetting           ``F = mean_i [mean(success[(i+1)E-last:(i+1)E, i]) - mean(success[-last:, i])]``
- forward transfer     ``FT = mean_i (AUC_i - AUC_i^b) / (1 - AUC_i^b)`` with ``AUC_i = mean(success[iE:(i+1)E, i])``
  and ``AUC_i^b`` the same mean of a from-scratch single-task run's curve ``reference[:, i]`` (``E`` rows).

``last = 5`` as in the code (the mean of the last 5 logged evaluations).
"""

from __future__ import annotations

import numpy as np


def _matrix(success, name: str = "success") -> np.ndarray:
    arr = np.asarray(success, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{name} must be a 2-D (evaluations, tasks) array, got shape {arr.shape}")
    if np.any(arr < 0) or np.any(arr > 1) or not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold success rates in [0, 1]")
    return arr


def _evals_per_task(arr: np.ndarray, evals_per_task: int | None) -> int:
    n_evals, n_tasks = arr.shape
    e = n_evals // n_tasks if evals_per_task is None else evals_per_task
    if e < 1 or e * n_tasks != n_evals:
        raise ValueError(f"{n_evals} evaluations do not split into {n_tasks} task windows of {e}")
    return e


def average_performance(success, last: int = 5) -> float:
    """``P``: mean over tasks of the mean of each task's last ``last`` evaluations."""
    arr = _matrix(success)
    return float(arr[-last:].mean(axis=0).mean())


def forgetting(success, evals_per_task: int | None = None, last: int = 5) -> float:
    """``F``: mean over tasks of (success at the end of the task's own window - success at the end)."""
    arr = _matrix(success)
    e = _evals_per_task(arr, evals_per_task)
    n = arr.shape[1]
    at_end_of_window = np.array([arr[max((i + 1) * e - last, i * e):(i + 1) * e, i].mean() for i in range(n)])
    final = arr[-last:].mean(axis=0)
    return float((at_end_of_window - final).mean())


def forward_transfer(success, reference, evals_per_task: int | None = None) -> float:
    """``FT``: mean over tasks of the normalised gain in area under the success curve over a from-scratch
    reference; ``reference[:, i]`` is task ``i``'s single-task curve over a window (``E`` rows)."""
    arr = _matrix(success)
    ref = _matrix(reference, "reference")
    e = _evals_per_task(arr, evals_per_task)
    n = arr.shape[1]
    if ref.shape != (e, n):
        raise ValueError(f"reference must have shape ({e}, {n}) (one window per task), got {ref.shape}")
    auc = np.array([arr[i * e:(i + 1) * e, i].mean() for i in range(n)])
    auc_b = ref.mean(axis=0)
    if np.any(auc_b >= 1.0):
        raise ValueError("a reference AUC of 1 leaves forward transfer undefined (division by 1 - AUC_b)")
    return float(((auc - auc_b) / (1.0 - auc_b)).mean())
