"""``RobustVectorEnv``: batched :class:`~rlenvs.robust.env.RobustEnv`, all stepped at once."""

from __future__ import annotations

from typing import Any

from rlenvs.mujoco.vector import MujocoVectorEnv
from rlenvs.robust.families import RobustFamily


class RobustVectorEnv(MujocoVectorEnv):
    """``num_envs`` robust envs (:class:`~rlenvs.robust.env.RobustEnv`) of one robot and uncertainty set stepped
    together, each under its own task (its own copy of the model for the physical-parameter sets, its own forces for
    the force sets); see :class:`~rlenvs.mujoco.vector.MujocoVectorEnv` for ``num_threads``, tasks, seeding,
    autoreset and copies. Per-env parameters are the tasks: ``set_tasks`` / ``reset(options={"tasks":
    [...]})``, echoed in the reset ``info["task"]``.

    Arguments: ``robot``, ``uncertainty``, ``convention``, ``contact_forces`` (as the single env), plus
    ``num_envs``, ``num_threads=1``, ``max_episode_steps=1000``, ``task_split``, ``tasks``, ``copy``.
    """

    family_type = RobustFamily

    def __init__(self, num_envs: int, *, max_episode_steps: int | None = 1000, **kwargs: Any):
        super().__init__(num_envs, max_episode_steps=max_episode_steps, **kwargs)
