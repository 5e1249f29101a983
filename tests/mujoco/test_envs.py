"""The MuJoCo envs: rewards and observations recomputed from the simulator state, terminations, task effects
on the dynamics, faithfulness to a plain ``mj_step`` loop, batching, options and rendering."""

import math

import mujoco
import numpy as np
import pytest

import rlenvs
from rlenvs.mujoco import families
from rlenvs.mujoco.env import AntDirEnv, HopperParamEnv
from rlenvs.mujoco.tasks import AntDirTask, AntGoalTask, CheetahDirTask, CheetahVelTask, HopperParamTask

IDS = ["rlenvs/CheetahVel-v0", "rlenvs/CheetahDir-v0", "rlenvs/AntDir-v0", "rlenvs/AntFwdBack-v0",
       "rlenvs/AntGoal-v0", "rlenvs/HopperParam-v0", "rlenvs/WalkerParam-v0"]


def expected_reward(env_id, task, qpos_before, qpos_after, action, dt):
    """Each family's reward from the positions before and after the step (PEARL / rand_param_envs formulas)."""
    a2 = float(np.square(np.asarray(action, dtype=np.float64)).sum())
    velocity = (qpos_after[:2] - qpos_before[:2]) / dt
    if env_id == "rlenvs/CheetahVel-v0":
        return -abs(velocity[0] - task["velocity"]) - 0.05 * a2
    if env_id == "rlenvs/CheetahDir-v0":
        return task["direction"] * velocity[0] - 0.05 * a2
    if env_id in ("rlenvs/AntDir-v0", "rlenvs/AntFwdBack-v0"):
        direction = np.array([math.cos(task["angle"]), math.sin(task["angle"])])
        return float(velocity @ direction) - 0.5 * a2 + 1.0
    if env_id == "rlenvs/AntGoal-v0":
        return -float(np.abs(qpos_after[:2] - np.asarray(task["goal"])).sum()) - 0.1 * a2
    return velocity[0] + 1.0 - 1e-3 * a2  # hopper, walker


def expected_obs(env_id, model, qpos, qvel):
    if "Cheetah" in env_id:
        data = mujoco.MjData(model)
        data.qpos[:], data.qvel[:] = qpos, qvel
        mujoco.mj_kinematics(model, data)
        return np.concatenate([qpos[1:], qvel, data.body("torso").xpos])
    if env_id == "rlenvs/AntGoal-v0":
        return np.concatenate([qpos, qvel])
    if "Ant" in env_id:
        return np.concatenate([qpos[2:], qvel])
    return np.concatenate([qpos[1:], np.clip(qvel, -10, 10)])


