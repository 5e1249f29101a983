"""The simulation every MuJoCo family shares: a batch of envs stepped together.

A family (a :class:`Family` subclass) supplies what is task-specific: its model, how a task changes the
model (if it does), the reset noise, and one kernel call that turns the substep states into observations,
rewards and terminations for the whole batch. :class:`Batch` owns everything else: the per-env models,
the per-env ``mjSTATE_FULLPHYSICS`` states and warm-starts, the control and output buffers and the threads
that step them (:mod:`rlenvs.mujoco.team`, which steps each env as ``mujoco.rollout`` does, without the GIL).
The single env is a batch of one, so a batched trajectory equals the single env's step for step.

Why the warm-start is carried: MuJoCo warm-starts its constraint solver from the acceleration of the
previous solve (``qacc_warmstart``), but a batch step (as a ``mujoco.rollout`` call) starts every env from
the given state and warm-start, and neither returns the warm-start nor keeps one per env (an ``MjData`` that
ran several envs holds the last one's only). So each env carries its own into its next step: the mean
acceleration over its last substep, ``(qvel_last - qvel_before_last) / timestep``, from the substep states
the step returns. Every step then depends on the env's own state only, whatever the batch size, thread count
or chunking. It is close to MuJoCo's own warm-start, not equal to it (that one is the last constraint
solve's acceleration), and the solver converges to its tolerance from either: trajectories equal a plain
``mj_step`` loop bit for bit until contacts make the warm-start matter (1 to 20 steps here), differ by about
1e-12 after 20 steps and 1e-8 after 50, and then drift apart as chaotic contacts amplify the difference,
with the same distribution of outcomes (tests check both).
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Mapping
from typing import Any, ClassVar

import mujoco
import numpy as np

from rlenvs.core.task import TaskDistribution
from rlenvs.mujoco import models
from rlenvs.mujoco.team import StepTeam, observed_sizes

CTRL = mujoco.mjtState.mjSTATE_CTRL.value
FULLPHYSICS = mujoco.mjtState.mjSTATE_FULLPHYSICS


class Family:
    """What a MuJoCo task family defines; the envs (:mod:`rlenvs.mujoco.env`, :mod:`rlenvs.mujoco.vector`)
    do the rest.

    Class attributes: ``model_name`` (see :mod:`rlenvs.mujoco.models`), ``frame_skip`` (physics substeps per
    env step), ``obs_size``, ``distribution_type``, the reset noise (``qpos = qpos0 + U(-pos_noise,
    pos_noise)``; ``qvel = vel_noise * N(0, 1)`` if ``vel_normal`` else ``U(-vel_noise, vel_noise)``),
    ``changes_model`` (whether a task changes the ``MjModel``: then each env owns a copy and
    :meth:`configure` writes the task into it at every episode start), ``control_spec`` (the
    ``mjtState`` bits of the per-substep inputs: the actuator controls, plus e.g. ``mjSTATE_XFRC_APPLIED``
    for tasks that push bodies; the extra inputs follow the controls in each ``Batch.ctrl`` row and
    :meth:`configure_inputs` writes them), ``observed`` (names of ``MjData`` arrays of MuJoCo's forward
    pass, e.g. ``"cfrc_ext"``, that the family reads after each step and reset: ``Batch.forwarded``).
    Subclasses implement :meth:`observe` and :meth:`step` as single kernel calls over the batch; ``options``
    (the env's keyword arguments such as ``terminate``) are kept in ``self.options``.
    """

    model_name: ClassVar[str]
    frame_skip: ClassVar[int]
    obs_size: ClassVar[int]
    distribution_type: ClassVar[type[TaskDistribution]]
    pos_noise: ClassVar[float]
    vel_noise: ClassVar[float]
    vel_normal: ClassVar[bool]
    changes_model: ClassVar[bool] = False
    control_spec: ClassVar[int] = CTRL
    observed: tuple[str, ...] = ()

    def __init__(self, **options: Any):
        self.options = options
        self.distribution = self.distribution_type()
        self.model = models.base_model(self.model_name)
        self.timestep = float(self.model.opt.timestep)
        self.dt = self.timestep * self.frame_skip

    def configure(self, model: mujoco.MjModel, params: np.ndarray, data: mujoco.MjData) -> None:
        """Write the task whose ``Task.to_array()`` is ``params`` into the env's own ``model`` (families with
        ``changes_model``); ``data`` is scratch ``MjData`` of the model."""
        raise NotImplementedError

    def configure_inputs(self, mask: np.ndarray, task_params: np.ndarray, ctrl: np.ndarray) -> None:
        """Write each masked env's task into its inputs beyond the actuator controls, ``ctrl[i, :, nu:]``
        (families whose ``control_spec`` adds inputs)."""
        raise NotImplementedError

    def observe(self, mask: np.ndarray, batch: Batch, obs: np.ndarray) -> None:
        """Write the observation of every env where ``mask`` (from its ``batch.state`` row) into ``obs``."""
        raise NotImplementedError

    def step(self, batch: Batch, actions: np.ndarray, task_params: np.ndarray, obs: np.ndarray,
             rewards: np.ndarray, terminated: np.ndarray) -> None:
        """After ``batch.rollout``: hand every env's last substep state and warm-start over to its next step
        (``_kernels.advance``) and write its observation, reward and termination flag."""
        raise NotImplementedError


class Batch:
    """``num_envs`` MuJoCo envs of one family, stepped together.

    Per env: its model (the family's shared model, or its own copy if tasks change the model), its state
    row ``state[i]`` (``mjSTATE_FULLPHYSICS``: time, qpos, qvel) and its warm-start ``warmstart[i]``. One
    :meth:`rollout` runs ``frame_skip`` substeps of every env on ``num_threads`` threads (the calling thread
    and, when ``num_threads > 1``, workers that live as long as the batch: :mod:`rlenvs.mujoco.team`), holding
    each env's action for all substeps, and leaves every substep's state in ``out`` and, for a family that
    ``observed`` fields of MuJoCo's forward pass, those at the state after the step in ``forwarded``
    (``(num_envs, width)``; field ``name`` in columns ``columns[name]``, flattened): ``mj_forward`` and
    ``mj_rnePostConstraint`` under the step's inputs from the carried warm-start, as :meth:`load` sets an
    env up.
    """

    def __init__(self, family: Family, num_envs: int, num_threads: int = 1):
        if isinstance(num_threads, bool) or not isinstance(num_threads, (int, np.integer)) or num_threads < 1:
            raise ValueError(f"num_threads must be a positive int, got {num_threads!r}")
        self.family = family
        self.num_envs = int(num_envs)
        self.num_threads = int(num_threads)
        base = family.model
        self.models = ([copy.copy(base) for _ in range(self.num_envs)] if family.changes_model
                       else [base] * self.num_envs)
        nstate, fs = models.state_size(base), family.frame_skip
        self.state = np.zeros((self.num_envs, nstate))
        self.warmstart = np.zeros((self.num_envs, base.nv))
        self.ctrl = np.zeros((self.num_envs, fs, mujoco.mj_stateSize(base, family.control_spec)))
        self.out = np.zeros((self.num_envs, fs, nstate))
        sizes = observed_sizes(base, family.observed)
        self.forwarded = np.zeros((self.num_envs, sum(sizes)))
        ends = np.cumsum(sizes)
        self.columns = {name: slice(end - size, end) for name, size, end in zip(family.observed, sizes, ends,
                                                                                 strict=True)}
        self._start()

    def _start(self) -> None:
        base = self.family.model
        self.scratch = mujoco.MjData(base)
        self._team = StepTeam(self.num_threads, self.models, self.state, self.ctrl, self.warmstart, self.out,
                              self.family.control_spec, observed=self.family.observed, forwarded=self.forwarded)
        weakref.finalize(self, self._team.close)  # the workers hold the team, not the batch

    @property
    def qpos(self) -> np.ndarray:
        """``(num_envs, nq)`` view of the positions."""
        return self.state[:, 1:1 + self.family.model.nq]

    @property
    def qvel(self) -> np.ndarray:
        """``(num_envs, nv)`` view of the velocities."""
        nq = self.family.model.nq
        return self.state[:, 1 + nq:1 + nq + self.family.model.nv]

    def configure(self, mask: np.ndarray, task_params: np.ndarray) -> None:
        """Write each masked env's task into its model (families whose tasks change the model) and into its
        inputs beyond the actuator controls (families whose ``control_spec`` adds some)."""
        if self.family.changes_model:
            for i in np.flatnonzero(mask):
                self.family.configure(self.models[i], task_params[i], self.scratch)
        if self.family.control_spec != CTRL:
            self.family.configure_inputs(mask, task_params, self.ctrl)

    def rollout(self, actions: np.ndarray | None = None) -> None:
        """One env step of physics for every env: ``frame_skip`` substeps from ``state`` with ``actions``
        (``(num_envs, nu)``; ``None``: as already written to ``ctrl``)."""
        if actions is not None:
            self.ctrl[:, :, :actions.shape[1]] = actions[:, None, :]
        self._team.run()

    def load(self, i: int, data: mujoco.MjData, inputs: np.ndarray | None = None) -> mujoco.MjData:
        """``data`` set to env ``i``'s state (positions, velocities, warm-start) with ``mj_forward`` done;
        ``inputs``: also its ``control_spec`` inputs (a ``ctrl`` row), else ``data`` keeps its own."""
        mujoco.mj_setState(self.models[i], data, self.state[i], FULLPHYSICS)
        if inputs is not None:
            mujoco.mj_setState(self.models[i], data, inputs, self.family.control_spec)
        data.qacc_warmstart[:] = self.warmstart[i]
        mujoco.mj_forward(self.models[i], data)
        return data

    def forward_at_reset(self, mask: np.ndarray) -> None:
        """``forwarded`` of every env where ``mask`` at its current state (an episode's start: zero controls, as
        MuJoCo's reset leaves them, and the task's other inputs), on the calling thread."""
        self._team.forward(mask)

    def close(self) -> None:
        self._team.close()

    def __getstate__(self) -> Mapping[str, Any]:
        state = dict(self.__dict__)
        for key in ("scratch", "_team"):  # threads and scratch data are rebuilt
            del state[key]
        return state

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        self.__dict__.update(state)
        self._start()
