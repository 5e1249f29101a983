"""rlenvs: task-distribution environments for meta-RL, in-context RL, multi-agent RL, robust RL,
Bayesian optimisation as RL and preference-based RL.

``import rlenvs`` registers every env id with Gymnasium; no family module or kernel is loaded until an
env is made.

    >>> import gymnasium as gym, rlenvs
    >>> env = gym.make("rlenvs/PointRobot-v0")
    >>> obs, info = env.reset(seed=0)
    >>> sorted(info["task"])
    ['goal']
"""

from rlenvs.registration import (
    ENVS,
    EnvEntry,
    UnknownEnvError,
    get_entry,
    list_envs,
    make,
    make_parallel,
    make_vec,
    register_envs,
    warmup,
)

__version__ = "0.1.0"

register_envs()

__all__ = [
    "ENVS",
    "EnvEntry",
    "UnknownEnvError",
    "__version__",
    "get_entry",
    "list_envs",
    "make",
    "make_parallel",
    "make_vec",
    "register_envs",
    "warmup",
]
