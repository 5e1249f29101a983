"""Maze: the 13x13 UED maze of PLR / ACCEL / PAIRED (MiniMax, JaxUED) with levels as tasks.

A level (:class:`MazeTask`) is a wall map, the agent's start cell and heading and the goal cell. Levels print
and parse as JaxUED's strings, edit immutably (ACCEL's add / remove wall, move goal / agent), and know
their shortest path. :func:`generate_level` is the domain-randomisation generator (always solvable),
:func:`mutate_level` ACCEL's mutator, :data:`NAMED_MAZES` the standard held-out test mazes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import numpy as np
from gymnasium import spaces

from rlenvs.core.env import TaskEnv
from rlenvs.core.task import Task, TaskDistribution, split_rng, task_field
from rlenvs.gridworld import _kernels as K
from rlenvs.gridworld._common import GridVectorEnv, fast_discrete, wall_grid, wall_rows

SIZE = K.MAZE
HORIZON = 250  # MiniMax / JaxUED max_steps_in_episode
DEFAULT_WALLS = 25  # JaxUED's and MiniMax's env default; MiniMax's DR / PLR / PAIRED configs use 60
HEADING_CHARS = ">v<^"  # JaxUED's level strings: the agent facing east, south, west, north

# The held-out test mazes of JaxUED (src/jaxued/environments/maze/level.py; MiniMax's maze_ood.py has the same
# layouts), as JaxUED's strings: '#' wall, '.' free, 'G' goal, '>' 'v' '<' '^' the agent and its heading.
NAMED_MAZES = {
    "SixteenRooms": """
...#..#..#...
.>.......#...
...#..#......
#.###.##.###.
...#.........
......#..#...
##.#.##.###.#
...#.....#...
...#..#......
.####.##.#.##
...#..#..#...
......#....G.
...#.....#...""",
    "SixteenRooms2": """
...#.....#...
.>....#..#...
...#..#..#...
####.##.###.#
...#..#......
......#..#...
#.#####.#####
...#..#..#...
...#.........
##.##.##.####
...#..#..#...
......#....G.
...#..#..#...""",
    "Labyrinth": """
.............
.###########.
.#.........#.
.#.#######.#.
.#.#.....#.#.
.#.#.###.#.#.
.#.#.#G#.#.#.
.#.#.#.#.#.#.
.#...#...#.#.
.#########.#.
.....#.....#.
####.#.#####.
>....#.......""",
    "LabyrinthFlipped": """
.............
.###########.
.#.........#.
.#.#######.#.
.#.#.....#.#.
.#.#.###.#.#.
.#.#.#G#.#.#.
.#.#.#.#.#.#.
.#.#...#...#.
.#.#########.
.#.....#.....
.#####.#.####
.......#....<""",
    "Labyrinth2": """
>#...........
.#.#########.
.#.#.......#.
.#.#.#####.#.
.#.#.#...#.#.
...#.#.#.#.#.
####.#G#.#.#.
...#.###.#.#.
.#.#.....#.#.
.#.#######.#.
.#.........#.
.###########.
.............""",
    "StandardMaze": """
.....#>...#..
.###.####.##.
.#...........
.########.###
........#....
######.#####.
....#..#.....
.##...##.####
..#.#..#...#.
#.#.##.###.#.
#.#..#...#...
#.##.###.###.
...#..G#.#...""",
    "StandardMaze2": """
...#.#....#..
.#.#.####...#
.#........#..
.########.###
...#..#.#.#.G
##.#.##.#.#..
>#.#....#.##.
.#.##.###..#.
.#..#..###.#.
.##.##.#.#.#.
.#...#.#.#.#.
.#.#.#.#.#.#.
...#...#.....""",
    "StandardMaze3": """
...>#.#......
.####.#.####.
.#....#.#....
...####.#.#.#
##.#....#.#..
...#.##.#.##.
.#.#.#..#..#G
.#.#.#.###.##
.#...#.#.#...
.###.#.#.###.
.#...#.#...#.
.#.###.#.#.#.
.#...#...#...""",
}
# MiniMax's SmallCorridor (maze_ood.py): the agent at (0, 6) facing east, the goal at one of ten corridor ends.
SMALL_CORRIDOR = """
.............
.#.#.#.#.#.#.
.#.#.#.#.#.#.
.#.#.#.#.#.#.
.#.#.#.#.#.#.
.#.#.#.#.#.#.
.###########.
.#.#.#.#.#.#.
.#.#.#.#.#.#.
.#.#.#.#.#.#.
.#.#.#.#.#.#.
.#.#.#.#.#.#.
............."""
SMALL_CORRIDOR_GOALS = ((2, 5), (4, 5), (6, 5), (8, 5), (10, 5), (2, 7), (4, 7), (6, 7), (8, 7), (10, 7))


