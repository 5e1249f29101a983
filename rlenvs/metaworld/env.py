"""Meta-World 3.1.1 behind the rlenvs task contract (the real ``metaworld`` physics and rewards)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from gymnasium import spaces

from rlenvs.core.env import TaskEnv
from rlenvs.core.spaces import check_action
from rlenvs.metaworld import _sim
from rlenvs.metaworld.tasks import MetaWorldDistribution, MetaWorldTask

EPISODE_LENGTH = 500
_HAND_LOW = np.array([-0.525, 0.348, -0.0525])  # SawyerXYZEnv._HAND_SPACE
_HAND_HIGH = np.array([0.525, 1.025, 0.7])


def default_goal_observable(benchmark: str) -> bool:
    """Meta-World's default: goal hidden (zeros) in the meta-learning benchmarks, shown in MT ones."""
    return benchmark.startswith("MT")


def metaworld_spaces(distribution: MetaWorldDistribution, goal_observable: bool,
                     one_hot: bool) -> tuple[spaces.Box, spaces.Box]:
    """(observation space, action space): 39 float64 (+ one-hot of the benchmark's classes), 4 float32."""
    obj = np.full(14, np.inf)
    goal = np.full(3, np.inf) if goal_observable else np.ones(3)  # hidden goal: always 0, bounds [-1, 1]
    high = np.concatenate([_HAND_HIGH, [1.0], obj, _HAND_HIGH, [1.0], obj, goal])
    low = np.concatenate([_HAND_LOW, [-1.0], -obj, _HAND_LOW, [-1.0], -obj, -goal])
    if one_hot:
        n = len(distribution.all_classes)
        low, high = np.concatenate([low, np.zeros(n)]), np.concatenate([high, np.ones(n)])
    obs = spaces.Box(low, high, dtype=np.float64)
    act = spaces.Box(-1.0, 1.0, shape=(4,), dtype=np.float32)
    return obs, act


def check_args(benchmark: str, episode_length: Any, one_hot: bool) -> None:
    if isinstance(episode_length, bool) or not isinstance(episode_length, (int, np.integer)) or episode_length < 1:
        raise ValueError(f"episode_length must be a positive int, got {episode_length!r}")
    if one_hot and not benchmark.startswith("MT"):
        raise ValueError(f"one_hot is for the multi-task benchmarks MT10/MT50, not {benchmark}")


