"""HumanoidDir: PEARL's observation and reward recomputed from MuJoCo's forward pass, Gymnasium-v5 physics,
and the direction acting on the reward only (terminations: tests/mujoco/test_envs.py)."""

import gymnasium as gym
import mujoco
import numpy as np
import pytest

from rlenvs.mujoco.env import HumanoidDirEnv
from rlenvs.mujoco.tasks import HumanoidDirTask


def _forward(env, action):
    """MuJoCo's forward pass at the env's current state under ``action``, on fresh data."""
    model = env.model
    data = mujoco.MjData(model)
    data.qpos[:], data.qvel[:], data.ctrl[:] = env.qpos, env.qvel, action
    data.qacc_warmstart[:] = env._batch.warmstart[0]  # the env's carried solver warm-start (rlenvs.mujoco.sim)
    mujoco.mj_forward(model, data)
    mujoco.mj_rnePostConstraint(model, data)
    return data


def _pearl_obs(data):
    return np.concatenate([data.qpos[2:], data.qvel, data.cinert.ravel(), data.cvel.ravel(), data.qfrc_actuator,
                           data.cfrc_ext.ravel()])


def _mass_center(model, data):
    return (model.body_mass[:, None] * data.xipos).sum(axis=0) / model.body_mass.sum()


def test_observation_and_reward_follow_pearl_s_formulas():
    env = HumanoidDirEnv(task=HumanoidDirTask(angle=2.0), terminate=False)
    obs, _ = env.reset(seed=1)
    data = _forward(env, np.zeros(17))
    np.testing.assert_allclose(obs, _pearl_obs(data), rtol=1e-12, atol=1e-12)
    assert obs.shape == (376,) and not obs[45:55].any() and not obs[269:275].any()  # world body, free joint
    direction = np.array([np.cos(2.0), np.sin(2.0)])
    rng = np.random.default_rng(1)
    impacts = []
    for _ in range(25):
        before = _mass_center(env.model, data)[:2]
        action = rng.uniform(-0.4, 0.4, 17).astype(np.float32)
        obs, reward, terminated, _, _ = env.step(action)
        data = _forward(env, action)
        np.testing.assert_allclose(obs, _pearl_obs(data), rtol=1e-12, atol=1e-12)
        # PEARL's humanoid_dir.py, term by term
        lin_vel = 0.25 * direction @ (_mass_center(env.model, data)[:2] - before) / env.model.opt.timestep
        ctrl = 0.1 * np.square(action.astype(np.float64)).sum()
        impact = min(0.5e-6 * np.square(data.cfrc_ext).sum(), 10.0)
        assert reward == pytest.approx(lin_vel - ctrl - impact + 5.0, rel=1e-10, abs=1e-10)
        impacts.append(impact)
        assert not terminated
    assert max(impacts) > 1e-3  # the feet touch the floor: contact forces are not the legacy zeros


def test_physics_equals_gymnasium_humanoid_v5():
    ours = HumanoidDirEnv()
    obs, _ = ours.reset(seed=3)
    theirs = gym.make("Humanoid-v5").unwrapped
    theirs.reset(seed=0)
    theirs.set_state(ours.qpos, ours.qvel)
    actions = np.random.default_rng(2).uniform(-0.4, 0.4, (12, 17)).astype(np.float32)
    for action in actions:
        obs, _, terminated, _, _ = ours.step(action)
        _, _, their_terminated, _, _ = theirs.step(action)
        # PGS with 50 iterations: the solver's warm start shows (see rlenvs.mujoco.sim)
        np.testing.assert_allclose(obs[:45], np.concatenate([theirs.data.qpos[2:], theirs.data.qvel]), atol=1e-5)
        assert terminated == their_terminated  # both: the torso height leaves [1, 2]
        if terminated:
            break


def test_direction_changes_the_reward_not_the_dynamics():
    actions = np.random.default_rng(4).uniform(-0.4, 0.4, (15, 17))
    runs = []
    for angle in (0.0, np.pi):
        env = HumanoidDirEnv(task=HumanoidDirTask(angle=angle), terminate=False)
        env.reset(seed=4)
        runs.append([env.step(action)[:2] for action in actions])
    forward = []
    for (obs_a, reward_a), (obs_b, reward_b), action in zip(*runs, actions, strict=True):
        np.testing.assert_array_equal(obs_a, obs_b)
        # opposite directions: the velocity terms cancel and twice the shared rest remains
        shared = 5.0 - 0.1 * np.square(action).sum() - min(0.5e-6 * np.square(obs_a[-84:]).sum(), 10.0)
        assert reward_a + reward_b == pytest.approx(2 * shared, rel=1e-9)
        forward.append(reward_a - shared)
    assert np.abs(forward).max() > 1e-2
