"""Point-Robot: 2-D point navigation to a goal (PEARL, Meta-DT)."""

from rlenvs.point_robot.env import PointRobotEnv
from rlenvs.point_robot.tasks import PointRobotDistribution, PointRobotSparseDistribution, PointRobotTask
from rlenvs.point_robot.vector import PointRobotVectorEnv

__all__ = [
    "PointRobotDistribution",
    "PointRobotEnv",
    "PointRobotSparseDistribution",
    "PointRobotTask",
    "PointRobotVectorEnv",
]
