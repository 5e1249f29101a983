"""Roll out behaviour policies over fixed tasks and write the episodes as a Minari dataset.

Episodes run in the env's native vector env, one episode per env, ``num_envs`` at a time (at most the
entry's ``max_num_envs``), or one at a time through the single env with ``vectorized=False``. Episode
``k`` is reset with seed ``seed + k`` and its task, so both paths start every episode identically; the
policy's noise comes from one Generator per batch of envs.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rlenvs.core.task import Task
from rlenvs.datasets.policies import Policy
from rlenvs.registration import get_entry, make, make_vec


class DatasetError(RuntimeError):
    """A dataset that is missing, truncated or corrupt, or a bad collection request."""


@dataclass
class Episode:
    """One episode: ``observations`` has one more row than ``actions``, as in Minari."""

    observations: np.ndarray
    actions: np.ndarray
    rewards: np.ndarray
    terminations: np.ndarray
    truncations: np.ndarray
    task: dict[str, Any] = field(default_factory=dict)

    @property
    def episode_return(self) -> float:
        return float(self.rewards.sum())


def _max_steps(env_id: str, max_episode_steps: int | None) -> int:
    limit = max_episode_steps or get_entry(env_id).max_episode_steps
    if limit is None:
        raise DatasetError(f"{env_id} has no time limit: pass max_episode_steps")
    return int(limit)


def rollout_episodes(env_id: str, policy: Policy, tasks: Sequence[Task], seed: int = 0, num_envs: int = 1024,
                     vectorized: bool = True, max_episode_steps: int | None = None,
                     progress: Callable[[int], None] | None = None) -> list[Episode]:
    """One episode per entry of ``tasks`` (episode ``k`` reset with seed ``seed + k``), in order."""
    limit = _max_steps(env_id, max_episode_steps)
    if not vectorized:
        if hasattr(policy, "bind"):
            raise DatasetError("this policy binds to the native vector env it acts in; use vectorized=True")
        env = make(env_id, max_episode_steps=limit)
        try:
            return [_single_episode(env, policy, task, seed + k, limit, progress) for k, task in enumerate(tasks)]
        finally:
            env.close()
    entry = get_entry(env_id)
    if not entry.vector:
        raise DatasetError(f"{env_id} has no native vector env; use vectorized=False")
    if getattr(policy, "needs_env", False):
        raise DatasetError("this policy reads the single env it acts in (needs_env); use vectorized=False")
    n = max(1, min(int(num_envs), len(tasks), entry.max_num_envs or len(tasks)))
    envs = make_vec(env_id, num_envs=n, max_episode_steps=limit)
    if hasattr(policy, "bind"):
        policy.bind(envs)
    episodes: list[Episode] = []
    try:
        for start in range(0, len(tasks), n):
            chunk = list(tasks[start:start + n])
            used = len(chunk)
            chunk += [chunk[0]] * (n - used)  # pad the last batch; padded envs are discarded
            seeds = [seed + start + i for i in range(n)]
            episodes += _vector_episodes(envs, policy, chunk, seeds, limit, np.random.default_rng([seed, start]))[:used]
            if progress is not None:
                progress(used)
    finally:
        envs.close()
    return episodes


def _vector_episodes(envs, policy, tasks, seeds, limit, rng) -> list[Episode]:
    n = envs.num_envs
    obs, _ = envs.reset(seed=seeds, options={"tasks": tasks})
    task_params = np.stack([t.to_array() for t in tasks])
    observations, actions, rewards, terms, truncs = [obs], [], [], [], []
    ended_at = np.full(n, -1)
    for t in range(limit):
        action = policy(obs, task_params, rng)
        obs, reward, term, trunc, _ = envs.step(action)
        observations.append(obs)
        actions.append(action)
        rewards.append(reward)
        terms.append(term)
        truncs.append(trunc)
        ended_at[(term | trunc) & (ended_at < 0)] = t
        if (ended_at >= 0).all():
            break
    ended_at[ended_at < 0] = len(actions) - 1  # cut by the limit
    observations, actions = np.stack(observations), np.stack(actions)
    rewards, terms, truncs = np.stack(rewards), np.stack(terms), np.stack(truncs)
    out = []
    for i, task in enumerate(tasks):
        length = ended_at[i] + 1
        trunc_i = truncs[:length, i].copy()
        trunc_i[-1] |= not terms[length - 1, i]  # the limit truncates
        out.append(Episode(observations[:length + 1, i], actions[:length, i], rewards[:length, i],
                           terms[:length, i].copy(), trunc_i, task.to_dict()))
    return out


def _single_episode(env, policy, task, seed, limit, progress) -> Episode:
    rng = np.random.default_rng([seed])
    obs, _ = env.reset(seed=seed, options={"task": task})
    task_params = task.to_array()[None]
    observations, actions, rewards, terms, truncs = [obs], [], [], [], []
    extra = (env,) if getattr(policy, "needs_env", False) else ()
    for _ in range(limit):
        action = policy(np.asarray(obs)[None], task_params, rng, *extra)[0]
        obs, reward, term, trunc, _ = env.step(action)
        observations.append(obs)
        actions.append(action)
        rewards.append(reward)
        terms.append(term)
        truncs.append(trunc)
        if term or trunc:
            break
    truncs[-1] = truncs[-1] or not terms[-1]
    if progress is not None:
        progress(1)
    return Episode(np.stack(observations), np.stack(actions), np.asarray(rewards, dtype=np.float64),
                   np.asarray(terms), np.asarray(truncs), task.to_dict())


def episodes_hash(episodes: Sequence[Episode]) -> str:
    """sha256 over every episode's arrays (as float64 / bool bytes) and task JSON, in order."""
    digest = hashlib.sha256()
    for ep in episodes:
        for array in (ep.observations, ep.actions, ep.rewards):
            digest.update(np.ascontiguousarray(array, dtype=np.float64).tobytes())
        for array in (ep.terminations, ep.truncations):
            digest.update(np.ascontiguousarray(array, dtype=np.bool_).tobytes())
        digest.update(json.dumps(ep.task, sort_keys=True).encode())
    return digest.hexdigest()


