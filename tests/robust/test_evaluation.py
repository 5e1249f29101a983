import json

import numpy as np
import pytest
from typer.testing import CliRunner

import rlenvs
from rlenvs.cli import app
from rlenvs.evaluation.protocol import Benchmark
from rlenvs.evaluation.runner import episode_trial
from rlenvs.robust import evaluate_worst_case, grid_points, mean_returns, worst_case_search

IP1 = "rlenvs/RobustInvertedPendulum-1d-v0"
IP2 = "rlenvs/RobustInvertedPendulum-2d-v0"
RANDOM = "rlenvs.evaluation.references:random_policy"


def zero_policy(obs):
    return np.zeros((len(obs), 1))


def test_grid_scores_equal_the_leaderboard_trial_of_the_grid_split():
    """A grid split as a benchmark's task set: the generic `return` trial gives the per-point scores, so the
    leaderboards need no special trial function, only a min over the tasks."""
    split = rlenvs.make(IP1).unwrapped.task_distribution.split("m2td3_grid")
    bench = Benchmark(name="ip1", env_id=IP1, split="m2td3_grid", split_sha256=split.sha256, episodes_per_task=2,
                      seeds=(3,), env_kwargs={"max_episode_steps": 40})
    result = evaluate_worst_case(RANDOM, IP1, "m2td3", episodes=2, seed=3, max_episode_steps=40)
    assert list(result.returns) == episode_trial(bench, RANDOM, 3)
    assert [t.to_dict() for t in split] == list(result.points)


def test_worst_case_summary_and_chunking():
    result = evaluate_worst_case(zero_policy, IP2, "rrls", episodes=2, points=4, max_episode_steps=60, seed=1)
    returns = np.array(result.returns)
    assert len(result.points) == 16 and result.grid == "rrls"
    assert result.worst == returns.min() and result.average == pytest.approx(returns.mean())
    assert result.argmin == result.points[int(returns.argmin())] and returns.min() < returns.max()
    assert max(p["polemass"] for p in result.points) < 31.0  # RRLS's grid leaves the upper bound out
    chunked = mean_returns(zero_policy, IP2, grid_points(IP2, "rrls", 4), 2, seed=1, num_envs=5, max_episode_steps=60)
    np.testing.assert_array_equal(chunked, returns)  # chunks step the same trajectories
    assert json.loads(json.dumps(result.to_dict()))["worst"] == result.worst


def test_worst_case_search_reaches_the_grid_minimum():
    grid = evaluate_worst_case(zero_policy, IP2, episodes=1, points=6, max_episode_steps=60)
    best, value = worst_case_search(zero_policy, IP2, budget=60, episodes=1, max_episode_steps=60, seed=2)
    assert set(best) == {"polemass", "cartmass"} and 1.0 <= best["polemass"] <= 31.0 and 1.0 <= best["cartmass"] <= 11.0
    assert value <= grid.worst  # 60 points searched against the 36 of the grid


def test_bad_requests_are_refused():
    with pytest.raises(ValueError, match="not a robust env"):
        evaluate_worst_case(zero_policy, "rlenvs/CheetahVel-v0")
    with pytest.raises(ValueError, match="episodes must be a positive int"):
        evaluate_worst_case(zero_policy, IP1, episodes=0)
    with pytest.raises(ValueError, match="grid must be one of"):
        evaluate_worst_case(zero_policy, IP1, grid="linspace")
    with pytest.raises(ValueError, match="polemass"):
        evaluate_worst_case(zero_policy, IP1, grid=[{"polemass": 40.0}])


def test_cli_robust_eval(tmp_path):
    out = tmp_path / "worst.json"
    done = CliRunner().invoke(app, ["robust-eval", "RobustInvertedPendulum-1d-v0", "--policy", RANDOM, "--points", "3",
                                    "--episodes", "2", "--max-episode-steps", "30", "--output", str(out)])
    assert done.exit_code == 0, done.output
    summary = json.loads(out.read_text())
    assert len(summary["points"]) == 3 and summary["worst"] == min(summary["returns"])
    assert "worst-case return" in done.output
    bad = CliRunner().invoke(app, ["robust-eval", "RobustInvertedPendulum-1d-v0", "--policy", RANDOM, "--grid", "x"])
    assert bad.exit_code == 2 and "grid must be one of" in bad.output


def test_the_full_halfcheetah_3d_grid_runs_in_one_batch(monkeypatch):
    import rlenvs.robust.evaluation as evaluation

    made = []
    envs = evaluation._envs
    monkeypatch.setattr(evaluation, "_envs", lambda *args: made.append(args[1]) or envs(*args))
    result = evaluate_worst_case(RANDOM, "rlenvs/RobustHalfCheetah-3d-v0", episodes=1, max_episode_steps=5)
    assert made == [1000] and len(set(map(str, result.points))) == 1000  # one vector env, every point in it
    assert result.argmin in result.points and result.worst < result.average


def test_the_balance_reference_holds_the_pole_where_zero_torque_drops_it():
    """At the corners of M2TD3's 2-D set (lightest and heaviest pole and cart) the scripted controller
    balances for the whole 1000-step episode; with zero force the pole falls within a few dozen steps."""
    corners = [p for p in grid_points(IP2) if p.polemass in (1.0, 31.0) and p.cartmass in (1.0, 11.0)]
    assert len(corners) == 4
    balance = mean_returns("rlenvs.robust.references:inverted_pendulum_balance", IP2, corners, 2)
    zero = mean_returns("rlenvs.evaluation.references:zero_policy", IP2, corners, 2)
    assert (balance == 1000.0).all() and (zero < 100).all(), (balance, zero)


def test_linear_feedback_refuses_an_env_of_another_shape():
    from rlenvs.robust.references import inverted_pendulum_balance

    envs = rlenvs.make_vec("rlenvs/RobustHalfCheetah-3d-v0", num_envs=2)
    with pytest.raises(ValueError, match=r"4 gains need a \(4,\) observation and a \(1,\) action"):
        inverted_pendulum_balance(envs)
    envs.close()
