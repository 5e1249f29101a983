"""Tabular BO: datasets from lists and .npz files, padding and masks, and the HPO-B loader on its fixture."""

import json

import numpy as np
import pytest

import rlenvs
from rlenvs.bo.data import HPOB_ENV_VAR, load_hpob, synthetic_datasets, tabular_meta_dataset
from rlenvs.bo.tasks import TabularTask
from tests.bo.hpob_fixture import FIXTURE_DIR, SPACE, fixture_datasets, fixture_designs, write_fixture


def small_datasets():
    rng = np.random.default_rng(0)
    return [(rng.random((n, 2)), rng.standard_normal(n)) for n in (20, 35, 28, 40, 25)]


def test_list_and_npz_give_the_same_env(tmp_path):
    datasets = small_datasets()
    path = tmp_path / "meta.npz"
    np.savez(path, **{f"{k}_{i}": v for i, (X, y) in enumerate(datasets) for k, v in (("X", X), ("y", y))})
    from_list = rlenvs.make("rlenvs/BO-Tabular-v0", datasets=datasets).unwrapped
    from_file = rlenvs.make("rlenvs/BO-Tabular-v0", datasets=str(path)).unwrapped
    assert from_list.observation_space == from_file.observation_space
    assert from_list.action_space.n == 40  # the largest dataset; the others are padded
    split = from_list.task_distribution.split("train")
    assert [t.dataset for t in split] == [0, 1, 2, 3]
    assert [t.dataset for t in from_list.task_distribution.split("test")] == [4]
    task = TabularTask(dataset=1)
    obs_a, info_a = from_list.reset(seed=0, options={"task": task})
    obs_b, info_b = from_file.reset(seed=0, options={"task": task})
    for key in obs_a:
        np.testing.assert_array_equal(obs_a[key], obs_b[key])
    X, y = datasets[1]
    np.testing.assert_array_equal(obs_a["cand_x"][:35], X.astype(np.float32))
    assert obs_a["cand_x"][35:].sum() == 0
    assert info_a["y_opt"] == y.max() and info_a["y_lo"] == y.min()
    # 5 distinct initial rows of the dataset, masked; the padding is masked too
    assert obs_a["hist_mask"].sum() == 5 and obs_a["cand_mask"].sum() == 30 and not obs_a["cand_mask"][35:].any()
    rows = [int(np.flatnonzero((X.astype(np.float32) == x).all(axis=1))[0]) for x in obs_a["hist_x"][:5]]
    assert len(set(rows)) == 5 and not obs_a["cand_mask"][rows].any()
    assert from_list._st.y_raw[0, :5].tolist() == y[rows].tolist()
    _, _, _, _, info = from_list.step(38)  # padding: an invalid action
    assert info["invalid_action"]
    a = int(np.flatnonzero(obs_a["cand_mask"])[0])
    _, _, _, _, info = from_list.step(a)
    assert info["y"] == y[a] and info["best_y"] == max(y[rows + [a]])


def test_tabular_inputs_are_checked(tmp_path):
    with pytest.raises(ValueError, match=r"\[0, 1\]\^D"):
        tabular_meta_dataset([(np.full((3, 2), 2.0), np.zeros(3)), (np.zeros((3, 2)), np.zeros(3))])
    with pytest.raises(ValueError, match="3 rows but y has 2"):
        tabular_meta_dataset([(np.zeros((3, 2)), np.zeros(2)), (np.zeros((3, 2)), np.zeros(3))])
    with pytest.raises(ValueError, match="same number of columns"):
        tabular_meta_dataset([(np.zeros((3, 2)), np.zeros(3)), (np.zeros((3, 4)), np.zeros(3))])
    with pytest.raises(FileNotFoundError, match="no .npz file"):
        tabular_meta_dataset(str(tmp_path / "nothing.npz"))
    with pytest.raises(ValueError, match="do not exist"):
        tabular_meta_dataset(small_datasets(), splits={"train": [0, 9]})
    env = rlenvs.make("rlenvs/BO-Tabular-v0").unwrapped
    with pytest.raises(ValueError, match="not a dataset of bo_tabular"):
        env.reset(options={"task": {"dataset": 99, "init_design": -1}})
    with pytest.raises(ValueError, match="no fixed initial design"):
        env.reset(options={"task": {"dataset": 1, "init_design": 2}})
    with pytest.raises(ValueError, match="smaller than the smallest dataset"):
        rlenvs.make("rlenvs/BO-Tabular-v0", datasets=small_datasets(), n_init=20)


