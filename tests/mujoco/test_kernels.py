"""The MuJoCo family kernels against their NumPy twin, on random arrays (no simulation)."""

import numpy as np
import pytest

from rlenvs.core import rng as core_rng
from rlenvs.mujoco import _kernels as K
from rlenvs.mujoco import _reference as R

pytestmark = pytest.mark.kernel


def _rollout_output(n, fs, nq, nv, seed, scale=1.0):
    """Fake substep states ``(n, fs, 1 + nq + nv)`` and the states before them."""
    rng = np.random.default_rng(seed)
    before = rng.normal(0.0, scale, (n, 1 + nq + nv))
    out = before[:, None, :] + np.cumsum(rng.normal(0.0, 0.1 * scale, (n, fs, 1 + nq + nv)), axis=1)
    return before, out


def _run_both(kernel, twin, arrays, args_before, args_after):
    """Run ``kernel`` and ``twin`` on separate copies of ``arrays``; return both results."""
    mine = {k: v.copy() for k, v in arrays.items()}
    theirs = {k: v.copy() for k, v in arrays.items()}
    kernel(*args_before(mine), *args_after(mine))
    twin(*args_before(theirs), *args_after(theirs))
    return mine, theirs


def _compare(mine, theirs):
    for key in mine:
        np.testing.assert_allclose(mine[key], theirs[key], rtol=1e-13, atol=1e-13, err_msg=key)


@pytest.mark.parametrize("vel_normal", [True, False])
def test_reset_batch(vel_normal):
    n, nq, nv, params = 5, 6, 5, 3
    split = np.random.default_rng(1).normal(size=(7, params))
    arrays = {
        "rng": core_rng.new_state(n), "task_params": np.zeros((n, params)), "task_index": np.zeros(n, np.int64),
        "state": np.full((n, 1 + nq + nv), 9.0), "warmstart": np.full((n, nv), 9.0),
    }
    arrays["rng"][:, 0] = core_rng.seed_keys(np.arange(n, dtype=np.uint64))
    mask = np.array([True, False, True, True, False])
    fixed = np.random.default_rng(2).normal(size=(n, params))
    task_fixed = np.array([False, False, True, False, False])
    qpos0 = np.arange(nq, dtype=np.float64)
    for draw_task in (True, False):
        mine, theirs = _run_both(
            K.reset_batch, R.reset_batch, arrays,
            lambda a, d=draw_task: (mask, a["rng"], d, task_fixed, fixed, split, a["task_params"], a["task_index"]),
            lambda a: (qpos0, 0.1, 0.2, vel_normal, a["state"], a["warmstart"]))
        _compare(mine, theirs)
        np.testing.assert_array_equal(mine["rng"], theirs["rng"])
        np.testing.assert_array_equal(mine["task_index"], theirs["task_index"])
    state = mine["state"]
    assert (state[~mask] == 9.0).all() and (state[mask, 0] == 0.0).all() and (mine["warmstart"][mask] == 0).all()
    assert np.abs(state[mask, 1:1 + nq] - qpos0).max() <= 0.1


@pytest.mark.parametrize("fs", [1, 4])
@pytest.mark.parametrize("kind", [K.CHEETAH_VEL, K.CHEETAH_DIR])
def test_cheetah_step(kind, fs):
    n = 6
    before, out = _rollout_output(n, fs, 9, 9, seed=kind + fs)
    actions = np.random.default_rng(3).uniform(-1, 1, (n, 6))
    task = np.random.default_rng(4).uniform(-1, 3, (n, 1))
    arrays = {"state": before, "warmstart": np.zeros((n, 9)), "obs": np.zeros((n, 20)), "rewards": np.zeros(n)}
    mine, theirs = _run_both(K.cheetah_step, R.cheetah_step, arrays,
                             lambda a: (out, actions, task, kind, 0.05, 0.01, 0.7),
                             lambda a: (a["state"], a["warmstart"], a["obs"], a["rewards"]))
    _compare(mine, theirs)
    np.testing.assert_array_equal(mine["state"], out[:, -1])
    obs = np.zeros((n, 20))
    K.cheetah_observe(np.ones(n, np.bool_), out[:, -1].copy(), 0.7, obs)
    np.testing.assert_array_equal(obs, R.cheetah_obs(out[:, -1], 0.7))


@pytest.mark.parametrize("terminate", [False, True])
@pytest.mark.parametrize("kind", [K.ANT_DIR, K.ANT_GOAL])
def test_ant_step(kind, terminate):
    n = 8
    before, out = _rollout_output(n, 5, 15, 14, seed=10 + kind, scale=0.5)
    out[:, -1, 3] = np.linspace(0.0, 1.4, n)  # torso heights in and out of [0.2, 1]
    out[0, -1, 20] = np.nan
    actions = np.random.default_rng(5).uniform(-1, 1, (n, 8))
    task = np.random.default_rng(6).uniform(-3, 3, (n, 2))
    size = 27 if kind == K.ANT_DIR else 29
    arrays = {"state": before, "warmstart": np.zeros((n, 14)), "obs": np.zeros((n, size)), "rewards": np.zeros(n),
              "terminated": np.zeros(n, np.bool_)}
    mine, theirs = _run_both(K.ant_step, R.ant_step, arrays,
                             lambda a: (out, actions, task, kind, 0.05, 0.01, terminate),
                             lambda a: (a["state"], a["warmstart"], a["obs"], a["rewards"], a["terminated"]))
    _compare(mine, theirs)
    np.testing.assert_array_equal(mine["terminated"], theirs["terminated"])
    assert mine["terminated"].any() == terminate and not mine["terminated"].all()


