"""BO tasks: objective functions as task distributions (shifted/scaled test functions, GP prior samples,
tabular meta-datasets), the published constants of the test functions, and fixed Sobol point sets.

Convention everywhere: **maximise** ``f`` on the unit cube ``[0, 1]^D``. The test functions are defined
(as in BoTorch and the SFU library) for minimisation on native bounds; each family maps the unit cube to
its native box and negates (MetaBO's families also standardise, see :data:`FUNCTIONS`).
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from rlenvs.core.task import Task, TaskDistribution, split_rng, stable_id, task_field

MAX_SEED = 2**31 - 1
SHIFT = 0.1  # bound of the per-task translation of the optimum, in unit-cube units (MetaBO)
SCALE = (0.9, 1.1)  # range of the per-task amplitude factor (MetaBO)
TRANSFORM_NONE, TRANSFORM_LOG, TRANSFORM_LOG1P = 0, 1, 2


# --- tasks -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ShiftScaleTask(Task):
    """A test function moved and scaled: ``f_task(x) = scale * g(x - shift)`` on the unit cube, where ``g``
    is the family's (maximisation-form) function; the maximiser moves to ``x* + shift``.

    ``shift`` has one entry per dimension (the env checks its length); it is the last field so that
    :meth:`to_array` rows are ``[scale, shift_1, ..., shift_D]`` for any ``D``.
    """

    scale: float = task_field(low=SCALE[0], high=SCALE[1], doc="amplitude factor s of f_task = s * g(x - shift)")
    shift: tuple[float, ...] = task_field(low=-SHIFT, high=SHIFT,
                                          doc="translation of the optimum in unit-cube units, one per dimension")

    @classmethod
    def array_slices(cls) -> dict[str, slice]:
        return {"scale": slice(0, 1), "shift": slice(1, None)}  # the trailing tuple takes the rest of the row


@dataclass(frozen=True)
class GPPriorTask(Task):
    """One sample path of a zero-mean, unit-variance GP prior: its lengthscale and the seed of its random
    Fourier features (the path is a pure function of the two, the env's ``kernel`` and ``n_features``)."""

    lengthscale: float = task_field(low=0.01, high=2.0, doc="isotropic kernel lengthscale (unit-cube units)")
    seed: int = task_field(low=0, high=MAX_SEED, doc="seed of the random Fourier features of the sample path")


@dataclass(frozen=True)
class TabularTask(Task):
    """A dataset of a tabular meta-dataset and the initial design of the episode.

    ``dataset`` is the dataset's id (HPO-B: its OpenML id; ``BO-Tabular-v0``: its index in the list);
    ``init_design`` is ``-1`` for a random initial design drawn from the env's stream, or ``k`` for HPO-B's
    fixed initial design ``test{k}``.
    """

    dataset: int = task_field(low=0, doc="dataset id (HPO-B: OpenML id; BO-Tabular: index in the list)")
    init_design: int = task_field(low=-1, high=4, doc="-1: random initial design; k: HPO-B's design test{k}",
                                  default=-1)


# --- test functions ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Function:
    """A test function in its published minimisation form, with its published optimum.

    ``lower`` / ``upper`` / ``minimisers`` are per dimension, or one entry broadcast to every dimension for
    the families that take ``dim``. The maximised, unit-cube form the env uses is
    ``g(u) = -(T(f(lo + (hi - lo) u)) - mean) / std`` with ``T`` = identity, ``log`` or ``log1p``
    (``transform``).
    """

    name: str
    fn_id: int
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    minimisers: tuple[tuple[float, ...], ...]
    f_min: float  # per dimension when ``f_min_per_dim``
    fixed_dim: int | None
    mean: float = 0.0
    std: float = 1.0
    transform: int = TRANSFORM_NONE
    f_min_per_dim: bool = False
    default_dim: int = 2
    source: str = ""

    def dim(self, dim: int | None) -> int:
        """The dimension for the env's ``dim`` option (which only the variable-dimension families take)."""
        if self.fixed_dim is not None:
            return self.fixed_dim
        dim = self.default_dim if dim is None else dim
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or not 1 <= dim <= 64:
            raise ValueError(f"dim of {self.name} must be an int in [1, 64], got {dim!r}")
        return int(dim)

    def bounds(self, dim: int) -> tuple[np.ndarray, np.ndarray]:
        """Native lower and upper bounds, ``(dim,)`` each."""
        return (np.broadcast_to(np.asarray(self.lower, dtype=np.float64), (dim,)).copy(),
                np.broadcast_to(np.asarray(self.upper, dtype=np.float64), (dim,)).copy())

    def native_minimisers(self, dim: int) -> np.ndarray:
        """The published minimisers in native coordinates, ``(k, dim)``."""
        return np.stack([np.broadcast_to(np.asarray(m, dtype=np.float64), (dim,)) for m in self.minimisers])

    def unit_maximisers(self, dim: int) -> np.ndarray:
        """The published optimisers in unit-cube coordinates, ``(k, dim)``."""
        lo, hi = self.bounds(dim)
        return (self.native_minimisers(dim) - lo) / (hi - lo)

    def optimum(self, dim: int) -> float:
        """The published minimum value of ``f``."""
        return self.f_min * dim if self.f_min_per_dim else self.f_min


_SFU = "Surjanovic & Bingham, Virtual Library of Simulation Experiments (sfu.ca/~ssurjano)"
_BOTORCH = "BoTorch botorch/test_functions/synthetic.py"

FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        # MetaBO (Volpp et al., ICLR 2020, metabo/environment/objectives.py) standardises these three.
        Function("branin", 0, (-5.0, 0.0), (10.0, 15.0),
                 ((-math.pi, 12.275), (math.pi, 2.275), (9.42478, 2.475)), 0.397887, 2,
                 mean=54.44, std=51.44, source=f"{_SFU}; {_BOTORCH}; standardisation of MetaBO"),
        Function("goldstein_price", 1, (-2.0, -2.0), (2.0, 2.0), ((0.0, -1.0),), 3.0, 2,
                 mean=8.693, std=2.427, transform=TRANSFORM_LOG,
                 source=f"{_SFU}; {_BOTORCH}; log-standardisation of MetaBO"),
        Function("hartmann3", 2, (0.0,) * 3, (1.0,) * 3, ((0.114614, 0.555649, 0.852547),), -3.86278, 3,
                 mean=-0.93, std=0.95, source=f"{_SFU}; {_BOTORCH}; standardisation of MetaBO"),
        # Not in MetaBO: standardised the same way, with the mean and std of f over 2**20 Sobol points.
        Function("hartmann6", 3, (0.0,) * 6, (1.0,) * 6,
                 ((0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573),), -3.32237, 6,
                 mean=-0.2589, std=0.3848, source=f"{_SFU}; {_BOTORCH}; MetaBO-style standardisation (ours)"),
        # BoTorch definitions, negated, no standardisation.
        Function("ackley", 4, (-32.768,), (32.768,), ((0.0,),), 0.0, None, source=f"{_BOTORCH} (a=20, b=0.2, c=2pi)"),
        Function("levy", 5, (-10.0,), (10.0,), ((1.0,),), 0.0, None, source=_BOTORCH),
        Function("rosenbrock", 6, (-5.0,), (10.0,), ((1.0,),), 0.0, None, source=_BOTORCH),
        Function("styblinski_tang", 7, (-5.0,), (5.0,), ((-2.903534,),), -39.166166, None, f_min_per_dim=True,
                 source=_BOTORCH),
    )
}


