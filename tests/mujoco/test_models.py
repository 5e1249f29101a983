"""The models: the shipped rand_param_envs conversions, Gymnasium's assets, parameter changes + mj_setConst."""

import mujoco
import numpy as np
import pytest

from rlenvs.mujoco import families, models
from rlenvs.mujoco.tasks import HopperParamDistribution

PHYSICS_FIELDS = ("body_mass", "body_inertia", "dof_damping", "dof_armature", "geom_friction",
                  "geom_size", "geom_condim", "geom_contype", "geom_conaffinity", "geom_margin", "geom_solref",
                  "geom_solimp", "jnt_range", "jnt_axis", "jnt_stiffness", "qpos0", "actuator_gear",
                  "actuator_ctrlrange")


@pytest.mark.parametrize("ours,gymnasium", [("hopper_rand_params.xml", "hopper.xml"),
                                            ("walker2d_rand_params.xml", "walker2d.xml")])
def test_rand_param_models_equal_gymnasiums_independent_conversion(ours, gymnasium):
    """Gymnasium converted the same global-coordinate XMLs with MuJoCo 2.3.3's compiler; with the timestep set
    back to rand_param_envs' 0.004 s, both compile to the same physics (same masses, inertias, geoms, joints)
    and the same world-frame kinematics (the body frames sit elsewhere, so frame-relative fields such as
    ``body_ipos`` differ)."""
    mine = models.base_model(ours)
    spec = mujoco.MjSpec.from_file(str(models.asset_path("half_cheetah.xml").with_name(gymnasium)))
    spec.option.timestep = 0.004
    theirs = spec.compile()
    assert mine.opt.timestep == 0.004 and mine.opt.integrator == theirs.opt.integrator == mujoco.mjtIntegrator.mjINT_RK4
    for name in PHYSICS_FIELDS:
        np.testing.assert_allclose(getattr(mine, name), getattr(theirs, name), rtol=0, atol=1e-14, err_msg=name)
    data_mine, data_theirs = mujoco.MjData(mine), mujoco.MjData(theirs)
    for seed in range(3):
        qpos = mine.qpos0 + np.random.default_rng(seed).uniform(-0.5, 0.5, mine.nq)
        data_mine.qpos[:], data_theirs.qpos[:] = qpos, qpos
        mujoco.mj_forward(mine, data_mine)
        mujoco.mj_forward(theirs, data_theirs)
        for name in ("xipos", "ximat", "geom_xpos", "geom_xmat", "xanchor", "xaxis", "qM"):
            np.testing.assert_allclose(getattr(data_mine, name), getattr(data_theirs, name), atol=1e-12, err_msg=name)


@pytest.mark.parametrize("family,dt", [(families.CheetahVel, 0.05), (families.AntDir, 0.05),
                                       (families.HumanoidDir, 0.015), (families.HopperParam, 0.016),
                                       (families.WalkerParam, 0.016)])
def test_control_periods(family, dt):
    # PEARL / Meta-DT: cheetah and ant 0.01 s x 5, humanoid 0.003 s x 5; rand_param_envs hopper and walker
    # 0.004 s x 4
    assert family().dt == pytest.approx(dt, abs=1e-15)


def test_gymnasium_models_are_the_pearl_ones():
    cheetah, ant = models.base_model("half_cheetah.xml"), models.base_model("ant.xml")
    assert (cheetah.nq, cheetah.nv, cheetah.nu) == (9, 9, 6)
    assert (ant.nq, ant.nv, ant.nu, ant.nbody) == (15, 14, 8, 14)
    np.testing.assert_array_equal(ant.actuator_gear[:, 0], 150.0)
    assert ant.opt.integrator == mujoco.mjtIntegrator.mjINT_RK4 and ant.opt.timestep == 0.01
    np.testing.assert_array_equal(ant.qpos0[:7], [0, 0, 0.75, 1, 0, 0, 0])
    humanoid = models.base_model("humanoid.xml")  # gym's Humanoid-v2 model, which PEARL's humanoid-dir uses
    assert (humanoid.nq, humanoid.nv, humanoid.nu, humanoid.nbody) == (24, 23, 17, 14)
    assert humanoid.opt.integrator == mujoco.mjtIntegrator.mjINT_RK4 and humanoid.opt.timestep == 0.003
    assert humanoid.opt.solver == mujoco.mjtSolver.mjSOL_PGS and humanoid.opt.iterations == 50
    np.testing.assert_array_equal(humanoid.actuator_ctrlrange, np.tile([-0.4, 0.4], (17, 1)))
    with pytest.raises(ValueError, match="unknown model"):
        models.asset_path("no_such.xml")


def test_scale_params_multiplies_and_recomputes_derived_constants():
    base = models.base_model("hopper_rand_params.xml")
    model, data = models.base_model("hopper_rand_params.xml").__copy__(), mujoco.MjData(base)
    task = HopperParamDistribution().split("train")[0]
    scales = task.scales(task.to_array())
    models.scale_params(model, base, scales, data)
    np.testing.assert_allclose(model.body_mass, base.body_mass * np.asarray(task.body_mass), rtol=1e-15)
    np.testing.assert_allclose(model.geom_friction, base.geom_friction * scales["geom_friction"], rtol=1e-15)
    np.testing.assert_allclose(model.dof_damping, base.dof_damping * np.asarray(task.dof_damping), rtol=1e-15)
    # mj_setConst: the subtree masses follow the new masses (the torso's subtree is the whole hopper)
    assert model.body_subtreemass[1] == pytest.approx(model.body_mass[1:].sum(), rel=1e-12)
    assert model.body_subtreemass[1] != pytest.approx(base.body_subtreemass[1], rel=1e-3)
    assert model.stat.meaninertia != pytest.approx(base.stat.meaninertia, rel=1e-3)
    # the shared base model is untouched
    assert base.body_subtreemass[1] == pytest.approx(base.body_mass[1:].sum(), rel=1e-12)
