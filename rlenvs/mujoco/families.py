"""The MuJoCo locomotion families: models, reset noise and the kernels that score each task.

The formulas are in the env docstrings (:mod:`rlenvs.mujoco.env`) and in :mod:`rlenvs.mujoco._kernels`.
"""

from __future__ import annotations

import numpy as np

from rlenvs.mujoco import _kernels as K
from rlenvs.mujoco import models
from rlenvs.mujoco.sim import Batch, Family
from rlenvs.mujoco.tasks import (
    AntDirDistribution,
    AntFwdBackDistribution,
    AntGoalDistribution,
    CheetahDirDistribution,
    CheetahVelDistribution,
    HopperParamDistribution,
    HumanoidDirDistribution,
    WalkerParamDistribution,
)

CONTACT_COST_WEIGHT = 0.5e-3


def _flag(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _number(name: str, value) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)) or not np.isfinite(value):
        raise TypeError(f"{name} must be a finite number, got {value!r}")
    return float(value)


class _Cheetah(Family):
    model_name = "half_cheetah.xml"
    frame_skip = 5
    obs_size = 20
    pos_noise, vel_noise, vel_normal = 0.1, 0.1, True  # gym HalfCheetah: U(-.1, .1) and 0.1 N(0, 1)
    kind: int

    def __init__(self):
        super().__init__()
        self.torso_z = float(self.model.body("torso").pos[2])

    def observe(self, mask, batch, obs):
        K.cheetah_observe(mask, batch.state, self.torso_z, obs)

    def step(self, batch, actions, task_params, obs, rewards, terminated):
        K.cheetah_step(batch.out, actions, task_params, self.kind, self.dt, self.timestep, self.torso_z,
                       batch.state, batch.warmstart, obs, rewards)


class CheetahVel(_Cheetah):
    distribution_type = CheetahVelDistribution
    kind = K.CHEETAH_VEL


class CheetahDir(_Cheetah):
    distribution_type = CheetahDirDistribution
    kind = K.CHEETAH_DIR


class _Ant(Family):
    model_name = "ant.xml"
    frame_skip = 5
    pos_noise, vel_noise, vel_normal = 0.1, 0.1, True  # PEARL's ant: U(-.1, .1) and 0.1 N(0, 1)
    kind: int

    def __init__(self, contact_cost: bool = False, terminate: bool = False):
        super().__init__(contact_cost=_flag("contact_cost", contact_cost), terminate=_flag("terminate", terminate))
        self.observed = ("cfrc_ext",) if contact_cost else ()

    def observe(self, mask, batch, obs):
        K.ant_observe(mask, batch.state, self.kind, obs)

    def step(self, batch, actions, task_params, obs, rewards, terminated):
        K.ant_step(batch.out, actions, task_params, self.kind, self.dt, self.timestep, self.options["terminate"],
                   batch.state, batch.warmstart, obs, rewards, terminated)
        if self.options["contact_cost"]:
            rewards -= contact_costs(batch)


def contact_costs(batch: Batch) -> np.ndarray:
    """``0.5e-3 * sum(clip(cfrc_ext, -1, 1) ** 2)`` of every env at its current state under its action
    (``Batch.forwarded``: only with ``contact_cost=True``)."""
    cfrc_ext = batch.forwarded[:, batch.columns["cfrc_ext"]]
    return CONTACT_COST_WEIGHT * np.square(np.clip(cfrc_ext, -1.0, 1.0)).sum(axis=1)


class AntDir(_Ant):
    obs_size = 27
    distribution_type = AntDirDistribution
    kind = K.ANT_DIR


class AntFwdBack(AntDir):
    distribution_type = AntFwdBackDistribution


class AntGoal(_Ant):
    obs_size = 29
    distribution_type = AntGoalDistribution
    kind = K.ANT_GOAL


class HumanoidDir(Family):
    """PEARL's humanoid-dir. Its observation and reward read MuJoCo's forward pass (com-based inertias and
    velocities, actuator and contact forces, the bodies' centres of mass): ``Batch.forwarded``."""

    model_name = "humanoid.xml"
    frame_skip = 5
    pos_noise, vel_noise, vel_normal = 0.01, 0.01, False  # gym Humanoid: U(-.01, .01) on qpos and qvel
    distribution_type = HumanoidDirDistribution
    # the forward-pass part of the observation, in this order: cinert (10 per body), cvel (6), qfrc_actuator
    # (nv), cfrc_ext (6), world body and free joint included as in PEARL; then the centres of mass
    observed = ("cinert", "cvel", "qfrc_actuator", "cfrc_ext", "xipos")

    def __init__(self, terminate: bool = True):
        super().__init__(terminate=_flag("terminate", terminate))
        model = self.model
        bodies, nv = model.nbody, model.nv
        self.contact_start = 16 * bodies + nv
        self.extra_width = self.contact_start + 6 * bodies
        self.obs_size = model.nq - 2 + nv + self.extra_width
        self._com = np.zeros((0, 2))

    def _views(self, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        """The observation's forward-pass part and the bodies' centres of mass ``(num_envs, nbody, 3)``."""
        if self._com.shape[0] != batch.num_envs:
            self._com = np.zeros((batch.num_envs, 2))
        xipos = batch.forwarded[:, batch.columns["xipos"]].reshape(batch.num_envs, -1, 3)
        return batch.forwarded[:, :self.extra_width], xipos

    def observe(self, mask, batch, obs):
        batch.forward_at_reset(mask)
        extras, xipos = self._views(batch)
        K.humanoid_observe(mask, batch.state, xipos, self.model.body_mass, extras, self._com, obs)

    def step(self, batch, actions, task_params, obs, rewards, terminated):
        extras, xipos = self._views(batch)
        K.handover(batch.out, self.model.nq, self.timestep, batch.state, batch.warmstart)
        K.humanoid_score(batch.state, xipos, self.model.body_mass, actions, task_params, extras,
                         self.contact_start, self.dt, self.options["terminate"], self._com, obs, rewards, terminated)


class _RandParams(Family):
    frame_skip = 4  # rand_param_envs' RandomEnv passes 4 to MujocoEnv whatever the subclass asks for
    pos_noise, vel_noise, vel_normal = 0.005, 0.005, False  # U(-.005, .005) on qpos and qvel
    changes_model = True
    kind: int

    def __init__(self, alive_bonus: float = 1.0, terminate: bool = False):
        super().__init__(alive_bonus=_number("alive_bonus", alive_bonus), terminate=_flag("terminate", terminate))
        self.nq = self.model.nq

    def configure(self, model, params, data):
        models.scale_params(model, self.model, self.distribution.task_type.scales(params), data)

    def observe(self, mask, batch, obs):
        K.planar_observe(mask, batch.state, self.nq, obs)

    def step(self, batch, actions, task_params, obs, rewards, terminated):
        K.planar_step(batch.out, actions, self.kind, self.nq, self.dt, self.timestep, self.options["alive_bonus"],
                      self.options["terminate"], batch.state, batch.warmstart, obs, rewards, terminated)


class HopperParam(_RandParams):
    model_name = "hopper_rand_params.xml"
    obs_size = 11
    distribution_type = HopperParamDistribution
    kind = K.HOPPER


class WalkerParam(_RandParams):
    model_name = "walker2d_rand_params.xml"
    obs_size = 17
    distribution_type = WalkerParamDistribution
    kind = K.WALKER
