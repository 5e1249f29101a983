import subprocess
import sys
from pathlib import Path

import gymnasium as gym
import pytest
from typer.testing import CliRunner

import rlenvs
from rlenvs.benchmarking import Runner, measure
from rlenvs.cli import app, env_table_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_every_entry_is_registered_with_gymnasium():
    for entry in rlenvs.list_envs(api="gymnasium"):
        spec = gym.spec(entry.id)
        assert spec.entry_point == entry.entry_point and spec.vector_entry_point == entry.vector_entry_point
        assert spec.max_episode_steps == entry.max_episode_steps
        assert entry.id.startswith("rlenvs/") and entry.id.rsplit("-v", 1)[1].isdigit()
        assert entry.paper and entry.family and entry.summary
        obs, act = entry.spaces()
        assert isinstance(obs, gym.Space) and isinstance(act, gym.Space)


def test_unknown_ids_suggest_close_matches():
    with pytest.raises(rlenvs.UnknownEnvError, match="Did you mean rlenvs/PointRobot-v0"):
        rlenvs.make("PointRobt-v0")
    with pytest.raises(gym.error.UnregisteredEnv):
        rlenvs.make("rlenvs/Nothing-v9")
    assert rlenvs.get_entry("PointRobot-v0").id == "rlenvs/PointRobot-v0"


def test_make_vec_defaults_to_the_native_env():
    envs = rlenvs.make_vec("PointRobot-v0", num_envs=3)
    assert type(envs).__name__ == "PointRobotVectorEnv" and envs.num_envs == 3
    assert envs.max_episode_steps == 20


def test_import_compiles_nothing():
    code = "import sys, rlenvs; bad = [m for m in ('numba', 'rlenvs.point_robot') if m in sys.modules]; print(bad)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_cli_list_info_bench():
    runner = CliRunner()
    listed = runner.invoke(app, ["list"])
    assert listed.exit_code == 0 and "rlenvs/PointRobotSparse-v0" in listed.output
    info = runner.invoke(app, ["info", "rlenvs/PointRobot-v0"])
    assert info.exit_code == 0
    for text in ("goal: 2 floats in [-1, 1]", "pearl_test", "89b5b2e3e9fe20f0", "Meta-DT", "Box(-0.1, 0.1"):
        assert text in info.output
    bad = runner.invoke(app, ["info", "PointRobt-v0"])
    assert bad.exit_code == 2 and "Did you mean" in bad.output
    bench = runner.invoke(app, ["bench", "PointRobot-v0", "-n", "16", "-s", "0.05", "--sync-num-envs", "4"])
    assert bench.exit_code == 0 and "native vector" in bench.output and "SyncVectorEnv" in bench.output


def test_readme_env_table_is_fresh():
    readme = (ROOT / "README.md").read_text()
    start, end = "<!-- env-table:start -->\n", "\n<!-- env-table:end -->"
    assert start in readme and end in readme
    table = readme.split(start, 1)[1].split(end, 1)[0]
    assert table == env_table_markdown(), "README env table is stale: run `rlenvs list --markdown`"


@pytest.mark.parametrize(("mode", "num_envs"), [("single", 1), ("sync", 3), ("vector", 8)])
def test_runner_counts_transitions_not_autoresets(mode, num_envs):
    runner = Runner("rlenvs/PointRobot-v0", mode, num_envs)
    blocks = 3
    for _ in range(blocks):
        runner.run_block()
    steps = len(runner.actions) * blocks
    if mode == "single":
        assert runner.transitions == steps
    else:  # every 21st step of each env is an autoreset (20-step episodes, NEXT_STEP)
        assert runner.transitions == num_envs * (steps - steps // 21)
    runner.close()
    result = measure("rlenvs/PointRobot-v0", mode, num_envs, seconds=0.02)
    assert result.env_steps_per_s > 0 and result.num_envs == num_envs
    with pytest.raises(ValueError, match="mode must be one of"):
        Runner("rlenvs/PointRobot-v0", "async")


def test_warm_up_fits_the_block_to_the_time_per_block():
    runner = Runner("rlenvs/PointRobot-v0", "vector", 8)
    full = len(runner.actions)
    runner.warm_up(block_seconds=60.0)  # Point-Robot is fast: the whole block fits
    assert len(runner.actions) == full and runner.transitions == runner.blocks == 0
    runner.warm_up(block_seconds=0.0)
    assert len(runner.actions) == 1
    runner.close()


def test_readme_quickstart_runs():
    readme = (ROOT / "README.md").read_text()
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md", "exec"), {})


def test_play_without_a_play_module_is_a_clear_error():
    result = CliRunner().invoke(app, ["play", "PointRobot-v0"])
    assert result.exit_code == 2 and "has no play mode" in result.output


def test_api_kinds_are_kept_apart():
    assert {e.api for e in rlenvs.list_envs()} <= {"gymnasium", "pettingzoo"}
    kinds = [e.id for kind in ("gymnasium", "pettingzoo") for e in rlenvs.list_envs(api=kind)]
    assert sorted(kinds) == sorted(e.id for e in rlenvs.list_envs())
    with pytest.raises(ValueError, match="is a Gymnasium env"):
        rlenvs.make_parallel("PointRobot-v0")


def test_envs_that_read_user_data_say_where_to_get_it(monkeypatch):
    monkeypatch.delenv("RLENVS_HPOB_DIR", raising=False)
    entry = rlenvs.get_entry("rlenvs/BO-HPOB-v0")
    assert entry.user_data and f"depends on the {entry.user_data}" in env_table_markdown()
    result = CliRunner().invoke(app, ["info", entry.id])
    assert result.exit_code == 2 and "needs the HPO-B data" in result.output and "never downloads" in result.output
    with pytest.raises(FileNotFoundError, match="RLENVS_HPOB_DIR"):
        rlenvs.make(entry.id)
