"""A tiny synthetic meta-dataset in HPO-B v3's file layout (``tests/bo/hpob_fixture/``), and its generator.

One search space ``"synthetic"`` (3-D), datasets of 120-160 configurations with accuracy-like values:
3 meta-train, 1 meta-validation and 2 meta-test datasets, every dataset with five initial designs of 5 rows.
``tests/conftest.py`` points ``RLENVS_HPOB_DIR`` here, so the contract suite runs ``BO-HPOB-v0`` on it.
"""

from pathlib import Path

import numpy as np

from rlenvs.bo.data import write_hpob

FIXTURE_DIR = Path(__file__).parent / "hpob_fixture"
SPACE = "synthetic"
SPLIT_IDS = {"train": (101, 102, 103), "val": (201,), "test": (301, 302)}


def fixture_datasets() -> dict[str, dict[int, tuple[np.ndarray, np.ndarray]]]:
    """``split -> {dataset id: (X, y)}``: a smooth bump plus a ridge, values rounded to 4 decimals."""
    rng = np.random.default_rng(7)
    out = {}
    for split, ids in SPLIT_IDS.items():
        out[split] = {}
        for k in ids:
            size = int(rng.integers(120, 161))
            X = np.round(rng.random((size, 3)), 4)
            centre = rng.uniform(0.2, 0.8, 3)
            y = 0.55 + 0.35 * np.exp(-((X - centre) ** 2).sum(axis=1) / 0.08) + 0.05 * np.sin(6 * X[:, 0])
            out[split][k] = (X, np.round(y, 4))
    return out


def fixture_designs(datasets) -> dict[int, list[list[int]]]:
    rng = np.random.default_rng(11)
    return {k: [sorted(rng.choice(X.shape[0], 5, replace=False).tolist()) for _ in range(5)]
            for split in datasets.values() for k, (X, _) in split.items()}


def write_fixture(path: Path = FIXTURE_DIR) -> Path:
    datasets = fixture_datasets()
    return write_hpob(path, SPACE, datasets, fixture_designs(datasets))


if __name__ == "__main__":
    print(write_fixture())
