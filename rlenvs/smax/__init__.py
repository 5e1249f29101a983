"""SMAX-lite: JaxMARL's SMAX StarCraft-like battles in numba, as a PettingZoo ParallelEnv and a batched form.

- :class:`SMAXParallelEnv` (``rlenvs.make_parallel("rlenvs/SMAX-3m-v0")``): the allies are the agents, the
  enemies follow JaxMARL's heuristic.
- :class:`SMAXVector`: ``num_envs`` matches as stacked arrays, heuristic enemy or self-play.
- :func:`win_rates` (with :func:`heuristic_policy` / :func:`random_policy`): per-seed win rates of a team
  policy, for leaderboards; :func:`heuristic_outcomes`: heuristic-vs-heuristic outcome rates.

Importing this package imports numba (the kernels compile lazily, on first use, and are cached).
"""

from rlenvs.smax.env import SMAXParallelEnv
from rlenvs.smax.evaluation import heuristic_outcomes, heuristic_policy, random_policy, win_rates
from rlenvs.smax.tasks import SCENARIOS, UNIT_NAMES, UNIT_STATS, SMAXDistribution, SMAXTask, scenario_task
from rlenvs.smax.vector import SMAXVector

__all__ = ["SCENARIOS", "UNIT_NAMES", "UNIT_STATS", "SMAXDistribution", "SMAXParallelEnv", "SMAXTask",
           "SMAXVector", "heuristic_outcomes", "heuristic_policy", "random_policy", "scenario_task", "win_rates"]