class MetaWorldEnv(TaskEnv):
    """A Meta-World v3 manipulation task (Sawyer arm, MuJoCo) from a fixed, hashed task set.

    ## Description
    Wraps the ``metaworld==3.1.1`` env classes (physics, reward and success are the package's own,
    nothing is re-implemented) behind the rlenvs contract, and fixes on our side what users hit in the
    package: ``reset(seed=...)`` is honoured (metaworld ignores it), ``gym.make`` works for every benchmark
    (metaworld's ML ids are ``make_vec`` only), ML1 train draws train goals (metaworld's ``ML1-train`` id
    draws test goals, PR #573), no global ``np.random`` is touched, and a multi-class benchmark builds only
    the classes it steps (each XML compiled once per process, see :mod:`rlenvs.metaworld._sim`).

    ## Task distribution
    :class:`~rlenvs.metaworld.tasks.MetaWorldTask` ``(env_name, rand_vec)``: the class and the vector its
    ``reset_model`` reads (object start and/or goal). Splits: see
    :class:`~rlenvs.metaworld.tasks.MetaWorldDistribution` (ML1: metaworld's 50 train / 50 test goals of
    ``ML1(env_name, seed=0)``). With no task fixed, each reset draws a task uniformly from ``task_split``.

    ## Action Space
    ``Box(-1, 1, (4,), float32)``: mocap displacement (dx, dy, dz) x 1/100 m and gripper effort.
    Actions outside the box raise ``ValueError`` (metaworld clips them silently).

    ## Observation Space
    ``Box(float64, (39,))``: hand xyz (0:3), gripper opening (3), two objects' pos+quat (4:18), the same
    18 of the previous frame (18:36), goal xyz (36:39), clipped to metaworld's observation box. The goal is
    zeros (its bounds are [-1, 1], not metaworld's degenerate [0, 0]) unless ``goal_observable`` (default:
    hidden for ML1/ML10/ML45/Reach-MetaDT, shown for MT10/MT50, as in metaworld). ``one_hot=True`` (MT
    only) appends a one-hot of the class among the benchmark's classes.

    ## Rewards
    metaworld's per-class reward, ``reward_function_version="v2"`` (default, in [0, 10]) or ``"v1"``.

    ## Episode End
    ``info["success"]`` (bool) is the class's success test. No termination unless
    ``terminate_on_success=True`` (metaworld's ML-test setting); truncation after ``episode_length`` steps
    (500, metaworld's ``max_path_length``; Continual World uses 200). If the physics goes unstable the
    step returns metaworld's last stable observation with reward 0 and ``success=False``.

    ## Speed
    Each class's XML is compiled once per process, and built envs are pooled per class and reused (see
    :mod:`rlenvs.metaworld._sim`), so switching task or class rebuilds nothing. One
    exact shortcut is installed on our env instances (the package's classes are untouched):
    ``touching_object`` selects the gripper-object contacts with array masks instead of a Python loop over
    ``data.contact`` (same contacts, same summation order, identical result; ~1.4x on grasping episodes).
    Most of a step is metaworld's own Python observation/reward code (scipy ``Rotation.from_matrix`` alone
    is ~20%); MuJoCo's ``mj_step`` is ~20%.

    ## Arguments
    ``benchmark`` ("ML1", "ML10", "ML45", "MT10", "MT50", "Reach-MetaDT"), ``env_name`` (ML1 only, e.g.
    "reach-v3"), ``task``, ``task_split`` ("train"/"test"), ``episode_length=500``, ``goal_observable``,
    ``one_hot``, ``terminate_on_success=False``, ``reward_function_version="v2"``, ``render_mode``
    ("rgb_array"/"depth_array"/"human", metaworld's renderer; set ``MUJOCO_GL=egl`` on headless machines).
    ``gym.make`` adds a 500-step ``TimeLimit``: for ``episode_length > 500`` pass ``max_episode_steps`` too.

    ## Version History
    - v3: metaworld 3.1.1 v3 classes (mujoco 3.3.0 bindings; not bit-identical to the v2 envs on mujoco-py).
    """

    # Rendering needs an OpenGL context (set MUJOCO_GL=egl or osmesa on headless machines); the modes are not
    # advertised in metadata so that env checkers on headless CI do not open a window.
    metadata = {"render_modes": [], "render_fps": 80}
    render_modes = ("human", "rgb_array", "depth_array")

    def __init__(self, benchmark: str = "ML1", env_name: str | None = None, *,
                 task: MetaWorldTask | Mapping | None = None, task_split: str = "train",
                 episode_length: int = EPISODE_LENGTH, goal_observable: bool | None = None, one_hot: bool = False,
                 terminate_on_success: bool = False, reward_function_version: str = "v2",
                 render_mode: str | None = None):
        check_args(benchmark, episode_length, one_hot)
        if render_mode not in (None, *self.render_modes):
            raise ValueError(f"render_mode must be one of {list(self.render_modes)} or None, got {render_mode!r}")
        if reward_function_version not in ("v1", "v2"):
            raise ValueError(f"reward_function_version must be 'v1' or 'v2', got {reward_function_version!r}")
        super().__init__(MetaWorldDistribution(benchmark, env_name), task=task, task_split=task_split)
        self.benchmark = benchmark
        self.episode_length = int(episode_length)
        self.goal_observable = default_goal_observable(benchmark) if goal_observable is None else bool(goal_observable)
        self.one_hot = bool(one_hot)
        self.terminate_on_success = bool(terminate_on_success)
        self.render_mode = render_mode
        self.observation_space, self.action_space = metaworld_spaces(self.task_distribution, self.goal_observable,
                                                                     self.one_hot)
        self._slot = _sim.Slot(goal_observable=self.goal_observable, episode_length=self.episode_length,
                               render_mode=render_mode, reward_function_version=reward_function_version)
        self._elapsed = 0
        self._split_set = frozenset(self._split.tasks)

    def set_task(self, task):
        super().set_task(task)
        if self._fixed_task is not None and self._fixed_task not in getattr(self, "_split_set", ()):
            _sim.check_task(self._fixed_task)

    def _obs(self, obs: np.ndarray) -> np.ndarray:
        if not self.one_hot:
            return obs
        hot = np.zeros(len(self.task_distribution.all_classes))
        hot[self.task_distribution.all_classes.index(self._task.env_name)] = 1.0
        return np.concatenate([obs, hot])

    def _reset_episode(self, task: MetaWorldTask):
        self._elapsed = 0
        return self._obs(self._slot.begin(task)), {}

    def step(self, action):
        if self._task is None:
            raise RuntimeError("call reset() before step()")
        action = check_action(action, self.action_space)
        if self._elapsed >= self.episode_length:
            raise RuntimeError(f"the episode ended after {self.episode_length} steps; call reset()")
        obs, reward, info = self._slot.step(action)
        self._elapsed += 1
        info["success"] = bool(info["success"])
        terminated = self.terminate_on_success and info["success"]
        truncated = self._elapsed >= self.episode_length
        return self._obs(obs), reward, terminated, truncated, info

    def render(self):
        """metaworld's MuJoCo render of the current class (``render_mode`` set at construction)."""
        if self.render_mode is None or self._slot.env is None:
            return None
        return self._slot.env.render()

    def close(self):
        self._slot.close()
