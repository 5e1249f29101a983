"""Single envs of the MuJoCo locomotion families (PEARL, Meta-DT): a batch of one of :mod:`rlenvs.mujoco.sim`.

Every env here steps through the same code as its vector env (:mod:`rlenvs.mujoco.vector`), so the two give
identical trajectories for the same seeds, tasks and actions.
"""

from __future__ import annotations

import atexit
import os
import sys
import weakref
from collections.abc import Mapping
from typing import Any, ClassVar

import gymnasium as gym
import mujoco
import numpy as np
from gymnasium import spaces

from rlenvs.core.env import TaskEnv
from rlenvs.core.spaces import check_action
from rlenvs.mujoco import _kernels as K
from rlenvs.mujoco import families
from rlenvs.mujoco.sim import Batch, Family

RENDER_SIZE = 480
_RENDERING: weakref.WeakSet = weakref.WeakSet()  # envs holding a renderer, closed at exit (see render)


def family_spaces(family: Family) -> tuple[spaces.Box, spaces.Box]:
    """(observation space, action space) of one env of ``family``: unbounded float64 observations, and
    the actuators' control range as a float32 box."""
    obs = spaces.Box(-np.inf, np.inf, shape=(family.obs_size,), dtype=np.float64)
    low, high = family.model.actuator_ctrlrange.T
    return obs, spaces.Box(low.astype(np.float32), high.astype(np.float32), dtype=np.float32)


