"""HouseNav: ReLIC-style multi-object navigation in procedurally generated houses (numba)."""

from rlenvs.house.env import HouseNavEnv, SubtaskEpisodes
from rlenvs.house.tasks import HouseDistribution, HouseTask
from rlenvs.house.vector import HouseNavVectorEnv

__all__ = ["HouseDistribution", "HouseNavEnv", "HouseNavVectorEnv", "HouseTask", "SubtaskEpisodes"]
