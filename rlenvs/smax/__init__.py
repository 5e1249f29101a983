"""SMAX-lite: JaxMARL's SMAX StarCraft-like battles in numba, as a PettingZoo ParallelEnv and a batched form.

Importing this package imports numba (the kernels compile lazily, on first use, and are cached).
"""

from rlenvs.smax.env import SMAXParallelEnv
from rlenvs.smax.tasks import SCENARIOS, UNIT_NAMES, UNIT_STATS, SMAXDistribution, SMAXTask, scenario_task
from rlenvs.smax.vector import SMAXVector

__all__ = ["SCENARIOS", "UNIT_NAMES", "UNIT_STATS", "SMAXDistribution", "SMAXParallelEnv", "SMAXTask",
           "SMAXVector", "scenario_task"]
