"""Meta-World tasks: an env class (``env_name``) and its ``rand_vec`` (object start and goal positions).

A Meta-World task is what ``metaworld``'s ``Task`` pickles: the env class and the ``rand_vec`` that the
class's ``reset_model`` reads (object initial position(s) and/or goal, 3 or 6 numbers). Given the
``rand_vec``, the initial state is deterministic, so a task fixes the episode's start and goal.

The goal sets come from ``goals.json`` (written by ``python -m rlenvs.metaworld._goals``): the 50 train and
50 test goals per class of ``metaworld.ML1(env_name, seed=0)`` (train drawn under seed 0, test under seed 1,
as ``ML1`` does), and Meta-DT's Reach goals ``ML1('reach-v3', seed=3407).train_tasks[:20]``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from rlenvs.core.task import Task, TaskDistribution, task_field

_GOALS_PATH = Path(__file__).with_name("goals.json")
RAND_VEC_MAX = 6  # the longest rand_vec of any class


@lru_cache(maxsize=1)
def goal_data() -> dict[str, Any]:
    """The parsed ``goals.json`` (reset spaces, ML1 train/test goals, Meta-DT Reach goals)."""
    return json.loads(_GOALS_PATH.read_text())


ENV_NAMES: tuple[str, ...] = tuple(goal_data()["reset_space"])  # the 50 v3 classes, metaworld's order

# Class splits of metaworld 3.1.1 (metaworld/env_dict.py); tests check them against the package.
MT10_CLASSES = ("reach-v3", "push-v3", "pick-place-v3", "door-open-v3", "drawer-open-v3", "drawer-close-v3",
                "button-press-topdown-v3", "peg-insert-side-v3", "window-open-v3", "window-close-v3")
ML10_TRAIN = ("reach-v3", "push-v3", "pick-place-v3", "door-open-v3", "drawer-close-v3", "button-press-topdown-v3",
              "peg-insert-side-v3", "window-open-v3", "sweep-v3", "basketball-v3")
ML10_TEST = ("drawer-open-v3", "door-close-v3", "shelf-place-v3", "sweep-into-v3", "lever-pull-v3")
ML45_TEST = ("bin-picking-v3", "box-close-v3", "hand-insert-v3", "door-lock-v3", "door-unlock-v3")
ML45_TRAIN = tuple(n for n in ENV_NAMES if n not in ML45_TEST)

BENCHMARKS = ("ML1", "ML10", "ML45", "MT10", "MT50", "Reach-MetaDT")


def pad(rand_vec) -> tuple[float, ...]:
    """A class's ``rand_vec`` (3 or 6 numbers) as the task's 6 numbers (zero-padded)."""
    vec = [float(v) for v in rand_vec]
    return tuple(vec + [0.0] * (RAND_VEC_MAX - len(vec)))


def rand_vec_size(env_name: str) -> int:
    """How many numbers the class's ``reset_model`` reads (3 or 6)."""
    return len(goal_data()["reset_space"][env_name][0])


@dataclass(frozen=True)
class MetaWorldTask(Task):
    """One Meta-World task: ``env_name`` and the ``rand_vec`` its ``reset_model`` reads.

    ``rand_vec`` always has 6 entries so that every benchmark's tasks share one shape: classes whose reset
    reads 3 numbers (24 of the 50) use the first 3, and the last 3 must be 0. The used entries must lie in
    the class's ``_random_reset_space`` (a ``ValueError`` names the box otherwise).
    """

    env_name: str = task_field(choices=ENV_NAMES, doc="Meta-World v3 env class, e.g. 'reach-v3'")
    rand_vec: tuple[float, ...] = task_field(
        low=-0.35, high=0.95, size=RAND_VEC_MAX,
        doc="object start and/or goal position(s): 6 numbers, or 3 then 3 zeros for 3-D reset spaces")

    def __post_init__(self) -> None:
        super().__post_init__()
        low, high = goal_data()["reset_space"][self.env_name]
        n = len(low)
        vec = np.asarray(self.rand_vec[:n])
        if any(v != 0.0 for v in self.rand_vec[n:]):
            raise self._error(f"field 'rand_vec' of {self.env_name} uses {n} entries; the last "
                              f"{RAND_VEC_MAX - n} must be 0, got {list(self.rand_vec)}")
        if np.any(vec < np.asarray(low) - 1e-12) or np.any(vec > np.asarray(high) + 1e-12):
            raise self._error(f"field 'rand_vec' = {list(self.rand_vec)} is outside the reset space of "
                              f"{self.env_name}: low {low}, high {high}")

    @property
    def class_index(self) -> int:
        """Position of ``env_name`` in :data:`ENV_NAMES`."""
        return ENV_NAMES.index(self.env_name)

    @property
    def class_rand_vec(self) -> np.ndarray:
        """The 3 or 6 numbers that metaworld's ``reset_model`` reads."""
        return np.asarray(self.rand_vec[:rand_vec_size(self.env_name)], dtype=np.float64)

    def to_array(self) -> np.ndarray:
        """``[class index, rand_vec]`` (7 float64)."""
        return np.concatenate([[float(self.class_index)], self.rand_vec])

    @classmethod
    def from_array(cls, row: np.ndarray) -> MetaWorldTask:
        """Inverse of :meth:`to_array`."""
        return cls(env_name=ENV_NAMES[int(row[0])], rand_vec=tuple(float(v) for v in row[1:]))


