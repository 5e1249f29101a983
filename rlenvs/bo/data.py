"""Tabular meta-datasets for BO: HPO-B v3 JSON files, ``.npz`` files, lists of ``(X, y)`` and the synthetic
default of ``BO-Tabular-v0``. Nothing here downloads anything.

A loaded meta-dataset is a :class:`MetaDataset`: per dataset id the configurations ``X`` (``(n, D)``, in
``[0, 1]``) and their values ``y`` (``(n,)``, to be **maximised**), named splits of :class:`TabularTask`
and, for HPO-B, the fixed initial designs ``test0``-``test4``.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rlenvs.bo.tasks import TabularTask

HPOB_ENV_VAR = "RLENVS_HPOB_DIR"
HPOB_FILES = {"train": "meta-train-dataset.json", "val": "meta-validation-dataset.json",
              "test": "meta-test-dataset.json"}
HPOB_DESIGNS = "bo-initializations.json"
HPOB_SEEDS = ("test0", "test1", "test2", "test3", "test4")
HPOB_WHERE = ("Download hpob-data.zip (the HPO-B meta-dataset, linked from the README of "
              "https://github.com/machinelearningnuremberg/HPO-B; mirror: "
              "huggingface.co/datasets/Sebastianpinar/hpob), "
              f"unzip it and pass data_dir=<the folder with the JSON files> or set {HPOB_ENV_VAR}. "
              "rlenvs never downloads data.")
BOUNDS_TOLERANCE = 1e-6  # configurations may exceed [0, 1] by rounding; further is an error


@dataclass
class MetaDataset:
    """Datasets (id -> ``X``, ``y``), named splits of tasks and HPO-B's initial designs (id -> 5 index lists)."""

    name: str
    X: dict[int, np.ndarray]
    y: dict[int, np.ndarray]
    splits: dict[str, tuple[TabularTask, ...]]
    designs: dict[int, tuple[tuple[int, ...], ...]] = field(default_factory=dict)

    @property
    def dim(self) -> int:
        return next(iter(self.X.values())).shape[1]

    @property
    def max_size(self) -> int:
        return max(x.shape[0] for x in self.X.values())


def _check_dataset(name: str, X, y) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name}: X must be a non-empty (n, D) array, got shape {X.shape}")
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"{name}: X has {X.shape[0]} rows but y has {y.shape[0]} values")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ValueError(f"{name}: X and y must be finite")
    if X.min() < -BOUNDS_TOLERANCE or X.max() > 1 + BOUNDS_TOLERANCE:
        raise ValueError(f"{name}: configurations must lie in [0, 1]^D (scale them first), "
                         f"got values in [{X.min():g}, {X.max():g}]")
    return np.clip(X, 0.0, 1.0), y


def tabular_meta_dataset(datasets, splits: Mapping[str, Sequence[int]] | None = None) -> MetaDataset:
    """A meta-dataset from a list of ``(X, y)`` pairs or an ``.npz`` path (arrays ``X_0, y_0, X_1, ...``).

    Dataset ``i`` gets id ``i``. ``splits`` maps split names to dataset ids; by default ids with
    ``i % 5 == 4`` form ``test`` and the others ``train``.
    """
    if isinstance(datasets, (str, os.PathLike)):
        path = Path(datasets)
        if not path.is_file():
            raise FileNotFoundError(f"no .npz file at {path} (expected arrays X_0, y_0, X_1, y_1, ...)")
        with np.load(path) as npz:
            n = sum(1 for key in npz.files if key.startswith("X_"))
            missing = [k for i in range(n) for k in (f"X_{i}", f"y_{i}") if k not in npz.files]
            if n == 0 or missing:
                raise ValueError(f"{path}: expected arrays X_0, y_0, ..., X_{{n-1}}, y_{{n-1}}; "
                                 f"found {sorted(npz.files)}")
            datasets = [(npz[f"X_{i}"], npz[f"y_{i}"]) for i in range(n)]
    if isinstance(datasets, (str, bytes)) or not isinstance(datasets, Sequence) or len(datasets) < 2:
        raise ValueError("datasets must be a path to an .npz file or a list of at least 2 (X, y) pairs")
    X, y = {}, {}
    for i, pair in enumerate(datasets):
        if not isinstance(pair, Sequence) or len(pair) != 2:
            raise ValueError(f"datasets[{i}] must be an (X, y) pair, got {type(pair).__name__}")
        X[i], y[i] = _check_dataset(f"datasets[{i}]", *pair)
    dims = {x.shape[1] for x in X.values()}
    if len(dims) != 1:
        raise ValueError(f"every dataset must have the same number of columns, got {sorted(dims)}")
    if splits is None:
        splits = {"train": [i for i in X if i % 5 != 4], "test": [i for i in X if i % 5 == 4]}
    if not isinstance(splits, Mapping) or not splits:
        raise ValueError(f"splits must map split names to lists of dataset indices, got {splits!r}")
    tasks = {}
    for name, ids in splits.items():
        unknown = [i for i in ids if i not in X]
        if unknown:
            raise ValueError(f"split {name!r} names datasets {unknown} that do not exist (0..{len(X) - 1})")
        tasks[str(name)] = tuple(TabularTask(dataset=int(i)) for i in ids)
    return MetaDataset("bo_tabular", X, y, tasks)


