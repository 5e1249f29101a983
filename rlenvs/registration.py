"""THE table of rlenvs env ids. ``import rlenvs`` registers every row with Gymnasium.

Entry points are strings, so nothing here imports a family (or numba) until an env is made, and every
``EnvSpec`` serialises to JSON.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym

NAMESPACE = "rlenvs"


@dataclass(frozen=True)
class EnvEntry:
    """One registered env: its id, entry points and provenance."""

    id: str
    entry_point: str
    vector_entry_point: str | None
    max_episode_steps: int | None
    family: str
    paper: str
    summary: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    api: str = "gymnasium"  # or "pettingzoo": a ParallelEnv made with rlenvs.make_parallel
    ci: bool = True  # False: its contract tests run only under the `slow` marker (a sibling id stays in CI)

    @property
    def vector(self) -> bool:
        """Whether the env has a native batched vector env."""
        return self.vector_entry_point is not None

    def spaces(self) -> tuple[gym.Space, gym.Space]:
        """(observation space, action space) of the single env (of its first agent for PettingZoo envs)."""
        if self.api == "pettingzoo":
            env = make_parallel(self.id)
            agent = env.possible_agents[0]
            spaces = env.observation_space(agent), env.action_space(agent)
        else:
            env = gym.make(self.id)
            spaces = env.observation_space, env.action_space
        env.close()
        return spaces


_METADT = "Meta-DT (Wang et al., NeurIPS 2024); PEARL (Rakelly et al., ICML 2019)"

ENVS: tuple[EnvEntry, ...] = (
    EnvEntry(
        id="rlenvs/PointRobot-v0",
        entry_point="rlenvs.point_robot.env:PointRobotEnv",
        vector_entry_point="rlenvs.point_robot.vector:PointRobotVectorEnv",
        max_episode_steps=20,
        family="point_robot",
        paper=_METADT,
        summary="2-D point to a goal in [-1,1]^2, dense reward -|pos-goal|",
    ),
    EnvEntry(
        id="rlenvs/PointRobotSparse-v0",
        entry_point="rlenvs.point_robot.env:PointRobotEnv",
        vector_entry_point="rlenvs.point_robot.vector:PointRobotVectorEnv",
        max_episode_steps=20,
        family="point_robot",
        paper="PEARL (Rakelly et al., ICML 2019)",
        summary="2-D point to a goal on the unit half-circle, reward only within radius 0.2",
        kwargs={"sparse": True},
    ),
    # Each family appends its rows below its own marker, in this order.
    # --- mujoco ---
    # --- robust ---
    # --- metaworld ---
    # --- house ---
    # --- smax ---
    # --- bo ---
    # --- gridworld ---
    # --- preference ---
)

_BY_ID = {entry.id: entry for entry in ENVS}


class UnknownEnvError(gym.error.UnregisteredEnv):
    """An env id that rlenvs does not register."""


def register_envs() -> None:
    """Register every row of :data:`ENVS` with Gymnasium (idempotent)."""
    for entry in ENVS:
        if entry.api == "gymnasium" and entry.id not in gym.registry:
            gym.register(
                id=entry.id,
                entry_point=entry.entry_point,
                vector_entry_point=entry.vector_entry_point,
                max_episode_steps=entry.max_episode_steps,
                kwargs=dict(entry.kwargs),
            )


def list_envs(api: str | None = None) -> tuple[EnvEntry, ...]:
    """Every registered rlenvs env in table order; ``api="gymnasium"`` or ``"pettingzoo"`` keeps one kind."""
    return tuple(entry for entry in ENVS if api is None or entry.api == api)


def get_entry(env_id: str) -> EnvEntry:
    """The entry of ``env_id`` (the ``rlenvs/`` prefix may be left out); unknown ids list close matches."""
    if env_id in _BY_ID:
        return _BY_ID[env_id]
    prefixed = f"{NAMESPACE}/{env_id}"
    if prefixed in _BY_ID:
        return _BY_ID[prefixed]
    close = difflib.get_close_matches(prefixed if "/" not in env_id else env_id, list(_BY_ID), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise UnknownEnvError(f"unknown env id {env_id!r}.{hint} `rlenvs list` shows every id.")


def make(env_id: str, **kwargs: Any) -> gym.Env:
    """``gym.make`` for an rlenvs id (the ``rlenvs/`` prefix is optional)."""
    entry = get_entry(env_id)
    if entry.api != "gymnasium":
        raise ValueError(f"{entry.id} is a PettingZoo env: use rlenvs.make_parallel({entry.id!r})")
    return gym.make(entry.id, **kwargs)


def make_parallel(env_id: str, **kwargs: Any):
    """A PettingZoo ``ParallelEnv`` for a multi-agent rlenvs id (the ``rlenvs/`` prefix is optional)."""
    entry = get_entry(env_id)
    if entry.api != "pettingzoo":
        raise ValueError(f"{entry.id} is a Gymnasium env: use rlenvs.make({entry.id!r}) or gym.make")
    module, name = entry.entry_point.split(":")
    env_class = getattr(importlib.import_module(module), name)
    return env_class(**{**entry.kwargs, **kwargs})


def make_vec(env_id: str, num_envs: int = 1, vectorization_mode: str | None = None, **kwargs: Any):
    """``gym.make_vec`` for an rlenvs id; the native batched env is the default where one exists."""
    if get_entry(env_id).api != "gymnasium":
        raise ValueError(f"{get_entry(env_id).id} is a PettingZoo env; see its family for the batched form")
    return gym.make_vec(get_entry(env_id).id, num_envs=num_envs, vectorization_mode=vectorization_mode, **kwargs)


def warmup(env_ids: Iterable[str] | None = None) -> None:
    """Compile (or load from numba's cache) the kernels of ``env_ids`` (default: all) ahead of use."""
    for env_id in env_ids or [entry.id for entry in list_envs(api="gymnasium")]:
        entry = get_entry(env_id)
        env = make(entry.id)
        env.reset(seed=0)
        env.step(env.action_space.sample())
        env.close()
        if entry.vector:
            envs = make_vec(entry.id, num_envs=2)
            envs.reset(seed=0)
            for _ in range(2):
                envs.step(envs.action_space.sample())
            envs.close()
