"""The robust MuJoCo envs: the published sets, Gymnasium-v5 parity, every parameter acting, the RRLS
variants, and the get_params / set_params interface."""

import gymnasium as gym
import mujoco
import numpy as np
import pytest

import rlenvs
from rlenvs.robust import uncertainty_set
from rlenvs.robust.families import robot_model

# Gymnasium id, env id, parameters, and how M2TD3 / RRLS write them into a Gymnasium model (independently of ours)
PARITY = {
    "half_cheetah": ("HalfCheetah-v5", "RobustHalfCheetah-3d-v0", {"worldfriction": 1.3, "torsomass": 2.0,
                                                                  "backthighmass": 2.5}),
    "hopper": ("Hopper-v5", "RobustHopper-3d-v0", {"worldfriction": 2.5, "torsomass": 2.0, "thighmass": 1.5}),
    "walker2d": ("Walker2d-v5", "RobustWalker2d-3d-v0", {"worldfriction": 3.0, "torsomass": 2.0, "thighmass": 1.5}),
    "ant": ("Ant-v5", "RobustAnt-3d-v0", {"torsomass": 1.0, "frontleftlegmass": 0.5, "frontrightlegmass": 0.2}),
    "humanoid_standup": ("HumanoidStandup-v5", "RobustHumanoidStandup-3d-v0",
                         {"torsomass": 5.0, "rightfootmass": 3.0, "leftthighmass": 2.0}),
    "inverted_pendulum": ("InvertedPendulum-v5", "RobustInvertedPendulum-2d-v0", {"polemass": 3.0, "cartmass": 2.0}),
}
BODY = {"torsomass": 1, "backthighmass": 2, "thighmass": 2, "frontleftlegmass": 2, "frontrightlegmass": 4,
        "rightfootmass": 6, "leftthighmass": 7, "polemass": 2, "cartmass": 1}


def _gymnasium_env(gym_id, params):
    env = gym.make(gym_id).unwrapped
    for name, value in params.items():
        if name == "worldfriction" and gym_id.startswith("HalfCheetah"):
            env.model.geom_friction[:, 0] = value  # RRLS; M2TD3's <default> rewrite reaches every geom
        elif name == "worldfriction":
            env.model.geom_friction[0, 0] = value  # the floor: the only geom with the default friction
        else:
            env.model.body_mass[BODY[name]] = value
    return env


@pytest.mark.parametrize("robot", list(PARITY))
def test_steps_equal_gymnasium_v5_under_the_same_parameters(robot):
    gym_id, env_id, params = PARITY[robot]
    ours = rlenvs.make(env_id).unwrapped
    obs, _ = ours.reset(seed=3, options=params)
    theirs = _gymnasium_env(gym_id, params)
    theirs.reset(seed=0)
    theirs.set_state(ours.qpos, ours.qvel)
    nq, nv = theirs.model.nq, theirs.model.nv
    skip = {"inverted_pendulum": 0, "ant": 2, "humanoid_standup": 2}.get(robot, 1)
    base = nq - skip + nv  # positions and velocities; the Ant's and HumanoidStandup's forward-pass rest follows
    np.testing.assert_array_equal(obs[:base], theirs._get_obs()[:base])
    actions = np.random.default_rng(1).uniform(-0.3, 0.3, (10, theirs.model.nu)) * theirs.action_space.high
    tolerance = 1e-5 if robot == "humanoid_standup" else 1e-8  # PGS, 50 iterations: the warm start shows
    for action in actions.astype(np.float32):
        obs, reward, terminated, _, info = ours.step(action)
        their_obs, their_reward, their_terminated, _, _ = theirs.step(action)
        np.testing.assert_allclose(obs[:base], their_obs[:base], atol=tolerance)
        assert terminated == their_terminated and info == params
        if base < len(obs):  # our forward-pass quantities: those of the state the positions describe
            data = mujoco.MjData(theirs.model)
            data.qpos[:], data.qvel[:], data.ctrl[:] = theirs.data.qpos, theirs.data.qvel, action
            mujoco.mj_forward(theirs.model, data)
            mujoco.mj_rnePostConstraint(theirs.model, data)
            forces = data.cfrc_ext[1:].ravel()
            expected = np.clip(forces, -1, 1) if robot == "ant" else forces
            np.testing.assert_allclose(obs[-78:], expected, atol=1e-3 * max(1.0, np.abs(forces).max()))
        else:
            assert reward == pytest.approx(their_reward, abs=1e-6)  # Gymnasium's control cost is float32
        if terminated:
            break


