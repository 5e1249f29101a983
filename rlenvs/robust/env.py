"""``RobustEnv``: a Gymnasium v5 MuJoCo robot whose transition parameters are its task (M2TD3 / RRLS / RARL
uncertainty sets), with RRLS's ``get_params`` / ``set_params`` interface."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from rlenvs.core.task import Task
from rlenvs.mujoco.env import MujocoTaskEnv
from rlenvs.robust.families import RobustFamily


class RobustEnv(MujocoTaskEnv):
    """A Gymnasium v5 MuJoCo robot under task-given transition parameters (robust RL).

    ## Description
    The benchmark of robust RL on MuJoCo (M2TD3, Tanabe et al. 2022; RRLS, Zouitine et al. 2024; IWOCS,
    Zouitine et al. 2024): Gymnasium's v5 HalfCheetah, Hopper, Walker2d, Ant, HumanoidStandup and
    InvertedPendulum, whose masses, friction or external forces are set by the task. The task is a point
    of an *uncertainty set*; a robust policy is scored by its worst (and average) return over a grid of the
    set (:func:`rlenvs.robust.evaluate_worst_case`).

    ## Task distribution
    One Task type per set (:mod:`rlenvs.robust.tasks` lists them all, with where each parameter acts):

    ==================  ==================================================================================
    robot               ``1d`` / ``2d`` / ``3d`` (M2TD3; each adds a parameter) and ``force`` (RARL)
    ==================  ==================================================================================
    HalfCheetah         worldfriction [0.1, 4] (every geom); torsomass [0.1, 7]; backthighmass [0.1, 3].
                        force: torso, back foot, front foot
    Hopper              worldfriction [0.1, 3] (floor); torsomass [0.1, 3]; thighmass [0.1, 4].
                        force: foot
    Walker2d            worldfriction [0.1, 4] (floor); torsomass [0.1, 5]; thighmass [0.1, 6].
                        force: right leg, left foot
    Ant                 torsomass [0.1, 3]; frontleftlegmass [0.01, 3]; frontrightlegmass [0.01, 3].
                        force: torso, front left leg, front right leg
    HumanoidStandup     torsomass [0.1, 16]; rightfootmass [0.1, 8] (3d: [0.1, 5]);
                        3d: leftthighmass [0.1, 8]. force: torso, right thigh, left foot
    InvertedPendulum    polemass [1, 31]; cartmass [1, 11]. force: pole
    ==================  ==================================================================================

    Forces are constant, ``<body>force_<axis>`` in [-3, 3] N, along x and z for the planar robots (RARL)
    and x and y for the Ant and HumanoidStandup. Masses not in a set keep the model's values (Hopper's
    torso 3.67 and thigh 4.06 lie above their sets' upper bounds). Splits: ``train`` / ``test`` (100
    uniform draws each) and, for the physical sets, ``m2td3_grid`` and ``rrls_grid`` (10 points per
    dimension: 10 / 100 / 1000 tasks).

    ``convention="rrls"`` selects RRLS's variants where they differ from M2TD3: HalfCheetah-1d friction
    [0.1, 3]; HumanoidStandup-3d right foot [0.1, 8] and left thigh [0.1, 5]; Ant-3d front right leg =
    body 5 (M2TD3 writes body 4, the front-left ankle); InvertedPendulum-1d cart fixed at 5.02 kg (RRLS's
    defaults swap the pole and cart masses); planar force sets along x and y (y moves nothing). Both
    conventions set only the floor's friction on the Hopper and Walker2d, which is inert below the body
    geoms' 0.9 (MuJoCo takes the larger friction of a contact).

    ## Transition parameters (RRLS's interface)
    ``env.unwrapped.get_params()`` is the current task as a dict; ``set_params(**params)`` replaces the
    named parameters (``None`` keeps a value), effective at once, mid-episode included, and for the
    following episodes (it fixes the task, as ``set_task`` does); ``reset(options=params)`` is
    ``set_params(**params)`` then reset, beside the contract's ``reset(options={"task": ...})``. The
    parameters are echoed in every ``info`` (beside ``info["task"]`` on reset). A value outside the set
    raises ``ValueError``.

    ## Action Space
    The robot's actuators (``Box(-1, 1)``; HumanoidStandup ``Box(-0.4, 0.4, (17,))``; InvertedPendulum
    ``Box(-3, 3, (1,))``), float32. Actions outside it raise ``ValueError``.

    ## Observation Space
    Gymnasium v5's default observation, float64: HalfCheetah 17, Hopper 11, Walker2d 17 (velocities
    clipped to 10), Ant 105 (``qpos[2:]``, ``qvel``, ``clip(cfrc_ext[1:], -1, 1)``; 27 with
    ``contact_forces=False``), HumanoidStandup 348 (``qpos[2:]``, ``qvel``, ``cinert[1:]``, ``cvel[1:]``,
    ``qfrc_actuator[6:]``, ``cfrc_ext[1:]``), InvertedPendulum 4.

    ## Rewards
    Gymnasium v5's, default weights: HalfCheetah ``v - 0.1|a|^2``; Hopper and Walker2d ``v + 1 - 1e-3|a|^2``
    (the 1 while healthy); Ant ``v + 1 - 0.5|a|^2 - 5e-4 sum(clip(cfrc_ext, -1, 1)^2)``; HumanoidStandup
    ``z / timestep - 0.1|a|^2 - min(0.5e-6 sum(cfrc_ext^2), 10) + 1``; InvertedPendulum 1 per step
    upright (0 on the last). ``v`` is the forward velocity ``(x_after - x_before) / dt``.

    ## Starting State
    Gymnasium v5's reset noise around ``qpos0``: HalfCheetah and Ant ``U(-0.1, 0.1)`` on positions,
    ``0.1 N(0, 1)`` on velocities; Hopper and Walker2d ``U(-5e-3, 5e-3)``, HumanoidStandup ``U(-0.01,
    0.01)``, InvertedPendulum ``U(-0.01, 0.01)`` on both.

    ## Episode End
    Gymnasium v5's terminations (Hopper, Walker2d, Ant when unhealthy; InvertedPendulum when the pole
    leaves 0.2 rad); truncated after 1000 steps.

    ## Arguments
    ``robot`` (``"half_cheetah"``, ``"hopper"``, ``"walker2d"``, ``"ant"``, ``"humanoid_standup"``,
    ``"inverted_pendulum"``), ``uncertainty`` (``"1d"``, ``"2d"``, ``"3d"``, ``"force"``),
    ``convention="m2td3"`` (or ``"rrls"``), ``contact_forces`` (Ant only, default True), ``task``,
    ``task_split``, ``render_mode``, ``width``, ``height``.

    ## Deviations from Gymnasium v5, M2TD3 and RRLS
    - Physics: MuJoCo 3 and Gymnasium's v5 models for both conventions (RRLS's base; M2TD3 ran gym's v2
      envs on mujoco-py, whose Walker2d right foot had friction 0.9 and whose Ant saw zero contact
      forces). The models' textures are left out (visual only).
    - Ant and HumanoidStandup: ``cfrc_ext``, ``cinert``, ``cvel`` and ``qfrc_actuator`` are those of the
      state the observation's positions describe (``mj_forward`` + ``mj_rnePostConstraint`` after the
      step; at reset under zero controls). Gymnasium reads what MuJoCo last computed inside ``mj_step``:
      for these RK4 models, at the final substep's last Runge-Kutta stage, which lags the positions; its
      reset observation carries zero contact forces. The Ant's forward velocity uses the torso's ``qpos``
      rather than its stale ``xpos``.
    - Step ``info`` holds only the parameters (none of Gymnasium's reward terms).

    ## Version History
    - v0: initial version.
    """

    family_type = RobustFamily

    def __init__(self, *, robot: str = "half_cheetah", uncertainty: str = "3d", convention: str = "m2td3",
                 contact_forces: bool | None = None, **kwargs: Any):
        super().__init__(robot=robot, uncertainty=uncertainty, convention=convention, contact_forces=contact_forces,
                         **kwargs)
        self.param_names = tuple(spec.name for spec in self.task_distribution.task_type.field_specs())
        self.reset_options = ("task", *self.param_names)
        self._info: dict[str, float] = {}

    # --- RRLS interface -----------------------------------------------------------------------------
    def get_params(self) -> dict[str, float]:
        """The transition parameters of the current episode (before the first reset: the fixed task's)."""
        if self.task is None:
            raise RuntimeError("no parameters yet: call reset() or set_params(...) first")
        return self.task.to_dict()

    def set_params(self, **params: float | None) -> None:
        """Replace the named parameters (``None`` keeps one), effective at once and for later episodes."""
        task = self._with_params(params, self.task)
        self.set_task(task)
        if self._task is not None:  # mid-episode: the dynamics change now
            self._task = task
            self._params[0] = task.to_array()
            self._batch.configure(self._one, self._params)
            self._info = task.to_dict()

    def _with_params(self, params: Mapping[str, Any], base: Task | None) -> Task:
        unknown = sorted(set(params) - set(self.param_names))
        if unknown:
            raise ValueError(f"unknown parameter(s) {unknown}; this env's parameters: {list(self.param_names)}")
        given = {name: value for name, value in params.items() if value is not None}
        if base is None:
            missing = [name for name in self.param_names if name not in given]
            if missing:
                raise ValueError(f"no current task to take {missing} from: give every parameter "
                                 f"{list(self.param_names)}, or fix a task first (set_task, reset)")
            return self.task_distribution.task_type(**given)
        return dataclasses.replace(base, **given)

    # --- gymnasium API ------------------------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        if isinstance(options, Mapping) and set(options) & set(self.param_names):
            params = {k: v for k, v in options.items() if k in self.param_names}
            options = {k: v for k, v in options.items() if k not in self.param_names}
            base = self.task_distribution.task_type.coerce(options["task"]) if "task" in options else self.task
            options["task"] = self._with_params(params, base)
        obs, info = super().reset(seed=seed, options=options)
        self._info = dict(info["task"])
        info.update(self._info)
        return obs, info

    def step(self, action):
        obs, reward, terminated, truncated, info = super().step(action)
        info.update(self._info)
        return obs, reward, terminated, truncated, info