class MujocoTaskEnv(TaskEnv):
    """Base of the single MuJoCo task envs; a subclass names its ``family_type`` and documents it.

    Shared behaviour:

    - **Physics.** One env step is ``frame_skip`` MuJoCo substeps with the action held, run as
      ``mujoco.rollout`` runs them (see :mod:`rlenvs.mujoco.sim`, which also explains the carried solver
      warm-start).
      ``env.unwrapped.qpos`` / ``qvel`` are the current state (copies), ``env.unwrapped.model`` the env's
      ``MjModel`` (its own copy for families whose tasks change the model), ``env.unwrapped.dt`` the
      control period.
    - **Actions** outside the action space raise ``ValueError`` (MuJoCo would clamp them to the control
      range silently; wrap the env in ``gymnasium.wrappers.ClipAction`` for that).
    - **Episodes** last 200 steps (Meta-DT's horizon): ``gym.make`` adds the ``TimeLimit``;
      ``gym.make(id, max_episode_steps=H)`` changes it.
    - **Rendering.** ``render_mode="rgb_array"`` returns ``(height, width, 3)`` uint8 frames from the
      model's tracking camera (default 480 x 480); ``"human"`` shows them in a pygame window. MuJoCo picks
      its OpenGL backend from ``MUJOCO_GL`` when it is imported; on Linux without a display and with
      ``MUJOCO_GL`` unset, the first render switches it to EGL (Mesa's software EGL will do: no GPU or
      display needed). ``MUJOCO_GL=osmesa`` (needs libOSMesa) is the other headless choice.
    - **Batched form.** ``gym.make_vec(id, num_envs=N)`` returns the native vector env (all envs
      stepped at once, on ``num_threads`` threads).
    """

    metadata: ClassVar[dict[str, Any]] = {"render_modes": ["rgb_array", "human"], "render_fps": 20}
    family_type: ClassVar[type[Family]]

    def __init__(self, *, task: Any = None, task_split: str = "train", render_mode: str | None = None,
                 width: int = RENDER_SIZE, height: int = RENDER_SIZE, **options: Any):
        family = self.family_type(**options)
        super().__init__(family.distribution, task=task, task_split=task_split)
        if render_mode not in (None, *self.metadata["render_modes"]):
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None, got {render_mode!r}")
        self.family = family
        self.render_mode = render_mode
        self.width, self.height = int(width), int(height)
        self.metadata = {**self.metadata, "render_fps": 1.0 / family.dt}
        self.observation_space, self.action_space = family_spaces(family)
        self._action_low = self.action_space.low.astype(np.float64)
        self._action_high = self.action_space.high.astype(np.float64)
        self._action = np.zeros((1, family.model.nu))
        self._batch = Batch(family, 1)
        self._one = np.ones(1, dtype=np.bool_)
        self._params = np.zeros((1, len(self._split[0].to_array())))
        self._index = np.zeros(1, dtype=np.int64)
        self._obs = np.zeros((1, family.obs_size))
        self._reward = np.zeros(1)
        self._terminated = np.zeros(1, dtype=np.bool_)
        self._renderer = self._render_data = self._window = self._clock = None

    # --- state -------------------------------------------------------------------------------------
    @property
    def model(self) -> mujoco.MjModel:
        """The env's ``MjModel``."""
        return self._batch.models[0]

    @property
    def dt(self) -> float:
        """Seconds of simulated time per env step (``timestep * frame_skip``)."""
        return self.family.dt

    @property
    def qpos(self) -> np.ndarray:
        """The current positions (a copy)."""
        return self._batch.qpos[0].copy()

    @property
    def qvel(self) -> np.ndarray:
        """The current velocities (a copy)."""
        return self._batch.qvel[0].copy()

    # --- gymnasium API -----------------------------------------------------------------------------
    def _reset_episode(self, task):
        family, batch = self.family, self._batch
        self._params[0] = task.to_array()
        # TaskEnv.reset has drawn the task (draw_task=False): the kernel draws the initial state only
        K.reset_batch(self._one, self._rng, False, self._one, self._params, self._params, self._params, self._index,
                      family.model.qpos0, family.pos_noise, family.vel_noise, family.vel_normal, batch.state,
                      batch.warmstart)
        batch.configure(self._one, self._params)
        family.observe(self._one, batch, self._obs)
        if self.render_mode == "human":
            self.render()
        return self._obs[0].copy(), {}

    def step(self, action):
        batch = self._batch
        if not (isinstance(action, np.ndarray) and action.ndim == 1
                and K.load_action(action, self._action_low, self._action_high, self._action, batch.ctrl)):
            self._action[0] = check_action(action, self.action_space)  # a clear error, or a valid non-array
            batch.ctrl[:, :, :self._action.shape[1]] = self._action[:, None, :]
        batch.rollout()
        self.family.step(batch, self._action, self._params, self._obs, self._reward, self._terminated)
        if self.render_mode == "human":
            self.render()
        return self._obs[0].copy(), float(self._reward[0]), bool(self._terminated[0]), False, {}

    # --- rendering ---------------------------------------------------------------------------------
    def render(self):
        """An RGB frame of the current state (``rgb_array``), or the same shown in a window (``human``)."""
        if self.render_mode is None:
            gym.logger.warn("render() called without a render_mode; pass render_mode='rgb_array' to gym.make")
            return None
        if self._renderer is None:
            try:
                prepare_gl()
                self._renderer = mujoco.Renderer(self.model, self.height, self.width)
            except Exception as err:  # MuJoCo raises various errors when no OpenGL context can be made
                raise RuntimeError("MuJoCo could not create an OpenGL context. Set MUJOCO_GL=egl (or osmesa, "
                                   "which needs libOSMesa) in the environment before importing mujoco.") from err
            self._render_data = mujoco.MjData(self.model)
            if not _RENDERING:  # after MuJoCo's EGL exit handler, so that this one runs first
                atexit.register(_close_renderers)
            _RENDERING.add(self)
        self._renderer.update_scene(self._batch.load(0, self._render_data), camera="track")
        for position, rgba in self._markers():
            _add_sphere(self._renderer.scene, position, rgba)
        image = self._renderer.render()
        if self.render_mode == "rgb_array":
            return image
        self._show(image)
        return None

    def _markers(self) -> list[tuple[np.ndarray, tuple[float, ...]]]:
        """Task markers to draw as small spheres: ``[(position, rgba), ...]``."""
        return []

    def _show(self, image: np.ndarray) -> None:
        import pygame

        if self._window is None:
            if headless():  # SDL's default headless driver shares MuJoCo's EGL display and ends it on quit
                os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
            pygame.init()
            pygame.display.init()
            self._window = pygame.display.set_mode((image.shape[1], image.shape[0]))
            self._clock = pygame.time.Clock()
        self._window.blit(pygame.surfarray.make_surface(np.transpose(image, (1, 0, 2))), (0, 0))
        pygame.event.pump()
        pygame.display.flip()
        self._clock.tick(self.metadata["render_fps"])

    def _close_renderer(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = self._render_data = None

    def close(self):
        self._close_renderer()
        if self._window is not None:
            import pygame

            pygame.display.quit()
            pygame.quit()
            self._window = None
        self._batch.close()

    def __getstate__(self) -> Mapping[str, Any]:
        state = dict(self.__dict__)
        state["_renderer"] = state["_render_data"] = state["_window"] = state["_clock"] = None
        return state


def _close_renderers() -> None:
    """Close the renderers of envs not closed by the user before MuJoCo tears its EGL display down."""
    for env in list(_RENDERING):
        env._close_renderer()


def headless() -> bool:
    """Linux without an X11 or Wayland display."""
    return sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def prepare_gl() -> None:
    """Make MuJoCo's OpenGL backend usable before a renderer is made.

    Headless with ``MUJOCO_GL`` unset, switch MuJoCo from its default backend (GLFW, which needs a display)
    to EGL, as ``MUJOCO_GL=egl`` would have chosen at import. With EGL, (re-)initialise MuJoCo's EGL display:
    a no-op unless another library ended it (SDL's offscreen video driver, which pygame uses headless,
    terminates the process-wide EGL display when pygame quits).
    """
    from mujoco import gl_context

    if headless() and not os.environ.get("MUJOCO_GL"):
        from mujoco import egl

        gl_context.GLContext = egl.GLContext
    egl = sys.modules.get("mujoco.egl")
    if egl is not None and gl_context.GLContext is egl.GLContext and egl.EGL_DISPLAY is not None:
        egl.EGL.eglInitialize(egl.EGL_DISPLAY, None, None)


def _add_sphere(scene: mujoco.MjvScene, position: np.ndarray, rgba: tuple[float, ...]) -> None:
    if scene.ngeom >= scene.maxgeom:
        return
    mujoco.mjv_initGeom(scene.geoms[scene.ngeom], mujoco.mjtGeom.mjGEOM_SPHERE, np.array([0.15, 0.0, 0.0]),
                        np.asarray(position, dtype=np.float64), np.eye(3).ravel(), np.asarray(rgba, np.float32))
    scene.ngeom += 1


# --- half-cheetah ---------------------------------------------------------------------------------

_CHEETAH_COMMON = """
    ## Action Space
    ``Box(-1, 1, (6,), float32)``: torques of the back thigh, shin, foot and front thigh, shin, foot
    (gears 120, 90, 60, 120, 60, 30).

    ## Observation Space
    ``Box(-inf, inf, (20,), float64)``: ``qpos[1:]`` (8: torso height offset and pitch, the 6 joint
    angles), ``qvel`` (9), and the torso position ``(x, 0, z)`` with ``x = qpos[0]``, ``z = 0.7 + qpos[1]``
    (PEARL's ``get_body_com("torso")``, so the observation carries the forward position).

    ## Starting State
    ``qpos = U(-0.1, 0.1)^9``, ``qvel = 0.1 N(0, 1)^9`` (Gymnasium's HalfCheetah reset).

    ## Episode End
    Never terminates; truncated after 200 steps (see :class:`MujocoTaskEnv`).

    ## Deviations from PEARL / Meta-DT
    - The torso position is that of the state after the step. PEARL reads MuJoCo's ``xpos``, which MuJoCo
      last computed before the final substep's integration (0.01 s stale); the velocity in the reward is
      computed from ``qpos`` as in the original.
    - Observations are float64 (PEARL casts them to float32).
"""


class CheetahVelEnv(MujocoTaskEnv):
    __doc__ = """Half-cheetah running at a task-specific target velocity.

    ## Description
    PEARL's ``cheetah-vel`` and Meta-DT's ``HalfCheetahVel-v0`` (after MAML): Gymnasium's HalfCheetah-v5
    model (timestep 0.01 s, 5 substeps per step, ``dt = 0.05`` s) rewarded for matching a target forward
    velocity.

    ## Task distribution
    ``CheetahVelTask(velocity)``, ``velocity`` in ``[0, 3]`` m/s, uniform (PEARL). Splits: ``train`` (45) /
    ``test`` (5), Meta-DT's sizes; ``pearl_train`` (100) / ``pearl_test`` (30), PEARL's exact velocities;
    ``promptdt_train`` (35) / ``promptdt_test`` (5), Prompt-DT's grid (see
    :class:`~rlenvs.mujoco.tasks.CheetahVelDistribution`).

    ## Rewards
    ``r = -|v - velocity| - 0.05 |a|^2`` with ``v = (qpos[0]_after - qpos[0]_before) / dt``.
    """ + _CHEETAH_COMMON + """
    ## Arguments
    ``task``, ``task_split`` (see :class:`rlenvs.core.env.TaskEnv`), ``render_mode``, ``width``, ``height``.

    ## Version History
    - v0: initial version.
    """

    family_type = families.CheetahVel


class CheetahDirEnv(MujocoTaskEnv):
    __doc__ = """Half-cheetah running forward or backward, as the task says.

    ## Description
    PEARL's ``cheetah-dir`` and Meta-DT's ``HalfCheetahDir-v0`` (after MAML): Gymnasium's HalfCheetah-v5
    model (``dt = 0.05`` s) rewarded for its velocity along the task's direction.

    ## Task distribution
    ``CheetahDirTask(direction)``, ``direction`` in ``{+1, -1}``. Splits ``train`` and ``test`` both hold
    the two directions: nothing can be held out of a two-member task space. Meta-DT and PEARL also test on
    the training directions, silently; here ``test`` measures adaptation within an episode, not
    generalisation to an unseen direction.

    ## Rewards
    ``r = direction * v - 0.05 |a|^2`` with ``v = (qpos[0]_after - qpos[0]_before) / dt``.
    """ + _CHEETAH_COMMON + """
    ## Arguments
    ``task``, ``task_split`` (see :class:`rlenvs.core.env.TaskEnv`), ``render_mode``, ``width``, ``height``.

    ## Version History
    - v0: initial version.
    """

    family_type = families.CheetahDir


# --- ant ------------------------------------------------------------------------------------------

_ANT_COMMON = """
    ## Action Space
    ``Box(-1, 1, (8,), float32)``: hip and ankle torques of the four legs (gear 150), in the model's
    actuator order (hip_4, ankle_4, hip_1, ankle_1, hip_2, ankle_2, hip_3, ankle_3).

    ## Starting State
    ``qpos = qpos0 + U(-0.1, 0.1)^15`` (``qpos0``: torso at height 0.75, upright), ``qvel = 0.1 N(0, 1)^14``
    (PEARL's ant reset; the quaternion is perturbed too, MuJoCo normalises it).

    ## Contact cost
    ``contact_cost=False`` (the default) leaves it out: PEARL and Meta-DT ran on mujoco-py with MuJoCo >= 2,
    where ``cfrc_ext`` stays zero unless ``mj_rnePostConstraint`` is called (openai/gym#1711), so every
    published number has a contact cost of exactly 0. ``contact_cost=True`` subtracts
    ``0.5e-3 * sum(clip(cfrc_ext, -1, 1)^2)`` of the state after the step under the step's action (one extra
    ``mj_forward`` and ``mj_rnePostConstraint`` per env and step, looped over envs: slower).

    ## Deviations from PEARL / Meta-DT
    - Positions in the reward are the torso's ``qpos`` after and before the step. PEARL reads MuJoCo's
      ``xpos`` of the torso, which MuJoCo last computed at the final substep's last Runge-Kutta stage.
    - The Gymnasium model has no ``goal`` / ``origin`` sites (PEARL's copy adds them for display only);
      ``rgb_array`` frames draw the task as a sphere instead.
"""


class AntDirEnv(MujocoTaskEnv):
    __doc__ = """Ant walking in a task-specific direction of the plane.

    ## Description
    PEARL's ``ant-dir`` and Meta-DT's ``AntDir-v0``: Gymnasium's Ant model (the one PEARL ships, less two
    display sites; RK4, timestep 0.01 s, 5 substeps, ``dt = 0.05`` s) rewarded for its velocity along the
    task's direction.

    ## Task distribution
    ``AntDirTask(angle)``, ``angle ~ U(0, 2 pi)`` radians from +x. Splits ``train`` (45) / ``test`` (5),
    Meta-DT's sizes. ``rlenvs/AntFwdBack-v0`` is the two-direction variant (``angle`` in ``{0, pi}``).

    ## Observation Space
    ``Box(-inf, inf, (27,), float64)``: ``qpos[2:]`` (13: torso height, orientation quaternion, 8 joint
    angles) and ``qvel`` (14).

    ## Rewards
    ``r = v_xy . (cos angle, sin angle) - 0.5 |a|^2 - contact + 1`` with
    ``v_xy = (qpos[:2]_after - qpos[:2]_before) / dt`` (survive bonus 1).
    """ + _ANT_COMMON + """
    ## Episode End
    ``terminate=False`` (Meta-DT, the default): never terminates. ``terminate=True`` (PEARL): terminates when
    the state is not finite or the torso height ``qpos[2]`` leaves ``[0.2, 1.0]``. Truncated after 200 steps.

    ## Arguments
    ``task``, ``task_split``, ``contact_cost=False``, ``terminate=False``, ``render_mode``, ``width``,
    ``height``.

    ## Version History
    - v0: initial version.
    """

    family_type = families.AntDir

    def _markers(self):
        return [_direction_marker(self.qpos[:2], float(self._params[0, 0]))]


def _direction_marker(xy: np.ndarray, angle: float) -> tuple[np.ndarray, tuple[float, ...]]:
    """A marker 1.5 m from ``xy`` in the task's direction."""
    return np.array([*(xy + 1.5 * np.array([np.cos(angle), np.sin(angle)])), 0.15]), (0.1, 0.8, 0.9, 0.8)


class AntFwdBackEnv(AntDirEnv):
    __doc__ = AntDirEnv.__doc__.replace(
        "Ant walking in a task-specific direction of the plane.",
        "Ant walking forward (+x) or backward (-x): the two-direction Ant-Dir.").replace(
        "``AntDirTask(angle)``, ``angle ~ U(0, 2 pi)`` radians from +x. Splits ``train`` (45) / ``test`` (5),\n"
        "    Meta-DT's sizes. ``rlenvs/AntFwdBack-v0`` is the two-direction variant (``angle`` in ``{0, pi}``).",
        "``AntDirTask(angle)``, ``angle`` in ``{0, pi}``: the PEARL paper's Ant-Fwd-Back (its code's\n"
        "    ``forward_backward=True``). Splits ``train`` and ``test`` both hold the two directions, as in\n"
        "    Cheetah-Dir.")

    family_type = families.AntFwdBack


class AntGoalEnv(MujocoTaskEnv):
    __doc__ = """Ant walking to a task-specific goal position.

    ## Description
    PEARL's ``ant-goal``: Gymnasium's Ant model (``dt = 0.05`` s) rewarded for being close (L1) to a goal
    in the plane.

    ## Task distribution
    ``AntGoalTask(goal)``, uniform in the disk of radius 3 (``r = 3 sqrt(U)``, ``alpha ~ U(0, 2 pi)``).
    Splits ``train`` (45) / ``test`` (5) and ``pearl_train`` (150) / ``pearl_test`` (30), PEARL's sizes
    (PEARL's own goals were unseeded, so all are drawn with the rlenvs split seeding).

    ## Observation Space
    ``Box(-inf, inf, (29,), float64)``: ``qpos`` (15, the torso's x, y included) and ``qvel`` (14). PEARL
    appends ``clip(cfrc_ext, -1, 1)`` (84 numbers, all zero in its runs, see Contact cost); they are left out.

    ## Rewards
    ``r = -(|x - goal_x| + |y - goal_y|) - 0.1 |a|^2 - contact`` with ``(x, y) = qpos[:2]`` after the step.
    """ + _ANT_COMMON + """
    ## Episode End
    ``terminate=False`` (PEARL, the default): never terminates. ``terminate=True``: terminates when the state
    is not finite or the torso height leaves ``[0.2, 1.0]``. Truncated after 200 steps.

    ## Arguments
    ``task``, ``task_split``, ``contact_cost=False``, ``terminate=False``, ``render_mode``, ``width``,
    ``height``.

    ## Version History
    - v0: initial version.
    """

    family_type = families.AntGoal

    def _markers(self):
        return [(np.array([*self._params[0, :2], 0.15]), (0.9, 0.2, 0.2, 0.8))]


# --- humanoid -------------------------------------------------------------------------------------

class HumanoidDirEnv(MujocoTaskEnv):
    __doc__ = """Humanoid running in a task-specific direction of the plane.

    ## Description
    PEARL's ``humanoid-dir`` ("Humanoid-Direc-2D" in the paper): the 3-d humanoid of gym's Humanoid-v2, as
    Gymnasium ships it (``humanoid.xml``: RK4, PGS solver with 50 iterations, timestep 0.003 s, 5 substeps,
    ``dt = 0.015`` s), rewarded for the velocity of its centre of mass along the task's direction.

    ## Task distribution
    ``HumanoidDirTask(angle)``, ``angle ~ U(0, 2 pi)`` radians from +x. Splits ``train`` (100) / ``test``
    (30), PEARL's sizes, drawn with the rlenvs split seeding (PEARL's were unseeded).

    ## Action Space
    ``Box(-0.4, 0.4, (17,), float32)``: the abdomen, hip, knee, shoulder and elbow motors (gears 25-300).

    ## Observation Space
    ``Box(-inf, inf, (376,), float64)``, PEARL's layout: ``qpos[2:]`` (22: torso height and quaternion,
    17 joint angles), ``qvel`` (23), ``cinert`` (14 x 10), ``cvel`` (14 x 6), ``qfrc_actuator`` (23) and
    ``cfrc_ext`` (14 x 6), row-major, the world body's rows and the free joint's entries included (always
    zero; Gymnasium's Humanoid-v5 drops them, for 348 numbers).

    ## Rewards
    ``r = 1.25 v . (cos angle, sin angle) - 0.1 |a|^2 - min(5e-7 |cfrc_ext|^2, 10) + 5`` with
    ``v = (com_after - com_before) / dt`` the velocity of the xy centre of mass (body masses times the
    bodies' centres of mass ``xipos``). PEARL writes the first term as ``0.25 (com_after - com_before) /
    timestep``, the same number.

    ## Starting State
    ``qpos = qpos0 + U(-0.01, 0.01)^24`` (standing, torso at height 1.4), ``qvel = U(-0.01, 0.01)^23``.

    ## Episode End
    ``terminate=True`` (PEARL, the default): terminates when the torso height ``qpos[2]`` leaves ``[1, 2]``
    (or is not finite); the terminating step still earns the alive bonus. ``terminate=False`` never
    terminates. Truncated after 200 steps.

    ## Arguments
    ``task``, ``task_split``, ``terminate=True``, ``render_mode``, ``width``, ``height``.

    ## Deviations from PEARL
    - ``cinert``, ``cvel``, ``qfrc_actuator``, ``cfrc_ext`` and the centre of mass are those of the state
      after the step, under the step's action (``mj_forward`` + ``mj_rnePostConstraint``; at reset under
      zero controls). PEARL reads what MuJoCo last computed inside ``mj_step``, at the final substep's last
      Runge-Kutta stage, which lags the positions; so its centre-of-mass displacement is that of the
      lagged positions.
    - ``cfrc_ext`` holds the contact forces, as under PEARL's MuJoCo 1.5 (on MuJoCo >= 2 without
      ``mj_rnePostConstraint`` it would stay zero, and the impact cost with it; openai/gym#1711).
    - Cost: every step adds one ``mj_forward`` + ``mj_rnePostConstraint`` per env to the 5 RK4 substeps,
      about 30 us against 340 us of physics on a 2.3 GHz Xeon core. The vector env loops over its envs
      for it on the calling thread, so that part does not speed up with ``num_threads``.

    ## Version History
    - v0: initial version.
    """

    family_type = families.HumanoidDir

    def _markers(self):
        return [_direction_marker(self.qpos[:2], float(self._params[0, 0]))]


# --- hopper / walker2d with randomised physical parameters ----------------------------------------

_PARAM_COMMON = """
    ## Task distribution
    ``{task}``: one multiplier per element of ``body_mass``, ``body_inertia``, ``dof_damping`` and
    ``geom_friction`` (world body and floor included, as ``rand_param_envs`` does), each
    ``1.5 ** U(-3, 3)`` (``1.3 ** U(-3, 3)`` for damping). A task sets ``model.<field> = base.<field> *
    multiplier`` and then calls ``mj_setConst``, so MuJoCo's derived constants (subtree masses, constraint
    scalings, mean inertia) follow, as if the model had been compiled with the new values. Splits ``train``
    (45) / ``test`` (5), Meta-DT's sizes, drawn with the rlenvs split seeding.

    ## Rewards
    ``r = (qpos[0]_after - qpos[0]_before) / dt + alive_bonus - 1e-3 |a|^2`` (``alive_bonus = 1``).

    ## Starting State
    ``qpos = qpos0 + U(-0.005, 0.005)``, ``qvel = U(-0.005, 0.005)`` (``qpos0``: standing, height 1.25).

    ## Arguments
    ``task``, ``task_split``, ``alive_bonus=1.0``, ``terminate=False``, ``render_mode``, ``width``, ``height``.

    ## Deviations from rand_param_envs / Meta-DT
    - The model is ``rand_param_envs``' XML rewritten in local coordinates (MuJoCo 3 refuses its global
      ones), shipped as ``rlenvs/mujoco/assets/{xml}``; masses, inertias, joints and geoms equal the
      original's (tests compare them with Gymnasium's independent conversion). Its timestep 0.004 s and
      ``RandomEnv``'s 4 substeps are kept: ``dt = 0.016`` s.
    - ``mj_setConst`` after a parameter change: the original only assigned the arrays (on MuJoCo 1.31,
      which PEARL says these envs need, katerakelly/oyster#20), so the derived constants stayed those of
      the default model.
    - Meta-DT forces ``done=False`` inside its installed ``rand_param_envs``; that is ``terminate=False``,
      the default. ``alive_bonus`` is exposed because Meta-DT's repository also carries an unused copy with
      ``alive_bonus = 0``.

    ## Version History
    - v0: initial version.
"""


class HopperParamEnv(MujocoTaskEnv):
    __doc__ = """Hopper whose masses, inertias, damping and friction the task randomises.

    ## Description
    ``rand_param_envs``' ``HopperRandParamsEnv`` as PEARL (``hopper-rand-params``) and Meta-DT
    (``HopperRandParams-v0``) use it: a one-legged hopper (RK4, timestep 0.004 s, 4 substeps,
    ``dt = 0.016`` s) rewarded for forward velocity under task-specific physics.

    ## Action Space
    ``Box(-1, 1, (3,), float32)``: thigh, leg and foot torques (gear 200).

    ## Observation Space
    ``Box(-inf, inf, (11,), float64)``: ``qpos[1:]`` (5: height, pitch, 3 joint angles) and
    ``clip(qvel, -10, 10)`` (6).

    ## Episode End
    ``terminate=False`` (Meta-DT, the default): never terminates. ``terminate=True`` (``rand_param_envs``):
    terminates unless the state is finite, ``|(qpos, qvel)[2:]| < 100``, height ``qpos[1] > 0.7`` and
    ``|qpos[2]| < 0.2``. Truncated after 200 steps.
    """ + _PARAM_COMMON.format(task="HopperParamTask", xml="hopper_rand_params.xml")

    family_type = families.HopperParam


class WalkerParamEnv(MujocoTaskEnv):
    __doc__ = """Walker2d whose masses, inertias, damping and friction the task randomises.

    ## Description
    ``rand_param_envs``' ``Walker2DRandParamsEnv`` as PEARL (``walker-rand-params``) and Meta-DT
    (``WalkerRandParams-v0``) use it: a planar biped (RK4, timestep 0.004 s, 4 substeps, ``dt = 0.016`` s;
    the 5 substeps the class passes are ignored by ``RandomEnv``) rewarded for forward velocity under
    task-specific physics.

    ## Action Space
    ``Box(-1, 1, (6,), float32)``: right thigh, leg, foot, then left thigh, leg, foot torques (gear 100).

    ## Observation Space
    ``Box(-inf, inf, (17,), float64)``: ``qpos[1:]`` (8: height, pitch, 6 joint angles) and
    ``clip(qvel, -10, 10)`` (9).

    ## Episode End
    ``terminate=False`` (Meta-DT, the default): never terminates. ``terminate=True`` (``rand_param_envs``):
    terminates unless ``0.8 < qpos[1] < 2`` and ``-1 < qpos[2] < 1``. Truncated after 200 steps.
    """ + _PARAM_COMMON.format(task="WalkerParamTask", xml="walker2d_rand_params.xml")

    family_type = families.WalkerParam