def test_textureless_models_simulate_as_gymnasium_s():
    for xml in ("half_cheetah.xml", "ant.xml", "humanoidstandup.xml"):
        lean = robot_model(xml)
        full = gym.make({"half_cheetah.xml": "HalfCheetah-v5", "ant.xml": "Ant-v5",
                         "humanoidstandup.xml": "HumanoidStandup-v5"}[xml]).unwrapped.model
        assert lean.ntex == 0 < full.ntex and lean.nbuffer < full.nbuffer / 10
        for field in ("body_mass", "body_inertia", "geom_friction", "geom_size", "dof_damping", "actuator_gear"):
            np.testing.assert_array_equal(getattr(lean, field), getattr(full, field), err_msg=field)
        datas = [mujoco.MjData(lean), mujoco.MjData(full)]
        for model, data in zip((lean, full), datas, strict=True):
            data.ctrl[:] = 0.3
            mujoco.mj_step(model, data, nstep=200)
        np.testing.assert_array_equal(datas[0].qpos, datas[1].qpos)
    assert "track" in [robot_model("inverted_pendulum.xml").camera(i).name for i in range(1)]


def _trajectories(env_id, tasks, steps=60, seed=5, **kwargs):
    """Observations of one vector env holding ``tasks``, every env with the same seed and actions."""
    envs = rlenvs.make_vec(env_id, num_envs=len(tasks), max_episode_steps=None, **kwargs)
    obs, _ = envs.reset(seed=[seed] * len(tasks), options={"tasks": tasks})
    actions = np.random.default_rng(0).uniform(-0.5, 0.5, (steps, *envs.single_action_space.shape))
    actions *= envs.single_action_space.high
    record = [obs]
    for action in actions:
        record.append(envs.step(np.repeat(action[None], len(tasks), axis=0))[0])
    envs.close()
    return np.stack(record, axis=1)  # (env, step, obs)


SETS = ["RobustHalfCheetah-3d-v0", "RobustHopper-3d-v0", "RobustWalker2d-3d-v0", "RobustAnt-3d-v0",
        "RobustHumanoidStandup-3d-v0", "RobustInvertedPendulum-2d-v0", "RobustHalfCheetah-Force-v0",
        "RobustHopper-Force-v0", "RobustWalker2d-Force-v0", "RobustAnt-Force-v0", "RobustHumanoidStandup-Force-v0",
        "RobustInvertedPendulum-Force-v0"]


@pytest.mark.parametrize("env_id", SETS)
def test_every_parameter_changes_the_dynamics(env_id):
    task_type = rlenvs.make(env_id).unwrapped.task_distribution.task_type
    specs = task_type.field_specs()
    base = {s.name: s.low + 0.3 * (s.high - s.low) for s in specs}
    if "worldfriction" in base:
        base["worldfriction"] = 0.5  # below every body geom's friction: the high end must reach the feet
    tasks = [task_type(**base)] + [task_type(**{**base, s.name: s.high}) for s in specs]
    record = _trajectories(env_id, tasks)
    for k, spec in enumerate(specs, start=1):
        assert np.abs(record[k] - record[0]).max() > 1e-3, f"{spec.name} does not change {env_id}"


@pytest.mark.parametrize("convention", ["m2td3", "rrls"])
@pytest.mark.parametrize("env_id", ["RobustHopper-1d-v0", "RobustWalker2d-1d-v0"])
def test_floor_friction_below_the_body_geoms_friction_is_inert(env_id, convention):
    """Both conventions set the floor only; MuJoCo takes a contact's larger friction, and every body geom
    has at least 0.9 (the feet 2.0 and 1.9), so floor friction up to 0.9 changes nothing at all."""
    task_type = rlenvs.make(env_id, convention=convention).unwrapped.task_distribution.task_type
    record = _trajectories(env_id, [task_type(worldfriction=f) for f in (0.1, 0.5, 0.9, 2.5)], steps=150,
                           convention=convention)
    np.testing.assert_array_equal(record[1], record[0])
    np.testing.assert_array_equal(record[2], record[0])
    assert np.abs(record[3] - record[0]).max() > 1e-3


