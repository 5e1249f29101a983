"""PrefPointButton: kernels vs the NumPy twin, the reward recomputed, the scripted reference, success."""

import numpy as np
import pytest

from rlenvs.core import rng as core_rng
from rlenvs.preference import _pbrl_kernels as K
from rlenvs.preference import _pbrl_reference as R
from rlenvs.preference.point_button import (
    OBS_HOLD,
    PointButtonDistribution,
    PointButtonTask,
    PrefPointButtonEnv,
    PrefPointButtonVectorEnv,
    scripted_actions,
)


def _batch_state(n, seed):
    rng = np.random.default_rng(seed)
    state = {
        "rng": core_rng.new_state(n),
        "task_fixed": rng.random(n) < 0.3,
        "fixed_params": rng.uniform(-0.8, 0.8, (n, 4)),
        "split_params": PointButtonDistribution().split("train").to_array(),
        "task_params": np.zeros((n, 4)),
        "task_index": np.zeros(n, dtype=np.int64),
        "state": np.zeros((n, 6)),
        "elapsed": np.zeros(n, dtype=np.int64),
        "needs_reset": np.zeros(n, dtype=np.bool_),
        "obs": np.zeros((n, 10), dtype=np.float32),
        "rewards": np.zeros(n),
        "terminations": np.zeros(n, dtype=np.bool_),
        "truncations": np.zeros(n, dtype=np.bool_),
    }
    state["rng"][:, 0] = core_rng.seed_keys(np.arange(n, dtype=np.uint64) + np.uint64(seed))
    return state


@pytest.mark.kernel
def test_kernels_match_the_numpy_reference():
    n, max_steps = 7, 30
    fast, slow = _batch_state(n, 3), _batch_state(n, 3)
    keys = ("rng", "task_fixed", "fixed_params", "split_params", "task_params", "task_index", "state")
    mask = np.ones(n, dtype=np.bool_)
    K.reset_batch(mask, *(fast[k] for k in keys), fast["obs"])
    R.reset_batch(mask, *(slow[k] for k in keys), slow["obs"])
    rng = np.random.default_rng(4)
    pressed = truncated = 0
    for _ in range(70):
        # the scripted controller (with noise) presses buttons, so both reward stages are compared
        a = np.clip(scripted_actions(fast["obs"]) + rng.normal(0, 0.3, (n, 2)), -1, 1)
        for s, step in ((fast, K.step_batch), (slow, R.step_batch)):
            step(a, *(s[k] for k in keys), s["elapsed"], s["needs_reset"], max_steps, s["obs"], s["rewards"],
                 s["terminations"], s["truncations"])
        for name in fast:
            np.testing.assert_allclose(fast[name], slow[name], rtol=0, atol=1e-12, err_msg=name)
        pressed += int((fast["state"][:, 4] > 0).sum())
        truncated += int(fast["truncations"].sum())
    assert pressed > 0 and truncated >= 2 * n


@pytest.mark.kernel
def test_step_single_matches_the_reference():
    state, params, obs = np.array([[0.3, 0.2, 0.1, -0.05, 0.0, 0.0]]), np.array([[0.35, 0.2, -0.5, 0.5]]), \
        np.zeros((1, 10), dtype=np.float32)
    twin = state.copy()
    reward = K.step_single(np.array([-0.5, 0.25]), state, params, obs)
    expected = R.advance(np.array([[-0.5, 0.25]]), twin, params)
    assert reward == pytest.approx(float(expected[0]), abs=1e-15)
    np.testing.assert_allclose(state, twin, rtol=0, atol=1e-15)
    assert state[0, 4] == 1.0  # arrived on the button slowly: pressed


def test_rewards_recomputed_by_hand():
    task = PointButtonTask(button=(0.5, 0.0), handle=(-0.5, 0.5))
    env = PrefPointButtonEnv(task=task)
    env.reset(seed=0)
    base = env.unwrapped
    base._state[0] = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    obs, reward, *_ = env.step(np.array([1.0, 0.0], dtype=np.float32))
    # v = 0.2, p = 0.02 from the origin, d_b = 0.48, not pressed
    assert obs[0] == pytest.approx(0.02) and obs[2] == pytest.approx(0.2)
    assert reward == pytest.approx(0.5 * (1 - np.tanh(2 * 0.48)), abs=1e-12)
    base._state[0] = (0.5, 0.05, 0.0, 0.0, 0.0, 0.0)  # on the button, at rest
    obs, reward, _, _, info = env.step(np.zeros(2, dtype=np.float32))
    d_h = np.hypot(1.0, 0.45)
    assert obs[8] == 1.0 and reward == pytest.approx(0.5 + 0.25 * (1 - np.tanh(2 * d_h)), abs=1e-12)
    base._state[0] = (-0.5, 0.45, 0.0, 0.0, 1.0, 9.0)  # on the handle, pressed, 9 steps held
    obs, reward, _, _, info = env.step(np.zeros(2, dtype=np.float32))
    assert reward == pytest.approx(0.5 + 0.25 * (1 - np.tanh(2 * 0.05)) + 0.25, abs=1e-12)
    assert info["success"] and obs[OBS_HOLD] == 1.0
    base._state[0] = (-0.5, 0.45, 0.5, 0.0, 1.0, 12.0)  # too fast to hold: the hold restarts
    obs, reward, _, _, info = env.step(np.zeros(2, dtype=np.float32))
    assert not info["success"] and obs[OBS_HOLD] == 0.0 and reward < 0.75


def test_scripted_reference_succeeds_and_random_does_not():
    tasks = list(PointButtonDistribution().split("test"))
    envs = PrefPointButtonVectorEnv(len(tasks), tasks=tasks)
    for policy, expected in ((scripted_actions, 1.0), (None, 0.0)):
        obs, _ = envs.reset(seed=0)
        envs.action_space.seed(0)
        success = np.zeros(len(tasks), dtype=bool)
        for _ in range(100):
            obs, *_ = envs.step(envs.action_space.sample() if policy is None else policy(obs))
            success |= obs[:, OBS_HOLD] >= 1.0
        assert success.mean() == expected


def test_task_distribution_respects_its_constraints():
    dist = PointButtonDistribution()
    tasks = list(dist.split("train")) + dist.sample_many(np.random.default_rng(0), 200)
    for t in tasks:
        b, h = np.array(t.button), np.array(t.handle)
        assert np.abs([*b, *h]).max() <= 0.8 and min(np.hypot(*b), np.hypot(*h)) >= 0.4
        assert np.hypot(*(b - h)) >= 0.5


def test_render_and_bad_arguments():
    env = PrefPointButtonEnv(render_mode="rgb_array")
    env.reset(seed=0)
    image = env.render()
    assert image.shape == (256, 256, 3) and (image == (245, 130, 48)).all(axis=-1).any()
    with pytest.raises(ValueError, match="render_mode must be one of"):
        PrefPointButtonEnv(render_mode="human")
    with pytest.raises(RuntimeError, match="call reset"):
        PrefPointButtonEnv().step(np.zeros(2, dtype=np.float32))
