"""HouseNav: ReLIC-style multi-object navigation in procedurally generated houses, at millions of steps/s."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from rlenvs.core.env import TaskEnv
from rlenvs.core.spaces import check_action
from rlenvs.house import _kernels as K
from rlenvs.house.tasks import HouseDistribution, HouseTask

ACTIONS = ("forward", "turn_left", "turn_right", "stop")
TILE_NAMES = ("unseen", "floor", "wall", "door", "furniture")
_FAST_INTS = (int, np.int64, np.int32)
ROOM_TYPES = ("kitchen", "living", "bedroom", "bath", "office", "hall")


@dataclass(frozen=True)
class Variant:
    """The settings of one registered id (the house knobs come from the task, see ``HouseTask``)."""

    preset: str
    trial_steps: int
    max_subtask_steps: int
    success_radius: int = 2
    require_visible: bool = True
    dark: bool = False


VARIANTS = {
    "default": Variant("default", 4096, 500),
    "small": Variant("small", 1024, 200),
    "large": Variant("large", 16384, 500),
    "64k": Variant("large", 65536, 500),
    "darkroom": Variant("darkroom", 500, 50, success_radius=1, require_visible=False, dark=True),
}


def observation_bounds() -> tuple[np.ndarray, np.ndarray]:
    """Per-entry (low, high) of the flat observation (see the layout in :class:`HouseNavEnv`)."""
    low = np.zeros(K.OBS_DIM, dtype=np.float32)
    high = np.ones(K.OBS_DIM, dtype=np.float32)
    view_high = np.tile(np.array([len(TILE_NAMES) - 1, K.NCAT, K.NROOMTYPES], dtype=np.float32), K.V * K.V)
    high[K.O_VIEW:K.O_DEPTH] = view_high
    high[K.O_RAYCAT:K.O_GOAL] = K.NCAT
    low[K.O_POSE + 2:K.O_POSE + 4] = -1.0
    return low, high


def house_spaces() -> tuple[spaces.Box, spaces.Discrete]:
    """(observation space, action space) of one HouseNav env."""
    low, high = observation_bounds()
    return spaces.Box(low, high, dtype=np.float32), spaces.Discrete(K.NACT)


def ray_directions() -> np.ndarray:
    """``(4, K, 4)``: per heading, ``K`` unit ray directions ``(cx, cy)`` spread over a 90 degree field of view
    (left to right), and the DDA step lengths ``(|1 / cx|, |1 / cy|)`` (1e30 for a zero component)."""
    offsets = np.deg2rad(-45.0 + (np.arange(K.K) + 0.5) * 90.0 / K.K)
    out = np.zeros((4, K.K, 4))
    for d in range(4):
        hx, hy = float(K.DX[d]), float(K.DY[d])
        out[d, :, 0] = np.cos(offsets) * hx - np.sin(offsets) * hy
        out[d, :, 1] = np.sin(offsets) * hx + np.cos(offsets) * hy
    with np.errstate(divide="ignore"):
        out[:, :, 2:] = np.where(out[:, :, :2] != 0.0, np.abs(1.0 / out[:, :, :2]), 1e30)
    return out


def make_cfg(variant: Variant, *, trial_steps: int, success_reward: float, slack_reward: float,
             dist_reward: float, wrong_stop_penalty: float, ray_range: float, shaping: bool) -> np.ndarray:
    """The kernels' settings array (indices ``C_*`` of :mod:`rlenvs.house._kernels`)."""
    cfg = np.zeros(K.NC)
    cfg[K.C_TRIAL] = trial_steps
    cfg[K.C_MAXSUB] = variant.max_subtask_steps
    cfg[K.C_RADIUS] = variant.success_radius
    cfg[K.C_REQVIS] = float(variant.require_visible)
    cfg[K.C_DARK] = float(variant.dark)
    cfg[K.C_SUCC] = success_reward
    cfg[K.C_SLACK] = slack_reward
    cfg[K.C_DISTR] = dist_reward
    cfg[K.C_WRONGPEN] = wrong_stop_penalty
    cfg[K.C_RAYRANGE] = ray_range
    cfg[K.C_SHAPING] = float(shaping)
    return cfg


def get_variant(variant: str) -> Variant:
    if variant not in VARIANTS:
        raise ValueError(f"unknown HouseNav variant {variant!r}; valid: {sorted(VARIANTS)}")
    return VARIANTS[variant]