def synthetic_datasets(n: int = 30, dim: int = 3, seed: int = 20240607) -> list[tuple[np.ndarray, np.ndarray]]:
    """The default datasets of ``BO-Tabular-v0``: ``n`` GP prior samples (Matern-5/2 random Fourier features,
    lengthscale ``~ LogU[0.1, 0.4]``) tabulated at 200-400 uniform configurations each (float32 values)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        size = int(rng.integers(200, 401))
        lengthscale = 0.1 * 4.0 ** rng.random()
        features = 512
        chi = (rng.standard_normal((features, 5)) ** 2).sum(axis=1) / 5.0
        omega = rng.standard_normal((features, dim)) / (lengthscale * np.sqrt(chi))[:, None]
        phase = rng.uniform(0.0, 2 * np.pi, features)
        weight = rng.standard_normal(features) * np.sqrt(2.0 / features)
        X = rng.random((size, dim)).astype(np.float32).astype(np.float64)
        y = np.cos(X @ omega.T + phase) @ weight
        out.append((X, y.astype(np.float32).astype(np.float64)))
    return out


@functools.cache
def default_tabular() -> MetaDataset:
    """The synthetic meta-dataset of ``BO-Tabular-v0`` (built once per process)."""
    return tabular_meta_dataset(synthetic_datasets())


def hpob_dir(data_dir: str | os.PathLike | None) -> Path:
    """The folder with HPO-B's JSON files: ``data_dir``, else ``$RLENVS_HPOB_DIR``; a clear error if absent."""
    given = data_dir if data_dir is not None else os.environ.get(HPOB_ENV_VAR)
    if given is None:
        raise FileNotFoundError(f"BO-HPOB-v0 needs the HPO-B data: no data_dir given and {HPOB_ENV_VAR} is not set. "
                                + HPOB_WHERE)
    path = Path(given).expanduser()
    if (path / "hpob-data").is_dir() and not (path / HPOB_FILES["test"]).is_file():
        path = path / "hpob-data"
    missing = [name for name in (*HPOB_FILES.values(), HPOB_DESIGNS) if not (path / name).is_file()]
    if missing:
        raise FileNotFoundError(f"HPO-B data not found in {path}: missing {missing}. " + HPOB_WHERE)
    return path.resolve()


def _read_json(path: Path) -> dict:
    with open(path, "rb") as f:
        return json.load(f)