@pytest.mark.parametrize("env_id", IDS)
def test_rewards_and_observations_recomputed_from_the_state(env_id):
    env = rlenvs.make(env_id)
    unwrapped = env.unwrapped
    obs, info = env.reset(seed=1)
    np.testing.assert_allclose(obs, expected_obs(env_id, unwrapped.model, unwrapped.qpos, unwrapped.qvel), atol=1e-12)
    env.action_space.seed(1)
    for _ in range(30):
        action = env.action_space.sample()
        before = unwrapped.qpos
        obs, reward, terminated, truncated, _ = env.step(action)
        after = unwrapped.qpos
        assert reward == pytest.approx(expected_reward(env_id, info["task"], before, after, action, unwrapped.dt),
                                       rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(obs, expected_obs(env_id, unwrapped.model, after, unwrapped.qvel), atol=1e-12)
        assert not terminated and not truncated


def test_a_step_is_frame_skip_substeps_of_the_task_model():
    """The state after one env step is that of ``frame_skip`` plain ``mj_step`` calls on the env's model."""
    env = rlenvs.make("rlenvs/WalkerParam-v0")
    env.reset(seed=3)
    unwrapped = env.unwrapped
    model, data = unwrapped.model, mujoco.MjData(unwrapped.model)
    data.qpos[:], data.qvel[:] = unwrapped.qpos, unwrapped.qvel
    action = np.full(6, 0.5, dtype=np.float32)
    data.ctrl[:] = action
    mujoco.mj_step(model, data, nstep=4)
    env.step(action)
    np.testing.assert_array_equal(unwrapped.qpos, data.qpos)  # the first step: same warm-start (0), bit for bit
    assert data.time == pytest.approx(unwrapped.dt)


def test_contact_cost_flag_subtracts_the_clipped_external_forces():
    plain = AntDirEnv(task=AntDirTask(angle=1.0))
    costly = AntDirEnv(task=AntDirTask(angle=1.0), contact_cost=True)
    plain.reset(seed=0)
    costly.reset(seed=0)
    rng = np.random.default_rng(0)
    costs = []
    for _ in range(40):
        action = rng.uniform(-1, 1, 8)
        r_plain, r_costly = plain.step(action)[1], costly.step(action)[1]
        np.testing.assert_array_equal(plain.qpos, costly.qpos)  # the cost changes the reward only
        data = mujoco.MjData(costly.model)
        data.qpos[:], data.qvel[:], data.ctrl[:] = costly.qpos, costly.qvel, action
        data.qacc_warmstart[:] = costly._batch.warmstart[0]
        mujoco.mj_forward(costly.model, data)
        mujoco.mj_rnePostConstraint(costly.model, data)
        cost = 0.5e-3 * np.square(np.clip(data.cfrc_ext, -1, 1)).sum()
        assert r_plain - r_costly == pytest.approx(cost, rel=1e-12, abs=1e-15)
        costs.append(cost)
    assert max(costs) > 1e-4  # the ant touches the floor: the cost is not the legacy zero


@pytest.mark.parametrize("terminate", [True, False])
@pytest.mark.parametrize("env_id", ["rlenvs/HopperParam-v0", "rlenvs/WalkerParam-v0", "rlenvs/AntDir-v0",
                                    "rlenvs/HumanoidDir-v0"])
def test_terminate_flag_ends_unhealthy_episodes(env_id, terminate):
    env = rlenvs.make(env_id, terminate=terminate)
    unwrapped = env.unwrapped
    low, high = env.action_space.low, env.action_space.high
    ended = 0
    for seed in range(3):
        env.reset(seed=seed)
        rng = np.random.default_rng(seed)
        for _ in range(200):
            obs, _, terminated, truncated, _ = env.step(rng.uniform(low, high).astype(np.float32))
            qpos, qvel = unwrapped.qpos, unwrapped.qvel
            height, angle = qpos[1], qpos[2]
            if env_id == "rlenvs/HopperParam-v0":
                state = np.concatenate([qpos, qvel])
                healthy = np.isfinite(state).all() and (np.abs(state[2:]) < 100).all() and height > 0.7 and abs(
                    angle) < 0.2
            elif env_id == "rlenvs/WalkerParam-v0":
                healthy = 0.8 < height < 2.0 and -1.0 < angle < 1.0
            elif env_id == "rlenvs/HumanoidDir-v0":
                healthy = 1.0 <= qpos[2] <= 2.0  # PEARL's humanoid-dir
            else:
                healthy = 0.2 <= qpos[2] <= 1.0
            assert terminated == (terminate and not healthy)
            if terminated or truncated:
                ended += terminated
                break
    if env_id != "rlenvs/AntDir-v0":  # random actions topple the hopper, the walker and the humanoid
        assert ended == (3 if terminate else 0)


@pytest.mark.parametrize("env_id,tasks", [
    ("rlenvs/CheetahVel-v0", [CheetahVelTask(velocity=0.5), CheetahVelTask(velocity=2.5)]),
    ("rlenvs/CheetahDir-v0", [CheetahDirTask(direction=1), CheetahDirTask(direction=-1)]),
    ("rlenvs/AntGoal-v0", [AntGoalTask(goal=(2.0, 0.0)), AntGoalTask(goal=(-1.0, -2.0))]),
])
def test_reward_tasks_change_the_reward_not_the_dynamics(env_id, tasks):
    runs = []
    for task in tasks:
        env = rlenvs.make(env_id)
        env.reset(seed=4, options={"task": task})
        env.action_space.seed(4)
        runs.append([env.step(env.action_space.sample())[:2] for _ in range(20)])
    for (obs_a, _), (obs_b, _) in zip(*runs, strict=True):
        np.testing.assert_array_equal(obs_a, obs_b)
    assert [r for _, r in runs[0]] != [r for _, r in runs[1]]


def _param_task(**groups):
    """A HopperParamTask of all-ones multipliers except the given groups."""
    sizes = {"body_mass": 5, "body_inertia": 15, "dof_damping": 6, "geom_friction": 15}
    return HopperParamTask(**{name: groups.get(name, (1.0,) * n) for name, n in sizes.items()})


def _trajectory(env, task, steps=60, seed=5):
    env.reset(seed=seed, options={"task": task})
    rng = np.random.default_rng(seed)
    return np.array([env.step(rng.uniform(-1, 1, 3))[0] for _ in range(steps)])


@pytest.mark.parametrize("group", ["body_mass", "body_inertia", "dof_damping", "geom_friction"])
def test_every_parameter_group_changes_the_hopper_dynamics(group):
    env = HopperParamEnv()
    ones = _param_task()
    reference = _trajectory(env, ones)
    base = families.HopperParam().model
    for name in ("body_mass", "body_inertia", "dof_damping", "geom_friction", "body_subtreemass"):
        np.testing.assert_array_equal(getattr(env.model, name), getattr(base, name))  # all ones: the base model
    n = len(getattr(ones, group))
    # friction matters only where a geom touches the floor: scale every entry, the floor's included
    changed = _trajectory(env, _param_task(**{group: (2.0,) * n if group == "geom_friction" else (0.5,) * n}))
    assert np.abs(changed - reference).max() > 1e-3
    np.testing.assert_array_equal(_trajectory(env, ones), reference)  # and back


def test_split_tasks_give_different_walker_dynamics():
    env = rlenvs.make("rlenvs/WalkerParam-v0")
    split = env.unwrapped.task_distribution.split("train")
    finals = []
    for task in split.tasks[:3]:
        env.reset(seed=6, options={"task": task})
        rng = np.random.default_rng(6)
        for _ in range(40):
            obs = env.step(rng.uniform(-1, 1, 6))[0]
        finals.append(obs)
    assert min(np.abs(a - b).max() for i, a in enumerate(finals) for b in finals[i + 1:]) > 1e-3
