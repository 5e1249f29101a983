"""Black-box worst-case search over an uncertainty set with CMA-ES (as IWOCS does)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np


def cma_worst_case(objective: Callable[[dict[str, float]], float], bounds: Mapping[str, tuple[float, float]],
                   budget: int = 200, seed: int = 0, sigma: float = 0.3) -> tuple[dict[str, float], float]:
    """Minimise ``objective(params)`` (e.g. a fixed policy's mean return) over the box ``bounds``.

    CMA-ES (the ``cma`` package) searches the box rescaled to ``[0, 1]^d`` with bound handling, starting
    at its centre; ``budget`` counts objective calls. Returns the best parameters found and their value.
    """
    import cma

    names = list(bounds)
    low = np.array([bounds[n][0] for n in names], dtype=np.float64)
    high = np.array([bounds[n][1] for n in names], dtype=np.float64)

    def unscale(x) -> dict[str, float]:
        return dict(zip(names, (low + np.clip(x, 0.0, 1.0) * (high - low)).tolist(), strict=True))

    best_params, best_value = unscale(np.full(len(names), 0.5)), np.inf
    if len(names) == 1:  # CMA-ES needs 2+ dimensions; a dense scan is exact enough for one parameter
        for x in np.linspace(0.0, 1.0, budget):
            value = float(objective(unscale(np.array([x]))))
            if value < best_value:
                best_params, best_value = unscale(np.array([x])), value
        return best_params, best_value
    options = {"bounds": [0.0, 1.0], "seed": seed + 1, "maxfevals": budget, "verbose": -9}
    strategy = cma.CMAEvolutionStrategy(np.full(len(names), 0.5), sigma, options)
    while not strategy.stop():
        xs = strategy.ask()
        values = [float(objective(unscale(x))) for x in xs]
        strategy.tell(xs, values)
        k = int(np.argmin(values))
        if values[k] < best_value:
            best_params, best_value = unscale(xs[k]), values[k]
    return best_params, best_value