def alloc_state(n: int) -> dict[str, np.ndarray]:
    """The per-env kernel arrays of ``n`` envs."""
    return {
        "state": np.zeros((n, K.NS), dtype=np.int64),
        "maps": np.zeros((n, K.HM, K.WM, 4), dtype=np.uint8),
        "dist": np.full((n, K.MAXP, K.HM, K.WM), -1, dtype=np.int16),
        "spawn": np.zeros((n, K.HM * K.WM), dtype=np.int32),
    }


def subtask_metrics(row: np.ndarray) -> dict[str, Any]:
    """Metrics of the sub-task recorded in a ``state`` row (``S_L_*`` columns).

    ``spl = success * d0 / max(d0, path)`` and ``soft_spl = max(0, 1 - d_end / d0) * d0 / max(d0, path)``
    (ReLIC / Habitat), with geodesic distances in BFS steps to the nearest success cell and ``path`` the
    number of forward moves that moved. When ``d0 == 0`` (spawned on a success cell) the ratio is 1.
    """
    d0, path, dend = int(row[K.S_L_D0]), int(row[K.S_L_PATH]), int(row[K.S_L_DEND])
    success = bool(row[K.S_L_SUCCESS])
    ratio = 1.0 if d0 == 0 else d0 / max(d0, path)
    progress = (1.0 if dend == 0 else 0.0) if d0 == 0 else max(0.0, 1.0 - dend / d0)
    return {
        "index": int(row[K.S_L_INDEX]),
        "success": success,
        "spl": ratio if success else 0.0,
        "soft_spl": progress * ratio,
        "steps": int(row[K.S_L_STEPS]),
        "geo_dist_start": d0,
        "geo_dist_end": dend,
        "path_length": path,
        "timeout": bool(row[K.S_L_TIMEOUT]),
        "wrong_stop": bool(row[K.S_L_WRONG]),
        "category": int(row[K.S_L_CAT]),
        "first_time_category": bool(row[K.S_L_FIRST]),
        "target_seen_before": bool(row[K.S_L_SEENBEFORE]),
        "incomplete": bool(row[K.S_L_INCOMPLETE]),
    }


