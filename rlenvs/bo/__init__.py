"""Bayesian optimisation as RL: task families of objective functions (MetaBO, NAP, HPO-B) and GP references."""

from rlenvs.bo.env import BOEnv, BOSetup
from rlenvs.bo.tasks import (
    FUNCTIONS,
    GPPriorDistribution,
    GPPriorTask,
    ShiftScaleDistribution,
    ShiftScaleTask,
    TabularDistribution,
    TabularTask,
)
from rlenvs.bo.vector import BOVectorEnv

__all__ = [
    "FUNCTIONS",
    "BOEnv",
    "BOSetup",
    "BOVectorEnv",
    "GPPriorDistribution",
    "GPPriorTask",
    "ShiftScaleDistribution",
    "ShiftScaleTask",
    "TabularDistribution",
    "TabularTask",
]