@functools.lru_cache(maxsize=64)
def _sobol(n: int, dim: int, name: str) -> np.ndarray:
    from scipy.stats import qmc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # balance properties need a power of 2; any n is fine here
        points = qmc.Sobol(dim, scramble=False).random(n)
    points = (points + np.random.default_rng(stable_id(name)).random(dim)) % 1.0
    points.flags.writeable = False
    return points


def sobol_points(n: int, dim: int, name: str) -> np.ndarray:
    """The first ``n`` points of the Sobol sequence in ``[0, 1)^dim`` (Joe-Kuo direction numbers, as SciPy),
    randomly shifted modulo 1 by a vector fixed by ``name`` (a Cranley-Patterson rotation); float64, a copy.

    Unscrambled Sobol points are a fixed mathematical sequence, so the sets do not depend on a
    library's scrambling code; tests pin their checksums.
    """
    return _sobol(int(n), int(dim), name).copy()


# --- distributions -----------------------------------------------------------------------------------------

def _split_sizes(n_train_tasks: int, n_test_tasks: int) -> dict[str, int]:
    for name, value in (("n_train_tasks", n_train_tasks), ("n_test_tasks", n_test_tasks)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    return {"train": int(n_train_tasks), "val": int(n_test_tasks), "test": int(n_test_tasks)}


class ShiftScaleDistribution(TaskDistribution):
    """MetaBO's task family of a test function: shift ``~ U[-0.1, 0.1]^D``, scale ``~ U[0.9, 1.1]``.

    Every published optimiser lies at least 0.1 from the boundary of the unit cube (Branin: at least one
    of its three), so every shift keeps the maximum in the domain and ``max f_task = scale * g(x*)``.

    Splits: ``train`` (``n_train_tasks``, default 1000; 50 gives the MetaBO-50 regime) is a scrambled Sobol
    grid over the ``(scale, shift)`` box, as MetaBO spreads its M source tasks; ``val`` and ``test``
    (``n_test_tasks``, default 100 each) are i.i.d. draws seeded by ``SeedSequence([family, split, i])``.
    """

    task_type = ShiftScaleTask

    def __init__(self, function: Function, dim: int, n_train_tasks: int = 1000, n_test_tasks: int = 100):
        self.function = function
        self.dim = dim
        self.family = f"bo_{function.name}" if function.fixed_dim else f"bo_{function.name}_{dim}d"
        self.split_sizes = _split_sizes(n_train_tasks, n_test_tasks)

    def _task(self, u: np.ndarray) -> ShiftScaleTask:
        """The task at ``u`` in ``[0, 1)^(1 + D)`` of the parameter box."""
        return ShiftScaleTask(scale=SCALE[0] + (SCALE[1] - SCALE[0]) * u[0], shift=tuple(SHIFT * (2 * u[1:] - 1)))

    def sample(self, rng: np.random.Generator) -> ShiftScaleTask:
        return self._task(rng.random(1 + self.dim))

    def _split_tasks(self, name: str) -> list[ShiftScaleTask]:
        if name != "train":
            return super()._split_tasks(name)
        grid = sobol_points(self.split_sizes["train"], 1 + self.dim, f"{self.family}/train")
        return [self._task(u) for u in grid]

    def check(self, task: ShiftScaleTask) -> None:
        """Raise ``ValueError`` unless ``task`` fits this distribution's dimension."""
        if len(task.shift) != self.dim:
            raise ValueError(f"ShiftScaleTask: field 'shift' must have {self.dim} entries for "
                             f"{self.function.name} in {self.dim}-D, got {len(task.shift)}")

    def __repr__(self) -> str:
        return f"ShiftScaleDistribution({self.function.name!r}, dim={self.dim})"


class GPPriorDistribution(TaskDistribution):
    """GP prior samples: lengthscale ``~ LogU[lo, hi]`` (default ``[0.05, 0.5]``), a fresh feature seed.

    Splits: ``train`` (``n_train_tasks``) has Sobol-stratified lengthscales and seeds from
    ``SeedSequence([family, "train", i])``; ``val`` / ``test`` (``n_test_tasks``) are i.i.d. draws.
    """

    task_type = GPPriorTask

    def __init__(self, dim: int, lengthscale_range: tuple[float, float] = (0.05, 0.5), n_train_tasks: int = 1000,
                 n_test_tasks: int = 100):
        lo, hi = (float(v) for v in lengthscale_range)
        if not 0.01 <= lo <= hi <= 2.0:
            raise ValueError(f"lengthscale_range must satisfy 0.01 <= lo <= hi <= 2, got {lengthscale_range!r}")
        self.dim = dim
        self.lengthscale_range = (lo, hi)
        self.family = f"bo_gp_prior_{dim}d"
        self.split_sizes = _split_sizes(n_train_tasks, n_test_tasks)

    def _task(self, u: float, rng: np.random.Generator) -> GPPriorTask:
        lo, hi = self.lengthscale_range
        return GPPriorTask(lengthscale=lo * (hi / lo) ** u, seed=int(rng.integers(0, MAX_SEED)))

    def sample(self, rng: np.random.Generator) -> GPPriorTask:
        return self._task(rng.random(), rng)

    def _split_tasks(self, name: str) -> list[GPPriorTask]:
        if name != "train":
            return super()._split_tasks(name)
        grid = sobol_points(self.split_sizes["train"], 1, f"{self.family}/train")[:, 0]
        return [self._task(u, split_rng(self.family, name, i)) for i, u in enumerate(grid)]

    def check(self, task: GPPriorTask) -> None:
        """Every GP prior task fits (the lengthscale range of the sampler is not a constraint)."""

    def __repr__(self) -> str:
        return f"GPPriorDistribution(dim={self.dim}, lengthscale_range={self.lengthscale_range})"


class TabularDistribution(TaskDistribution):
    """The datasets of a tabular meta-dataset, split into named lists of tasks.

    ``splits`` maps a split name to its tasks; ``sample`` draws a dataset uniformly from every dataset
    (with a random initial design). ``designs`` lists the dataset ids that have HPO-B initial designs.
    """

    task_type = TabularTask

    def __init__(self, family: str, dataset_ids: Sequence[int], splits: Mapping[str, Sequence[TabularTask]],
                 designs: Sequence[int] = ()):
        self.family = family
        self.dataset_ids = tuple(int(k) for k in dataset_ids)
        self._splits = {name: tuple(tasks) for name, tasks in splits.items()}
        self.split_sizes = {name: len(tasks) for name, tasks in self._splits.items()}
        self.designs = frozenset(int(k) for k in designs)
        empty = [name for name, size in self.split_sizes.items() if size == 0]
        if empty:
            raise ValueError(f"{family}: split(s) {empty} have no tasks")

    def sample(self, rng: np.random.Generator) -> TabularTask:
        return TabularTask(dataset=self.dataset_ids[int(rng.integers(0, len(self.dataset_ids)))])

    def _split_tasks(self, name: str) -> tuple[TabularTask, ...]:
        return self._splits[name]

    def check(self, task: TabularTask) -> None:
        """Raise ``ValueError`` unless the dataset exists (and has the initial design asked for)."""
        if task.dataset not in self.dataset_ids:
            shown = ", ".join(map(str, self.dataset_ids[:10])) + (", ..." if len(self.dataset_ids) > 10 else "")
            raise ValueError(f"TabularTask: field 'dataset' = {task.dataset} is not a dataset of {self.family}; "
                             f"valid ids: {shown}")
        if task.init_design >= 0 and task.dataset not in self.designs:
            raise ValueError(f"TabularTask: dataset {task.dataset} of {self.family} has no fixed initial design "
                             f"test{task.init_design}; use init_design=-1")

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={v}" for k, v in self.split_sizes.items())
        return f"TabularDistribution({self.family!r}, {sizes})"

