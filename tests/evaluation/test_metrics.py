"""The metric table, chunked trials, sync-mode references and sweeps of the evaluation runner."""

import dataclasses

import numpy as np
import pytest

import rlenvs
from rlenvs.core import TaskSet
from rlenvs.evaluation import Benchmark, ProtocolError, evaluate
from rlenvs.evaluation import leaderboard as lb
from rlenvs.evaluation.metrics import METRICS, get_metric
from rlenvs.evaluation.runner import _trial_seeds, load_object, sweep
from rlenvs.house.references import Explorer, icl_gain, run_trials

ORACLE = "rlenvs.evaluation.references:point_robot_oracle"
RANDOM = "rlenvs.evaluation.references:random_policy"


def protocol(tmp_path, name, env_id, split, **fields):
    """A benchmark.yaml written into ``tmp_path/name`` and loaded."""
    dist = rlenvs.make(env_id).unwrapped.task_distribution
    lines = [f"env_id: {env_id}", f"split: {split}", f"split_sha256: {dist.split(split).sha256}"]
    fields = {"episodes_per_task": 1, "seeds": [0], **fields}
    lines += [f"{k}: {v}" for k, v in fields.items()]
    (tmp_path / name).mkdir()
    (tmp_path / name / "benchmark.yaml").write_text("\n".join(lines) + "\n")
    return Benchmark.load(tmp_path / name)


def keep_first_tasks(monkeypatch, k):
    """Score only the first ``k`` tasks of every protocol's split (keeps the slow scripted references fast)."""
    full = Benchmark.tasks
    monkeypatch.setattr(Benchmark, "tasks", lambda self: TaskSet(self.split, full(self).tasks[:k]))


def test_every_metric_names_an_importable_trial_function():
    for metric in METRICS.values():
        if metric.trial.startswith("rlenvs.smax"):
            pytest.importorskip("pettingzoo")
        assert callable(load_object(metric.trial)), metric.name
    with pytest.raises(ValueError, match="unknown metric 'nope'; known:"):
        get_metric("nope")


def test_protocol_refuses_unknown_metrics_and_unnormalised_lower_is_better(tmp_path, monkeypatch):
    with pytest.raises(ProtocolError, match="unknown metric 'elo'"):
        protocol(tmp_path, "a", "rlenvs/PointRobot-v0", "test", metric="elo")
    lower = dataclasses.replace(METRICS["return"], name="regret", higher_is_better=False)
    monkeypatch.setitem(METRICS, "regret", lower)
    with pytest.raises(ProtocolError, match="lower-is-better, so the protocol needs a normalization"):
        protocol(tmp_path, "b", "rlenvs/PointRobot-v0", "test", metric="regret")


def test_lower_is_better_normalisation_puts_the_better_reference_at_one(tmp_path, monkeypatch):
    monkeypatch.setitem(METRICS, "regret", dataclasses.replace(METRICS["return"], name="regret",
                                                               higher_is_better=False))
    bench = protocol(tmp_path, "c", "rlenvs/PointRobot-v0", "test", metric="regret",
                     normalization="{min: random, max: good}")
    entries = {"random": {"scores": [[0.5] * 5]}, "good": {"scores": [[0.1] * 5]}, "mid": {"scores": [[0.3] * 5]}}
    scores = lb.normalized_scores(bench, entries)
    np.testing.assert_allclose(scores["good"], 1.0)
    np.testing.assert_allclose(scores["random"], 0.0)
    np.testing.assert_allclose(scores["mid"], 0.5)
    entries["good"] = {"scores": [[0.6] * 5]}  # the "better" reference is worse: refused
    with pytest.raises(ProtocolError, match="does not beat the min reference"):
        lb.normalized_scores(bench, entries)


def test_chunked_trials_score_each_task_as_the_whole_split_does(tmp_path, monkeypatch):
    bench = protocol(tmp_path, "p", "rlenvs/PointRobot-v0", "test", episodes_per_task=2, seeds=[3])
    whole = evaluate(ORACLE, bench, method="oracle", backend="serial")["scores"]
    entry = rlenvs.registration._BY_ID["rlenvs/PointRobot-v0"]
    monkeypatch.setitem(rlenvs.registration._BY_ID, entry.id, dataclasses.replace(entry, max_num_envs=2))
    chunked = evaluate(ORACLE, bench, method="oracle", backend="serial")["scores"]
    assert chunked == whole and len(whole[0]) == 5


def test_success_metric_counts_episodes_with_success(tmp_path):
    bench = protocol(tmp_path, "mw", "rlenvs/MetaWorld-Reach-MetaDT-v3", "test", metric="success",
                     episodes_per_task=2, env_kwargs="{max_episode_steps: 150}")
    expert = evaluate("rlenvs.metaworld.experts:expert_reference", bench, method="expert", backend="serial")
    random = evaluate(RANDOM, bench, method="random", backend="serial")
    assert expert["scores"] == [[1.0] * 5]
    assert all(0.0 <= s <= 1.0 for s in random["scores"][0]) and random["scores"] != expert["scores"]
    silent = protocol(tmp_path, "pr", "rlenvs/PointRobot-v0", "test", metric="success")
    with pytest.raises(ValueError, match="needs step infos with 'success'; rlenvs/PointRobot-v0's envs report none"):
        evaluate(RANDOM, silent, method="random", backend="serial")


