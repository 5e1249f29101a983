"""SMAX-lite: StarCraft-like micro-management battles (JaxMARL's SMAX) as a PettingZoo ParallelEnv."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from gymnasium import spaces
from pettingzoo import ParallelEnv

from rlenvs.core.spaces import check_action
from rlenvs.smax import _kernels
from rlenvs.smax.tasks import UNIT_STATS, SMAXTask
from rlenvs.smax.vector import OUTCOMES, SMAXCore


class SMAXParallelEnv(ParallelEnv):
    """SMAX: two teams of StarCraft-II-like units fight on a 32x32 plane; the agents are the allies and the
    enemies follow JaxMARL's heuristic.

    ## Description
    A numba port of JaxMARL's SMAX (``jaxmarl`` 0.2.0, ``HeuristicEnemySMAX`` with its defaults). One env
    step is 8 ticks of 1/16 s (0.5 s of game time); each tick, from the state at its start and for all units
    at once:

    - move: ``pos += dir * speed / 16`` for a move action (N/E/S/W; stop and attacks stand still), then every
      alive unit is clamped to ``[0, 32]^2``; dead units do not move;
    - attack: valid iff ``|pos_i - pos_t| < range_i``, both alive and ``cooldown_i <= 0``; then
      ``health_t -= damage_i`` (damage from several units adds up; health floors at 0) and
      ``cooldown_i = base_cooldown_i + U(-1/16, 2/16)``; otherwise ``cooldown_i -= 1/16`` (unclamped, so an
      idle unit fires on the first tick of its attack). A unit that dies in a tick still deals its damage of
      that tick, so both teams can be wiped out together (a draw);
    - walls: a unit with ``x <= 0``, ``y <= 0``, ``x >= 32`` or ``y >= 32`` dies (walking into the edge
      kills, as in SMAX);
    - ``alive = health > 0``; then alive units are pushed apart (not re-clamped):
      ``pos_i += sum_j (pos_i - pos_j) relu((r_i + r_j) / (|pos_i - pos_j| + 1e-6) - 1) / 2``.

    Unit stats (speed, damage, range, sight, radius, HP, cooldown) are :data:`rlenvs.smax.tasks.UNIT_STATS`.
    The enemy heuristic (:func:`rlenvs.smax._kernels.heuristic_action`) keeps shooting its last target while
    it is in range, else the closest enemy in range; else walks towards a random visible enemy, else towards
    its start position mirrored through the map centre. The batched form with self-play (``enemy="agents"``)
    is :class:`rlenvs.smax.SMAXVector`.

    ## Task distribution
    The task is the match-up, :class:`rlenvs.smax.tasks.SMAXTask` (unit type of every ally and enemy and
    the start-position generator). Fixed maps have one task; ``smacv2_{5,10,20}_units`` draw the unit types
    (uniform over the 6 types, enemies mirroring the allies) from the split (``train`` 100 / ``test`` 20
    compositions) at each reset, unless a task is fixed with ``set_task`` or
    ``reset(options={"task": task_or_dict_or_scenario_name})`` (team sizes must match the env). Start
    positions are drawn anew every episode.

    ## Action Space
    ``Discrete(5 + num_enemies)`` per agent. ``action_order="smax"`` (default): 0 north (+y), 1 east (+x),
    2 south, 3 west, 4 stop, ``5 + k`` attack enemy ``k``. ``action_order="smac"``: ``Discrete(6 +
    num_enemies)`` with SMAC's layout 0 no-op, 1 stop, 2 N, 3 S, 4 E, 5 W, ``6 + k`` attack (no-op and stop
    both stand still). An action outside the space raises ``ValueError``; masked-out actions (a target out of
    range or dead) are ignored as in SMAX: the unit stands still. ``action_mask`` (int8, in the observation
    and in ``infos``): stop always; moves iff alive (no wall masking, as in SMAX); attack ``k`` iff both alive
    and ``distance < range`` (cooldown not checked, as in SMAX). In SMAC order stop is available only to
    alive units and the no-op only to dead ones.

    ## Observation Space
    ``Dict(observation=Box(-1, 1, (13 (N-1) + 10,), float32), action_mask=Box(0, 1, (n_actions,), int8))``
    (e.g. 75 on 3m, 738 on 27m_vs_30m). The observation lists the other allies then the enemies, 13 features
    each (zero unless both alive and ``distance < sight range`` of the observer): health / max HP, relative
    x and y / sight range, last move vector (unit cardinal or 0), last attack action / (n_actions_j - 1),
    clip(cooldown / base cooldown, 0, 1), unit-type one-hot (6); then 10 own features (zero if dead): health
    fraction, x / 32, y / 32, clipped cooldown fraction, type one-hot. ``state()`` (``state_space``,
    ``Box(-inf, inf, (12 N,), float32)``) is SMAX's world state: per unit ``[health frac, x, y, cooldown
    (s, negative while idle), one-hot(6)]`` (zero if dead), then the N team ids (0/1), then the N type ids,
    not normalised, as in SMAX.

    ## Rewards
    Shared by all agents, dead ones included: ``|sum_{enemies} (h_after - h_before) / max_hp| /
    num_enemies`` over the env step (edge deaths count as damage), plus ``won_battle_bonus`` (1.0) when every
    enemy is dead and an ally is alive. The damage part sums to at most 1 per episode, so the maximum return
    is 2. No loss penalty, no kill bonus.

    ## Starting State
    Allies at ``(8, 16) + U(-2, 2)^2`` and enemies at ``(24, 16) + U(-2, 2)^2`` (SMACv2 maps: 50% surround,
    50% reflect, see :func:`rlenvs.smax._kernels.start_positions`), then one push; full HP, cooldown 0.

    ## Episode End
    - An agent is terminated (and leaves ``agents``) in the step it dies; it is not revived.
    - All agents are terminated when a team is wiped out (win, loss, or a draw when both are wiped out in the
      same tick).
    - All remaining agents are **truncated** (not terminated) after ``max_steps`` (100) env steps.
    - ``infos[agent]["battle_won"]`` is True on the final step of a won battle (SMAC's win rate; draws and
      timeouts are not wins); ``infos[agent]["outcome"]`` is one of ``running, ally_win, enemy_win, draw,
      timeout``.

    ## Differences from JaxMARL (quirks not copied)
    - JaxMARL reports the time limit as ``done`` with no truncation flag; here it is ``truncated``. JaxMARL
      also tests ``step >= max_steps`` before counting the step, so its episodes last up to 101 steps; here
      they last ``max_steps`` (100) steps (``max_steps=101`` reproduces JaxMARL's horizon).
    - JaxMARL auto-resets inside ``step`` and drops the final observation; here the final observation is
      returned and ``reset`` starts the next episode (the vector form autoresets on the NEXT step).
    - The own-position features are clipped to ``[0, 1]``: SMACv2 starts and pushes can put an alive unit
      off the map (it dies on the next tick), where JaxMARL's observation leaves its declared ``Box(-1, 1)``.
    - The heuristic reads positions from the state, not from the float32 observation, and compares squared
      distances; the push sums its pairs in another order. All three differ from JaxMARL by rounding only.
      Random numbers come from rlenvs' counter RNG, so trajectories match JaxMARL in distribution, not draw
      for draw: heuristic-vs-heuristic win/loss/draw/timeout rates agree within 0.3 points over 20000
      episodes (tests/smax).
    - ``smacv2_*`` maps: JaxMARL draws a fresh type composition every episode; here each reset draws one of
      the split's fixed compositions, so map generalisation is measured on held-out compositions (``test``).
    - Not offered: ``see_enemy_actions=False``, the ``conic`` observation, continuous actions, the
      heuristic's ``attack_mode="random"`` and ``enemy_shoots=False``.
    - Kept on purpose (SMAX semantics): edge deaths, no wall masking, the unnormalised world state, draws
      counting as non-wins, the 100-step limit on every map (SMAC's limits are per map).

    ## Arguments
    ``scenario`` (default ``"3m"``, one of :data:`rlenvs.smax.tasks.SCENARIOS`), ``task``, ``task_split``
    (``"train"``), ``max_steps`` (100), ``walls_cause_death`` (True), ``won_battle_bonus`` (1.0),
    ``action_order`` (``"smax"`` or ``"smac"``), ``render_mode`` (``"rgb_array"`` or None). SMAC-style
    helpers: :meth:`get_avail_actions`, :meth:`get_state`, :meth:`get_env_info`.

    ## Version History
    - v0: initial version (JaxMARL SMAX 0.2.0 semantics).
    """

    metadata = {"name": "smax_v0", "render_modes": ["rgb_array"], "render_fps": 2, "is_parallelizable": True}

    def __init__(self, scenario: str = "3m", *, task: SMAXTask | Mapping | str | None = None,
                 task_split: str = "train", max_steps: int = 100, walls_cause_death: bool = True,
                 won_battle_bonus: float = 1.0, action_order: str = "smax", render_mode: str | None = None):
        if render_mode not in (None, *self.metadata["render_modes"]):
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None, got {render_mode!r}")
        self.render_mode = render_mode
        self.core = SMAXCore(scenario, 1, enemy="heuristic", task=task, task_split=task_split, max_steps=max_steps,
                             walls_cause_death=walls_cause_death, won_battle_bonus=won_battle_bonus,
                             action_order=action_order)
        self.scenario = scenario
        self.task_distribution = self.core.task_distribution
        self.possible_agents = [f"ally_{i}" for i in range(self.core.num_allies)]
        self.agents: list[str] = []
        self._index = {a: i for i, a in enumerate(self.possible_agents)}
        n_act = int(self.core.num_actions[0])
        obs_box = spaces.Box(-1.0, 1.0, shape=(self.core.obs_size,), dtype=np.float32)
        self._obs_spaces = {
            a: spaces.Dict({"observation": obs_box,
                            "action_mask": spaces.Box(0, 1, shape=(n_act,), dtype=np.int8)})
            for a in self.possible_agents
        }
        self._act_spaces = {a: spaces.Discrete(n_act) for a in self.possible_agents}
        self.state_space = spaces.Box(-np.inf, np.inf, shape=(self.core.state_size,), dtype=np.float32)
        self._seeded = False
        self._actions = np.zeros((1, self.core.num_agents), dtype=np.int64)  # filled by step

    def observation_space(self, agent: str) -> spaces.Dict:
        """The (identical on every call) observation space of ``agent``."""
        return self._obs_spaces[agent]

    def action_space(self, agent: str) -> spaces.Discrete:
        """The (identical on every call) action space of ``agent``."""
        return self._act_spaces[agent]

    # -- tasks ---------------------------------------------------------------------------------------
    @property
    def task(self) -> SMAXTask:
        """The task of the current episode."""
        return self.core.task_of(0)

    def set_task(self, task: SMAXTask | Mapping | str | None) -> None:
        """Fix the task for the next resets (``None``: draw from ``task_split`` again)."""
        self.core.set_task(task)

    # -- API -----------------------------------------------------------------------------------------
    def _agent_obs(self):
        core = self.core
        obs, infos = {}, {}
        for a in self.agents:
            k = self._index[a]
            mask = core.masks[0, k, : int(core.num_actions[k])].copy()
            obs[a] = {"observation": core.obs[0, k].copy(), "action_mask": mask}
            infos[a] = {"action_mask": mask.copy()}
        return obs, infos

    def reset(self, seed: int | None = None, options: dict | None = None):
        if options is not None:
            if not isinstance(options, Mapping):
                raise TypeError(f"options must be a dict, got {type(options).__name__}")
            # other keys are ignored (pettingzoo.test.parallel_api_test resets with options={"options": 1})
            if "task" in options:
                self.core.set_task(options["task"])
        if seed is None and not self._seeded:
            seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(2))
        if seed is not None:
            self.core.seed([seed])
            self._seeded = True
        self.core.reset(np.ones(1, dtype=np.bool_))
        self.agents = list(self.possible_agents)
        obs, infos = self._agent_obs()
        task = self.task.to_dict()
        for a in self.agents:
            infos[a]["task"] = task
        return obs, infos

    def step(self, actions: dict):
        if not self.agents:
            raise RuntimeError("the episode is over (no agents left): call reset()")
        if not isinstance(actions, Mapping):
            raise TypeError(f"actions must be a dict agent -> action, got {type(actions).__name__}")
        unknown = set(actions) - set(self.agents)
        if unknown:
            raise ValueError(f"actions for agents that are not live: {sorted(unknown)}; live agents: {self.agents}")
        missing = [a for a in self.agents if a not in actions]
        if missing:
            raise ValueError(f"missing actions for live agents {missing}")
        core = self.core
        self._actions[:] = 0 if core.action_order == "smac" else 4  # the no-op of agents that left
        for a, act in actions.items():
            self._actions[0, self._index[a]] = check_action(act, self._act_spaces[a])
        core.step(self._actions)
        reward = float(core.rewards[0, 0])
        outcome = OUTCOMES[int(core.outcome[0])]
        obs, infos = self._agent_obs()
        rewards, terms, truncs = {}, {}, {}
        for a in self.agents:
            k = self._index[a]
            rewards[a] = reward
            terms[a] = bool(core.terminated[0, k])
            truncs[a] = bool(core.truncated[0, k])
            infos[a]["battle_won"] = outcome == "ally_win"
            infos[a]["outcome"] = outcome
        self.agents = [a for a in self.agents if not (terms[a] or truncs[a])]
        return obs, rewards, terms, truncs, infos

    def state(self) -> np.ndarray:
        """The world state (``state_space``) after the last reset or step."""
        return self.core.wstate[0].copy()

    # -- SMAC-style shim -----------------------------------------------------------------------------
    def get_avail_actions(self) -> np.ndarray:
        """``(num_allies, n_actions)`` int8 masks of every ally (dead ones too)."""
        return self.core.masks[0, :, : int(self.core.num_actions[0])].copy()

    def get_state(self) -> np.ndarray:
        """SMAC's name for :meth:`state`."""
        return self.state()

    def get_env_info(self) -> dict[str, Any]:
        """SMAC's ``state_shape``, ``obs_shape``, ``n_actions``, ``n_agents`` and ``episode_limit``."""
        return {"state_shape": self.core.state_size, "obs_shape": self.core.obs_size,
                "n_actions": int(self.core.num_actions[0]), "n_agents": self.core.num_allies,
                "episode_limit": self.core.max_steps}

    # -- rendering -----------------------------------------------------------------------------------
    def render(self):
        """An RGB image of the map: allies blue, enemies red, darker with lost health; None without a mode."""
        if self.render_mode != "rgb_array":
            return None
        return render_frame(self.core, 0)

    def close(self) -> None:
        pass


def render_frame(core: SMAXCore, b: int, size: int = 384) -> np.ndarray:
    """``(size, size, 3)`` uint8 top view of env ``b`` of ``core`` (y up): allies blue, enemies red, a unit's
    disk (its collision radius, at least 0.3) darker as it loses health, and a line from each unit to the
    unit it attacked in the last step."""
    scale = size / core.width
    ys, xs = np.mgrid[0:size, 0:size]
    wx = (xs + 0.5) / scale
    wy = core.height - (ys + 0.5) / scale
    image = np.full((size, size, 3), 235, dtype=np.uint8)
    colours = {True: np.array((40, 90, 220), dtype=np.float64), False: np.array((220, 50, 40), dtype=np.float64)}
    along = np.linspace(0.0, 1.0, size)[:, None]
    for i in range(core.num_units):
        action = int(core.prev_attack[b, i])
        target = _kernels.target_index(i, action, core.num_allies)
        if core.alive[b, i] and action >= 5 and core.alive[b, target]:
            points = core.pos[b, i] + along * (core.pos[b, target] - core.pos[b, i])
            px = np.clip((points[:, 0] * scale).astype(int), 0, size - 1)
            py = np.clip(((core.height - points[:, 1]) * scale).astype(int), 0, size - 1)
            image[py, px] = (0.5 * colours[i < core.num_allies] + 0.5 * 235).astype(np.uint8)
    for i in range(core.num_units):
        if not core.alive[b, i]:
            continue
        t = core.types[b, i]
        frac = core.health[b, i] / UNIT_STATS[t, 5]
        r = max(UNIT_STATS[t, 4], 0.3)
        disk = (wx - core.pos[b, i, 0]) ** 2 + (wy - core.pos[b, i, 1]) ** 2 <= r**2
        image[disk] = (colours[i < core.num_allies] * (0.35 + 0.65 * frac)).astype(np.uint8)
    return image
