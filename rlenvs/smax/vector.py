"""Batched SMAX: ``SMAXVector(scenario, num_envs)`` steps every match in one numba call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from rlenvs.core.rng import new_state, seed_keys, seed_to_uint64
from rlenvs.smax import _kernels
from rlenvs.smax.tasks import POSITION_MODES, UNIT_STATS, SMAXDistribution, SMAXTask, scenario_task

ACTION_ORDERS = ("smax", "smac")
OUTCOMES = ("running", "ally_win", "enemy_win", "draw", "timeout")
ENEMY_MODES = ("heuristic", "agents")


def smac_to_smax_table(num_targets: int) -> np.ndarray:
    """SMAC index -> SMAX index: 0 no-op and 1 stop -> 4, 2 N -> 0, 3 S -> 2, 4 E -> 1, 5 W -> 3, 6+k -> 5+k."""
    return np.array([4, 4, 0, 2, 1, 3, *range(5, 5 + num_targets)], dtype=np.int64)


def smax_to_smac_table(num_targets: int) -> np.ndarray:
    """SMAX index -> SMAC index: 0 N -> 2, 1 E -> 4, 2 S -> 3, 3 W -> 5, 4 stop -> 1, 5+k -> 6+k."""
    return np.array([2, 4, 3, 5, 1, *range(6, 6 + num_targets)], dtype=np.int64)


class SMAXCore:
    """The arrays of ``num_envs`` SMAX matches and the kernel calls on them (shared by both shells).

    State (``b`` env, ``i`` unit, allies first): ``pos (B, N, 2)``, ``health``, ``cooldown`` (s, goes
    negative while idle), ``alive``, ``types``, ``prev_move`` / ``prev_attack`` (last SMAX actions),
    ``episode_step``, the heuristic's memory ``h_init`` / ``h_last`` / ``h_target``, and ``rng`` (one
    counter-RNG row per env). Outputs of the last call: ``obs``, ``masks`` (configured action order),
    ``wstate``, ``team_rewards (B, 2)`` (allies, enemies), ``rewards`` / ``terminated`` / ``truncated``
    per agent, ``outcome`` (codes of :data:`OUTCOMES`) and ``needs_reset`` (the episode ended: the next
    step resets the env).
    """

    def __init__(self, scenario: str, num_envs: int, *, enemy: str = "heuristic", task: Any = None,
                 task_split: str = "train", max_steps: int = 100, walls_cause_death: bool = True,
                 won_battle_bonus: float = 1.0, action_order: str = "smax", map_size: float = 32.0):
        if not isinstance(num_envs, (int, np.integer)) or isinstance(num_envs, bool) or num_envs < 1:
            raise ValueError(f"num_envs must be a positive int, got {num_envs!r}")
        if enemy not in ENEMY_MODES:
            raise ValueError(f"enemy must be one of {ENEMY_MODES}, got {enemy!r}")
        if action_order not in ACTION_ORDERS:
            raise ValueError(f"action_order must be one of {ACTION_ORDERS}, got {action_order!r}")
        if not isinstance(max_steps, (int, np.integer)) or isinstance(max_steps, bool) or max_steps < 1:
            raise ValueError(f"max_steps must be a positive int, got {max_steps!r}")
        if not isinstance(map_size, (int, float)) or not map_size > 4.0:
            raise ValueError(f"map_size must be a number > 4, got {map_size!r}")
        self.task_distribution = SMAXDistribution(scenario)
        self.scenario = scenario
        self.num_envs = b = int(num_envs)
        self.num_allies = self.task_distribution.num_allies
        self.num_enemies = self.task_distribution.num_enemies
        self.num_units = n = self.num_allies + self.num_enemies
        self.enemy = enemy
        self.action_order = action_order
        self.max_steps = int(max_steps)
        self.walls = bool(walls_cause_death)
        self.won_bonus = float(won_battle_bonus)
        self.width = self.height = float(map_size)
        self.dt = 1.0 / 16.0
        self.ticks = 8
        self.obs_lo, self.obs_hi = (0, self.num_allies) if enemy == "heuristic" else (0, n)
        self.num_agents = k = self.obs_hi - self.obs_lo
        self.obs_size = _kernels.UNIT_FEATURES * (n - 1) + _kernels.OWN_FEATURES
        self.state_size = (_kernels.OWN_FEATURES + 2) * n
        smac = action_order == "smac"
        moves = 6 if smac else 5  # SMAC adds the no-op in front
        most_targets = max(self.num_allies, self.num_enemies)
        self.num_actions = np.array([moves + (self.num_enemies if i < self.num_allies else self.num_allies)
                                     for i in range(self.obs_lo, self.obs_hi)])  # per agent
        self.mask_width = moves + most_targets
        self._to_smax = smac_to_smax_table(most_targets) if smac else np.arange(5 + most_targets)
        self._from_smax = smax_to_smac_table(most_targets)
        self.stats = UNIT_STATS.copy()
        self.task_split = task_split
        self._split_params = self.task_distribution.split(task_split).to_array()
        self.rng = new_state(b)
        self.task_fixed = np.zeros(b, dtype=np.bool_)
        self.fixed_params = np.zeros((b, n + 1))
        self.task_params = np.zeros((b, n + 1))
        self.task_index = np.full(b, -1, dtype=np.int64)
        self.pos = np.zeros((b, n, 2))
        self.health = np.zeros((b, n))
        self.cooldown = np.zeros((b, n))
        self.alive = np.zeros((b, n), dtype=np.bool_)
        self.types = np.zeros((b, n), dtype=np.int64)
        self.prev_move = np.full((b, n), 4, dtype=np.int64)
        self.prev_attack = np.zeros((b, n), dtype=np.int64)
        self.episode_step = np.zeros(b, dtype=np.int64)
        self.h_init = np.zeros((b, n), dtype=np.bool_)
        self.h_last = np.full((b, n), -1, dtype=np.int64)
        self.h_target = np.zeros((b, n, 2))
        self.obs = np.zeros((b, k, self.obs_size), dtype=np.float32)
        self.masks = np.zeros((b, k, self.mask_width), dtype=np.int8)
        self.wstate = np.zeros((b, self.state_size), dtype=np.float32)
        self.team_rewards = np.zeros((b, 2))
        self.rewards = np.zeros((b, k), dtype=np.float32)
        self.terminated = np.zeros((b, k), dtype=np.bool_)
        self.truncated = np.zeros((b, k), dtype=np.bool_)
        self.outcome = np.zeros(b, dtype=np.int8)
        self.needs_reset = np.ones(b, dtype=np.bool_)
        self._work = np.zeros((_kernels.WORK_ROWS, n))  # the kernels' scratch (they never allocate)
        self._iwork = np.zeros((_kernels.IWORK_ROWS, n), dtype=np.int64)
        self._alive_work = np.zeros(n, dtype=np.bool_)
        if task is not None:
            self.set_task(task)

    # -- tasks ---------------------------------------------------------------------------------------
    def coerce_task(self, task: Any) -> SMAXTask:
        """A task of this scenario's team sizes from a task, its dict or a fixed scenario's name."""
        if isinstance(task, str):
            task = scenario_task(task)
        task = SMAXTask.coerce(task)
        if len(task.ally_types) != self.num_allies or len(task.enemy_types) != self.num_enemies:
            raise ValueError(
                f"task has {len(task.ally_types)} allies and {len(task.enemy_types)} enemies but this {self.scenario} "
                f"env has {self.num_allies} and {self.num_enemies} (team sizes fix the spaces; make another id)")
        return task

    def set_task(self, task: Any, index: int | None = None) -> None:
        """Fix the task of env ``index`` (all envs if None); ``None`` as task returns to split draws."""
        where = slice(None) if index is None else index
        if task is None:
            self.task_fixed[where] = False
            return
        self.fixed_params[where] = self.coerce_task(task).to_array()
        self.task_fixed[where] = True

    def task_of(self, index: int) -> SMAXTask:
        """The task of env ``index``'s current episode."""
        row = self.task_params[index]
        a, n = self.num_allies, self.num_units
        return SMAXTask(ally_types=tuple(int(v) for v in row[:a]), enemy_types=tuple(int(v) for v in row[a:n]),
                        start_positions=POSITION_MODES[int(row[n])])

    # -- seeding, reset, step ------------------------------------------------------------------------
    def seed(self, seeds: Sequence[int]) -> None:
        """Key env ``b``'s RNG stream with ``seeds[b]`` (the single env's stream for that seed)."""
        keys = seed_keys(np.array([seed_to_uint64(int(s)) for s in seeds], dtype=np.uint64))
        self.rng[:, 0] = keys
        self.rng[:, 1] = 0

    def reset(self, mask: np.ndarray) -> None:
        """Start a new episode in every env where ``mask``."""
        _kernels.reset_batch(mask, self.num_allies, self.rng, self.task_fixed, self.fixed_params, self._split_params,
                             self.task_params, self.task_index, self.pos, self.health, self.cooldown, self.alive,
                             self.types, self.prev_move, self.prev_attack, self.episode_step, self.h_init, self.h_last,
                             self.stats, self.width, self.height, self.obs_lo, self.obs_hi,
                             self.action_order == "smac", self.obs, self.masks, self.wstate, self.needs_reset,
                             self.outcome, self._work, self._iwork)

    def step(self, actions: np.ndarray) -> None:
        """Step every env with ``(num_envs, num_agents)`` integer actions in the configured order."""
        arr = np.asarray(actions)
        shape = (self.num_envs, self.num_agents)
        if arr.shape != shape or not np.issubdtype(arr.dtype, np.integer):
            raise ValueError(f"actions must be integers with shape {shape}, got {arr.dtype} array of shape {arr.shape}")
        bad = _kernels.step_batch(
            arr.astype(np.int64, copy=False), self.num_actions, self._to_smax, self.enemy == "heuristic",
            self.num_allies, self.rng, self.task_fixed, self.fixed_params, self._split_params, self.task_params,
            self.task_index, self.pos, self.health, self.cooldown, self.alive, self.types, self.prev_move,
            self.prev_attack, self.episode_step, self.h_init, self.h_last, self.h_target, self.stats, self.dt,
            self.ticks, self.width, self.height, self.walls, self.max_steps, self.won_bonus, self.obs_lo, self.obs_hi,
            self.action_order == "smac", self.obs, self.masks, self.wstate, self.team_rewards, self.outcome,
            self.needs_reset, self.rewards, self.terminated, self.truncated, self._work, self._iwork,
            self._alive_work)
        if bad >= 0:
            b, k = divmod(int(bad), self.num_agents)
            raise ValueError(f"action {arr[b, k]} of agent {k} (env {b}) is outside the action space "
                             f"Discrete({self.num_actions[k]}) ({self.action_order} action order)")

    def heuristic(self, team: int) -> np.ndarray:
        """Heuristic actions ``(num_envs, team size)`` of team 0 (allies) or 1 (enemies), in the configured
        order (stop in envs about to reset). Advances the heuristic's memory and may draw from the RNG."""
        if team not in (0, 1):
            raise ValueError(f"team must be 0 (allies) or 1 (enemies), got {team!r}")
        lo, hi = (0, self.num_allies) if team == 0 else (self.num_allies, self.num_units)
        out = np.empty((self.num_envs, hi - lo), dtype=np.int64)
        _kernels.heuristic_batch(lo, hi, self.num_allies, self.pos, self.alive, self.types, self.stats, self.rng,
                                 self.h_target, self.h_last, self.h_init, self.width, self.height, self.needs_reset,
                                 out)
        if self.action_order == "smax":
            return out
        return np.where(self.alive[:, lo:hi], self._from_smax[out], 0)  # SMAC's no-op for dead units


