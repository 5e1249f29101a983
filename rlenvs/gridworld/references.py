"""Oracle reference policies of the grid worlds, as leaderboard policy factories.

Each factory takes the native vector env the policy acts in (see :mod:`rlenvs.evaluation.runner`), e.g.
``rlenvs evaluate --policy rlenvs.gridworld.references:lpg_optimal``. All three read the task
(``uses_task = True``: they are called as ``act(obs, task_params)``), so they are upper references:

- :func:`lpg_optimal`: the value-iteration optimal policy of LPGGrid (its mean return is the optimal return
  up to sampling noise, so its regret is 0);
- :func:`maze_shortest_path`: the shortest path to the goal of Maze (privileged: it also reads the agent's
  pose from the vector env, which the egocentric view does not reveal);
- :func:`lock_oracle`: the secret-knowing policy of CombinationLock (the latent state is decoded from the
  observation).
"""

from __future__ import annotations

import numpy as np

from rlenvs.gridworld import _kernels as K
from rlenvs.gridworld.lock import EpsilonOracle
from rlenvs.gridworld.lpg import LPGTask, optimal_policy


class LPGOptimal:
    """Acts by the optimal policy table of each env's level (:func:`rlenvs.gridworld.lpg.optimal_policy`,
    computed once per level), reading cell, objects and step from the tabular observation."""

    uses_task = True

    def __init__(self, envs):
        self.max_grid = envs.level_set.max_grid
        self.onehot = envs.obs_mode == "onehot"
        self._tables: dict[bytes, tuple[int, np.ndarray]] = {}

    def _table(self, row: np.ndarray) -> tuple[int, np.ndarray]:
        key = row.tobytes()
        if key not in self._tables:
            task = LPGTask.from_array(row)
            self._tables[key] = (task.grid_size, optimal_policy(task))
        return self._tables[key]

    def act(self, obs, task_params) -> np.ndarray:
        obs = np.asarray(obs)
        if self.onehot:
            state, t = obs[:, :-1].argmax(axis=1), np.rint(obs[:, -1] * 1000).astype(np.int64)
        else:
            state, t = obs[:, 0], obs[:, 1]
        cells = self.max_grid**2
        row, col, mask = (state % cells) // self.max_grid, state % self.max_grid, state // cells
        actions = np.zeros(len(obs), dtype=np.int64)
        for i, task_row in enumerate(np.asarray(task_params)):
            g, policy = self._table(task_row)
            actions[i] = policy[min(int(t[i]), len(policy) - 1), row[i] * g + col[i], mask[i]]
        return actions


class MazeShortestPath:
    """Follows a shortest path (:func:`rlenvs.gridworld._kernels.maze_policy`) from the agent's pose."""

    uses_task = True

    def __init__(self, envs):
        self.envs = envs
        self._tables: dict[bytes, np.ndarray] = {}

    def act(self, obs, task_params) -> np.ndarray:
        tables = []
        for row in np.asarray(task_params):
            key = row.tobytes()
            if key not in self._tables:
                self._tables[key] = K.maze_policy(row)
            tables.append(self._tables[key])
        x, y, heading = self.envs.agent_pose.T
        return np.stack(tables)[np.arange(len(tables)), heading, y, x]


def lpg_optimal(envs) -> LPGOptimal:
    """LPGGrid's value-iteration optimal policy."""
    return LPGOptimal(envs)


def maze_shortest_path(envs) -> MazeShortestPath:
    """Maze's shortest-path oracle."""
    return MazeShortestPath(envs)


def lock_oracle(envs) -> EpsilonOracle:
    """CombinationLock's secret-knowing policy."""
    return EpsilonOracle(envs.config, epsilon=0.0)