def test_rrls_planar_forces_along_y_act_on_nothing():
    rrls = uncertainty_set("half_cheetah", "force", "rrls").task_type
    names = [s.name for s in rrls.field_specs()]
    assert names == ["torsoforce_x", "torsoforce_y", "backfootforce_x", "backfootforce_y", "forwardfootforce_x",
                     "forwardfootforce_y"]
    zero = dict.fromkeys(names, 0.0)
    tasks = [rrls(**zero), rrls(**{**zero, "torsoforce_y": 3.0, "backfootforce_y": -3.0}),
             rrls(**{**zero, "torsoforce_x": 3.0})]
    record = _trajectories("RobustHalfCheetah-Force-v0", tasks, convention="rrls")
    np.testing.assert_array_equal(record[1], record[0])
    assert np.abs(record[2] - record[0]).max() > 1e-3


def test_the_sets_are_m2td3_s_and_rrls_s():
    hc1 = uncertainty_set("half_cheetah", "1d")
    assert hc1.bounds == {"worldfriction": (0.1, 4.0)}
    assert uncertainty_set("half_cheetah", "1d", "rrls").bounds == {"worldfriction": (0.1, 3.0)}
    assert uncertainty_set("half_cheetah", "3d").bounds == {"worldfriction": (0.1, 4.0), "torsomass": (0.1, 7.0),
                                                             "backthighmass": (0.1, 3.0)}
    assert uncertainty_set("hopper", "3d").bounds == {"worldfriction": (0.1, 3.0), "torsomass": (0.1, 3.0),
                                                       "thighmass": (0.1, 4.0)}
    assert uncertainty_set("walker2d", "3d").bounds == {"worldfriction": (0.1, 4.0), "torsomass": (0.1, 5.0),
                                                         "thighmass": (0.1, 6.0)}
    assert uncertainty_set("ant", "3d").bounds == {"torsomass": (0.1, 3.0), "frontleftlegmass": (0.01, 3.0),
                                                    "frontrightlegmass": (0.01, 3.0)}
    assert uncertainty_set("humanoid_standup", "2d").bounds == {"torsomass": (0.1, 16.0), "rightfootmass": (0.1, 8.0)}
    assert uncertainty_set("humanoid_standup", "3d").bounds == {"torsomass": (0.1, 16.0), "rightfootmass": (0.1, 5.0),
                                                                 "leftthighmass": (0.1, 8.0)}
    assert uncertainty_set("humanoid_standup", "3d", "rrls").bounds == {
        "torsomass": (0.1, 16.0), "rightfootmass": (0.1, 8.0), "leftthighmass": (0.1, 5.0)}
    assert uncertainty_set("inverted_pendulum", "2d").bounds == {"polemass": (1.0, 31.0), "cartmass": (1.0, 11.0)}
    ant = robot_model("ant.xml")
    m2td3, rrls = (uncertainty_set("ant", "3d", c).parameters[2].index for c in ("m2td3", "rrls"))
    assert ant.body(m2td3).name == "" and ant.body(m2td3).parentid == 3  # the front-left ankle
    assert ant.body(rrls).name == "front_right_leg"
    for robot in ("half_cheetah", "hopper", "walker2d", "ant", "humanoid_standup", "inverted_pendulum"):
        forces = uncertainty_set(robot, "force").bounds
        assert set(forces.values()) == {(-3.0, 3.0)} and len(forces) in (2, 4, 6)
    assert list(uncertainty_set("hopper", "force").bounds) == ["footforce_x", "footforce_z"]
    assert list(uncertainty_set("ant", "force", "rrls").bounds)[:2] == ["torsoforce_x", "torsoforce_y"]
    # distributions that differ get their own split seeds; equal boxes share splits across conventions
    assert uncertainty_set("half_cheetah", "1d", "rrls").family != hc1.family
    assert uncertainty_set("ant", "3d", "rrls").task_type is uncertainty_set("ant", "3d").task_type
    with pytest.raises(ValueError, match="uncertainty set of InvertedPendulum must be one of"):
        uncertainty_set("inverted_pendulum", "3d")
    with pytest.raises(ValueError, match="convention must be one of"):
        uncertainty_set("hopper", "1d", "m2td4")


