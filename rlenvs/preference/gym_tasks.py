"""Gymnasium's Pendulum and MuJoCo Walker2d / HalfCheetah behind the rlenvs task contract, as the bases of
the preference ids ``PrefPendulum-v0``, ``PrefWalker2d-v0`` and ``PrefHalfCheetah-v0``.

What the task is: the parameters the Gymnasium env itself lets you set, applied at every reset.

- Pendulum-v1: its physics, gravity ``g`` (its constructor argument) and the attributes ``m``, ``l``
  (:class:`PendulumTask`): how hard the swing-up is.
- Walker2d-v5 / HalfCheetah-v5: the weights of the gold reward, ``forward_reward_weight`` and
  ``ctrl_cost_weight`` (their constructor arguments, :class:`LocomotionRewardTask`): how much the teacher
  values speed against effort, i.e. whose preferences the learner has to recover.

Every distribution has a ``default`` split holding Gymnasium's own values, besides ``train`` and ``test``.
The inner env is reset with a seed drawn from the env's own stream, so ``reset(seed=s)`` fixes the task
draw and the start state together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from rlenvs.core import rng as _rng
from rlenvs.core.env import TaskEnv
from rlenvs.core.spaces import check_action
from rlenvs.core.task import Task, TaskDistribution, task_field


class GymTaskEnv(TaskEnv):
    """A Gymnasium env whose task fields are attributes of the inner env, set at each reset.

    Subclasses set ``inner_attributes`` (task field -> attribute of the inner env) and build the inner env in
    :meth:`_make_inner`. Actions outside the action space raise ``ValueError`` (the inner envs clip them).
    """

    inner_attributes: ClassVar[Mapping[str, str]]

    def __init__(self, distribution: TaskDistribution, *, task: Task | Mapping | None, task_split: str,
                 render_mode: str | None):
        super().__init__(distribution, task=task, task_split=task_split)
        self.render_mode = render_mode
        self._env = self._make_inner()
        self.observation_space = self._env.observation_space
        self.action_space = self._env.action_space

    def _make_inner(self) -> gym.Env:
        raise NotImplementedError

    def _apply_task(self, task: Task) -> None:
        for name, attribute in self.inner_attributes.items():
            setattr(self._env, attribute, getattr(task, name))

    def _reset_episode(self, task: Task):
        self._apply_task(task)
        seed = int(_rng.draw_integers(self._rng, 0, 2**62, 1)[0])
        return self._env.reset(seed=seed)

    def _inner_action(self, action: np.ndarray) -> np.ndarray:
        return action.astype(self.action_space.dtype)

    def step(self, action):
        if self._task is None:
            raise RuntimeError("call reset() before step()")
        action = check_action(action, self.action_space)
        obs, reward, terminated, truncated, info = self._env.step(self._inner_action(action))
        return obs, float(reward), terminated, truncated, info

    def render(self):
        return self._env.render()

    def close(self):
        self._env.close()


# --- Pendulum ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PendulumTask(Task):
    """The physics of Pendulum-v1 (its defaults: g = 10, m = 1, l = 1)."""

    g: float = task_field(low=1.0, high=20.0, doc="gravity (m/s^2)")
    m: float = task_field(low=0.1, high=5.0, doc="mass (kg)")
    l: float = task_field(low=0.1, high=5.0, doc="length (m)")  # noqa: E741  (Pendulum-v1's name)


class PendulumDistribution(TaskDistribution):
    """``g ~ U[8, 12]``, ``m ~ U[0.8, 1.2]``, ``l ~ U[0.8, 1.2]``; splits ``train`` (20), ``test`` (10) and
    ``default`` (Pendulum-v1's g = 10, m = 1, l = 1)."""

    family = "pref_pendulum"
    task_type = PendulumTask
    split_sizes = {"train": 20, "test": 10, "default": 1}

    def sample(self, rng: np.random.Generator) -> PendulumTask:
        return PendulumTask(g=rng.uniform(8.0, 12.0), m=rng.uniform(0.8, 1.2), l=rng.uniform(0.8, 1.2))

    def _split_tasks(self, name: str):
        return [PendulumTask(g=10.0, m=1.0, l=1.0)] if name == "default" else super()._split_tasks(name)


class PendulumTaskEnv(GymTaskEnv):
    """Gymnasium's Pendulum-v1 swing-up with the task's ``g``, ``m``, ``l``.

    ## Description
    Gymnasium's ``PendulumEnv`` (dynamics, reward ``-(theta^2 + 0.1 thetadot^2 + 0.001 u^2)``, start
    state, all unchanged) with its physics set from :class:`PendulumTask` at every reset.

    ## Action Space
    ``Box(-1, 1, (1,), float32)``: the torque divided by ``max_torque`` (2). Pendulum-v1 takes the torque in
    [-2, 2] and clips; here it is normalised (SAC-style learners rescale to [-1, 1] anyway, and
    Gymnasium's checker asks for it) and out-of-range actions raise ``ValueError``.

    ## Observation Space, Rewards, Starting State
    As Pendulum-v1: ``(cos theta, sin theta, thetadot)``, the reward above, theta and thetadot uniform in
    ``[-pi, pi] x [-1, 1]``.

    ## Episode End
    Truncation after 200 steps (``max_episode_steps``).

    ## Version History
    - v0: initial version (Gymnasium's Pendulum-v1).
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 30}
    inner_attributes = {"g": "g", "m": "m", "l": "l"}

    def __init__(self, *, task: PendulumTask | Mapping | None = None, task_split: str = "train",
                 render_mode: str | None = None):
        if render_mode not in (None, *self.metadata["render_modes"]):
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None, got {render_mode!r}")
        super().__init__(PendulumDistribution(), task=task, task_split=task_split, render_mode=render_mode)
        self.action_space = spaces.Box(-1.0, 1.0, shape=(1,), dtype=np.float32)

    def _make_inner(self) -> gym.Env:
        from gymnasium.envs.classic_control.pendulum import PendulumEnv

        return PendulumEnv(render_mode=self.render_mode)

    def _inner_action(self, action: np.ndarray) -> np.ndarray:
        return (action * self._env.max_torque).astype(np.float32)


# --- MuJoCo locomotion -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LocomotionRewardTask(Task):
    """The gold reward's weights of a Gymnasium v5 locomotion env."""

    forward_reward_weight: float = task_field(low=0.0, high=5.0, doc="weight of the forward velocity")
    ctrl_cost_weight: float = task_field(low=0.0, high=1.0, doc="weight of the squared action")


class LocomotionRewardDistribution(TaskDistribution):
    """``forward_reward_weight ~ U[0.5, 1.5]``, ``ctrl_cost_weight ~ default x U[0.5, 2]``; splits ``train``
    (20), ``test`` (10) and ``default`` (Gymnasium's weights)."""

    task_type = LocomotionRewardTask
    split_sizes = {"train": 20, "test": 10, "default": 1}

    def __init__(self, family: str, default_ctrl_cost_weight: float):
        self.family = family
        self.default = LocomotionRewardTask(forward_reward_weight=1.0, ctrl_cost_weight=default_ctrl_cost_weight)

    def sample(self, rng: np.random.Generator) -> LocomotionRewardTask:
        return LocomotionRewardTask(forward_reward_weight=rng.uniform(0.5, 1.5),
                                    ctrl_cost_weight=self.default.ctrl_cost_weight * rng.uniform(0.5, 2.0))

    def _split_tasks(self, name: str):
        return [self.default] if name == "default" else super()._split_tasks(name)


class LocomotionTaskEnv(GymTaskEnv):
    """Gymnasium's MuJoCo v5 ``Walker2d`` or ``HalfCheetah`` with the gold reward's weights from the task.

    ## Description
    The Gymnasium v5 env (model, dynamics, observations, termination, reward terms in ``info``) unchanged,
    with ``forward_reward_weight`` and ``ctrl_cost_weight`` from :class:`LocomotionRewardTask` at every
    reset. Reward: ``w_fwd * x_velocity - w_ctrl * |a|^2`` (+ ``healthy_reward`` 1 for Walker2d).

    ## Action Space
    As the v5 env (``Box(-1, 1)``); out-of-range actions raise ``ValueError`` (Gymnasium passes them on).

    ## Episode End
    Walker2d terminates when unhealthy (v5 rule); truncation after 1000 steps (``max_episode_steps``).

    ## Arguments
    ``robot`` ("walker2d" or "half_cheetah"), ``task``, ``task_split``, ``render_mode`` (MuJoCo's renderer,
    needs an OpenGL context; not advertised in ``metadata`` so that checkers on headless CI do not open one).

    ## Version History
    - v0: initial version (Gymnasium's Walker2d-v5 / HalfCheetah-v5, mujoco 3.3.0).
    """

    metadata = {"render_modes": [], "render_fps": 20}
    inner_attributes = {"forward_reward_weight": "_forward_reward_weight", "ctrl_cost_weight": "_ctrl_cost_weight"}
    ROBOTS: ClassVar[Mapping[str, tuple[str, float]]] = {  # robot -> (v5 env class, default ctrl_cost_weight)
        "walker2d": ("gymnasium.envs.mujoco.walker2d_v5:Walker2dEnv", 1e-3),
        "half_cheetah": ("gymnasium.envs.mujoco.half_cheetah_v5:HalfCheetahEnv", 0.1),
    }

    def __init__(self, *, robot: str = "half_cheetah", task: LocomotionRewardTask | Mapping | None = None,
                 task_split: str = "train", render_mode: str | None = None):
        if robot not in self.ROBOTS:
            raise ValueError(f"robot must be one of {list(self.ROBOTS)}, got {robot!r}")
        self.robot = robot
        distribution = LocomotionRewardDistribution(f"pref_{robot}", self.ROBOTS[robot][1])
        super().__init__(distribution, task=task, task_split=task_split, render_mode=render_mode)

    def _make_inner(self) -> gym.Env:
        from gymnasium.envs.registration import load_env_creator

        return load_env_creator(self.ROBOTS[self.robot][0])(render_mode=self.render_mode)

    # Gymnasium's MuJoCo envs pickle through EzPickle, which rebuilds a fresh env: carry the simulation over.
    def __getstate__(self) -> dict[str, Any]:
        import mujoco

        state = self.__dict__.copy()
        inner = state.pop("_env")
        spec = mujoco.mjtState.mjSTATE_INTEGRATION  # everything mj_step reads, the warm start included
        physics = np.empty(mujoco.mj_stateSize(inner.model, spec))
        mujoco.mj_getState(inner.model, inner.data, physics, spec)
        state["_inner_state"] = (physics, inner.np_random)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        import mujoco

        physics, np_random = state.pop("_inner_state")
        self.__dict__.update(state)
        self._env = self._make_inner()
        mujoco.mj_setState(self._env.model, self._env.data, physics, mujoco.mjtState.mjSTATE_INTEGRATION)
        self._env.np_random = np_random
        if self._task is not None:
            self._apply_task(self._task)
