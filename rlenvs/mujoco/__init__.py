"""MuJoCo locomotion task families of PEARL and Meta-DT: Cheetah-Vel/Dir, Ant-Dir/Fwd-Back/Goal, Humanoid-Dir
and the Hopper/Walker2d with randomised physical parameters, with a native vector env stepping every env at once."""

from rlenvs.mujoco.env import (
    AntDirEnv,
    AntFwdBackEnv,
    AntGoalEnv,
    CheetahDirEnv,
    CheetahVelEnv,
    HopperParamEnv,
    HumanoidDirEnv,
    MujocoTaskEnv,
    WalkerParamEnv,
)
from rlenvs.mujoco.sim import Batch, Family
from rlenvs.mujoco.tasks import (
    AntDirDistribution,
    AntDirTask,
    AntFwdBackDistribution,
    AntGoalDistribution,
    AntGoalTask,
    CheetahDirDistribution,
    CheetahDirTask,
    CheetahVelDistribution,
    CheetahVelTask,
    HopperParamDistribution,
    HopperParamTask,
    HumanoidDirDistribution,
    HumanoidDirTask,
    WalkerParamDistribution,
    WalkerParamTask,
)
from rlenvs.mujoco.vector import MujocoVectorEnv

__all__ = [
    "AntDirDistribution",
    "AntDirEnv",
    "AntDirTask",
    "AntFwdBackDistribution",
    "AntFwdBackEnv",
    "AntGoalDistribution",
    "AntGoalEnv",
    "AntGoalTask",
    "Batch",
    "CheetahDirDistribution",
    "CheetahDirEnv",
    "CheetahDirTask",
    "CheetahVelDistribution",
    "CheetahVelEnv",
    "CheetahVelTask",
    "Family",
    "HopperParamDistribution",
    "HopperParamEnv",
    "HopperParamTask",
    "HumanoidDirDistribution",
    "HumanoidDirEnv",
    "HumanoidDirTask",
    "MujocoTaskEnv",
    "MujocoVectorEnv",
    "WalkerParamDistribution",
    "WalkerParamEnv",
    "WalkerParamTask",
]