@pytest.mark.parametrize("terminate", [False, True])
@pytest.mark.parametrize("kind,nq", [(K.HOPPER, 6), (K.WALKER, 9)])
def test_planar_step(kind, nq, terminate):
    n = 10
    before, out = _rollout_output(n, 4, nq, nq, seed=20 + kind, scale=4.0)
    out[:, -1, 2] = np.linspace(0.5, 2.2, n)  # heights
    out[:, -1, 3] = np.linspace(-1.2, 1.2, n)  # angles
    arrays = {"state": before, "warmstart": np.zeros((n, nq)), "obs": np.zeros((n, 2 * nq - 1)),
              "rewards": np.zeros(n), "terminated": np.zeros(n, np.bool_)}
    actions = np.random.default_rng(7).uniform(-1, 1, (n, 3 if kind == K.HOPPER else 6))
    mine, theirs = _run_both(K.planar_step, R.planar_step, arrays,
                             lambda a: (out, actions, kind, nq, 0.016, 0.004, 1.0, terminate),
                             lambda a: (a["state"], a["warmstart"], a["obs"], a["rewards"], a["terminated"]))
    _compare(mine, theirs)
    np.testing.assert_array_equal(mine["terminated"], theirs["terminated"])
    assert np.abs(mine["obs"][:, nq - 1:]).max() <= 10.0 < np.abs(out[:, -1, 1 + nq:]).max()
    assert mine["terminated"].any() == terminate and not mine["terminated"].all()


def test_load_action_writes_valid_actions_only():
    low, high = -np.ones(3), np.ones(3)
    actions, ctrl = np.zeros((1, 3)), np.zeros((1, 4, 3))
    assert K.load_action(np.array([-1.0, 0.25, 1.0], dtype=np.float32), low, high, actions, ctrl)
    np.testing.assert_array_equal(actions[0], [-1.0, 0.25, 1.0])
    np.testing.assert_array_equal(ctrl[0], np.tile([-1.0, 0.25, 1.0], (4, 1)))
    for bad in ([0.0, 1.0 + 1e-12, 0.0], [0.0, np.nan, 0.0], [0.0, 0.0]):
        assert not K.load_action(np.array(bad), low, high, actions, ctrl)
    np.testing.assert_array_equal(actions[0], [-1.0, 0.25, 1.0])  # untouched


def test_handover_is_advance_for_every_env():
    before, out = _rollout_output(5, 4, 6, 5, seed=30)
    arrays = {"state": before, "warmstart": np.zeros((5, 5))}
    mine, theirs = _run_both(K.handover, R.advance, arrays, lambda a: (out, 6, 0.01),
                             lambda a: (a["state"], a["warmstart"]))
    _compare(mine, theirs)
    np.testing.assert_array_equal(mine["state"], out[:, -1])


@pytest.mark.parametrize("terminate", [False, True])
def test_humanoid_score_and_observe(terminate):
    n, bodies, extra, start = 7, 14, 331, 247
    rng = np.random.default_rng(40)
    state = rng.normal(size=(n, 48))
    state[:, 3] = np.linspace(0.5, 2.5, n)  # torso heights in and out of [1, 2]
    state[0, 3] = np.nan
    body_xy, mass = rng.normal(size=(n, bodies, 2)), np.concatenate([[0.0], rng.uniform(1, 8, bodies - 1)])
    extras = rng.normal(0.0, 3e3, (n, extra))  # large contact forces: the impact cap binds for some envs
    arrays = {"com": rng.normal(size=(n, 2)), "obs": np.zeros((n, 376)), "rewards": np.zeros(n),
              "terminated": np.zeros(n, np.bool_)}
    actions, task = rng.uniform(-0.4, 0.4, (n, 17)), rng.uniform(0, 2 * np.pi, (n, 1))
    mine, theirs = _run_both(K.humanoid_score, R.humanoid_score, arrays,
                             lambda a: (state, body_xy, mass, actions, task, extras, start, 0.015, terminate),
                             lambda a: (a["com"], a["obs"], a["rewards"], a["terminated"]))
    _compare(mine, theirs)
    np.testing.assert_array_equal(mine["terminated"], theirs["terminated"])
    assert mine["terminated"].any() == terminate and not mine["terminated"].all()
    assert 0.5e-6 * (extras[:, start:] ** 2).sum(axis=1).max() > 10.0  # the cap was exercised
    mask = np.array([True, False, True, False, False, True, True])
    arrays = {"com": np.full((n, 2), 9.0), "obs": np.full((n, 376), 9.0)}
    mine, theirs = _run_both(K.humanoid_observe, R.humanoid_observe, arrays,
                             lambda a: (mask, state, body_xy, mass, extras), lambda a: (a["com"], a["obs"]))
    _compare(mine, theirs)
    assert (mine["obs"][~mask] == 9.0).all()