class HouseNavEnv(TaskEnv):
    """Find objects of a named category, one after another, in one procedurally generated house.

    ## Description
    A numba re-implementation of the task structure of ReLIC's ExtObjNav ("A Recipe for 64k Steps of
    In-Context RL for Embodied AI", Elawady et al. 2024) on a 2-D grid (spec ``house_nav.md`` section 3).
    One Gymnasium episode is one **trial** in one house: the agent gets a target category, walks to an
    instance and calls STOP; then the next sub-task starts at once with a new target and a new random
    spawn, in the same house, until ``trial_steps`` (4096 as ReLIC's rollout; 65 536 for ``HouseNav64k``).
    An agent that remembers the house finds objects faster in later sub-tasks: that gain is what the env
    measures (see :mod:`rlenvs.house.references`).

    ## Task distribution
    The task is the house: ``HouseTask(house_seed, rooms_y, rooms_x, room_min, room_max, n_present,
    max_instances, p_loop)``. The generator (``_kernels.gen_house``) lays out a grid of rooms with 1-cell
    walls, doors on a random spanning tree of the rooms plus loops (``p_loop``), a room type (tint 1..6) per
    room, furniture along the walls and ``n_present`` of 20 categories on furniture cells. Every object is
    reachable by construction (tested). Splits ``train`` (1000) / ``test`` (100) use disjoint seeds
    (``seed % 10 != 0`` / ``== 0``); ``test_large`` (50) holds larger out-of-distribution houses.

    ## Action Space
    ``Discrete(4)``: 0 forward one cell (blocked by walls and furniture), 1 turn left 90 deg, 2 turn right
    90 deg, 3 stop. Anything else raises ``ValueError``.

    ## Observation Space
    ``Box(float32, (210,))``, per-entry bounds; the spec's ``Dict`` is flattened because rlenvs' batched
    vector envs hold one observation array (a deviation). Layout:

    - ``[0:147]`` ``view``: a 7x7x3 egocentric window (row 0 farthest ahead, the agent at row 6, column 3,
      facing up), channels (tile: 0 unseen, 1 floor, 2 wall, 3 door, 4 furniture; category 0..20; room
      tint 0..6). Occlusion as MiniGrid's ``process_vis``: walls and furniture stop sight.
    - ``[147:163]`` ``depth``: 16 DDA rays over a 90 deg field of view, left to right, from the cell centre
      to the first wall or furniture cell, divided by the range (12 cells; 1 = nothing within range).
    - ``[163:179]`` ``ray_cat``: the category on the cell each ray hit (0 none).
    - ``[179:199]`` ``goal``: one-hot target category.
    - ``[199:203]`` ``pose``: ``((x + 0.5) / W, (y + 0.5) / H, cos, sin)`` of the heading in the house frame
      (the spec's default ``pose_mode="global"``).
    - ``[203:208]`` ``prev_action``: one-hot of the previous action (index 4 at the start of a trial).
    - ``[208]`` ``prev_success``: 1 on the step after a successful STOP. ``[209]`` ``subtask_start``: 1 on
      the first observation of each sub-task.

    With ``dark`` (``DarkRoom-v0``) the view, depth and ray categories are all 0: the agent sees only its
    pose, its goal and its last action and success.

    ## Rewards
    Per step ``r = slack_reward + dist_reward * (g_before - g_after) + success_reward * [successful STOP]
    + wrong_stop_penalty * [failed STOP]`` with ``g`` the BFS distance (cells) to the nearest success cell of
    the current target, and defaults ``slack_reward = -0.001``, ``dist_reward = 0.25`` (ReLIC's 1.0 per
    metre at 0.25 m per cell), ``success_reward = 2.0``, ``wrong_stop_penalty = 0``. ``shaping=False``
    drops the distance term. The shaping of a step uses the target the step started with, so it stays
    potential-based within every sub-task.

    **Success** is a STOP on a success cell (a free cell within ``success_radius`` = 2 BFS steps of an
    instance: 1 = next to it) while an instance of the target is in the occluded view
    (``require_visible``, as ReLIC's 10-pixel rule).

    ## Episode End
    Never terminates; truncates after ``trial_steps`` (the ``max_episode_steps`` of the id). A sub-task
    ends on any STOP (a wrong STOP is a failure, as in ReLIC) or after ``max_subtask_steps`` (500, 200 for
    Small, 50 for DarkRoom); that step returns the next sub-task's first observation and
    ``info["subtask"]`` with its metrics (see :func:`subtask_metrics`): ``success``, ``spl``, ``soft_spl``,
    ``steps``, ``geo_dist_start``, ``timeout``, ``wrong_stop``, ``first_time_category``,
    ``target_seen_before``; a sub-task cut off by the end of the trial has ``incomplete=True``.

    ## Arguments
    ``variant`` (``"default"``, ``"small"``, ``"large"``, ``"64k"``, ``"darkroom"``), ``task``, ``task_split``,
    ``success_reward``, ``slack_reward``, ``dist_reward``, ``wrong_stop_penalty``, ``shaping``,
    ``render_mode`` (``"rgb_array"`` top-down, 12 px per cell; ``"human"`` via pygame;
    :meth:`render_egocentric` draws the agent's view). Reset options: ``task``, and ``keep_house=True`` to
    start a new trial in the current house (ReLIC's repeated episode). :class:`SubtaskEpisodes` turns each
    sub-task into a Gymnasium episode (ReLIC's custom-env contract); :mod:`rlenvs.house.references` has the
    oracle / explorer references and the per-sub-task metrics (SR, SPL, SoftSPL per index, in-context gain).

    ## Presets (ids)
    ``HouseNav-v0`` 3x3 rooms of 5-7 cells, 10 of 20 categories, 4096 / 500 steps; ``HouseNav-Small-v0``
    2x2 of 4-5, 6 categories, 1024 / 200; ``HouseNav-Large-v0`` 4x4 of 5-8, 16 categories, 16384 / 500;
    ``HouseNav64k-v0`` the Large house with 65536-step trials (ReLIC-64k); ``DarkRoom-v0`` one 9x9 room,
    one object, dark, success = STOP next to it (``success_radius`` 1, no visibility rule), 500 / 50 steps.
    DarkRoom deviates from AD / DPT's Dark Room: the goal is an object on a wall-side cell, the agent turns
    and moves (4 actions, not 5 moves) and must STOP; a trial holds many 50-step sub-tasks (as AMAGO's
    meta-rollouts) with random respawns.

    ## Deviations from the spec (section 3) and ReLIC
    Flat ``Box`` observation instead of a ``Dict``; ``pixels``/``obs_mode``, ``closed_doors``/toggle,
    ``permute_actions``, ``p_missing_room``, ``door_width=2``, ``object_prior="semantic"``,
    ``start_mode``/``target_mode`` other than ReLIC's random ones, ``spl_actions`` and ``demo_subtasks``
    are not implemented; furniture does not block sight in ReLIC's 3-D scenes but does here. The distance
    field of a category is computed at the first sub-task of the house that targets it (the spec computes
    one per sub-task start); SPL is 1 for a successful sub-task spawned on a success cell (``d0 = 0``, where
    Habitat's formula is 0/0). ``target_seen_before`` counts sightings in the view, not in the rays.

    ## Version History
    - v0: initial version.
    """

    metadata = {"render_modes": ["rgb_array", "human"], "render_fps": 10}
    reset_options = ("task", "keep_house")

    def __init__(self, *, variant: str = "default", task: HouseTask | Mapping | None = None,
                 task_split: str = "train", success_reward: float = 2.0, slack_reward: float = -0.001,
                 dist_reward: float = 0.25, wrong_stop_penalty: float = 0.0, shaping: bool = True,
                 render_mode: str | None = None):
        self.variant_name = variant
        self.variant = get_variant(variant)
        super().__init__(HouseDistribution(self.variant.preset), task=task, task_split=task_split)
        if render_mode not in (None, *self.metadata["render_modes"]):
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']} or None, got {render_mode!r}")
        self.render_mode = render_mode
        self.observation_space, self.action_space = house_spaces()
        self.trial_steps = self.variant.trial_steps
        self.cfg = make_cfg(self.variant, trial_steps=self.trial_steps, success_reward=success_reward,
                            slack_reward=slack_reward, dist_reward=dist_reward,
                            wrong_stop_penalty=wrong_stop_penalty, ray_range=12.0, shaping=shaping)
        self.raydirs = ray_directions()
        arrays = alloc_state(1)
        self._state, self._maps, self._dist, self._spawn = (arrays[k] for k in ("state", "maps", "dist", "spawn"))
        self._obs = np.zeros((1, K.OBS_DIM), dtype=np.float32)
        self._scratch = K.new_scratch()
        self._keep_house = False
        self._has_house = False
        self._window = None
        self._clock = None

    # --- gymnasium API -----------------------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        keep = isinstance(options, Mapping) and bool(options.get("keep_house", False)) and self._has_house
        if keep and "task" in options:
            raise ValueError("reset options 'keep_house' and 'task' exclude each other")
        if not keep:
            return super().reset(seed=seed, options=options)
        saved = self._fixed_task
        self._fixed_task = self._task
        self._keep_house = True
        try:
            return super().reset(seed=seed, options=options)
        finally:
            self._fixed_task = saved
            self._keep_house = False

    def _reset_episode(self, task: HouseTask):
        K.start_trial(0, task.to_array(), not self._keep_house, self._rng, self._state, self._maps, self._dist,
                      self._spawn, self.cfg, self.raydirs, self._obs, self._scratch)
        self._has_house = True
        if self.render_mode == "human":
            self.render()
        return self._obs[0].copy(), {"subtask_index": 0}

    def step(self, action):
        if type(action) in _FAST_INTS and 0 <= action < K.NACT:  # fast path for plain integer scalars
            action = int(action)
        else:
            action = int(check_action(action, self.action_space))
        reward, truncated = K.step_single(action, self._rng, self._state, self._maps, self._dist, self._spawn,
                                          self.cfg, self.raydirs, self._obs, self._scratch)
        info: dict[str, Any] = {}
        if self._state[0, K.S_ENDED]:
            info["subtask"] = subtask_metrics(self._state[0])
        if self.render_mode == "human":
            self.render()
        return self._obs[0].copy(), float(reward), False, bool(truncated), info

    # --- inspection --------------------------------------------------------------------------------
    @property
    def grid(self) -> np.ndarray:
        """``(3, H, W)`` uint8: tile (0 floor, 1 wall, 2 door, 3 furniture), category, room tint."""
        s = self._state[0]
        return K.planar(self._maps)[0, :3, : s[K.S_H], : s[K.S_W]].copy()

    @property
    def agent(self) -> tuple[int, int, int]:
        """``(x, y, heading)``; headings 0 east, 1 south, 2 west, 3 north (y grows downwards)."""
        s = self._state[0]
        return int(s[K.S_X]), int(s[K.S_Y]), int(s[K.S_DIR])

    @property
    def target(self) -> int:
        """The current target category (1..20)."""
        return int(self._state[0, K.S_CAT])

    def distance_field(self, category: int | None = None) -> np.ndarray:
        """``(H, W)`` BFS field ``D`` of a present category (default: the target); -1 where not free."""
        s = self._state[0]
        category = self.target if category is None else int(category)
        present = [int(c) for c in s[K.S_PRES:K.S_PRES + s[K.S_NPRES]]]
        if category not in present:
            raise ValueError(f"category {category} is not in this house; present: {present}")
        slot = present.index(category)
        K.ensure_field(0, slot, self._state, self._maps, self._dist)
        return self._dist[0, slot, : s[K.S_H], : s[K.S_W]].copy()

    @property
    def present_categories(self) -> list[int]:
        s = self._state[0]
        return [int(c) for c in s[K.S_PRES:K.S_PRES + s[K.S_NPRES]]]

    # --- rendering ---------------------------------------------------------------------------------
    def render(self):
        """``rgb_array``: a top-down image (uint8, 12 px per cell); ``human``: the same in a pygame window."""
        if self.render_mode is None:
            gym.logger.warn("render() called without a render_mode; pass render_mode='rgb_array' to gym.make")
            return None
        from rlenvs.house.render import top_down

        image = top_down(K.planar(self._maps)[0], self._state[0])
        if self.render_mode == "rgb_array":
            return image
        return self._show(image)

    def render_egocentric(self, cell: int = 16) -> np.ndarray:
        """The agent's current 7x7 view as an RGB image (unseen cells black), from the observation."""
        from rlenvs.house.render import egocentric

        return egocentric(self._obs[0], cell)

    def _show(self, image: np.ndarray):
        import pygame

        if self._window is None:
            pygame.init()
            pygame.display.init()
            self._window = pygame.display.set_mode((image.shape[1], image.shape[0]))
            self._clock = pygame.time.Clock()
        if self._window.get_size() != (image.shape[1], image.shape[0]):
            self._window = pygame.display.set_mode((image.shape[1], image.shape[0]))
        surface = pygame.surfarray.make_surface(np.transpose(image, (1, 0, 2)))
        self._window.blit(surface, (0, 0))
        pygame.event.pump()
        pygame.display.flip()
        self._clock.tick(self.metadata["render_fps"])
        return None

    def close(self):
        if self._window is not None:
            import pygame

            pygame.display.quit()
            pygame.quit()
            self._window = None


