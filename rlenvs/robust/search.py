"""Black-box worst-case search over an uncertainty set with CMA-ES, as deep IWOCS searches its next model."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np


def cma_worst_case(objective: Callable[[list[dict[str, float]]], Sequence[float]],
                   bounds: Mapping[str, tuple[float, float]], budget: int = 200, seed: int = 0,
                   sigma: float = 0.3) -> tuple[dict[str, float], float]:
    """Minimise ``objective`` (e.g. a fixed policy's mean return) over the box ``bounds``.

    ``objective`` scores a whole population at once (a list of parameter dicts -> one value each), so an
    evaluation can batch it. CMA-ES (the ``cma`` package) searches the box rescaled to ``[0, 1]^d`` with its
    bound handling, from the centre with step size ``sigma``; ``budget`` caps the number of points scored.
    One parameter: ``cma`` needs two or more, so ``budget`` evenly spaced points (end points included) are
    scored in one call instead. Returns the best point found and its value.
    """
    import cma

    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 2:
        raise ValueError(f"budget must be an int >= 2, got {budget!r}")
    names = list(bounds)
    low = np.array([bounds[n][0] for n in names], dtype=np.float64)
    high = np.array([bounds[n][1] for n in names], dtype=np.float64)
    if not names or np.any(low >= high):
        raise ValueError(f"bounds must name parameters with low < high, got {dict(bounds)}")

    def points(xs) -> list[dict[str, float]]:
        return [dict(zip(names, (low + np.clip(x, 0.0, 1.0) * (high - low)).tolist(), strict=True)) for x in xs]

    if len(names) == 1:
        candidates = points(np.linspace(0.0, 1.0, budget)[:, None])
        values = np.asarray(objective(candidates), dtype=np.float64)
        k = int(np.argmin(values))
        return candidates[k], float(values[k])
    options = {"bounds": [0.0, 1.0], "seed": seed + 1, "maxfevals": budget, "verbose": -9}  # cma: seed 0 = random
    strategy = cma.CMAEvolutionStrategy(np.full(len(names), 0.5), sigma, options)
    best, best_value, spent = None, np.inf, 0
    while spent < budget and not strategy.stop():
        xs = strategy.ask()[:budget - spent]
        candidates = points(xs)
        values = np.asarray(objective(candidates), dtype=np.float64)
        spent += len(xs)
        if len(xs) == strategy.popsize:  # a population the budget cut short is scored, not told
            strategy.tell(xs, values.tolist())
        k = int(np.argmin(values))
        if values[k] < best_value:
            best, best_value = candidates[k], float(values[k])
    return best, best_value