@functools.lru_cache(maxsize=4)
def _hpob_cached(path: Path, search_space: str | None, stamp: tuple[float, ...]) -> MetaDataset:
    raw = {split: _read_json(path / name) for split, name in HPOB_FILES.items()}
    spaces = sorted(set.intersection(*(set(data) for data in raw.values())))
    if search_space is None:
        if len(spaces) != 1:
            raise ValueError(f"{path} holds {len(spaces)} HPO-B search spaces: pass search_space= one of {spaces}")
        search_space = spaces[0]
    search_space = str(search_space)
    if search_space not in spaces:
        raise ValueError(f"unknown HPO-B search space {search_space!r} in {path}; valid: {spaces}")
    X, y, splits = {}, {}, {}
    for split, data in raw.items():
        ids = []
        for key, entry in data[search_space].items():
            try:
                dataset = int(key)
            except ValueError as err:
                raise ValueError(f"HPO-B dataset ids are integers (OpenML ids), got {key!r} in {split}") from err
            if dataset in X:
                raise ValueError(f"HPO-B dataset {dataset} of space {search_space} is in more than one split")
            X[dataset], y[dataset] = _check_dataset(f"HPO-B {search_space}/{key}", entry["X"], entry["y"])
            ids.append(dataset)
        splits[split] = ids
    dims = {x.shape[1] for x in X.values()}
    if len(dims) != 1:
        raise ValueError(f"HPO-B space {search_space}: datasets have different dimensions {sorted(dims)}")
    all_designs = _read_json(path / HPOB_DESIGNS).get(search_space, {})
    designs = {}
    for dataset in splits["test"]:  # HPO-B's fixed initial designs belong to its test tasks
        seeds = all_designs.get(str(dataset), {})
        if any(seed not in seeds for seed in HPOB_SEEDS):
            raise ValueError(f"{HPOB_DESIGNS} lacks the initial designs {HPOB_SEEDS} of test dataset {dataset} "
                             f"of search space {search_space}")
        lists = tuple(tuple(int(i) for i in seeds[seed]) for seed in HPOB_SEEDS)
        size = X[dataset].shape[0]
        if any(not 0 <= i < size for design in lists for i in design) or any(len(set(d)) != len(d) for d in lists):
            raise ValueError(f"{HPOB_DESIGNS}: a design of dataset {dataset} has repeated or out-of-range indices")
        designs[dataset] = lists
    tasks = {
        "train": tuple(TabularTask(dataset=d) for d in splits["train"]),
        "val": tuple(TabularTask(dataset=d) for d in splits["val"]),
        "test": tuple(TabularTask(dataset=d, init_design=k) for d in splits["test"] for k in range(len(HPOB_SEEDS))),
    }
    return MetaDataset(f"bo_hpob_{search_space}", X, y, tasks, designs)


def load_hpob(data_dir: str | os.PathLike | None = None, search_space: str | None = None) -> MetaDataset:
    """One search space of HPO-B v3: ``train`` / ``val`` / ``test`` from the meta-train / meta-validation /
    meta-test files, test tasks once per initial design ``test0``-``test4``.

    Parsed once per process and search space (the meta-train file of the full benchmark is large).
    """
    path = hpob_dir(data_dir)
    stamp = tuple((path / name).stat().st_mtime for name in (*HPOB_FILES.values(), HPOB_DESIGNS))
    return _hpob_cached(path, None if search_space is None else str(search_space), stamp)


def write_hpob(path: str | os.PathLike, search_space: str, splits: Mapping[str, Mapping[int, tuple]],
               designs: Mapping[int, Sequence[Sequence[int]]]) -> Path:
    """Write datasets in HPO-B v3's file layout (for tests and for users who convert their own data).

    ``splits`` maps ``train`` / ``val`` / ``test`` to ``{dataset id: (X, y)}``; ``designs`` maps dataset ids
    to five lists of initial-design indices (``test0``-``test4``).
    """
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    for split, name in HPOB_FILES.items():
        content = {search_space: {str(k): {"X": np.asarray(X).tolist(), "y": np.asarray(y).reshape(-1, 1).tolist()}
                                  for k, (X, y) in splits[split].items()}}
        (path / name).write_text(json.dumps(content, separators=(",", ":")))
    content = {search_space: {str(k): dict(zip(HPOB_SEEDS, [list(map(int, d)) for d in v], strict=True))
                              for k, v in designs.items()}}
    (path / HPOB_DESIGNS).write_text(json.dumps(content, separators=(",", ":")))
    return path