def wall_layout(text: str) -> np.ndarray:
    """``(13, 13)`` bool wall map of a level string (everything but '#' is free)."""
    rows = text.strip().split("\n")
    return np.array([[ch == "#" for ch in row] for row in rows], dtype=bool)


@dataclass(frozen=True)
class MazeTask(Task):
    """One maze level: walls, the agent's start pose and the goal (cells are ``(x, y)``, y grows downwards).

    Text form (:meth:`to_string` / :meth:`from_string`): JaxUED's level strings. Edits (:meth:`with_wall`,
    :meth:`without_wall`, :meth:`with_goal`, :meth:`with_agent`) return a new level.
    """

    walls: tuple[int, ...] = task_field(low=0, high=2**SIZE - 1, size=SIZE,
                                        doc="row bitmasks: bit x of walls[y] is set where (x, y) is a wall")
    agent_pos: tuple[int, ...] = task_field(low=0, high=SIZE - 1, size=2, doc="start cell (x, y)")
    agent_dir: int = task_field(low=0, high=3, doc="start heading: 0 east, 1 south, 2 west, 3 north")
    goal_pos: tuple[int, ...] = task_field(low=0, high=SIZE - 1, size=2, doc="goal cell (x, y)")

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.agent_pos == self.goal_pos:
            raise self._error(f"the agent and the goal share the cell {self.agent_pos}")
        for name in ("agent_pos", "goal_pos"):
            x, y = getattr(self, name)
            if (self.walls[y] >> x) & 1:
                raise self._error(f"field {name!r} = {(x, y)} is on a wall")

    def wall_map(self) -> np.ndarray:
        """``(13, 13)`` bool, ``[y, x]`` True on walls."""
        return wall_grid(self.walls)

    # --- text ----------------------------------------------------------------------------------------
    def to_string(self) -> str:
        """JaxUED's level string: 13 rows of '#', '.', 'G' and the agent as '>' 'v' '<' '^'."""
        grid = [["#" if wall else "." for wall in row] for row in self.wall_map()]
        grid[self.goal_pos[1]][self.goal_pos[0]] = "G"
        grid[self.agent_pos[1]][self.agent_pos[0]] = HEADING_CHARS[self.agent_dir]
        return "\n".join("".join(row) for row in grid)

    @classmethod
    def from_string(cls, text: str) -> MazeTask:
        """Parse a level string; levels smaller than 13x13 are padded with walls (JaxUED's ``pad_to_shape``)."""
        rows = text.strip().split("\n")
        if len(rows) > SIZE or any(len(row) != len(rows[0]) for row in rows) or len(rows[0]) > SIZE:
            raise ValueError(f"a maze string needs at most {SIZE} rows of one length <= {SIZE}, got row lengths "
                             f"{[len(r) for r in rows]}")
        walls = np.ones((SIZE, SIZE), dtype=bool)
        agents, goals = [], []
        for y, row in enumerate(rows):
            for x, ch in enumerate(row):
                if ch not in "#.G" + HEADING_CHARS:
                    raise ValueError(f"unexpected character {ch!r} at (x={x}, y={y}); use '#', '.', 'G', "
                                     f"or one of {HEADING_CHARS!r} for the agent")
                walls[y, x] = ch == "#"
                if ch == "G":
                    goals.append((x, y))
                elif ch in HEADING_CHARS:
                    agents.append((x, y, HEADING_CHARS.index(ch)))
        if len(goals) != 1 or len(agents) != 1:
            raise ValueError(f"a maze string needs exactly one 'G' and one agent, got {len(goals)} and {len(agents)}")
        x, y, heading = agents[0]
        return cls(walls=wall_rows(walls), agent_pos=(x, y), agent_dir=heading, goal_pos=goals[0])

    # --- edits (ACCEL) ---------------------------------------------------------------------------------
    def _set_wall(self, x: int, y: int, wall: bool) -> tuple[int, ...]:
        if not (0 <= x < SIZE and 0 <= y < SIZE):
            raise ValueError(f"cell ({x}, {y}) is outside the {SIZE}x{SIZE} maze")
        row = self.walls[y] | (1 << x) if wall else self.walls[y] & ~(1 << x)
        return self.walls[:y] + (row,) + self.walls[y + 1:]

    def with_wall(self, x: int, y: int) -> MazeTask:
        """This level with a wall at ``(x, y)`` (not on the agent or the goal)."""
        if (x, y) in (self.agent_pos, self.goal_pos):
            raise ValueError(f"cannot put a wall on the {'agent' if (x, y) == self.agent_pos else 'goal'} at {(x, y)}")
        return MazeTask(self._set_wall(x, y, True), self.agent_pos, self.agent_dir, self.goal_pos)

    def without_wall(self, x: int, y: int) -> MazeTask:
        """This level with ``(x, y)`` free."""
        return MazeTask(self._set_wall(x, y, False), self.agent_pos, self.agent_dir, self.goal_pos)

    def with_goal(self, x: int, y: int) -> MazeTask:
        """This level with the goal moved to ``(x, y)`` (a wall there is removed, as ACCEL's edit does)."""
        return MazeTask(self._set_wall(x, y, False), self.agent_pos, self.agent_dir, (x, y))

    def with_agent(self, x: int, y: int, heading: int | None = None) -> MazeTask:
        """This level with the agent starting at ``(x, y)`` (facing ``heading``, default: unchanged)."""
        return MazeTask(self._set_wall(x, y, False), (x, y), self.agent_dir if heading is None else heading,
                        self.goal_pos)

    # --- solutions --------------------------------------------------------------------------------------
    def shortest_path_length(self) -> int | None:
        """The fewest actions (turns included) from the start to the goal; ``None`` if it cannot be reached."""
        x, y = self.agent_pos
        steps = int(K.maze_distances(self.to_array())[self.agent_dir, y, x])
        return None if steps < 0 else steps

    def is_solvable(self) -> bool:
        """Whether the goal can be reached from the start (breadth-first search over poses)."""
        return self.shortest_path_length() is not None

    def optimal_return(self, max_steps: int = HORIZON) -> float:
        """``1 - 0.9 L / T`` for the shortest path of ``L <= T`` actions, else 0."""
        steps = self.shortest_path_length()
        return 0.0 if steps is None or steps > max_steps else 1.0 - 0.9 * steps / max_steps