def benchmark_classes(benchmark: str, env_name: str | None = None) -> dict[str, tuple[str, ...]]:
    """The env classes of each split of ``benchmark`` (``{"train": ..., "test": ...}``)."""
    if benchmark == "ML1":
        if env_name not in ENV_NAMES:
            raise ValueError(f"ML1 needs env_name, one of {list(ENV_NAMES)}; got {env_name!r}")
        return {"train": (env_name,), "test": (env_name,)}
    if env_name is not None and benchmark != "Reach-MetaDT":
        raise ValueError(f"env_name is only for ML1, got env_name={env_name!r} with benchmark {benchmark!r}")
    table = {
        "ML10": {"train": ML10_TRAIN, "test": ML10_TEST},
        "ML45": {"train": ML45_TRAIN, "test": ML45_TEST},
        "MT10": {"train": MT10_CLASSES, "test": MT10_CLASSES},
        "MT50": {"train": ENV_NAMES, "test": ENV_NAMES},
        "Reach-MetaDT": {"train": ("reach-v3",), "test": ("reach-v3",)},
    }
    if benchmark not in table:
        raise ValueError(f"unknown Meta-World benchmark {benchmark!r}; valid: {list(BENCHMARKS)}")
    return table[benchmark]


class MetaWorldDistribution(TaskDistribution):
    """The tasks of a Meta-World benchmark, with its fixed train/test splits.

    Splits (every goal set is one that ``metaworld`` itself generates, see :mod:`rlenvs.metaworld._goals`):

    - ``ML1`` (one class): ``train`` = the 50 goals of ``metaworld.ML1(env_name, seed=0).train_tasks``,
      ``test`` = the 50 of ``.test_tasks`` (drawn under seed 1): disjoint, as ML1 intends. (metaworld's own
      ``gym.make_vec('Meta-World/ML1-train')`` hands out the *test* goals, issue #541/PR #573; not here.)
    - ``ML10`` / ``ML45``: ``train`` = the ML1 train goals of each train class (50 per class, 500 / 2250),
      ``test`` = the ML1 test goals of each test class (50 per class, 250 / 250). The class split is
      metaworld's. Deviation: ``metaworld.ML10(seed)`` draws all classes' goals from one global stream in
      class order; we reuse the per-class ML1 goals instead, so that one file serves every benchmark and
      a benchmark never needs all its classes built (ML45's 65 s construction).
    - ``MT10`` / ``MT50``: ``train`` = ML1 train goals of each class (500 / 2500), ``test`` = ML1 test goals
      (held-out goals of the same classes, for generalisation checks).
    - ``Reach-MetaDT``: Meta-DT's Reach (``configs/args_reach.py``): ``ML1('reach', 3407).train_tasks[:20]``,
      the first 15 ``train``, the last 5 ``test``. Meta-DT used reach-v2; v3 draws the same goals from the
      same seed (same reset space and rejection rule) but its dynamics differ (mocap weld, metaworld#493).

    ``sample(rng)`` draws a class uniformly from the benchmark's classes, then a ``rand_vec`` the way the
    class's ``reset_model`` does (uniform in the reset space with its rejection rule), by running that
    reset in a cached env with ``rng``-seeded draws.
    """

    family = "metaworld"
    task_type = MetaWorldTask

    def __init__(self, benchmark: str = "ML1", env_name: str | None = None):
        self.benchmark = benchmark
        self.env_name = env_name
        self.classes = benchmark_classes(benchmark, env_name)
        self.all_classes = tuple(dict.fromkeys(self.classes["train"] + self.classes["test"]))
        if benchmark == "Reach-MetaDT":
            self.split_sizes = {"train": 15, "test": 5}
        else:
            self.split_sizes = {name: 50 * len(classes) for name, classes in self.classes.items()}

    def _split_tasks(self, name: str) -> list[MetaWorldTask]:
        data = goal_data()
        if self.benchmark == "Reach-MetaDT":
            vecs = data["metadt_reach"][:15] if name == "train" else data["metadt_reach"][15:]
            return [MetaWorldTask(env_name="reach-v3", rand_vec=pad(v)) for v in vecs]
        goals = data["ml1_train" if name == "train" else "ml1_test"]
        return [MetaWorldTask(env_name=cls, rand_vec=pad(v)) for cls in self.classes[name] for v in goals[cls]]

    def sample(self, rng: np.random.Generator) -> MetaWorldTask:
        env_name = self.all_classes[int(rng.integers(len(self.all_classes)))]
        from rlenvs.metaworld._sim import sample_rand_vec

        return MetaWorldTask(env_name=env_name, rand_vec=pad(sample_rand_vec(env_name, rng)))

    def __repr__(self) -> str:
        which = f"ML1 {self.env_name}" if self.benchmark == "ML1" else self.benchmark
        return f"MetaWorldDistribution({which}: train={self.split_sizes['train']}, test={self.split_sizes['test']})"