def _parse_options(options: Mapping | None, num_envs: int) -> list | None:
    if options is None:
        return None
    if not isinstance(options, Mapping):
        raise TypeError(f"options must be a dict, got {type(options).__name__}")
    unknown = set(options) - {"tasks", "task"}
    if unknown:
        raise ValueError(f"unknown reset option(s) {sorted(unknown)}; valid: 'tasks' (one per env) or 'task'")
    if "tasks" in options:
        tasks = list(options["tasks"])
        if len(tasks) != num_envs:
            raise ValueError(f"options['tasks'] needs {num_envs} tasks, got {len(tasks)}")
        return tasks
    if "task" in options:
        return [options["task"]] * num_envs
    return None


class SMAXVector:
    """``num_envs`` SMAX matches stepped together in one numba call; the form MARL trainers use for throughput.

    ## Description
    The same matches as :class:`rlenvs.smax.env.SMAXParallelEnv` (see it for the dynamics, rewards, the
    action and observation layout and the differences from JaxMARL), as stacked arrays over envs and
    agents with a fixed roster: dead agents stay in the arrays with zero observations and a mask that
    allows only the no-op. Env ``b`` reset with ``seed=s`` follows the parallel env reset with
    ``seed=s + b`` step for step (the ``SyncVectorEnv`` convention); ``seed`` may also be a list.

    ## Arguments
    - ``scenario``: one of :data:`rlenvs.smax.tasks.SCENARIOS` (default ``"3m"``); ``num_envs``.
    - ``enemy``: ``"heuristic"`` (default; the agents are the allies, the enemies follow JaxMARL's heuristic)
      or ``"agents"`` (self-play: all ``N`` units are agents, allies first; an enemy's actions target the
      allies in reverse order, as in SMAX; masks are padded with zeros to the widest action space).
    - ``task`` / ``task_split`` (``"train"``), ``max_steps`` (100), ``walls_cause_death`` (True),
      ``won_battle_bonus`` (1.0), ``action_order`` (``"smax"`` or ``"smac"``), ``map_size`` (32), and
      ``copy`` (True: outputs are fresh arrays; False: views that the next call overwrites).

    ## Arrays
    - ``reset(seed=None, options=None) -> (obs, info)``; ``options``: ``{"tasks": [one per env]}`` or
      ``{"task": task}`` (a task, its dict or a fixed scenario's name; the task persists).
    - ``step(actions) -> (obs, rewards, terminations, truncations, info)`` with ``actions`` a
      ``(num_envs, num_agents)`` integer array; an action outside an agent's ``Discrete(num_actions[k])``
      raises ``ValueError`` (nothing is stepped); masked-out actions are ignored (the unit stands still).
    - ``obs``: ``(num_envs, num_agents, 13(N-1)+10)`` float32 in ``[-1, 1]``.
    - ``rewards``: ``(num_envs, num_agents)`` float32, each agent its team's reward. ``terminations`` /
      ``truncations``: ``(num_envs, num_agents)`` bool; an agent is terminated while dead, every agent when
      a team is wiped; alive agents are truncated at the time limit. An env whose episode ended resets on
      its next ``step`` (NEXT_STEP autoreset: that step's actions are ignored, rewards 0, dones False).
    - ``info["action_mask"]``: ``(num_envs, num_agents, mask_width)`` int8; ``info["world_state"]``:
      ``(num_envs, 12N)`` float32; ``info["battle_won"]``: ``(num_envs,)`` bool (the allies won on this
      step); ``info["outcome"]``: ``(num_envs,)`` int8 codes of :data:`OUTCOMES`.
    """

    metadata = {"autoreset_mode": "NextStep"}

    def __init__(self, scenario: str = "3m", num_envs: int = 1, *, copy: bool = True, **kwargs: Any):
        self.core = SMAXCore(scenario, num_envs, **kwargs)
        self.copy = bool(copy)
        self.num_envs = self.core.num_envs
        self.num_agents = self.core.num_agents
        self.obs_size = self.core.obs_size
        self.state_size = self.core.state_size
        self.mask_width = self.core.mask_width
        self.task_distribution = self.core.task_distribution
        self._seeded = False

    @property
    def num_actions(self) -> np.ndarray:
        """Number of actions of each agent (in the configured action order)."""
        return self.core.num_actions.copy()

    def set_tasks(self, tasks: Sequence[Any]) -> None:
        """Fix one task per env (``None`` entries return that env to split draws)."""
        if len(tasks) != self.num_envs:
            raise ValueError(f"set_tasks needs {self.num_envs} tasks, got {len(tasks)}")
        for b, task in enumerate(tasks):
            self.core.set_task(task, b)

    def _out(self, x: np.ndarray) -> np.ndarray:
        return x.copy() if self.copy else x

    def _info(self) -> dict[str, np.ndarray]:
        core = self.core
        return {"action_mask": self._out(core.masks), "world_state": self._out(core.wstate),
                "battle_won": core.outcome == _kernels.ALLY_WIN, "outcome": core.outcome.copy()}

    def reset(self, *, seed: int | Sequence[int] | None = None, options: Mapping | None = None):
        tasks = _parse_options(options, self.num_envs)
        if tasks is not None:
            self.set_tasks(tasks)
        if seed is None and not self._seeded:
            seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(2))
        if seed is not None:
            seeds = [seed + b for b in range(self.num_envs)] if isinstance(seed, (int, np.integer)) else list(seed)
            if len(seeds) != self.num_envs:
                raise ValueError(f"seed needs {self.num_envs} entries, got {len(seeds)}")
            self.core.seed(seeds)
            self._seeded = True
        self.core.reset(np.ones(self.num_envs, dtype=np.bool_))
        return self._out(self.core.obs), self._info()

    def step(self, actions):
        if not self._seeded:
            raise RuntimeError("call reset() before step()")
        core = self.core
        core.step(actions)
        return (self._out(core.obs), self._out(core.rewards), self._out(core.terminated),
                self._out(core.truncated), self._info())

    def heuristic_actions(self, team: int = 0) -> np.ndarray:
        """The heuristic's actions ``(num_envs, team size)`` for ``team`` (0 allies, 1 enemies) in the
        configured action order, from the current state (stop in envs about to autoreset).

        Calling it advances the heuristic's memory (sticky target, start-position target) and may draw from
        each env's RNG, as the built-in enemy heuristic does inside ``step``: call it once per step."""
        return self.core.heuristic(team)

    def close(self) -> None:
        pass