def _level_row(walls: np.ndarray, agent: int, heading: int, goal: int) -> np.ndarray:
    """The kernels' task row of a flat (169,) wall array and flat agent / goal cells."""
    return np.array([*wall_rows(walls.reshape(SIZE, SIZE)), agent % SIZE, agent // SIZE, heading, goal % SIZE,
                     goal // SIZE], dtype=np.float64)


def _task(walls: np.ndarray, agent: int, heading: int, goal: int) -> MazeTask:
    return MazeTask(walls=wall_rows(walls.reshape(SIZE, SIZE)), agent_pos=(agent % SIZE, agent // SIZE),
                    agent_dir=heading, goal_pos=(goal % SIZE, goal // SIZE))


def _check_walls(n_walls) -> int:
    if isinstance(n_walls, bool) or not isinstance(n_walls, (int, np.integer)) or not 0 <= n_walls <= SIZE * SIZE - 2:
        raise ValueError(f"n_walls must be an int in [0, {SIZE * SIZE - 2}], got {n_walls!r}")
    return int(n_walls)


def generate_level(rng: np.random.Generator, n_walls: int = DEFAULT_WALLS, max_tries: int = 10_000) -> MazeTask:
    """A solvable domain-randomisation level, as MiniMax / JaxUED draw them, then filtered for solvability.

    ``n_walls`` wall cells uniform with replacement (MiniMax's ``replace_wall_pos``, JaxUED's generator), the
    agent uniform over the free cells with a uniform heading, the goal uniform over the other free cells;
    draws whose goal cannot be reached are redrawn (MiniMax and JaxUED keep them).
    """
    n_walls = _check_walls(n_walls)
    for _ in range(max_tries):
        walls = np.zeros(SIZE * SIZE, dtype=np.int64)
        walls[rng.integers(0, SIZE * SIZE, size=n_walls)] = 1
        free = np.flatnonzero(walls == 0)
        agent = int(rng.choice(free))
        heading = int(rng.integers(0, 4))
        goal = int(rng.choice(free[free != agent]))
        if K.maze_distances(_level_row(walls, agent, heading, goal))[heading, agent // SIZE, agent % SIZE] >= 0:
            return _task(walls, agent, heading, goal)
    raise RuntimeError(f"no solvable level with {n_walls} walls in {max_tries} draws")


def mutate_level(rng: np.random.Generator, task: MazeTask, num_edits: int = 5) -> MazeTask:
    """ACCEL's mutation as JaxUED's ``make_level_mutator``: ``num_edits`` distinct random cells, each with a
    random edit among add wall / remove wall / move the agent there (random heading) / move the goal there
    (JaxUED draws the cells with replacement and drops repeats, so it can make fewer edits).

    An agent or goal whose cell was edited (other than by moving it there) is placed again at the end on a
    random free cell (the goal first, then the agent, with a random heading), exactly as JaxUED does. The
    result is well formed but, as in ACCEL, not necessarily solvable (see :meth:`MazeTask.is_solvable`).
    """
    walls = task.wall_map().ravel().astype(np.int64)
    agent = task.agent_pos[1] * SIZE + task.agent_pos[0]
    goal = task.goal_pos[1] * SIZE + task.goal_pos[0]
    heading = task.agent_dir
    agent_moved = goal_moved = False
    cells = rng.choice(SIZE * SIZE, size=min(int(num_edits), SIZE * SIZE), replace=False)
    for cell, edit in zip(cells.tolist(), rng.integers(0, 4, size=len(cells)).tolist(), strict=True):
        agent_moved |= cell == agent
        goal_moved |= cell == goal
        if edit == 0:
            walls[cell] = 1
        elif edit == 1:
            walls[cell] = 0
        elif edit == 2:
            walls[cell], agent, heading, agent_moved = 0, cell, int(rng.integers(0, 4)), False
        else:
            walls[cell], goal, goal_moved = 0, cell, False
    if goal_moved:
        allowed = walls == 0
        allowed[agent] = agent_moved and not walls[agent]
        goal = int(rng.choice(np.flatnonzero(allowed)))
    if agent_moved:
        allowed = walls == 0
        allowed[goal] = False
        agent, heading = int(rng.choice(np.flatnonzero(allowed))), int(rng.integers(0, 4))
    return _task(walls, agent, heading, goal)


def perfect_maze(rng: np.random.Generator) -> MazeTask:
    """A perfect 13x13 maze (MiniMax's ``PerfectMaze``): a depth-first-search spanning tree of the 7x7 even
    cells, the goal and then the agent uniform over the free cells, a uniform heading."""
    walls = np.ones((SIZE, SIZE), dtype=np.int64)
    nodes = SIZE // 2 + 1
    visited = np.zeros((nodes, nodes), dtype=bool)
    start = (int(rng.integers(0, nodes)), int(rng.integers(0, nodes)))
    stack = [start]
    visited[start[1], start[0]] = True
    walls[2 * start[1], 2 * start[0]] = 0
    while stack:
        x, y = stack[-1]
        options = [(x + dx, y + dy) for dx, dy in ((1, 0), (0, 1), (-1, 0), (0, -1))
                   if 0 <= x + dx < nodes and 0 <= y + dy < nodes and not visited[y + dy, x + dx]]
        if not options:
            stack.pop()
            continue
        nx, ny = options[int(rng.integers(0, len(options)))]
        visited[ny, nx] = True
        walls[ny + y, nx + x] = 0  # the wall cell between the two nodes
        walls[2 * ny, 2 * nx] = 0
        stack.append((nx, ny))
    walls = walls.ravel()
    free = np.flatnonzero(walls == 0)
    goal = int(rng.choice(free))
    agent = int(rng.choice(free[free != goal]))
    return _task(walls, agent, int(rng.integers(0, 4)), goal)


class MazeDistribution(TaskDistribution):
    """Maze levels: ``sample`` is :func:`generate_level` with ``n_walls`` walls.

    Splits:
      - ``train`` (1000): generated levels (the DR distribution; UED methods draw their own with ``sample``,
        :func:`generate_level` and :func:`mutate_level`);
      - ``test`` (8): JaxUED's named held-out mazes, in :data:`NAMED_MAZES` order;
      - ``test_ood`` (30): MiniMax's other 13x13 out-of-distribution mazes: SmallCorridor with each of its 10
        goals, and 20 perfect mazes (:func:`perfect_maze`).
    """

    task_type = MazeTask
    split_sizes: ClassVar[dict[str, int]] = {"train": 1000, "test": len(NAMED_MAZES), "test_ood": 30}

    def __init__(self, n_walls: int = DEFAULT_WALLS):
        self.n_walls = _check_walls(n_walls)
        self.family = f"maze_walls{self.n_walls}"

    def sample(self, rng: np.random.Generator) -> MazeTask:
        return generate_level(rng, self.n_walls)

    def _split_tasks(self, name: str) -> list[MazeTask]:
        if name == "test":
            return [MazeTask.from_string(text) for text in NAMED_MAZES.values()]
        if name == "test_ood":
            walls = wall_rows(wall_layout(SMALL_CORRIDOR))
            corridors = [MazeTask(walls=walls, agent_pos=(0, 6), agent_dir=0, goal_pos=goal)
                         for goal in SMALL_CORRIDOR_GOALS]
            return corridors + [perfect_maze(split_rng("maze_ood", name, i)) for i in range(20)]
        return super()._split_tasks(name)

    def __repr__(self) -> str:
        return f"MazeDistribution(n_walls={self.n_walls})"


@cache
def maze_distribution(n_walls: int = DEFAULT_WALLS) -> MazeDistribution:
    """The shared distribution of one wall budget (its splits are built once per process)."""
    return MazeDistribution(n_walls)


def maze_spaces() -> tuple[spaces.Box, spaces.Discrete]:
    """(observation space, action space) of one Maze env."""
    high = np.full(K.MAZE_OBS, 255, dtype=np.uint8)
    high[-1] = 3
    return spaces.Box(np.zeros(K.MAZE_OBS, dtype=np.uint8), high, dtype=np.uint8), spaces.Discrete(K.MAZE_ACTIONS)


def _check_horizon(max_steps) -> int:
    if isinstance(max_steps, bool) or not isinstance(max_steps, (int, np.integer)) or max_steps < 1:
        raise ValueError(f"max_steps must be a positive int, got {max_steps!r}")
    return int(max_steps)


class MazeEnv(TaskEnv):
    """Navigate a 13x13 maze to its goal from a 5x5 egocentric view: the UED maze of PLR, ACCEL and PAIRED.

    ## Description
    A numba port of the Maze of MiniMax and JaxUED (the MiniGrid-style maze that PLR, ACCEL and PAIRED train
    on). The level is the task; UED methods generate (:func:`generate_level`), edit (:meth:`MazeTask.with_wall`
    and friends, :func:`mutate_level`) and replay levels through ``set_task`` / ``reset(options={"task": ...})``
    or the vector env's ``set_tasks``.

    ## Task distribution
    :class:`MazeTask`: ``walls`` (13 row bitmasks, bit ``x`` of ``walls[y]``), ``agent_pos`` ``(x, y)``, ``agent_dir``
    (0 east, 1 south, 2 west, 3 north) and ``goal_pos``. Splits ``train`` (1000 generated levels with
    ``n_walls`` walls), ``test`` (JaxUED's 8 held-out mazes: SixteenRooms, SixteenRooms2, Labyrinth,
    LabyrinthFlipped, Labyrinth2, StandardMaze, StandardMaze2, StandardMaze3) and ``test_ood`` (MiniMax's
    SmallCorridor with its 10 goals and 20 perfect mazes); see :class:`MazeDistribution`.

    ## Action Space
    ``Discrete(7)``, MiniGrid's actions: 0 turn left, 1 turn right, 2 forward, 3 pickup, 4 drop, 5 toggle,
    6 done. Only the first three have an effect; the others let time pass, as in MiniMax and JaxUED.

    ## Observation Space
    ``Box(0, 255, (76,), uint8)``: JaxUED's ``image`` (5x5x3, MiniGrid's encoding ``image[col, row] =
    (object, colour, state)``: 1 empty (1, 0, 0), 2 wall (2, 5, 0), 8 goal (8, 1, 0); the agent's cell at
    ``[2, 4]``, facing row 0; cells outside the maze are walls; walls do not block sight) flattened in C
    order, then ``agent_dir``. The agent itself is not drawn (``see_agent=False``). MiniMax's Dict
    observation is flattened because rlenvs' vector envs hold one array: ``obs[:75].reshape(5, 5, 3)`` is
    the image, ``obs[75]`` the heading.

    ## Rewards
    ``1 - 0.9 t / T`` on the step ``t`` (counted from 1) whose forward move enters the goal, else 0, with
    ``T = max_steps`` (250): MiniMax's and JaxUED's ``penalize_time`` reward.

    ## Starting State
    The level's start cell and heading.

    ## Episode End
    Terminates when the agent moves into the goal (it stays in front of it); truncates after ``max_steps``
    steps (the env's own count; ``gym.make`` adds a ``TimeLimit`` of the same length).

    ## Arguments
    ``n_walls`` (25: JaxUED's and MiniMax's default; ``Maze-Walls60-v0`` uses MiniMax's 60 of the DR / PLR /
    PAIRED configs; 0 gives ACCEL's empty start levels), ``max_steps`` (250), ``task``, ``task_split``,
    ``render_mode`` (``"rgb_array"``: a top-down image, the view outlined).

    ## Deviations
    The generator redraws unsolvable levels (MiniMax and JaxUED keep them); the Dict observation is flattened;
    MiniMax evaluates its held-out mazes with ``T = 2 (h + 2) (w + 2) = 450`` steps (and a random heading on
    some), here they use the env's ``max_steps`` and the heading of JaxUED's strings.

    ## Version History
    - v0: initial version.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 10}

    def __init__(self, *, n_walls: int = DEFAULT_WALLS, max_steps: int = HORIZON,
                 task: MazeTask | Mapping | None = None, task_split: str = "train", render_mode: str | None = None):
        super().__init__(maze_distribution(n_walls), task=task, task_split=task_split)
        if render_mode not in (None, *self.metadata["render_modes"]):
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None, got {render_mode!r}")
        self.render_mode = render_mode
        self.max_steps = _check_horizon(max_steps)
        self.observation_space, self.action_space = maze_spaces()
        self._params = np.zeros(K.M_SIZE)
        self._state = np.zeros((1, K.MS_SIZE), dtype=np.int64)
        self._elapsed = np.zeros(1, dtype=np.int64)
        self._grid = np.zeros((1, K.MAP * K.MAP), dtype=np.uint8)
        self._obs = np.zeros((1, K.MAZE_OBS), dtype=np.uint8)

    def _reset_episode(self, task: MazeTask):
        self._params[:] = task.to_array()
        K.maze_reset_single(self._params, self._state, self._elapsed, self._grid, self._obs)
        return self._obs[0].copy(), {}

    def step(self, action):
        action = fast_discrete(action, K.MAZE_ACTIONS, self.action_space)
        reward, terminated, truncated = K.maze_step_single(action, self._state, self._elapsed, self._grid,
                                                           self._obs, self.max_steps)
        return self._obs[0].copy(), float(reward), bool(terminated), bool(truncated), {}

    @property
    def agent_pose(self) -> tuple[int, int, int]:
        """``(x, y, heading)`` of the agent."""
        return tuple(int(v) for v in self._state[0])

    def render(self):
        """A top-down RGB image (``rgb_array``): walls grey, the goal green, the agent a red triangle."""
        if self.render_mode != "rgb_array":
            return None
        from rlenvs.gridworld.render import maze_image

        return maze_image(self._params, self._state[0])


class MazeVectorEnv(GridVectorEnv):
    """``num_envs`` Maze envs (see :class:`MazeEnv`) stepped in one numba call.

    Same arguments as the single env plus ``num_envs``, ``max_episode_steps`` (a cap on top of ``max_steps``;
    ``gym.make_vec`` passes 250), ``tasks`` and ``copy``; see :class:`~rlenvs.core.vector.BatchedVectorEnv`.
    """

    metadata = {**GridVectorEnv.metadata, "render_modes": []}

    def __init__(self, num_envs: int, *, n_walls: int = DEFAULT_WALLS, max_steps: int = HORIZON,
                 max_episode_steps: int | None = None, task_split: str = "train",
                 tasks: Sequence[MazeTask | Mapping | None] | MazeTask | Mapping | None = None, copy: bool = True):
        obs_space, act_space = maze_spaces()
        super().__init__(num_envs, maze_distribution(n_walls), obs_space, act_space,
                         max_episode_steps=max_episode_steps, task_split=task_split, tasks=tasks, copy=copy)
        self.max_steps = _check_horizon(max_steps)
        self._state = np.zeros((self.num_envs, K.MS_SIZE), dtype=np.int64)
        self._grid = np.zeros((self.num_envs, K.MAP * K.MAP), dtype=np.uint8)

    def _reset_envs(self, mask):
        K.maze_reset_batch(mask, self._rng, self._task_fixed, self._fixed_params, self._split_params,
                           self._task_params, self._task_index, self._state, self._elapsed, self._grid, self._obs)

    def _step_envs(self) -> int:
        return K.maze_step_batch(self._actions, self._rng, self._task_fixed, self._fixed_params, self._split_params,
                                 self._task_params, self._task_index, self._needs_reset, self._state, self._elapsed,
                                 self._grid, self._obs, self.max_steps, self._max_steps, self._rewards,
                                 self._terminations, self._truncations)

    @property
    def agent_pose(self) -> np.ndarray:
        """``(num_envs, 3)`` int64: ``(x, y, heading)`` of every env's agent (a copy)."""
        return self._state.copy()
