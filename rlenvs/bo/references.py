"""Reference acquisition policies for the BO envs, as policy factories for ``rlenvs.evaluation.runner``.

- :func:`random_search`: a uniform draw among the valid candidates (uniform in the cube when continuous).
- :func:`gp_ei`: expected improvement of a GP refitted by marginal likelihood at every step.
- :func:`gp_ucb`: the GP's upper confidence bound with the Srinivas et al. (2010) beta_t schedule in the form
  MetaBO uses, ``beta_t = 2 log(t^(D/2 + 2) pi^2 / (3 delta))``, ``delta = 0.1``, ``t`` = 1 + observations.

The GP (:class:`GP`: SciPy's optimiser, numba loops for the linear algebra in :mod:`rlenvs.bo._gp`) has a
constant mean (0 after standardising y), a Matern-5/2 ARD kernel times a signal variance, and Gaussian
noise; its log-hyperparameters maximise the marginal likelihood (SLSQP within bounds, analytic gradients)
from the previous step's optimum and from a default start. SLSQP rather than L-BFGS-B: L-BFGS-B's BLAS
calls on tiny matrices stall under threaded BLAS on a busy machine (40x slower measured on 2 shared cores).
Policies read only the observation (``hist_*``, ``cand_*``), so they act in the native vector env and in a
``SyncVectorEnv`` alike; expected improvement is computed in log space (``log h(z)`` with ``erfcx``), so it
ranks candidates correctly where plain EI underflows to zero.
"""

from __future__ import annotations

import math

import numpy as np

SQRT5 = math.sqrt(5.0)
LOG_BOUNDS = np.array([(math.log(1e-2), math.log(20.0))])  # lengthscales, unit-cube inputs
SIGNAL_BOUNDS = (math.log(5e-2), math.log(20.0))  # signal variance, standardised y
NOISE_BOUNDS = (math.log(1e-6), math.log(1.0))  # noise variance, standardised y
UCB_DELTA = 0.1
CONTINUOUS_POINTS = 2048  # random points scored before local refinement, continuous action spaces
MIN_POINTS = 2  # fewer observations than this: act at random


