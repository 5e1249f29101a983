"""Meta-World 3.1.1 task distributions (ML1/ML10/ML45/MT10/MT50, Meta-DT Reach, Continual World).

- Env ids: ``rlenvs/MetaWorld-ML1-<class>-v3`` (all 50 classes, e.g. ``MetaWorld-ML1-reach-v3``),
  ``rlenvs/MetaWorld-{ML10,ML45,MT10,MT50,Reach-MetaDT}-v3``; ``gym.make`` and ``gym.make_vec`` work for all.
- :class:`MetaWorldTask` ``(env_name, rand_vec)``, :class:`MetaWorldDistribution` (splits built from the
  goals ``metaworld`` itself generates, see ``tasks.py``), :class:`MetaWorldEnv`, :class:`MetaWorldVectorEnv`.
- :func:`expert_policy` (the package's scripted policies), :func:`continual_world` and the Continual World
  metrics :func:`average_performance`, :func:`forgetting`, :func:`forward_transfer` (from
  :mod:`rlenvs.evaluation.continual`).

Importing this package imports ``metaworld`` and ``mujoco`` (the ``metaworld`` extra); ``import rlenvs``
does not.
"""

from rlenvs.evaluation.continual import average_performance, forgetting, forward_transfer
from rlenvs.metaworld.continual import CW10, CW20, continual_world
from rlenvs.metaworld.env import MetaWorldEnv
from rlenvs.metaworld.experts import ExpertPolicy, expert_policy
from rlenvs.metaworld.tasks import ENV_NAMES, MetaWorldDistribution, MetaWorldTask
from rlenvs.metaworld.vector import MetaWorldVectorEnv

__all__ = [
    "CW10",
    "CW20",
    "ENV_NAMES",
    "ExpertPolicy",
    "MetaWorldDistribution",
    "MetaWorldEnv",
    "MetaWorldTask",
    "MetaWorldVectorEnv",
    "average_performance",
    "continual_world",
    "expert_policy",
    "forgetting",
    "forward_transfer",
]
