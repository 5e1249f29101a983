import copy
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from typer.testing import CliRunner

import rlenvs
from rlenvs.cli import app
from rlenvs.evaluation import Benchmark, ProtocolError, evaluate, load_entries, validate_entry
from rlenvs.evaluation import leaderboard as lb

ROOT = Path(__file__).resolve().parents[2]
LEADERBOARDS = ROOT / "leaderboards"
ORACLE = "rlenvs.evaluation.references:point_robot_oracle"
RANDOM = "rlenvs.evaluation.references:random_policy"


@pytest.fixture
def boards(tmp_path):
    """A copy of the committed Point-Robot leaderboards to write into (the others would only add time)."""
    root = tmp_path / "leaderboards"
    for name in ("pointrobot", "pointrobot-sparse"):
        shutil.copytree(LEADERBOARDS / name, root / name)
    lb.build(root, plots=False)
    return root


@pytest.fixture
def pointrobot(boards):
    return Benchmark.load(boards / "pointrobot")


def test_every_benchmark_has_a_protocol_and_reference_entries():
    benchmarks = {b.name: b for b in lb.find_benchmarks(LEADERBOARDS)}
    assert {"pointrobot", "pointrobot-sparse"} <= set(benchmarks)
    for bench in benchmarks.values():
        entries = load_entries(bench)
        assert "random" in entries, f"{bench.name} needs a random reference entry"
        assert len(entries) >= 2, f"{bench.name} needs a scripted or analytic reference beside random"
        assert {bench.normalization[k] for k in ("min", "max") if k in bench.normalization} <= set(entries)
        assert rlenvs.get_entry(bench.env_id)  # a registered id
        assert bench.tasks().sha256 == bench.split_sha256


def test_committed_readme_is_reproduced_byte_for_byte():
    assert lb.check(LEADERBOARDS) == []  # check() renders the README from the entries and compares


def test_oracle_scores_are_the_analytic_optimum(pointrobot):
    entry = evaluate(ORACLE, pointrobot, method="oracle", seeds=[0, 1], backend="serial")
    for row in entry["scores"]:
        for task, score in zip(pointrobot.tasks(), row, strict=True):
            goal = np.array(task.goal)
            pos = np.sign(goal) * np.minimum(0.1 * np.arange(1, 21)[:, None], np.abs(goal))
            assert score == pytest.approx(-np.linalg.norm(pos - goal, axis=1).sum(), abs=1e-5)


def test_backends_agree(pointrobot):
    serial = evaluate(RANDOM, pointrobot, method="random", seeds=[0, 1], backend="serial")
    pool = evaluate(RANDOM, pointrobot, method="random", seeds=[0, 1], backend="process", workers=2)
    ray_run = evaluate(RANDOM, pointrobot, method="random", seeds=[0, 1], backend="ray", workers=1)
    assert serial["scores"] == pool["scores"] == ray_run["scores"]
    assert serial["scores"][0] != serial["scores"][1], "seeds must change the random policy's actions"
    with pytest.raises(ValueError, match="backend must be one of"):
        evaluate(RANDOM, pointrobot, method="random", backend="threads")
    with pytest.raises(ValueError, match="expected 'module:name'"):
        evaluate("rlenvs.evaluation.references", pointrobot, method="x", backend="serial")


def test_malformed_entries_are_refused_with_useful_messages(pointrobot):
    good = json.loads((pointrobot.entries_dir / "random.json").read_text())
    validate_entry(good, pointrobot)
    cases = [
        (lambda e: e.pop("seeds"), "'seeds' is a required property"),
        (lambda e: e.update(method="bad name!"), "method: 'bad name!' does not match"),
        (lambda e: e["scores"][0].__setitem__(0, "high"), "scores/0/0: 'high' is not of type 'number'"),
        (lambda e: e.update(extra=1), "Additional properties are not allowed"),
        (lambda e: e["scores"][1].pop(), "seed 1 has 4 task scores, the split has 5"),
        (lambda e: e.update(seeds=[0, 1]), r"seeds \[0, 1\] differ from the protocol's"),
        (lambda e: e.update(split_sha256="0" * 64), "task-set hash 0000.* differs from the protocol's"),
        (lambda e: e.update(benchmark="other"), "is for benchmark 'other'"),
    ]
    for mutate, message in cases:
        entry = copy.deepcopy(good)
        mutate(entry)
        with pytest.raises(ProtocolError, match=message):
            validate_entry(entry, pointrobot)


def test_aggregates_match_independent_formulas():
    rng = np.random.default_rng(0)
    scores = {"a": rng.normal(0.5, 0.3, (5, 7)), "b": rng.normal(0.2, 0.1, (5, 7))}
    result = lb.aggregates(scores)
    for m, s in scores.items():
        assert result[m]["mean"][0] == pytest.approx(s.mean())
        assert result[m]["iqm"][0] == pytest.approx(stats.trim_mean(s.ravel(), 0.25))
        assert result[m]["optimality_gap"][0] == pytest.approx(np.maximum(1.0 - s, 0.0).mean())
        for point, low, high in result[m].values():
            assert low <= point <= high
    assert lb.aggregates(scores) == result  # fixed bootstrap seed


def test_normalisation_needs_its_references(pointrobot):
    (pointrobot.entries_dir / "oracle.json").unlink()
    with pytest.raises(ProtocolError, match=r"reference entries \['oracle'\] are missing"):
        lb.normalized_scores(pointrobot, load_entries(pointrobot))


def test_cli_evaluate_resumes_and_check_catches_stale_tables(boards):
    runner = CliRunner()
    partial = boards / "pointrobot" / "entries" / ".mine.partial.json"
    fake = [-1.0, -2.0, -3.0, -4.0, -5.0]
    partial.write_text(json.dumps({"policy": RANDOM, "scores": {"0": fake}}))
    result = runner.invoke(app, ["evaluate", "--policy", RANDOM, "--benchmark", "pointrobot", "--method", "mine",
                                 "--backend", "serial", "--root", str(boards)])
    assert result.exit_code == 0, result.output
    assert "resuming: seeds [0]" in result.output and not partial.exists()
    entry = json.loads((boards / "pointrobot" / "entries" / "mine.json").read_text())
    assert entry["scores"][0] == fake and len(entry["scores"]) == 5
    stale = runner.invoke(app, ["leaderboard", "check", "--root", str(boards)])
    assert stale.exit_code == 1 and "is stale" in stale.output
    built = runner.invoke(app, ["leaderboard", "build", "--root", str(boards)])
    assert built.exit_code == 0 and (boards / "pointrobot" / "profile.png").stat().st_size > 1000
    assert "| mine |" in (boards / "README.md").read_text()
    assert runner.invoke(app, ["leaderboard", "check", "--root", str(boards)]).exit_code == 0
    bad = runner.invoke(app, ["evaluate", "--policy", RANDOM, "--benchmark", "nope", "--method", "m",
                              "--root", str(boards)])
    assert bad.exit_code == 2 and "no benchmark protocol" in bad.output


def test_zero_policy_acts_zero_and_needs_a_box_space_containing_zero():
    from rlenvs.evaluation.references import zero_policy

    envs = rlenvs.make_vec("rlenvs/PointRobot-v0", num_envs=3)
    obs, _ = envs.reset(seed=0)
    action = zero_policy(envs).act(obs)
    assert action.shape == (3, 2) and action.dtype == envs.single_action_space.dtype and not action.any()
    envs.close()
    grid = rlenvs.make_vec("rlenvs/Maze-v0", num_envs=2)
    with pytest.raises(TypeError, match="needs a Box action space that contains 0"):
        zero_policy(grid)
    grid.close()
