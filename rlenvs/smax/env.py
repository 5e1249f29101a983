"""SMAX-lite: StarCraft-like micro-management battles (JaxMARL's SMAX) as a PettingZoo ParallelEnv."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from gymnasium import spaces
from pettingzoo import ParallelEnv

from rlenvs.smax import _kernels
from rlenvs.smax.tasks import UNIT_STATS, SMAXTask
from rlenvs.smax.vector import OUTCOMES, SMAXCore


class SMAXParallelEnv(ParallelEnv):
    """SMAX: two teams of StarCraft-II-like units fight on a 32x32 plane; the agents are the allies and the
    enemies follow JaxMARL's heuristic.

    ## Description
    A numba port of JaxMARL's SMAX (v0.2.0, ``HeuristicEnemySMAX``). One env step is 8 ticks of 1/16 s
    (0.5 s of game time); each tick, from the state at its start and for all units at once:

    - move: ``pos += dir * speed / 16`` for a move action (N/E/S/W), clipped to ``[0, 32]^2``; dead units
      and units whose action is stop or attack stand still;
    - attack: valid iff ``|pos_i - pos_t| < range_i``, both alive and ``cooldown_i <= 0``; then
      ``health_t -= damage_i`` (damage from several units adds up; health floors at 0) and
      ``cooldown_i = base_cooldown_i + U(-1/16, 2/16)``; otherwise ``cooldown_i -= 1/16`` (unclamped);
    - walls: a unit with ``x <= 0``, ``y <= 0``, ``x >= 32`` or ``y >= 32`` dies (walking into the edge
      kills, as in SMAX);
    - ``alive = health > 0``; then alive units are pushed apart:
      ``pos_i += sum_j (pos_i - pos_j) relu((r_i + r_j) / (|pos_i - pos_j| + 1e-6) - 1) / 2``.

    Unit stats (speed, damage, range, sight, radius, HP, cooldown) are :data:`rlenvs.smax.tasks.UNIT_STATS`.

    ## Task distribution
    The task is the match-up, :class:`rlenvs.smax.tasks.SMAXTask` (unit type of every ally and enemy and
    the start-position generator). Fixed maps have one task; ``smacv2_{5,10,20}_units`` draw the unit types
    (uniform over the 6 types, enemies mirroring the allies) from the split (``train`` 100 / ``test`` 20
    compositions) at each reset, unless a task is fixed with ``set_task`` or
    ``reset(options={"task": task_or_dict_or_scenario_name})`` (team sizes must match the env).

    ## Action Space
    ``Discrete(5 + num_enemies)`` per agent. ``action_order="smax"`` (default): 0 north (+y), 1 east (+x),
    2 south, 3 west, 4 stop (also the no-op of dead units), ``5 + k`` attack enemy ``k``.
    ``action_order="smac"``: ``Discrete(6 + num_enemies)`` with SMAC's layout 0 no-op, 1 stop, 2 N, 3 S,
    4 E, 5 W, ``6 + k`` attack (the no-op and stop both map to SMAX's stop). Actions outside the space raise
    ``ValueError``; masked-out actions (out-of-range or dead targets) are ignored as in SMAX (the unit stands
    still). The mask ``action_mask`` (int8): stop always; moves iff alive; attack ``k`` iff both alive and
    ``distance < range`` (cooldown is not checked, as in SMAX). In SMAC order the no-op is available only to
    dead units and stop only to alive ones.

    ## Observation Space
    ``Dict(observation=Box(-1, 1, (13 (N-1) + 10,), float32), action_mask=Box(0, 1, (n_actions,), int8))``.
    The observation lists the other allies then the enemies, 13 features each (zero unless both alive and
    ``distance < sight range`` of the observer): health / max HP, relative x and y / sight range, last move
    vector (unit cardinal or 0), last attack action index / (n_actions_j - 1), clip(cooldown / base, 0, 1),
    unit-type one-hot (6); then 10 own features (zero if dead): health frac, x / 32, y / 32, clipped
    cooldown fraction, type one-hot. ``state()`` (``state_space``, ``Box(-inf, inf, (12 N,), float32)``) is
    SMAX's world state: per unit ``[health frac, x, y, cooldown (s, may be negative), one-hot(6)]`` (zero if
    dead), then the N team ids, then the N type ids (not normalised, as in SMAX).

    ## Rewards
    Shared by all agents: ``|sum_{enemies} (h_after - h_before) / max_hp| / num_enemies`` over the env step,
    plus ``won_battle_bonus`` (1.0) when every enemy is dead and an ally is alive. The maximum return is 2.
    Agents that die this step still get this step's reward.

    ## Episode End
    - An agent is terminated (and leaves ``agents``) in the step it dies.
    - All agents are terminated when a team is wiped out (win, loss, or a draw when both are wiped out in the
      same tick).
    - All remaining agents are **truncated** (not terminated) after ``max_steps`` (100) env steps.
    - ``infos[agent]["battle_won"]`` is True on the final step of a won battle; ``infos[agent]["outcome"]``
      is one of ``running, ally_win, enemy_win, draw, timeout``.

    ## Differences from JaxMARL (quirks not copied)
    - JaxMARL reports the time limit as ``done`` with no truncation flag; here it is ``truncated``.
    - JaxMARL auto-resets inside ``step`` and drops the final observation; here the final observation is
      returned and ``reset`` starts the next episode (the vector form autoresets on the NEXT step).
    - The heuristic reads positions from the state, not from the float32 observation (equal up to float32
      rounding); random numbers come from rlenvs' counter RNG, so trajectories match JaxMARL only in
      distribution, not draw for draw.
    - The own-position features are clipped to ``[0, 1]``: SMACv2 start positions can lie off the map (the
      unit dies at the first tick), where JaxMARL's observation leaves its declared ``Box(-1, 1)``.
    - ``smacv2_*`` maps: JaxMARL draws a fresh type composition every episode; here each reset draws one of
      the split's fixed compositions (100 in ``train``), so map generalisation is measured on held-out
      compositions (``test``). Start positions are drawn fresh every episode, as in JaxMARL.
    - ``see_enemy_actions`` is always True and only the ``unit_list`` observation and discrete actions exist.
    - Kept on purpose (SMAX semantics): edge deaths, the unnormalised world state, draws counting as
      non-wins, the 100-step limit on every map, and JaxMARL's SMACv2 type bug (extra enemies are marines).

    ## Arguments
    ``scenario`` (default ``"3m"``), ``task``, ``task_split`` (``"train"``), ``max_steps`` (100),
    ``walls_cause_death`` (True), ``won_battle_bonus`` (1.0), ``action_order`` (``"smax"``/``"smac"``),
    ``render_mode`` (``"rgb_array"`` or None).

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
        self._actions = np.full((1, self.core.num_agents), 4 if action_order == "smax" else 1, dtype=np.int64)

    def observation_space(self, agent: str) -> spaces.Dict:
        """The (identical on every call) observation space of ``agent``."""
        return self._obs_spaces[agent]

    def action_space(self, agent: str) -> spaces.Discrete:
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
    def _agent_obs(self, masks: np.ndarray):
        core = self.core
        obs, infos = {}, {}
        for a in self.agents:
            k = self._index[a]
            mask = masks[0, k, : int(core.num_actions[k])].copy()
            obs[a] = {"observation": core.obs[0, k].copy(), "action_mask": mask}
            infos[a] = {"action_mask": mask.copy()}
        return obs, infos

    def reset(self, seed: int | None = None, options: dict | None = None):
        if options is not None:
            if not isinstance(options, Mapping):
                raise TypeError(f"options must be a dict, got {type(options).__name__}")
            # other keys are ignored: pettingzoo.test.parallel_api_test resets with options={"options": 1}
            if "task" in options:
                self.core.set_task(options["task"])
        if seed is None and not self._seeded:
            seed = int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(2))
        if seed is not None:
            self.core.seed([seed])
            self._seeded = True
        self.core.reset(np.ones(1, dtype=np.bool_))
        self.agents = list(self.possible_agents)
        obs, infos = self._agent_obs(self.core.action_masks())
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
        noop = 4 if core.action_order == "smax" else 0
        self._actions[:] = noop
        for a, act in actions.items():
            k = self._index[a]
            arr = np.asarray(act)
            if arr.shape != () or not np.issubdtype(arr.dtype, np.integer) or not 0 <= int(arr) < core.num_actions[k]:
                raise ValueError(f"action of {a} must be an int in 0..{core.num_actions[k] - 1}, got {act!r}")
            self._actions[0, k] = int(arr)
        core.step(core.to_smax(self._actions))
        terminated, truncated = core.agent_dones()
        reward = float(core.team_rewards[0, 0])
        outcome = OUTCOMES[int(core.outcome[0])]
        obs, infos = self._agent_obs(core.action_masks())
        rewards, terms, truncs = {}, {}, {}
        for a in self.agents:
            k = self._index[a]
            rewards[a] = reward
            terms[a] = bool(terminated[0, k])
            truncs[a] = bool(truncated[0, k])
            infos[a]["battle_won"] = outcome == "ally_win"
            infos[a]["outcome"] = outcome
        self.agents = [a for a in self.agents if not (terms[a] or truncs[a])]
        return obs, rewards, terms, truncs, infos

    def state(self) -> np.ndarray:
        return self.core.wstate[0].copy()

    # -- SMAC-style shim -----------------------------------------------------------------------------
    def get_avail_actions(self) -> np.ndarray:
        """``(num_allies, n_actions)`` int8 masks of every ally (dead ones too)."""
        return self.core.action_masks()[0, :, : int(self.core.num_actions[0])].copy()

    def get_state(self) -> np.ndarray:
        return self.state()

    def get_env_info(self) -> dict[str, Any]:
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
    """``(size, size, 3)`` uint8 top view of env ``b`` of ``core`` (y up)."""
    scale = size / core.width
    ys, xs = np.mgrid[0:size, 0:size]
    wx = (xs + 0.5) / scale
    wy = core.height - (ys + 0.5) / scale
    image = np.full((size, size, 3), 235, dtype=np.uint8)
    for i in range(core.num_units):
        if not core.alive[b, i]:
            continue
        t = core.types[b, i]
        frac = core.health[b, i] / UNIT_STATS[t, 5]
        r = max(UNIT_STATS[t, 4], 0.3)
        disk = (wx - core.pos[b, i, 0]) ** 2 + (wy - core.pos[b, i, 1]) ** 2 <= r**2
        base = np.array((40, 90, 220) if i < core.num_allies else (220, 50, 40), dtype=np.float64)
        image[disk] = (base * (0.35 + 0.65 * frac)).astype(np.uint8)
    return image


assert _kernels.ALLY_WIN == OUTCOMES.index("ally_win")
