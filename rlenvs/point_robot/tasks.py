"""Point-Robot tasks: a goal position on the plane (PEARL / Meta-DT point navigation)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rlenvs.core.task import Task, TaskDistribution, task_field

PEARL_NUM_GOALS = 100  # PEARL's point-robot configs: n_tasks 100 = 80 train + 20 eval
PEARL_SEED = 1337


@dataclass(frozen=True)
class PointRobotTask(Task):
    """Reach ``goal`` from the origin."""

    goal: tuple[float, ...] = task_field(low=-1.0, high=1.0, size=2, doc="goal position (x, y)")


class PointRobotDistribution(TaskDistribution):
    """Goals uniform in ``[-1, 1]^2``, as in PEARL's ``point-robot`` and Meta-DT's ``PointRobot-v0``.

    Splits:
      - ``train`` (45) / ``test`` (5): Meta-DT's split sizes. Meta-DT reads its 50 goals from a file that
        ships with its dataset, not with its code, so ours are drawn by the rlenvs split seeding.
      - ``pearl_train`` (80) / ``pearl_test`` (20): PEARL's exact goals (``np.random.seed(1337)`` then 100
        ``uniform(-1, 1)`` pairs; the first 80 train, the last 20 eval).
    """

    family = "point_robot"
    task_type = PointRobotTask
    split_sizes = {"train": 45, "test": 5, "pearl_train": 80, "pearl_test": 20}

    def sample(self, rng: np.random.Generator) -> PointRobotTask:
        return PointRobotTask(goal=tuple(rng.uniform(-1.0, 1.0, size=2)))

    def _split_tasks(self, name: str) -> list[PointRobotTask]:
        if not name.startswith("pearl_"):
            return super()._split_tasks(name)
        legacy = np.random.RandomState(PEARL_SEED)  # frozen stream (NEP 19): PEARL's goals, bit for bit
        goals = [(legacy.uniform(-1.0, 1.0), legacy.uniform(-1.0, 1.0)) for _ in range(PEARL_NUM_GOALS)]
        goals = goals[:80] if name == "pearl_train" else goals[80:]
        return [PointRobotTask(goal=g) for g in goals]


class PointRobotSparseDistribution(TaskDistribution):
    """Goals on the upper unit half-circle, as in PEARL's ``sparse-point-robot``.

    ``sample`` draws the angle uniformly in ``[0, pi]``. The splits ``train`` (80) / ``test`` (20) are
    PEARL's exact goals: 100 angles ``linspace(0, pi)``, rows shuffled after ``np.random.seed(1337)``,
    the first 80 train and the last 20 eval.
    """

    family = "point_robot_sparse"
    task_type = PointRobotTask
    split_sizes = {"train": 80, "test": 20}

    def sample(self, rng: np.random.Generator) -> PointRobotTask:
        angle = rng.uniform(0.0, np.pi)
        return PointRobotTask(goal=(np.cos(angle), np.sin(angle)))

    def _split_tasks(self, name: str) -> list[PointRobotTask]:
        angles = np.linspace(0.0, np.pi, num=PEARL_NUM_GOALS)
        goals = np.stack([np.cos(angles), np.sin(angles)], axis=1)
        np.random.RandomState(PEARL_SEED).shuffle(goals)
        goals = goals[:80] if name == "train" else goals[80:]
        return [PointRobotTask(goal=tuple(g)) for g in goals]
