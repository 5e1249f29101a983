"""The oracle policy factories through the leaderboard runner, and ``rlenvs play`` without a display."""

import os
import subprocess
import sys

import numpy as np
import pytest

import rlenvs
from rlenvs.evaluation.protocol import Benchmark
from rlenvs.evaluation.runner import run_trial
from rlenvs.gridworld.lpg import optimal_return


def protocol(env_id: str, split: str, episodes: int = 1) -> Benchmark:
    dist = rlenvs.make(env_id).unwrapped.task_distribution
    return Benchmark(name="t", env_id=env_id, split=split, split_sha256=dist.split(split).sha256,
                     episodes_per_task=episodes, seeds=(0,))


def test_lpg_optimal_scores_the_optimum_on_average():
    bench = protocol("rlenvs/LPGGrid-Small-v0", "test", episodes=8)
    scores = np.array(run_trial(bench, "rlenvs.gridworld.references:lpg_optimal", 0))
    best = np.array([optimal_return(t) for t in bench.tasks()])
    random = np.array(run_trial(bench, "rlenvs.evaluation.references:random_policy", 0))
    assert abs(scores.mean() - best.mean()) < 0.05 * best.mean()
    assert random.mean() < 0.5 * scores.mean()


def test_maze_shortest_path_scores_the_optimum():
    bench = protocol("rlenvs/Maze-v0", "test")
    scores = run_trial(bench, "rlenvs.gridworld.references:maze_shortest_path", 0)
    np.testing.assert_allclose(scores, [t.optimal_return(250) for t in bench.tasks()], atol=1e-12)


def test_lock_oracle_always_opens_the_lock():
    bench = protocol("rlenvs/CombinationLock-v0", "test", episodes=3)
    assert run_trial(bench, "rlenvs.gridworld.references:lock_oracle", 0) == [1.0] * 20
    assert max(run_trial(bench, "rlenvs.evaluation.references:random_policy", 0)) == 0.0


@pytest.mark.parametrize(("env_id", "keys"), [("rlenvs/Maze-v0", "[pygame.K_UP, pygame.K_LEFT, pygame.K_d]"),
                                              ("rlenvs/LPGGrid-v0", "[pygame.K_UP, pygame.K_s, pygame.K_SPACE]")])
def test_play_runs_headless(env_id, keys):
    code = ("import os; os.environ['SDL_VIDEODRIVER']='dummy'; os.environ['SDL_AUDIODRIVER']='dummy'; import pygame;"
            f"from rlenvs.gridworld.play import play; r = play({env_id!r}, seed=0, max_steps=12, keys={keys});"
            "print(r['steps'], len(r['returns']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SDL_VIDEODRIVER": "dummy"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["12", "1"]


def test_play_refuses_the_lock():
    from rlenvs.gridworld.play import _controls

    with pytest.raises(ValueError, match="supports Maze and LPGGrid"):
        _controls(rlenvs.make("rlenvs/CombinationLock-v0").unwrapped)