# --- Minari -----------------------------------------------------------------------------------------

def datasets_path() -> Path:
    """Where Minari keeps local datasets (``MINARI_DATASETS_PATH``, else ``~/.minari/datasets``)."""
    return Path(os.environ.get("MINARI_DATASETS_PATH", Path.home() / ".minari" / "datasets"))


def write_minari(dataset_id: str, env_id: str, episodes: Sequence[Episode], *, algorithm_name: str,
                 ref_min_score: float | None = None, ref_max_score: float | None = None,
                 description: str | None = None):
    """Write ``episodes`` as the Minari dataset ``dataset_id``.

    Each step's ``infos["task"]`` holds the episode's ``Task.to_array()`` row (numeric task fields only).
    """
    import minari
    from minari.data_collector import EpisodeBuffer

    task_type = make(env_id).unwrapped.task_distribution.task_type
    buffers = []
    for k, ep in enumerate(episodes):
        row = task_type.from_dict(ep.task).to_array()
        infos = {"task": np.repeat(row[None], len(ep.actions) + 1, axis=0)}
        buffers.append(EpisodeBuffer(id=k, observations=ep.observations, actions=ep.actions, rewards=ep.rewards,
                                     terminations=ep.terminations, truncations=ep.truncations, infos=infos))
    return minari.create_dataset_from_buffers(
        dataset_id, buffer=buffers, env=get_entry(env_id).id, algorithm_name=algorithm_name,
        ref_min_score=ref_min_score, ref_max_score=ref_max_score, description=description,
        author="rlenvs", author_email="rlenvs@users.noreply.github.com",
        code_permalink="rlenvs/datasets", requirements=["rlenvs"],
    )


def load(dataset_id: str):
    """``minari.load_dataset`` with a clear error for a missing, truncated or corrupt dataset folder."""
    import minari

    folder = datasets_path() / dataset_id / "data"
    hint = f"rebuild it with `rlenvs dataset create {dataset_id.removeprefix('rlenvs/')}`"
    if not folder.is_dir():
        raise DatasetError(f"dataset {dataset_id!r} is not in {datasets_path()} (MINARI_DATASETS_PATH); {hint}")
    for name in ("metadata.json", "main_data.hdf5"):
        if not (folder / name).is_file():
            raise DatasetError(f"dataset {dataset_id!r} at {folder} is incomplete: {name} is missing; {hint}")
    try:
        dataset = minari.load_dataset(dataset_id)
        for _ in dataset.iterate_episodes(episode_indices=[0, dataset.total_episodes - 1]):
            pass
    except Exception as err:  # h5py / json errors from deep inside Minari
        raise DatasetError(f"dataset {dataset_id!r} at {folder} is corrupt ({type(err).__name__}: {err}); "
                           f"{hint}") from err
    return dataset


def read_episodes(dataset) -> list[Episode]:
    """The episodes of a Minari dataset written by :func:`write_minari`, tasks included."""
    import gymnasium as gym

    task_type = gym.make(dataset.spec.env_spec).unwrapped.task_distribution.task_type
    out = []
    for ep in dataset.iterate_episodes():
        task = task_type.from_array(np.asarray(ep.infos["task"][0])).to_dict()
        out.append(Episode(np.asarray(ep.observations), np.asarray(ep.actions), np.asarray(ep.rewards),
                           np.asarray(ep.terminations), np.asarray(ep.truncations), task))
    return out
