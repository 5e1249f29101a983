"""Preference and alignment worlds with a known gold reward.

- RLHF reward modelling (Wang et al. 2024, "Secrets of RLHF in LLMs Part II"): ``PrefStrength-v0`` (preference
  pairs with wrong / ambiguous labels, a judge, shifted-policy and OOD sets; :mod:`.strength`) and
  ``PrefBandit-v0`` (the policy stage; :mod:`.bandit`), with :class:`LearnedRewardWrapper`.
- RLHF generalisation and diversity (Kirk et al., ICLR 2024): the token-level text worlds ``SynthSumm-v0``
  (:mod:`.synthsumm`) and ``SeqInstruct-v0`` (:mod:`.seqinstruct`); their metrics are in
  :mod:`rlenvs.evaluation.text`.
- Reference policies for the leaderboards: :mod:`.gold_references`.
- Preference-based RL (B-Pref, PARL): scripted teachers :class:`SimTeacher` (:mod:`.teachers`), the
  feedback-budget wrappers (:mod:`.feedback`), the exactly solvable ``PrefGrid-v0`` (:mod:`.pref_grid`),
  ``PrefPointButton-v0`` (:mod:`.point_button`), task versions of Pendulum and MuJoCo locomotion
  (:mod:`.gym_tasks`) and the PbRL metrics (:mod:`.pbrl_metrics`).
"""

from rlenvs.preference.bandit import PrefBanditEnv
from rlenvs.preference.feedback import FeedbackBudgetError, PreferenceFeedbackVectorWrapper, PreferenceFeedbackWrapper
from rlenvs.preference.gym_tasks import LocomotionTaskEnv, PendulumTaskEnv
from rlenvs.preference.learned_reward import LearnedRewardWrapper
from rlenvs.preference.pbrl_metrics import budget_to_reach, curve_auc, normalized_return, teacher_robustness
from rlenvs.preference.point_button import (
    PointButtonDistribution,
    PointButtonTask,
    PrefPointButtonEnv,
    PrefPointButtonVectorEnv,
)
from rlenvs.preference.pref_grid import (
    PrefGridDistribution,
    PrefGridEnv,
    PrefGridTask,
    evaluate_policy,
    soft_value_iteration,
)
from rlenvs.preference.seqinstruct import SEQINSTRUCT, SeqInstructEnv, SeqInstructTask, SeqInstructWorld
from rlenvs.preference.strength import PrefStrengthEnv, PrefTask, PrefTaskDistribution, PrefWorld, pair_set, pref_world
from rlenvs.preference.synthsumm import SYNTHSUMM, SynthSummEnv, SynthSummWorld
from rlenvs.preference.teachers import TEACHER_PRESETS, TEACHERS, SimTeacher
from rlenvs.preference.textworld import TextTask, TextWorld, TextWorldEnv

__all__ = [
    "SEQINSTRUCT",
    "SYNTHSUMM",
    "TEACHERS",
    "TEACHER_PRESETS",
    "FeedbackBudgetError",
    "LearnedRewardWrapper",
    "LocomotionTaskEnv",
    "PendulumTaskEnv",
    "PointButtonDistribution",
    "PointButtonTask",
    "PrefGridDistribution",
    "PrefGridEnv",
    "PrefGridTask",
    "PrefPointButtonEnv",
    "PrefPointButtonVectorEnv",
    "PreferenceFeedbackVectorWrapper",
    "PreferenceFeedbackWrapper",
    "SimTeacher",
    "PrefBanditEnv",
    "PrefStrengthEnv",
    "PrefTask",
    "PrefTaskDistribution",
    "PrefWorld",
    "SeqInstructEnv",
    "SeqInstructTask",
    "SeqInstructWorld",
    "SynthSummEnv",
    "SynthSummWorld",
    "TextTask",
    "TextWorld",
    "TextWorldEnv",
    "budget_to_reach",
    "curve_auc",
    "evaluate_policy",
    "normalized_return",
    "pair_set",
    "pref_world",
    "soft_value_iteration",
    "teacher_robustness",
]
