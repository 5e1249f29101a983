"""Task distributions of the MuJoCo families: published task lists, ranges, samplers, disjoint splits."""

import math

import numpy as np
import pytest

from rlenvs.mujoco.tasks import (
    AntDirDistribution,
    AntFwdBackDistribution,
    AntGoalDistribution,
    CheetahDirDistribution,
    CheetahVelDistribution,
    HopperParamDistribution,
    HopperParamTask,
    HumanoidDirDistribution,
    WalkerParamDistribution,
    WalkerParamTask,
)


def test_pearl_cheetah_vel_tasks_recomputed():
    # oyster rlkit/envs/half_cheetah_vel.py: np.random.seed(1337); uniform(0, 3, size=(130,)); 100 train, 30 eval
    velocities = np.random.RandomState(1337).uniform(0.0, 3.0, size=(130,))
    dist = CheetahVelDistribution()
    np.testing.assert_array_equal(dist.split("pearl_train").to_array()[:, 0], velocities[:100])
    np.testing.assert_array_equal(dist.split("pearl_test").to_array()[:, 0], velocities[100:])
    assert dist.split("pearl_train")[0].velocity == pytest.approx(0.786074, abs=1e-6)  # legacy stream, pinned


def test_prompt_dt_cheetah_vel_grid():
    # Prompt-DT cheetah_vel_40: linspace(0.075, 3, 40) (step 0.075), test tasks 2, 7, 15, 23, 26
    dist = CheetahVelDistribution()
    test = dist.split("promptdt_test").to_array()[:, 0]
    np.testing.assert_allclose(test, [0.225, 0.6, 1.2, 1.8, 2.025], atol=1e-12)
    train = dist.split("promptdt_train").to_array()[:, 0]
    assert len(train) == 35 and train[0] == 0.075 and train[-1] == 3.0
    assert not set(np.round(train, 9)) & set(np.round(test, 9))


@pytest.mark.parametrize("dist", [CheetahVelDistribution(), AntDirDistribution(), AntGoalDistribution(),
                                  HopperParamDistribution(), WalkerParamDistribution()], ids=type)
def test_meta_dt_splits_are_45_5_and_disjoint(dist):
    train, test = dist.split("train"), dist.split("test")
    assert (len(train), len(test)) == (45, 5)
    assert not set(train.tasks) & set(test.tasks) and len(set(train.tasks)) == 45


def test_humanoid_dir_splits_have_pearl_s_sizes_and_are_disjoint():
    # oyster configs/humanoid-dir.json: n_train_tasks 100, n_eval_tasks 30
    train, test = HumanoidDirDistribution().split("train"), HumanoidDirDistribution().split("test")
    assert (len(train), len(test)) == (100, 30)
    assert not set(train.tasks) & set(test.tasks) and len(set(train.tasks)) == 100


@pytest.mark.parametrize("dist,members", [(CheetahDirDistribution(), [(1,), (-1,)]),
                                          (AntFwdBackDistribution(), [(0.0,), (math.pi,)])], ids=type)
def test_two_direction_families_test_on_their_two_directions(dist, members):
    for name in ("train", "test"):
        assert [tuple(t.to_array()) for t in dist.split(name)] == members
    draws = {tuple(t.to_array()) for t in dist.sample_many(np.random.default_rng(0), 40)}
    assert draws == set(members)


def test_samplers_follow_the_published_ranges():
    rng = np.random.default_rng(0)
    velocities = np.array([t.velocity for t in CheetahVelDistribution().sample_many(rng, 2000)])
    assert 0.0 <= velocities.min() and velocities.max() <= 3.0 and abs(velocities.mean() - 1.5) < 0.1
    for dist in (AntDirDistribution(), HumanoidDirDistribution()):
        angles = np.array([t.angle for t in dist.sample_many(rng, 2000)])
        assert 0.0 <= angles.min() and angles.max() <= 2 * math.pi and abs(angles.mean() - math.pi) < 0.15
    goals = np.array([t.goal for t in AntGoalDistribution().sample_many(rng, 4000)])
    radii = np.hypot(goals[:, 0], goals[:, 1])
    assert radii.max() <= 3.0
    # uniform in the disk: P(r <= 3 sqrt(q)) = q
    assert abs(np.mean(radii <= 3.0 * math.sqrt(0.25)) - 0.25) < 0.03
    assert abs(np.mean(radii <= 3.0 * math.sqrt(0.5)) - 0.5) < 0.03


@pytest.mark.parametrize("dist", [HopperParamDistribution(), WalkerParamDistribution()], ids=type)
def test_param_multipliers_are_log_uniform(dist):
    # rand_param_envs: 1.5 ** U(-3, 3) for mass, inertia, friction; 1.3 ** U(-3, 3) for damping
    tasks = dist.sample_many(np.random.default_rng(0), 400)
    for name, base in (("body_mass", 1.5), ("body_inertia", 1.5), ("geom_friction", 1.5), ("dof_damping", 1.3)):
        exponents = np.log(np.array([getattr(t, name) for t in tasks])) / np.log(base)
        assert -3.0 <= exponents.min() < -2.9 and 2.9 < exponents.max() <= 3.0, name
        assert abs(exponents.mean()) < 0.1 and abs(exponents.std() - math.sqrt(3.0)) < 0.1, name


@pytest.mark.parametrize("task_type,sizes", [(HopperParamTask, {"body_mass": (5,), "body_inertia": (5, 3),
                                                                "dof_damping": (6,), "geom_friction": (5, 3)}),
                                             (WalkerParamTask, {"body_mass": (8,), "body_inertia": (8, 3),
                                                                "dof_damping": (9,), "geom_friction": (8, 3)})])
def test_param_scales_are_shaped_like_the_model_fields(task_type, sizes):
    dist = HopperParamDistribution() if task_type is HopperParamTask else WalkerParamDistribution()
    task = dist.split("train")[0]
    scales = task_type.scales(task.to_array())
    assert {k: v.shape for k, v in scales.items()} == sizes
    np.testing.assert_array_equal(scales["body_inertia"].ravel(), task.body_inertia)
    with pytest.raises(ValueError, match="body_mass"):
        task_type.from_dict({**task.to_dict(), "body_mass": [4.0] * sizes["body_mass"][0]})
