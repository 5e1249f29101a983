"""What the grid worlds share: wall maps as row bitmasks, and a vector step that checks actions in the kernel."""

from __future__ import annotations

import numpy as np

from rlenvs.core.spaces import check_action
from rlenvs.core.vector import BatchedVectorEnv

SIDE = 13  # every grid world here lives in a 13 x 13 frame


def wall_grid(rows) -> np.ndarray:
    """``(13, 13)`` bool wall map of 13 row bitmasks (bit ``col`` of ``rows[row]``)."""
    return ((np.asarray(rows, dtype=np.int64)[:, None] >> np.arange(SIDE)) & 1).astype(bool)


def wall_rows(grid) -> tuple[int, ...]:
    """The 13 row bitmasks of a ``(13, 13)`` wall map (inverse of :func:`wall_grid`)."""
    grid = np.asarray(grid, dtype=bool)
    if grid.shape != (SIDE, SIDE):
        raise ValueError(f"a wall map must be {SIDE}x{SIDE}, got shape {grid.shape}")
    return tuple(int(v) for v in (grid.astype(np.int64) << np.arange(SIDE)).sum(axis=1))


class GridVectorEnv(BatchedVectorEnv):
    """:class:`BatchedVectorEnv` with a cheaper step for ``Discrete`` actions.

    An int64 array of shape ``(num_envs,)`` goes straight to the kernel, which checks every action before it
    steps any env and returns the index of the first bad one (-1 when all are valid); anything else goes
    through :func:`~rlenvs.core.spaces.check_action` first. A bad action raises the same ``ValueError`` in
    both cases. Subclasses' ``_step_envs`` return the kernel's answer.
    """

    def step(self, actions):
        fast = type(actions) is np.ndarray and actions.dtype == np.int64 and actions.shape == (self.num_envs,)
        self._actions = actions if fast else check_action(actions, self.single_action_space, self.num_envs)
        bad = self._step_envs()
        if bad >= 0:
            check_action(actions, self.single_action_space, self.num_envs)  # raises, naming the entry
            raise ValueError(f"actions[{bad}] is outside the action space {self.single_action_space}")
        if self.copy:
            return (self._obs.copy(), self._rewards.copy(), self._terminations.copy(), self._truncations.copy(), {})
        return self._obs, self._rewards, self._terminations, self._truncations, {}


def fast_discrete(action, n: int, space) -> int:
    """A single env's action as an int: plain ints in range pass at once, the rest through ``check_action``."""
    if type(action) in (int, np.int64) and 0 <= action < n:
        return int(action)
    return int(check_action(action, space))