@pytest.mark.parametrize("metric", ["spl", "icl_gain"])
def test_house_metrics_recompute_from_single_env_trials(tmp_path, monkeypatch, metric):
    """The runner's sub-task scores (sync mode, scripted explorer) equal those of the family's own
    single-env trial loop on the same houses and seeds."""
    bench = protocol(tmp_path, metric, "rlenvs/HouseNav-Small-v0", "test", metric=metric, seeds=[4])
    keep_first_tasks(monkeypatch, 3)
    entry = evaluate("rlenvs.house.evaluation:explorer_with_memory", bench, method="explorer", backend="serial")
    tasks = list(bench.tasks())
    env = rlenvs.make("rlenvs/HouseNav-Small-v0")
    seeds = _trial_seeds(4, 3)
    for k, (task, seed) in enumerate(zip(tasks, seeds, strict=True)):
        records = run_trials(env, Explorer(memory=True), seeds=[seed], tasks=[task])[0]
        expected = np.mean([r["spl"] for r in records]) if metric == "spl" else icl_gain([records])
        assert entry["scores"][0][k] == pytest.approx(expected)


def test_house_oracle_has_spl_one_and_random_far_less(tmp_path, monkeypatch):
    bench = protocol(tmp_path, "h", "rlenvs/HouseNav-Small-v0", "test", metric="spl")
    keep_first_tasks(monkeypatch, 20)
    oracle = evaluate("rlenvs.house.evaluation:oracle", bench, method="oracle", backend="serial")["scores"][0]
    random = evaluate(RANDOM, bench, method="random", backend="serial")["scores"][0]
    assert np.mean(oracle) > 0.98 and np.mean(random) < 0.3


def test_sweep_equals_separate_evaluations(tmp_path):
    a = protocol(tmp_path, "a", "rlenvs/PointRobot-v0", "test", seeds=[0, 1])
    b = protocol(tmp_path, "b", "rlenvs/PointRobotSparse-v0", "test", seeds=[2])
    methods = {"random": RANDOM, "oracle": ORACLE}
    entries = sweep(methods, [a, b], backend="process", workers=2)
    assert [(e["benchmark"], e["method"]) for e in entries] == [("a", "random"), ("a", "oracle"),
                                                                ("b", "random"), ("b", "oracle")]
    for entry, bench in zip(entries, [a, a, b, b], strict=True):
        alone = evaluate(methods[entry["method"]], bench, method=entry["method"], backend="serial")
        assert entry["scores"] == alone["scores"]


def test_split_pooled_normalisation_uses_the_references_means_over_the_split(tmp_path):
    bench = protocol(tmp_path, "s", "rlenvs/PointRobot-v0", "test",
                     normalization="{min: random, max: good, per: split}")
    # per task the references cross on task 0; pooled over the split, good beats random
    entries = {"random": {"scores": [[3.0, 0.0, 0.0, 0.0, 1.0]]}, "good": {"scores": [[2.0, 4.0, 4.0, 4.0, 6.0]]}}
    scores = lb.normalized_scores(bench, entries)
    np.testing.assert_allclose(scores["good"], (np.array([[2.0, 4, 4, 4, 6]]) - 0.8) / (4.0 - 0.8))
    per_task = protocol(tmp_path, "t", "rlenvs/PointRobot-v0", "test", normalization="{min: random, max: good}")
    with pytest.raises(ProtocolError, match=r"on tasks \[0\].*per: split"):
        lb.normalized_scores(per_task, entries)
    with pytest.raises(ProtocolError, match="optionally 'per: task'"):
        protocol(tmp_path, "u", "rlenvs/PointRobot-v0", "test", normalization="{min: random, max: good, per: seed}")


def test_win_rate_metric_scores_team_policies_on_pettingzoo_ids(tmp_path):
    from rlenvs.smax.evaluation import win_rates

    env_id = "rlenvs/SMAX-3m-v0"
    sha = rlenvs.make_parallel(env_id).unwrapped.task_distribution.split("test").sha256
    (tmp_path / "smax").mkdir()
    (tmp_path / "smax" / "benchmark.yaml").write_text(
        f"env_id: {env_id}\nsplit: test\nsplit_sha256: {sha}\nepisodes_per_task: 16\nseeds: [3]\nmetric: win_rate\n")
    bench = Benchmark.load(tmp_path / "smax")
    heuristic = "rlenvs.smax.evaluation:heuristic_policy"
    entry = evaluate(heuristic, bench, method="heuristic", backend="serial")
    assert entry["scores"] == [[win_rates(heuristic, ["3m"], seeds=[3], episodes=16)["3m"][0]]]
    assert 0.0 < entry["scores"][0][0] < 1.0  # the mirror match is won about half the time
    assert evaluate("rlenvs.smax.evaluation:random_policy", bench, method="r", backend="serial")["scores"] == [[0.0]]


def test_worst_case_metric_ranks_each_seed_by_its_worst_grid_point(tmp_path):
    env_id = "rlenvs/RobustInvertedPendulum-2d-v0"
    dist = rlenvs.make(env_id).unwrapped.task_distribution
    bench = protocol(tmp_path, "r", env_id, "m2td3_grid", metric="worst_case_return", seeds=[0, 1])
    entry = evaluate(RANDOM, bench, method="random", backend="serial")
    returns = np.asarray(entry["scores"])
    assert returns.shape == (2, len(dist.split("m2td3_grid")))  # the entry keeps every grid point's return
    same = evaluate(RANDOM, dataclasses.replace(bench, metric="return"), method="random", backend="serial")
    assert same["scores"] == entry["scores"]
    np.testing.assert_array_equal(lb.raw_scores(bench, {"random": entry})["random"], returns.min(axis=1)[:, None])