def test_rrls_convention_writes_rrls_bodies_and_defaults():
    ant = {c: rlenvs.make("RobustAnt-3d-v0", convention=c).unwrapped for c in ("m2td3", "rrls")}
    nominal = robot_model("ant.xml").body_mass
    for convention, body in (("m2td3", 4), ("rrls", 5)):
        env = ant[convention]
        env.reset(seed=0, options={"torsomass": 1.0, "frontleftlegmass": 0.5, "frontrightlegmass": 2.0})
        expected = nominal.copy()
        expected[[1, 2, body]] = 1.0, 0.5, 2.0
        np.testing.assert_array_equal(env.model.body_mass, expected)
    for convention, cart in (("m2td3", 10.471975511965978), ("rrls", 5.018591641363306)):
        env = rlenvs.make("RobustInvertedPendulum-1d-v0", convention=convention).unwrapped
        env.reset(seed=0, options={"polemass": 20.0})
        assert env.model.body_mass[1] == pytest.approx(cart) and env.model.body_mass[2] == 20.0
    with pytest.raises(ValueError, match="worldfriction"):
        rlenvs.make("RobustHalfCheetah-1d-v0", convention="rrls").reset(options={"worldfriction": 3.5})
    rlenvs.make("RobustHalfCheetah-1d-v0").reset(options={"worldfriction": 3.5})


def test_params_interface_follows_rrls():
    env = rlenvs.make("RobustHalfCheetah-2d-v0")
    base = env.unwrapped
    with pytest.raises(RuntimeError, match="reset"):
        base.get_params()
    with pytest.raises(ValueError, match="fix a task first"):
        base.set_params(torsomass=2.0)
    _, info = env.reset(seed=0, options={"worldfriction": 0.2, "torsomass": 5.0})
    assert base.get_params() == {"worldfriction": 0.2, "torsomass": 5.0} == info["task"]
    assert info["worldfriction"] == 0.2 and info["torsomass"] == 5.0
    assert env.step(env.action_space.sample())[4] == {"worldfriction": 0.2, "torsomass": 5.0}
    _, info = env.reset(options={"torsomass": 1.0, "worldfriction": None})  # None keeps; the rest persists
    assert base.get_params() == {"worldfriction": 0.2, "torsomass": 1.0}
    assert env.reset()[1]["task"] == {"worldfriction": 0.2, "torsomass": 1.0}
    with pytest.raises(ValueError, match="unknown parameter"):
        base.set_params(legmass=1.0)
    with pytest.raises(ValueError, match="outside"):
        base.set_params(torsomass=7.5)
    with pytest.raises(ValueError, match="unknown reset option"):
        env.reset(options={"thighmass": 1.0})
    # mid-episode: the model changes at once, and the next steps follow the new dynamics
    twin = rlenvs.make("RobustHalfCheetah-2d-v0")
    for e in (env, twin):
        e.reset(seed=4, options={"worldfriction": 0.2, "torsomass": 1.0})
        for _ in range(5):
            e.step(np.full(6, 0.5, np.float32))
    base.set_params(torsomass=6.5)
    assert base.model.body_mass[1] == 6.5 and base.get_params()["torsomass"] == 6.5
    ours, theirs = env.step(np.full(6, 0.5, np.float32)), twin.step(np.full(6, 0.5, np.float32))
    assert ours[4]["torsomass"] == 6.5 and not np.array_equal(ours[0], theirs[0])
    assert env.reset()[1]["torsomass"] == 6.5  # set_params fixes the task for later episodes too
