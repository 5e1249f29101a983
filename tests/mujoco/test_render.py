"""Rendering of the MuJoCo envs (headless: EGL is chosen automatically on Linux without a display)."""

import numpy as np
import pytest

import rlenvs
from rlenvs.mujoco.tasks import AntGoalTask


def _frame(env):
    try:
        return env.render()
    except RuntimeError as err:
        if "OpenGL context" in str(err):
            pytest.skip(f"no OpenGL backend for MuJoCo here (EGL or OSMesa needed): {err.__cause__!r}")
        raise


@pytest.mark.parametrize("env_id", ["rlenvs/CheetahVel-v0", "rlenvs/AntGoal-v0", "rlenvs/HumanoidDir-v0",
                                    "rlenvs/WalkerParam-v0"])
def test_rgb_array_frames_follow_the_robot(env_id):
    env = rlenvs.make(env_id, render_mode="rgb_array", width=96, height=64)
    env.reset(seed=0)
    first = _frame(env)
    assert first.shape == (64, 96, 3) and first.dtype == np.uint8 and first.std() > 5
    env.action_space.seed(0)
    for _ in range(15):
        env.step(env.action_space.sample())
    assert np.abs(_frame(env).astype(int) - first).mean() > 0.5  # the robot moved
    env.close()


def test_ant_goal_marker_is_drawn_where_the_goal_is():
    env = rlenvs.make("rlenvs/AntGoal-v0", render_mode="rgb_array", width=160, height=120)
    red = []
    for goal in ((0.0, -0.5), (30.0 / 10, 0.0)):
        env.reset(seed=0, options={"task": AntGoalTask(goal=goal)})
        image = _frame(env).astype(int)
        red.append(((image[..., 0] > 150) & (image[..., 1] < 90) & (image[..., 2] < 90)).sum())
    assert red[0] > 20 and red[1] < red[0]  # in view near the ant, out of (most of) the view far away
    env.close()


def test_human_mode_shows_frames_in_a_window():
    pytest.importorskip("pygame", reason="pygame is not installed (rlenvs[render])")
    env = rlenvs.make("rlenvs/CheetahDir-v0", render_mode="human", width=64, height=48)
    try:
        env.reset(seed=0)
    except RuntimeError as err:
        if "OpenGL context" in str(err):
            pytest.skip(f"no OpenGL backend for MuJoCo here: {err.__cause__!r}")
        raise
    assert env.render() is None and env.unwrapped._window.get_size() == (64, 48)
    env.step(env.action_space.sample())
    env.close()
    assert env.unwrapped._window is None


def test_render_without_mode_warns_and_returns_none():
    env = rlenvs.make("rlenvs/CheetahVel-v0")
    env.reset(seed=0)
    with pytest.warns(UserWarning, match="render_mode"):
        assert env.unwrapped.render() is None
