"""LPGGrid: the tabular object grid worlds of LPG (Oh et al., 2020) and GROOVE (Jackson et al., 2023).

A level (:class:`LPGTask`) is a small grid with walls, a start cell and up to 5 objects, each of a type with a
reward, a termination probability and a respawn probability, and an episode length. Named level sets
(:data:`LEVEL_SETS`) reproduce LPG's five tabular levels and GROOVE's procedural distributions. Every level
has an exact optimum by value iteration (:func:`optimal_return`, :func:`optimal_policy`), so regret is exact.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import ClassVar

import numpy as np
from gymnasium import spaces

from rlenvs.core.env import TaskEnv
from rlenvs.core.task import Task, TaskDistribution, task_field
from rlenvs.gridworld import _kernels as K
from rlenvs.gridworld._common import GridVectorEnv, fast_discrete, wall_grid, wall_rows
from rlenvs.gridworld.maze import NAMED_MAZES, SMALL_CORRIDOR, wall_layout

W = K.W
MAX_OBJS = K.MAX_OBJS
MAX_TYPES = K.MAX_TYPES
MAX_EPISODE = 10_000
OBS_MODES = ("index", "onehot")


@dataclass(frozen=True)
class LPGTask(Task):
    """One LPG level. Cells are numbered ``row * 13 + col`` whatever ``grid_size`` is; slots of absent objects
    (``k >= n_objs``) hold 0."""

    grid_size: int = task_field(low=2, high=W, doc="side of the square grid")
    walls: tuple[int, ...] = task_field(low=0, high=2**W - 1, size=W,
                                        doc="row bitmasks: bit col of walls[row] is set where (row, col) is a wall")
    start: int = task_field(low=0, high=W * W - 1, doc="start cell")
    n_objs: int = task_field(low=1, high=MAX_OBJS, doc="number of objects")
    obj_cells: tuple[int, ...] = task_field(low=0, high=W * W - 1, size=MAX_OBJS, doc="cell of each object")
    obj_types: tuple[int, ...] = task_field(low=0, high=MAX_TYPES - 1, size=MAX_OBJS, doc="type of each object")
    type_rewards: tuple[float, ...] = task_field(low=-100.0, high=100.0, size=MAX_TYPES,
                                                 doc="reward for collecting an object of each type")
    type_p_terminate: tuple[float, ...] = task_field(low=0.0, high=1.0, size=MAX_TYPES,
                                                     doc="probability that collecting one ends the episode")
    type_p_respawn: tuple[float, ...] = task_field(low=0.0, high=1.0, size=MAX_TYPES,
                                                   doc="per-step probability that a collected one reappears")
    max_steps: int = task_field(low=1, high=MAX_EPISODE, doc="episode length")
    lifetime: int = task_field(low=1, high=10**7,
                               doc="agent updates a learner gets on this level (GROOVE); not used by the dynamics")

    def __post_init__(self) -> None:
        super().__post_init__()
        g = self.grid_size
        if any(row >> g for row in self.walls) or any(self.walls[g:]):
            raise self._error(f"field 'walls' has walls outside the {g}x{g} grid")
        used = (self.start, *self.obj_cells[:self.n_objs])
        for name, cell in zip(["start"] + [f"obj_cells[{k}]" for k in range(self.n_objs)], used, strict=True):
            r, c = divmod(cell, W)
            if r >= g or c >= g or (self.walls[r] >> c) & 1:
                raise self._error(f"{name} = {cell} (row {cell // W}, col {cell % W}) is not a free cell of the grid")
        if len(set(used)) != len(used):
            raise self._error(f"the start {self.start} and the object cells {self.obj_cells[:self.n_objs]} must differ")
        if any(self.obj_cells[self.n_objs:]) or any(self.obj_types[self.n_objs:]):
            raise self._error(f"obj_cells and obj_types of absent objects (slots >= n_objs = {self.n_objs}) must be 0")

    def wall_map(self) -> np.ndarray:
        """``(grid_size, grid_size)`` bool, ``[row, col]`` True on walls."""
        return wall_grid(self.walls)[:self.grid_size, :self.grid_size]

    def optimal_return(self) -> float:
        """The exact optimal expected return from the start (value iteration, cached)."""
        return optimal_return(self)


@lru_cache(maxsize=4096)
def optimal_return(task: LPGTask) -> float:
    """The optimal expected (undiscounted) return of ``task`` from its start state, by backward induction
    over (cell, objects present, t); regret of a policy = ``optimal_return(task) - its mean return``."""
    values, _ = K.lpg_value_iteration(task.to_array(), False)
    g = task.grid_size
    return float(values[(task.start // W) * g + task.start % W, (1 << task.n_objs) - 1])


def optimal_policy(task: LPGTask) -> np.ndarray:
    """``policy[t, row * g + col, mask]``: an optimal action at step ``t`` (``g`` the task's grid size,
    ``mask`` bit ``k`` set while object ``k`` is present). int8, ``max_steps * g**2 * 2**n_objs`` bytes."""
    return K.lpg_value_iteration(task.to_array(), True)[1]


# --- level sets ---------------------------------------------------------------------------------------

def _log_uniform(rng: np.random.Generator, low: float, high: float, size=None):
    return np.exp(rng.uniform(math.log(low), math.log(high), size=size))


def _place(rng: np.random.Generator, g: int, walls: set[int], n: int) -> tuple[int, list[int]] | None:
    """The start and ``n`` object cells, distinct and uniform over the free cells (GROOVE's sampler)."""
    free = [r * W + c for r in range(g) for c in range(g) if r * W + c not in walls]
    if len(free) < n + 1:
        return None
    cells = rng.choice(free, size=n + 1, replace=False).tolist()
    return cells[0], cells[1:]


def _level(g, walls, start, cells, types, rewards, p_term, p_respawn, max_steps, lifetime) -> LPGTask:
    n = len(cells)
    pad = MAX_OBJS - n
    used = set(types)
    zero = [0.0] * MAX_TYPES

    def per_type(values):
        out = list(zero)
        for kind in used:
            out[kind] = float(values[kind])
        return tuple(out)

    grid = np.zeros((W, W), dtype=bool)
    for w in walls:
        grid[divmod(w, W)] = True
    return LPGTask(grid_size=g, walls=wall_rows(grid), start=start, n_objs=n, obj_cells=tuple(cells) + (0,) * pad,
                   obj_types=tuple(types) + (0,) * pad, type_rewards=per_type(rewards),
                   type_p_terminate=per_type(p_term), type_p_respawn=per_type(p_respawn), max_steps=int(max_steps),
                   lifetime=int(lifetime))


@dataclass(frozen=True)
class FixedLevel:
    """One of LPG's five tabular levels (GROOVE's ``environments/gridworld/configs.py``): all but the start and
    object cells, which every draw places uniformly on distinct free cells, as GROOVE does."""

    grid_size: int
    walls: frozenset[int]
    obj_types: tuple[int, ...]
    rewards: tuple[float, ...]
    p_terminate: tuple[float, ...]
    p_respawn: tuple[float, ...]
    max_steps: int
    lifetime: int = 2500  # GROOVE: 5 * 500 agent updates on tabular levels

    def sample(self, rng: np.random.Generator) -> LPGTask:
        start, cells = _place(rng, self.grid_size, self.walls, len(self.obj_types))
        return _level(self.grid_size, self.walls, start, cells, self.obj_types, self.rewards, self.p_terminate,
                      self.p_respawn, self.max_steps, self.lifetime)


def _cells(rows_cols) -> frozenset[int]:
    return frozenset(r * W + c for r, c in rows_cols)


LPG_LEVELS = {
    "dense": FixedLevel(11, frozenset(), (0, 0, 1, 2), (1.0, -1.0, -1.0), (0.0, 0.5, 0.0), (0.05, 0.1, 0.5), 500),
    "sparse": FixedLevel(13, frozenset(), (0, 1), (1.0, -1.0), (1.0, 1.0), (0.0, 0.0), 50),
    "long": FixedLevel(11, frozenset(), (0, 0, 1, 1), (1.0, -1.0), (0.0, 0.5), (0.01, 1.0), 1000),
    # a vertical wall down column 4 with gaps in rows 1 and 7; LPG's reference has 7 objects, GROOVE 5
    "longer": FixedLevel(9, _cells((r, 4) for r in range(9) if r not in (1, 7)), (0, 0, 1, 1, 1), (1.0, -1.0),
                         (0.1, 0.8), (0.01, 1.0), 2000),
    # column 5 walled but rows 0 and 7, row 4 walled but columns 2 and 8
    "long_dense": FixedLevel(11, _cells([(r, 5) for r in range(11) if r not in (0, 7)]
                                        + [(4, c) for c in range(11) if c not in (2, 8)]),
                             (0, 0, 0, 0), (1.0,), (0.0,), (0.005,), 2000),
}


@dataclass(frozen=True)
class ProceduralLevels:
    """A GROOVE level distribution (``configs.py``): grid size uniform in ``grid_sizes``; ``n_walls`` wall
    indices drawn without replacement from ``range(wall_grid**2)`` and kept where they fall in the grid
    (index ``w`` is the cell ``(w // g, w % g)``, GROOVE's numbering); ``n_objs`` uniform in ``objects``,
    object ``k`` of type ``k``; per type reward ``U[-1, 1]`` (type 0: ``U[0, 1]``, or every type with
    ``positive``), ``p_terminate`` log-uniform in ``[1e-2, 1]``, ``p_respawn`` log-uniform in
    ``[1e-3, 1e-1]``; ``max_steps`` log-uniform in ``steps``, rounded; start and objects uniform on distinct
    free cells. ``layouts`` (GROOVE's ``mazes``) replaces the random walls by a uniformly chosen layout."""

    grid_sizes: tuple[int, ...]
    n_walls: int
    wall_grid: int
    objects: tuple[int, int]
    n_types: int
    steps: tuple[int, int]
    lifetime: int | tuple[int, int]
    layouts: tuple[frozenset[int], ...] = ()
    positive: bool = False

    def sample(self, rng: np.random.Generator) -> LPGTask:
        while True:
            g = int(rng.choice(self.grid_sizes))
            if self.layouts:
                walls = self.layouts[int(rng.integers(0, len(self.layouts)))]
            else:
                drawn = rng.choice(self.wall_grid**2, size=self.n_walls, replace=False)
                walls = frozenset(int(w // g) * W + int(w % g) for w in drawn if w < g * g)
            n = int(rng.integers(self.objects[0], self.objects[1] + 1))
            low = 0.0 if self.positive else -1.0
            rewards = np.concatenate([rng.uniform(0.0, 1.0, 1), rng.uniform(low, 1.0, self.n_types - 1)])
            p_term = _log_uniform(rng, 1e-2, 1.0, self.n_types)
            p_respawn = _log_uniform(rng, 1e-3, 1e-1, self.n_types)
            max_steps = round(float(_log_uniform(rng, *self.steps)))
            lifetime = self.lifetime
            if not isinstance(lifetime, int):
                lifetime = round(float(_log_uniform(rng, *lifetime)))
            placed = _place(rng, g, walls, n)
            if placed is not None:  # else too many walls for the objects: draw again
                return _level(g, walls, *placed, list(range(n)), rewards, p_term, p_respawn, max_steps, lifetime)


# GROOVE's ``mazes`` layouts: MiniMax's mazes as wall masks (custom_mazes.py), in GROOVE's order
_MAZE_LAYOUTS = tuple(frozenset(int(k) for k in np.flatnonzero(wall_layout(text).ravel()))
                      for text in (*NAMED_MAZES.values(), SMALL_CORRIDOR))
_PROCEDURAL_ALL = dict(grid_sizes=tuple(range(4, 11)), n_walls=15, wall_grid=10, objects=(1, 5), n_types=5,
                       steps=(20, 750))


@dataclass(frozen=True)
class LevelSet:
    """A named level distribution: its sampler and the sizes its observations are laid out for (``max_grid``
    cells a side, ``max_objs`` object bits: GROOVE's ``max_grid_size`` / ``max_n_objs``); ``max_steps`` is
    its longest episode."""

    name: str
    max_grid: int
    max_objs: int
    max_steps: int
    sample: Callable[[np.random.Generator], LPGTask]

    @property
    def num_states(self) -> int:
        """``max_grid**2 * 2**max_objs``: the tabular states of the observation."""
        return self.max_grid**2 * 2**self.max_objs


def _tabular(rng: np.random.Generator) -> LPGTask:
    return LPG_LEVELS[list(LPG_LEVELS)[int(rng.integers(0, len(LPG_LEVELS)))]].sample(rng)


_GROOVE_MAX = {"dense": (11, 4), "sparse": (13, 2), "long": (11, 4), "longer": (9, 5), "long_dense": (11, 4)}
LEVEL_SETS: dict[str, LevelSet] = {
    **{name: LevelSet(name, *_GROOVE_MAX[name], level.max_steps, level.sample) for name, level in LPG_LEVELS.items()},
    "tabular": LevelSet("tabular", 13, 5, 2000, _tabular),
    "small": LevelSet("small", 6, 3, 100, ProceduralLevels((4, 5, 6), 7, 6, (1, 3), 3, (20, 100), 250).sample),
    "medium": LevelSet("medium", 8, 4, 250, ProceduralLevels((6, 7, 8), 10, 8, (2, 4), 4, (100, 250), 1000).sample),
    "large": LevelSet("large", 10, 5, 750, ProceduralLevels((8, 9, 10), 15, 10, (2, 5), 5, (250, 750), 2500).sample),
    "all": LevelSet("all", 10, 5, 750, ProceduralLevels(**_PROCEDURAL_ALL, lifetime=1000).sample),
    "all_shortlife": LevelSet("all_shortlife", 10, 5, 750, ProceduralLevels(**_PROCEDURAL_ALL, lifetime=250).sample),
    "all_vrandlife": LevelSet("all_vrandlife", 10, 5, 750,
                              ProceduralLevels(**_PROCEDURAL_ALL, lifetime=(10, 250)).sample),
    "mazes": LevelSet("mazes", 13, 3, 50, ProceduralLevels((13,), 0, 13, (3, 3), 3, (25, 50), 2500,
                                                           layouts=_MAZE_LAYOUTS, positive=True).sample),
}


def get_level_set(name: str) -> LevelSet:
    if name not in LEVEL_SETS:
        raise ValueError(f"unknown LPG level set {name!r}; valid: {list(LEVEL_SETS)}")
    return LEVEL_SETS[name]


class LPGDistribution(TaskDistribution):
    """The levels of one level set (:data:`LEVEL_SETS`); splits ``train`` (1000) and ``test`` (50) are draws
    of its sampler. Tasks given to an env must fit the level set's observation layout (:meth:`fit`)."""

    task_type = LPGTask
    split_sizes: ClassVar[dict[str, int]] = {"train": 1000, "test": 50}

    def __init__(self, level_set: str = "tabular"):
        self.level_set = get_level_set(level_set)
        self.family = f"lpg_{level_set}"

    def sample(self, rng: np.random.Generator) -> LPGTask:
        return self.level_set.sample(rng)

    def fit(self, task: LPGTask | Mapping) -> LPGTask:
        """``task`` as an :class:`LPGTask`, checked to fit this level set's observations."""
        task = LPGTask.coerce(task)
        ls = self.level_set
        if task.grid_size > ls.max_grid or task.n_objs > ls.max_objs:
            raise ValueError(f"LPGTask with grid_size {task.grid_size} and n_objs {task.n_objs} does not fit level "
                             f"set {ls.name!r} (grid_size <= {ls.max_grid}, n_objs <= {ls.max_objs}); pick a larger "
                             "level_set such as 'tabular' (13, 5)")
        return task

    def __repr__(self) -> str:
        return f"LPGDistribution({self.level_set.name!r})"


@cache
def lpg_distribution(level_set: str = "tabular") -> LPGDistribution:
    """The shared distribution of a level set (its splits are built once per process)."""
    return LPGDistribution(level_set)


def lpg_spaces(level_set: LevelSet, obs_mode: str) -> tuple[spaces.Box, spaces.Discrete]:
    """(observation space, action space) of one LPGGrid env."""
    if obs_mode not in OBS_MODES:
        raise ValueError(f"obs_mode must be one of {OBS_MODES}, got {obs_mode!r}")
    states = level_set.num_states
    if obs_mode == "index":
        obs = spaces.Box(np.zeros(2, dtype=np.int64), np.array([states - 1, MAX_EPISODE]), dtype=np.int64)
    else:
        high = np.ones(states + 1, dtype=np.float32)
        high[-1] = MAX_EPISODE * 0.001
        obs = spaces.Box(np.zeros(states + 1, dtype=np.float32), high, dtype=np.float32)
    return obs, spaces.Discrete(K.LPG_ACTIONS)


class LPGGridEnv(TaskEnv):
    """Collect rewarding objects and avoid harmful ones in a small grid: LPG's and GROOVE's grid worlds.

    ## Description
    A numba port of GROOVE's ``GridWorld`` (``environments/gridworld/gridworld.py``, after LPG, Oh et al.
    2020), the tabular worlds that learned RL algorithms (LPG, GROOVE, TA-LPG) are meta-trained on. The agent
    moves on a ``g x g`` grid with walls; stepping on a present object collects it (reward of its type), may
    end the episode (``p_terminate`` of its type), and a collected object reappears at its cell with
    probability ``p_respawn`` per step. Every level's optimum is exact (:func:`optimal_return`), so the
    regret of any agent is exact too; GROOVE's *algorithmic* regret compares against a trained A2C instead.

    ## Task distribution
    :class:`LPGTask` (grid, walls, start, objects and their types, per-type reward / p_terminate / p_respawn,
    ``max_steps``, GROOVE's ``lifetime``). ``level_set`` picks the distribution (:data:`LEVEL_SETS`):
    ``"tabular"`` (LPG's five levels ``dense``, ``sparse``, ``long``, ``longer``, ``long_dense``, uniformly,
    each also a level set of its own), GROOVE's ``"small"``, ``"medium"``, ``"large"``, ``"all"``
    (``"all_shortlife"``, ``"all_vrandlife"``: other lifetimes) and ``"mazes"`` (MiniMax's maze layouts).
    Splits ``train`` (1000) and ``test`` (50) of draws.

    ## Action Space
    ``Discrete(5)``: 0 up, 1 down, 2 left, 3 right, 4 no-op. A move off the grid or into a wall stays put.

    ## Observation Space
    The tabular state ``s = row * G + col + G**2 * mask`` (``mask`` bit ``k`` set while object ``k`` is
    present; ``G``, ``M`` the level set's ``max_grid`` / ``max_objs``, so ``s < G**2 * 2**M``) and the step
    ``t``:

    - ``obs_mode="index"`` (default): ``Box(int64, (2,))`` ``[s, t]``;
    - ``obs_mode="onehot"``: GROOVE's vector, ``Box(float32, (G**2 * 2**M + 1,))`` ``[onehot(s), 0.001 t]``.

    ## Rewards
    The reward of the collected object's type (0 when nothing is collected). Within a step: the agent moves;
    an object present at the start of the step on the new cell is collected; every object absent at the start
    of the step respawns with its probability (so a collected object can be back after two steps at the
    earliest); then the termination coin of the collected object is tossed.

    ## Starting State
    The level's start cell with every object present.

    ## Episode End
    Terminates on the termination coin; truncates after the level's ``max_steps`` (``gym.make`` adds a
    ``TimeLimit`` of the level set's longest episode, which never cuts earlier).

    ## Arguments
    ``level_set`` (``"tabular"``), ``obs_mode`` (``"index"``), ``task``, ``task_split``, ``render_mode``
    (``"rgb_array"``).

    ## Deviations
    Cells are numbered ``row * 13 + col`` in tasks and ``row * G + col`` in observations, where GROOVE uses
    ``row * g + col`` of the level's own grid (a relabelling of the same tabular states). GROOVE's
    random-respawn (``rand_*``) levels are not included: their optimum is not computable this way.

    ## Version History
    - v0: initial version.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 10}

    def __init__(self, *, level_set: str = "tabular", obs_mode: str = "index", task: LPGTask | Mapping | None = None,
                 task_split: str = "train", render_mode: str | None = None):
        super().__init__(lpg_distribution(level_set), task=task, task_split=task_split)
        if render_mode not in (None, *self.metadata["render_modes"]):
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None, got {render_mode!r}")
        self.render_mode = render_mode
        self.level_set = self.task_distribution.level_set
        self.obs_mode = obs_mode
        self.observation_space, self.action_space = lpg_spaces(self.level_set, obs_mode)
        self._onehot = obs_mode == "onehot"
        self._params = np.zeros((1, K.L_SIZE))
        self._state = np.zeros((1, K.LS_SIZE), dtype=np.int64)
        self._elapsed = np.zeros(1, dtype=np.int64)
        self._obs = np.zeros((1, *self.observation_space.shape), dtype=self.observation_space.dtype)

    def set_task(self, task: LPGTask | Mapping | None) -> None:
        super().set_task(None if task is None else self.task_distribution.fit(task))

    def _reset_episode(self, task: LPGTask):
        self._params[0] = task.to_array()
        K.lpg_reset_single(self._params, self._state, self._elapsed, self._obs, self.level_set.max_grid,
                           self._onehot)
        return self._obs[0].copy(), {}

    def step(self, action):
        action = fast_discrete(action, K.LPG_ACTIONS, self.action_space)
        reward, terminated, truncated = K.lpg_step_single(action, self._rng, self._params, self._state,
                                                          self._elapsed, self._obs, self.level_set.max_grid,
                                                          self._onehot)
        return self._obs[0].copy(), float(reward), bool(terminated), bool(truncated), {}

    @property
    def agent_cell(self) -> tuple[int, int]:
        """``(row, col)`` of the agent."""
        cell = int(self._state[0, K.LS_CELL])
        return cell // W, cell % W

    @property
    def objects_present(self) -> tuple[bool, ...]:
        """Whether each of the level's objects is present."""
        return tuple(bool((int(self._state[0, K.LS_MASK]) >> k) & 1) for k in range(int(self._params[0, K.L_NOBJ])))

    def render(self):
        """A top-down RGB image (``rgb_array``): walls dark, objects as discs in their type's colour (a ring
        while collected), the agent a red square."""
        if self.render_mode != "rgb_array":
            return None
        from rlenvs.gridworld.render import lpg_image

        return lpg_image(self._params[0], self._state[0])


class LPGGridVectorEnv(GridVectorEnv):
    """``num_envs`` LPGGrid envs (see :class:`LPGGridEnv`) stepped in one numba call.

    Same arguments as the single env plus ``num_envs``, ``max_episode_steps`` (a cap on every level's
    ``max_steps``), ``tasks`` and ``copy``; see :class:`~rlenvs.core.vector.BatchedVectorEnv`.
    :meth:`optimal_returns` gives the exact optimum of every env's current level.
    """

    metadata = {**GridVectorEnv.metadata, "render_modes": []}

    def __init__(self, num_envs: int, *, level_set: str = "tabular", obs_mode: str = "index",
                 max_episode_steps: int | None = None, task_split: str = "train",
                 tasks: Sequence[LPGTask | Mapping | None] | LPGTask | Mapping | None = None, copy: bool = True):
        dist = lpg_distribution(level_set)
        obs_space, act_space = lpg_spaces(dist.level_set, obs_mode)
        super().__init__(num_envs, dist, obs_space, act_space, max_episode_steps=max_episode_steps,
                         task_split=task_split, tasks=tasks, copy=copy)
        self.level_set = dist.level_set
        self.obs_mode = obs_mode
        self._onehot = obs_mode == "onehot"
        self._state = np.zeros((self.num_envs, K.LS_SIZE), dtype=np.int64)

    def set_tasks(self, tasks) -> None:
        if isinstance(tasks, Sequence) and not isinstance(tasks, (str, bytes)) and len(tasks) == self.num_envs:
            tasks = [None if t is None else self.task_distribution.fit(t) for t in tasks]
        elif tasks is not None and isinstance(tasks, (Task, Mapping)):
            tasks = self.task_distribution.fit(tasks)
        super().set_tasks(tasks)

    def _reset_envs(self, mask):
        K.lpg_reset_batch(mask, self._rng, self._task_fixed, self._fixed_params, self._split_params,
                          self._task_params, self._task_index, self._state, self._elapsed, self._obs,
                          self.level_set.max_grid, self._onehot)

    def _step_envs(self) -> int:
        return K.lpg_step_batch(self._actions, self._rng, self._task_fixed, self._fixed_params, self._split_params,
                                self._task_params, self._task_index, self._needs_reset, self._state, self._elapsed,
                                self._obs, self.level_set.max_grid, self._onehot, self._max_steps, self._rewards,
                                self._terminations, self._truncations)

    def optimal_returns(self) -> np.ndarray:
        """The exact optimal return of every env's current level (value iteration, cached per level)."""
        return np.array([optimal_return(task) for task in self.tasks])
