"""Robust RL: uncertainty-set MuJoCo envs (M2TD3's sets, RRLS's variants, RARL's forces), static and dynamic
adversaries, batched worst-case evaluation, and a tabular robust MDP solved exactly.

- Envs ``rlenvs/Robust<Robot>-<1d|2d|3d|Force>-v0`` (:class:`RobustEnv`, :class:`RobustVectorEnv`): the
  transition parameters are the task; sets and conventions in :mod:`rlenvs.robust.tasks`.
- Wrappers: :class:`DynamicAdversary`, :class:`DomainRandomization`, :class:`ProbabilisticActionRobust`.
- Evaluation: :func:`evaluate_worst_case` (uniform grids, :mod:`rlenvs.robust.grids`),
  :func:`worst_case_search` (CMA-ES).
- :mod:`rlenvs.robust.windy`: the windy-walk robust MDP with robust value iteration and the exact worst
  static model.
"""

from rlenvs.robust.env import RobustEnv
from rlenvs.robust.evaluation import WorstCase, evaluate_worst_case, grid_points, mean_returns, worst_case_search
from rlenvs.robust.grids import GRID_CONVENTIONS, axis_points, uncertainty_grid
from rlenvs.robust.search import cma_worst_case
from rlenvs.robust.tasks import CONVENTIONS, SETS, Parameter, UncertaintyDistribution, UncertaintySet, uncertainty_set
from rlenvs.robust.vector import RobustVectorEnv
from rlenvs.robust.windy import WindyWalk, robust_value_iteration, static_worst_case, value_iteration
from rlenvs.robust.wrappers import DomainRandomization, DynamicAdversary, ProbabilisticActionRobust

__all__ = [
    "CONVENTIONS",
    "GRID_CONVENTIONS",
    "SETS",
    "DomainRandomization",
    "DynamicAdversary",
    "Parameter",
    "ProbabilisticActionRobust",
    "RobustEnv",
    "RobustVectorEnv",
    "UncertaintyDistribution",
    "UncertaintySet",
    "WindyWalk",
    "WorstCase",
    "axis_points",
    "cma_worst_case",
    "evaluate_worst_case",
    "grid_points",
    "mean_returns",
    "robust_value_iteration",
    "static_worst_case",
    "uncertainty_grid",
    "uncertainty_set",
    "value_iteration",
    "worst_case_search",
]
