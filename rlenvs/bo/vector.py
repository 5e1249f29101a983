"""Native batched BO vector env: one numba call steps every env, each on its own task."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from rlenvs.bo import _kernels as K
from rlenvs.bo.env import BOSetup
from rlenvs.core.task import Task
from rlenvs.core.vector import BatchedVectorEnv


class BOVectorEnv(BatchedVectorEnv):
    """``num_envs`` BO envs (see :class:`~rlenvs.bo.env.BOEnv`) stepped in one numba call.

    Same options as the single env plus ``num_envs``, ``max_episode_steps`` (``None``: episodes end by their
    budget), ``tasks`` and ``copy``; see :class:`BatchedVectorEnv`. Observations are a dict of ``(num_envs,
    ...)`` arrays; with ``copy=False`` they are the env's own buffers, updated in place (only the changed
    entries are written, which is what makes large candidate sets cheap). Step and reset infos hold the
    single env's info keys as ``(num_envs, ...)`` arrays (with Gymnasium's ``_key`` masks);
    :meth:`action_masks` is ``(num_envs, N)``.
    """

    metadata = {**BatchedVectorEnv.metadata, "render_modes": []}

    def __init__(self, num_envs: int, *, family: str, max_episode_steps: int | None = None,
                 task_split: str = "train", tasks: Sequence[Task | Mapping | None] | Task | Mapping | None = None,
                 copy: bool = True, **options: Any):
        self.setup = BOSetup(family, **options)
        super().__init__(num_envs, self.setup.distribution, self.setup.observation_space, self.setup.action_space,
                         max_episode_steps=max_episode_steps, task_split=task_split, copy=copy)
        self._st = self.setup.alloc_state(self.num_envs, self._obs, len(self._split))
        self._action_idx = np.zeros(self.num_envs, dtype=np.int64)
        self._action_x = np.zeros((self.num_envs, self.setup.dim))
        if tasks is not None:
            self.set_tasks(tasks)

    def set_tasks(self, tasks: Sequence[Task | Mapping | None] | Task | Mapping | None) -> None:
        """Fix each env's task from its next reset on (checked against the family; ``None`` draws)."""
        if isinstance(tasks, (Task, Mapping)):
            tasks = self.setup.check(tasks)
        elif isinstance(tasks, Sequence) and not isinstance(tasks, (str, bytes)):
            tasks = [None if t is None else self.setup.check(t) for t in tasks]
        super().set_tasks(tasks)

    def reset(self, *, seed: int | Sequence[int | None] | None = None, options: dict[str, Any] | None = None):
        obs, info = super().reset(seed=seed, options=options)
        return obs, {**info, **self._infos(step=False)}

    def step(self, actions):
        obs, rewards, terminations, truncations, _ = super().step(actions)
        return obs, rewards, terminations, truncations, self._infos(step=True)

    def action_masks(self) -> np.ndarray:
        """``(num_envs, N)`` booleans: the candidates that are valid actions now."""
        if self.setup.cand_mode == K.CAND_CONTINUOUS:
            raise ValueError("candidates='continuous' has no discrete actions to mask")
        return self._st.cand_mask.astype(bool)

    def _infos(self, step: bool) -> dict[str, np.ndarray]:
        infos = self.setup.infos(self._st, step)
        infos.update({f"_{key}": self._all.copy() for key in list(infos)})
        return infos

    def _reset_envs(self, mask):
        self._advance(False, mask)

    def _step_envs(self):
        if self.setup.cand_mode == K.CAND_CONTINUOUS:
            self._action_x = self._actions
        else:
            self._action_idx = self._actions
        self._advance(True, self._needs_reset)

    def _advance(self, stepping: bool, needs_reset: np.ndarray) -> None:
        K.advance(stepping, needs_reset, self._action_idx, self._action_x, self._rng, self._task_fixed,
                  self._fixed_params, self._split_params, self._task_params, self._task_index, self._elapsed,
                  self._max_steps, self._st, self.setup.data, self.setup.cfg, self._rewards, self._terminations,
                  self._truncations)
