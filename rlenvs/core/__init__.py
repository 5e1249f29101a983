"""The contract every family builds on: tasks, task sets, the task env and the batched vector env."""

from rlenvs.core.env import TaskEnv
from rlenvs.core.spaces import check_action
from rlenvs.core.task import Task, TaskDistribution, TaskSet, canonical_json, split_rng, task_field
from rlenvs.core.vector import BatchedVectorEnv

__all__ = [
    "BatchedVectorEnv",
    "Task",
    "TaskDistribution",
    "TaskEnv",
    "TaskSet",
    "canonical_json",
    "check_action",
    "split_rng",
    "task_field",
]