def test_default_tabular_meta_dataset_is_fixed():
    a, b = synthetic_datasets(), synthetic_datasets()
    assert len(a) == 30
    assert all(np.array_equal(x1, x2) and np.array_equal(y1, y2) for (x1, y1), (x2, y2) in zip(a, b, strict=True))
    assert {X.shape[1] for X, _ in a} == {3} and 200 <= min(len(y) for _, y in a) <= max(len(y) for _, y in a) <= 400


def test_hpob_fixture_is_what_its_generator_writes(tmp_path):
    write_fixture(tmp_path)
    for path in FIXTURE_DIR.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_hpob_loader_round_trips_the_fixture():
    meta = load_hpob(FIXTURE_DIR, SPACE)
    datasets = fixture_datasets()
    designs = fixture_designs(datasets)
    for content in datasets.values():
        for k, (X, y) in content.items():
            np.testing.assert_array_equal(meta.X[k], X)
            np.testing.assert_array_equal(meta.y[k], y)
    assert [t.dataset for t in meta.splits["train"]] == [101, 102, 103]
    assert [t.dataset for t in meta.splits["val"]] == [201]
    assert [(t.dataset, t.init_design) for t in meta.splits["test"]] == [(d, k) for d in (301, 302) for k in range(5)]
    assert meta.designs[301] == tuple(tuple(d) for d in designs[301])
    # the raw file is HPO-B's layout: y as a list of one-element lists
    raw = json.loads((FIXTURE_DIR / "meta-test-dataset.json").read_text())
    assert isinstance(raw[SPACE]["301"]["y"][0], list) and len(raw[SPACE]["301"]["y"][0]) == 1


def test_hpob_env_plays_the_fixed_initial_designs():
    env = rlenvs.make("rlenvs/BO-HPOB-v0").unwrapped  # RLENVS_HPOB_DIR points at the fixture (tests/conftest.py)
    assert env.setup.budget == 100 and env.setup.n_init == 5
    meta = load_hpob(FIXTURE_DIR, SPACE)
    X, y = meta.X[302], meta.y[302]
    obs, info = env.reset(seed=0, options={"task": {"dataset": 302, "init_design": 3}})
    design = list(meta.designs[302][3])
    np.testing.assert_array_equal(obs["hist_x"][:5], X[design].astype(np.float32))
    assert env._st.y_raw[0, :5].tolist() == y[design].tolist()
    # HPO-B's normalised regret: 1 - (best - min) / (max - min)
    assert info["normalized_regret"] == pytest.approx(1 - (y[design].max() - y.min()) / (y.max() - y.min()))
    env.set_task(None)
    env.reset(seed=9)  # a draw from the train split: a random design
    assert env.task.init_design == -1 and env.task.dataset in (101, 102, 103)


def test_hpob_missing_data_says_where_to_get_it(tmp_path, monkeypatch):
    monkeypatch.delenv(HPOB_ENV_VAR)
    with pytest.raises(FileNotFoundError, match=r"RLENVS_HPOB_DIR is not set.*machinelearningnuremberg/HPO-B"):
        rlenvs.make("rlenvs/BO-HPOB-v0")
    with pytest.raises(FileNotFoundError, match=r"missing \['meta-train-dataset.json'.*never downloads"):
        rlenvs.make("rlenvs/BO-HPOB-v0", data_dir=str(tmp_path))
    with pytest.raises(ValueError, match="unknown HPO-B search space '5971'.*synthetic"):
        rlenvs.make("rlenvs/BO-HPOB-v0", data_dir=str(FIXTURE_DIR), search_space="5971")