class GP:
    """Exact GP regression with a Matern-5/2 ARD kernel, fitted by maximising the marginal likelihood.

    ``theta = [log l_1 .. log l_D, log signal variance, log noise variance]`` on inputs in the unit cube and
    standardised outputs; the linear algebra runs in :mod:`rlenvs.bo._gp`.
    """

    def __init__(self, dim: int):
        self.dim = dim
        self.bounds = [LOG_BOUNDS[0]] * dim + [SIGNAL_BOUNDS, NOISE_BOUNDS]
        self.default = np.array([math.log(0.3)] * dim + [0.0, math.log(1e-3)])

    def fit(self, X: np.ndarray, y: np.ndarray, start: np.ndarray | None = None) -> GP:
        """Standardise ``y``, maximise the marginal likelihood from ``start`` and the default; keep the best."""
        from scipy.optimize import minimize

        from rlenvs.bo import _gp

        self.X = np.ascontiguousarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        self.y = (y - y.mean()) / (y.std() if y.std() > 1e-12 else 1.0)
        best = None
        for theta0 in [self.default] if start is None else [start, self.default]:
            result = minimize(_gp.neg_log_likelihood, theta0, args=(self.X, self.y), jac=True, method="SLSQP",
                              bounds=self.bounds, options={"maxiter": 100})
            if best is None or result.fun < best.fun:
                best = result
        self.theta = best.x
        return self

    def predict(self, Xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and standard deviation of the latent function (standardised units)."""
        from rlenvs.bo import _gp

        return _gp.posterior(self.theta, self.X, self.y, np.ascontiguousarray(Xs, dtype=np.float64))


def log_expected_improvement(mean: np.ndarray, std: np.ndarray, best: float) -> np.ndarray:
    """``log EI = log std + log h(z)``, ``z = (mean - best) / std``, ``h(z) = phi(z) + z Phi(z)``, stable for
    very negative ``z`` through ``Phi(z) / phi(z) = sqrt(pi / 2) erfcx(-z / sqrt 2)``."""
    from scipy.special import erfcx, log_ndtr

    z = (mean - best) / std
    log_phi = -0.5 * z * z - 0.5 * math.log(2 * math.pi)
    with np.errstate(divide="ignore", invalid="ignore"):
        high = np.log(np.exp(log_phi) + z * np.exp(log_ndtr(z)))
        low = log_phi + np.log1p(z * math.sqrt(math.pi / 2) * erfcx(-z / math.sqrt(2)))
    return np.log(std) + np.where(z > -1.0, high, low)


def ucb_beta(observations: int, dim: int, delta: float = UCB_DELTA) -> float:
    """Srinivas et al.'s beta_t in MetaBO's form, ``t = 1 + observations``."""
    t = observations + 1
    return 2.0 * math.log(t ** (dim / 2 + 2) * math.pi**2 / (3 * delta))


class RandomSearch:
    """Uniform over the valid candidates of each env (uniform in the unit cube for continuous actions)."""

    def __init__(self, envs):
        self.continuous = "cand_mask" not in envs.single_observation_space.spaces
        self.dim = envs.single_observation_space["hist_x"].shape[1]
        self.rng = np.random.default_rng()

    def seed(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def act(self, obs) -> np.ndarray:
        n = obs["hist_x"].shape[0]
        if self.continuous:
            return self.rng.random((n, self.dim)).astype(np.float32)
        return np.array([self._pick(mask) for mask in obs["cand_mask"]], dtype=np.int64)

    def _pick(self, mask: np.ndarray) -> int:
        valid = np.flatnonzero(mask)
        return int(self.rng.choice(valid)) if len(valid) else 0  # nothing valid: any action spends the step


class GPAcquisition(RandomSearch):
    """Fit a :class:`GP` to each env's history and take the candidate (or point) that maximises ``acquisition``.

    ``acquisition`` is ``"ei"`` (log expected improvement over the best observed value) or ``"ucb"``.
    Hyperparameters are warm-started from the env's previous step within an episode.
    """

    def __init__(self, envs, acquisition: str = "ei"):
        super().__init__(envs)
        if acquisition not in ("ei", "ucb"):
            raise ValueError(f"acquisition must be 'ei' or 'ucb', got {acquisition!r}")
        self.acquisition = acquisition
        self._theta: dict[int, np.ndarray] = {}
        self._count: dict[int, int] = {}

    def reset_memory(self) -> None:
        self._theta.clear()
        self._count.clear()

    def act(self, obs) -> np.ndarray:
        n = obs["hist_x"].shape[0]
        actions = []
        for i in range(n):
            rows = obs["hist_mask"][i].astype(bool)
            count = int(rows.sum())
            if count < self._count.get(i, 0):  # a new episode
                self._theta.pop(i, None)
            self._count[i] = count
            if count < MIN_POINTS:
                actions.append(self.rng.random(self.dim).astype(np.float32) if self.continuous
                               else self._pick(obs["cand_mask"][i]))
                continue
            gp = GP(self.dim).fit(obs["hist_x"][i][rows], obs["hist_y"][i][rows], self._theta.get(i))
            self._theta[i] = gp.theta
            score = self._scorer(gp, count)
            if self.continuous:
                actions.append(self._maximise(score))
            else:
                valid = np.flatnonzero(obs["cand_mask"][i])
                if len(valid) == 0:
                    actions.append(0)
                    continue
                actions.append(int(valid[np.argmax(score(obs["cand_x"][i][valid]))]))
        return np.stack(actions).astype(np.float32) if self.continuous else np.array(actions, dtype=np.int64)

    def _scorer(self, gp: GP, count: int):
        best = gp.y.max()
        beta = ucb_beta(count, self.dim)

        def score(points: np.ndarray) -> np.ndarray:
            mean, std = gp.predict(points)
            if self.acquisition == "ei":
                return log_expected_improvement(mean, std, best)
            return mean + math.sqrt(beta) * std

        return score

    def _maximise(self, score) -> np.ndarray:
        """Best of random points, refined by L-BFGS-B from the top 3 (continuous action spaces)."""
        from scipy.optimize import minimize

        points = self.rng.random((CONTINUOUS_POINTS, self.dim))
        values = score(points)
        best_x, best_v = points[np.argmax(values)], values.max()
        for x0 in points[np.argsort(-values)[:3]]:
            result = minimize(lambda x: -score(x[None])[0], x0, method="L-BFGS-B", bounds=[(0.0, 1.0)] * self.dim)
            if -result.fun > best_v:
                best_x, best_v = result.x, -result.fun
        return np.clip(best_x, 0.0, 1.0).astype(np.float32)


def random_search(envs) -> RandomSearch:
    """Random search over the valid candidates (``rlenvs evaluate --policy rlenvs.bo.references:random_search``)."""
    return RandomSearch(envs)


def gp_ei(envs) -> GPAcquisition:
    """GP-EI: log expected improvement of a Matern-5/2 GP refitted every step (the "GP-EI level" reference)."""
    return GPAcquisition(envs, "ei")


def gp_ucb(envs) -> GPAcquisition:
    """GP-UCB with the Srinivas beta_t schedule (MetaBO's form)."""
    return GPAcquisition(envs, "ucb")
