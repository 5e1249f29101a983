"""Continual World (Wolczyk et al., NeurIPS 2021, arXiv 2105.10919): task sequences and their v3 envs.

Sequences (``awarelab/continual_world:continualworld/tasks.py``): CW10 = hammer, push-wall, faucet-close,
push-back, stick-pull, handle-press-side, push, shelf-place, window-close, peg-unplug-side; CW20 = CW10
twice. The original runs the Meta-World **v1** envs (mujoco-py, obs 12 + a one-hot of the position in the
sequence, goals re-drawn every episode from ``MT50`` under ``np.random.seed(1)``, horizon 200). Here the
same classes are the **v3** envs of ``metaworld==3.1.1``: obs 39 (with the goal shown), v2 reward, v3
dynamics (mocap weld changed in the MuJoCo-3 port), goals drawn per episode from the class's 50 ML1 train
goals; :func:`make_continual_world_envs` builds them with the 200-step horizon. Scores are therefore not
comparable number for number with the paper's v1 tables.

The metrics (average performance, forgetting, forward transfer) are in :mod:`rlenvs.evaluation.continual`.
"""

from __future__ import annotations

from typing import Any

CW10: tuple[str, ...] = ("hammer-v3", "push-wall-v3", "faucet-close-v3", "push-back-v3", "stick-pull-v3",
                         "handle-press-side-v3", "push-v3", "shelf-place-v3", "window-close-v3",
                         "peg-unplug-side-v3")
CW20: tuple[str, ...] = CW10 + CW10
CW_EPISODE_LENGTH = 200  # META_WORLD_TIME_HORIZON
CW_STEPS_PER_TASK = 1_000_000


def continual_world(name: str) -> tuple[str, ...]:
    """The ordered v3 env classes of ``"CW10"`` or ``"CW20"``."""
    sequences = {"CW10": CW10, "CW20": CW20}
    if name not in sequences:
        raise ValueError(f"unknown Continual World sequence {name!r}; valid: {list(sequences)}")
    return sequences[name]


def make_continual_world_envs(name: str, **kwargs: Any) -> list:
    """One :class:`~rlenvs.metaworld.env.MetaWorldEnv` per sequence position (ML1 env of that class, goal
    shown, 200-step episodes, a new train goal each reset); ``kwargs`` override those settings."""
    from rlenvs.metaworld.env import MetaWorldEnv

    settings = {"episode_length": CW_EPISODE_LENGTH, "goal_observable": True, **kwargs}
    return [MetaWorldEnv("ML1", env_name, **settings) for env_name in continual_world(name)]
