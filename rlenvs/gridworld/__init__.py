"""Grid worlds for learned RL algorithms, UED and exploration theory: LPG / GROOVE object worlds (LPGGrid),
the UED maze of PLR / ACCEL / PAIRED (Maze) and the rich-observation combination lock (CombinationLock).

Oracle policy factories for the leaderboards are in :mod:`rlenvs.gridworld.references`.
"""

from rlenvs.gridworld.lock import (
    CombinationLockDistribution,
    CombinationLockEnv,
    CombinationLockTask,
    CombinationLockVectorEnv,
    EpsilonOracle,
    LockConfig,
    coverage,
    lock_task_type,
    offline_dataset,
    random_success_probability,
)
from rlenvs.gridworld.lpg import (
    LEVEL_SETS,
    LPGDistribution,
    LPGGridEnv,
    LPGGridVectorEnv,
    LPGTask,
    optimal_policy,
    optimal_return,
)
from rlenvs.gridworld.maze import (
    NAMED_MAZES,
    MazeDistribution,
    MazeEnv,
    MazeTask,
    MazeVectorEnv,
    generate_level,
    mutate_level,
    perfect_maze,
)

__all__ = [
    "LEVEL_SETS",
    "NAMED_MAZES",
    "CombinationLockDistribution",
    "CombinationLockEnv",
    "CombinationLockTask",
    "CombinationLockVectorEnv",
    "EpsilonOracle",
    "LPGDistribution",
    "LPGGridEnv",
    "LPGGridVectorEnv",
    "LPGTask",
    "LockConfig",
    "MazeDistribution",
    "MazeEnv",
    "MazeTask",
    "MazeVectorEnv",
    "coverage",
    "generate_level",
    "lock_task_type",
    "mutate_level",
    "offline_dataset",
    "optimal_policy",
    "optimal_return",
    "perfect_maze",
    "random_success_probability",
]
