"""The robust MuJoCo families: Gymnasium's v5 robots whose transition parameters are the task.

One :class:`RobustFamily` serves every robot and uncertainty set (:mod:`rlenvs.robust.tasks`); the
batched simulation is :mod:`rlenvs.mujoco.sim`'s, the observations, rewards and terminations are
:func:`rlenvs.robust._kernels.score`'s.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from importlib import resources

import mujoco
import numpy as np

from rlenvs.mujoco.sim import CTRL, Batch, Family
from rlenvs.robust import _kernels as K
from rlenvs.robust.tasks import ALL_GEOMS, uncertainty_set

XFRC = mujoco.mjtState.mjSTATE_XFRC_APPLIED.value


@dataclass(frozen=True)
class Robot:
    """A Gymnasium v5 robot: its model, substeps, reset noise and observation layout.

    Reset: ``qpos = qpos0 + U(-noise, noise)``, ``qvel = noise * N(0, 1)`` (``vel_normal``) or
    ``U(-noise, noise)``. Observation: ``qpos[obs_skip:]``, ``qvel`` clipped to ``vel_clip``, then the
    ``extras`` (``"contact"``: ``cfrc_ext[1:]``; ``"humanoid"``: ``cinert[1:]``, ``cvel[1:]``,
    ``qfrc_actuator[6:]``, ``cfrc_ext[1:]``).
    """

    xml: str
    frame_skip: int
    noise: float
    vel_normal: bool
    kind: int
    obs_skip: int
    vel_clip: float = np.inf
    extras: str = ""


ROBOTS = {
    "half_cheetah": Robot("half_cheetah.xml", 5, 0.1, True, K.HALF_CHEETAH, 1),
    "hopper": Robot("hopper.xml", 4, 5e-3, False, K.HOPPER, 1, vel_clip=10.0),
    "walker2d": Robot("walker2d_v5.xml", 4, 5e-3, False, K.WALKER2D, 1, vel_clip=10.0),
    "ant": Robot("ant.xml", 5, 0.1, True, K.ANT, 2, extras="contact"),
    "humanoid_standup": Robot("humanoidstandup.xml", 5, 1e-2, False, K.HUMANOID_STANDUP, 2, extras="humanoid"),
    "inverted_pendulum": Robot("inverted_pendulum.xml", 2, 0.01, False, K.INVERTED_PENDULUM, 0),
}
ANT_CONTACT_CLIP = 1.0  # Ant-v5's contact_force_range


@cache
def robot_model(xml: str) -> mujoco.MjModel:
    """Gymnasium's model ``xml`` less its textures, compiled once per process (shared: copy it to change it).

    The textures are visual only (the checkered floor and skybox) and hold 0.5 MB of each model's 0.52
    MB, which every env's own copy would carry. The InvertedPendulum, which has no camera, gets a fixed
    side view named ``track`` (the camera the envs render from).
    """
    root = ET.parse(resources.files("gymnasium") / "envs" / "mujoco" / "assets" / xml).getroot()
    for asset in root.iter("asset"):
        for texture in asset.findall("texture"):
            asset.remove(texture)
        for material in asset.iter("material"):
            material.attrib.pop("texture", None)
    if not any(camera.get("name") == "track" for camera in root.iter("camera")):
        ET.SubElement(root.find("worldbody"), "camera", name="track", pos="0 -2.4 0.3", xyaxes="1 0 0 0 0 1")
    return mujoco.MjModel.from_xml_string(ET.tostring(root, encoding="unicode"))


class RobustFamily(Family):
    """A robot (:data:`ROBOTS`) whose task is a point of one of its uncertainty sets.

    Physical-parameter sets write the task into each env's own model (``changes_model``); force sets
    share the model and feed the forces to each step as ``xfrc_applied`` inputs beside the
    actuator controls. The Ant and the HumanoidStandup observe quantities of MuJoCo's forward pass
    (contact forces, com-based inertias and velocities): ``Batch.forwarded``, one ``mj_forward`` and
    ``mj_rnePostConstraint`` per env after its step, on the stepping threads (about 7% of a step of physics).
    """

    def __init__(self, robot: str = "half_cheetah", uncertainty: str = "3d", convention: str = "m2td3",
                 contact_forces: bool | None = None):
        self.uncertainty = uncertainty_set(robot, uncertainty, convention)
        spec = self.robot = ROBOTS[robot]
        if contact_forces is None:
            contact_forces = spec.extras == "contact"
        elif robot != "ant":
            raise ValueError(f"contact_forces applies to the Ant only, not to {self.uncertainty.title}")
        elif not isinstance(contact_forces, (bool, np.bool_)):
            raise TypeError(f"contact_forces must be True or False, got {contact_forces!r}")
        self.options = {"robot": robot, "uncertainty": uncertainty, "convention": convention,
                        "contact_forces": bool(contact_forces)}
        self.distribution = self.uncertainty.distribution()
        self.model = model = robot_model(spec.xml)
        self.model_name, self.frame_skip = spec.xml, spec.frame_skip
        self.timestep = float(model.opt.timestep)
        self.dt = self.timestep * self.frame_skip
        self.pos_noise = self.vel_noise = spec.noise
        self.vel_normal = spec.vel_normal
        forces = uncertainty == "force"
        self.changes_model = not forces
        self.control_spec = CTRL | XFRC if forces else CTRL
        parameters = self.uncertainty.parameters
        # extras: (kind, width, where the contact forces start, clip)
        self.extras = spec.extras if spec.extras != "contact" or contact_forces else ""
        bodies = model.nbody - 1
        width = {"": 0, "contact": 6 * bodies, "humanoid": 16 * bodies + model.nv - 6 + 6 * bodies}[self.extras]
        self.extra_width, self.contact_start = width, width - 6 * bodies if self.extras else 0
        self.extra_clip = ANT_CONTACT_CLIP if self.extras == "contact" else np.inf
        self.observed = {"": (), "contact": ("cfrc_ext",),
                         "humanoid": ("cinert", "cvel", "qfrc_actuator", "cfrc_ext")}[self.extras]
        self.obs_size = model.nq - spec.obs_skip + model.nv + width
        # the model every task starts from: the model's values, less what the convention fixes elsewhere
        self.base_mass = model.body_mass.copy()
        self.base_friction = model.geom_friction[:, 0].copy()
        for _name, field, index, value in self.uncertainty.fixed:
            self._write(self.base_mass, self.base_friction, field, index, value)
        self._targets = [(p.field, p.index) for p in parameters]
        self._input_columns = np.array([model.nu + 6 * p.index + p.axis for p in parameters])
        self._extra = np.zeros((0, width))
        self._x_before = np.zeros(0)

    @staticmethod
    def _write(mass: np.ndarray, friction: np.ndarray, field: str, index: int, value: float) -> None:
        if field == "body_mass":
            mass[index] = value
        elif index == ALL_GEOMS:
            friction[:] = value
        else:
            friction[index] = value

    def configure(self, model, params, data):
        model.body_mass[:] = self.base_mass
        model.geom_friction[:, 0] = self.base_friction
        for (field, index), value in zip(self._targets, params, strict=True):
            self._write(model.body_mass, model.geom_friction[:, 0], field, index, value)

    def configure_inputs(self, mask, task_params, ctrl):
        rows = np.flatnonzero(mask)
        ctrl[rows[:, None, None], np.arange(ctrl.shape[1])[None, :, None], self._input_columns] = \
            task_params[rows][:, None, :]

    def _buffers(self, batch: Batch) -> None:
        if self._x_before.shape[0] != batch.num_envs:
            self._extra = np.zeros((batch.num_envs, self.extra_width))
            self._x_before = np.zeros(batch.num_envs)

    def _gather(self, batch: Batch) -> None:
        """The extras from ``batch.forwarded``, less the world body's values and the free joint's forces."""
        forwarded, columns, extra = batch.forwarded, batch.columns, self._extra
        bodies = self.model.nbody - 1
        if self.extras == "humanoid":
            extra[:, :10 * bodies] = forwarded[:, columns["cinert"]][:, 10:]
            extra[:, 10 * bodies:16 * bodies] = forwarded[:, columns["cvel"]][:, 6:]
            extra[:, 16 * bodies:self.contact_start] = forwarded[:, columns["qfrc_actuator"]][:, 6:]
        extra[:, self.contact_start:] = forwarded[:, columns["cfrc_ext"]][:, 6:]

    def observe(self, mask, batch, obs):
        self._buffers(batch)
        if self.extras:  # at an episode's start: zero controls, as MuJoCo's reset leaves them, and the task's forces
            batch.forward_at_reset(mask)
            self._gather(batch)
        K.observe(mask, batch.state, self.model.nq, self.robot.obs_skip, self.robot.vel_clip, self._extra,
                  self.extra_clip, obs)

    def step(self, batch, actions, task_params, obs, rewards, terminated):
        self._buffers(batch)
        K.handover(batch.out, self.model.nq, self.timestep, batch.state, batch.warmstart, self._x_before)
        if self.extras:
            self._gather(batch)
        K.score(self.robot.kind, batch.state, self._x_before, actions, self._extra, self.contact_start,
                self.model.nq, self.robot.obs_skip, self.robot.vel_clip, self.extra_clip, self.dt, self.timestep,
                obs, rewards, terminated)