class SubtaskEpisodes(gym.Wrapper):
    """ReLIC's contract: each sub-task is one Gymnasium episode, and ``reset()`` keeps the house.

    - ``step`` returns ``terminated=True`` when a sub-task ends (STOP or its step cap) and ``truncated=True``
      when the trial's step budget runs out. The observation returned with ``terminated`` is already the
      next sub-task's first one (the inner env starts it at once); ``reset()`` then returns that same
      observation, so no step is lost and the trial's RNG stream is untouched.
    - ``reset()`` after the trial ran out starts a new trial in the **same house** (``keep_house``).
    - ``reset(seed=s)``, ``reset(options={"new_house": True})`` or a reset after :meth:`after_update`
      starts a new trial in a new house (drawn from the split, or ``options["task"]``).
    """

    def __init__(self, env: gym.Env):
        super().__init__(env)
        self._pending: tuple[np.ndarray, dict] | None = None
        self._new_house = True

    def after_update(self) -> None:
        """Change the house at the next reset (ReLIC calls this after every policy update)."""
        self._new_house = True

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        options = dict(options or {})
        new_house = bool(options.pop("new_house", False)) or self._new_house or seed is not None
        if "task" in options:
            new_house = True
        if not new_house and self._pending is not None:
            obs, info = self._pending
            self._pending = None
            return obs, info
        self._pending = None
        self._new_house = False
        if not new_house:
            options["keep_house"] = True
        return self.env.reset(seed=seed, options=options or None)

    def step(self, action):
        obs, reward, terminated, truncated, info = self.env.step(action)
        sub = info.get("subtask")
        if sub is not None and not sub["incomplete"] and not truncated:
            terminated = True
            self._pending = (obs.copy(), {"subtask_index": sub["index"] + 1})
        return obs, reward, terminated, truncated, info
