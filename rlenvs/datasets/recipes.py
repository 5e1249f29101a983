"""Named dataset recipes: anyone rebuilds the same dataset, bit for bit, from a recipe and its seed.

``create("pointrobot/expert-v0")`` writes the Minari dataset ``rlenvs/pointrobot/expert-v0`` under
``MINARI_DATASETS_PATH``. Tiers follow Meta-DT: ``random``, ``medium``, ``expert`` and ``medium-expert``
(70% medium and 30% expert episodes of every task).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rlenvs.datasets.collect import DatasetError, episodes_hash, rollout_episodes, write_minari
from rlenvs.datasets.policies import get_policy
from rlenvs.registration import get_entry, make

MEDIUM_EXPERT_MEDIUM_SHARE = 0.7  # Meta-DT README: "a mix of 70% medium and 30% expert"


@dataclass(frozen=True)
class Recipe:
    """How to build one dataset: env, task split, tier, episodes per task and seed."""

    env_id: str
    tier: str
    split: str = "train"
    episodes_per_task: int = 100
    seed: int = 0
    num_envs: int = 1024
    max_episode_steps: int | None = None  # for envs without a registered time limit

    def tier_plan(self) -> list[tuple[str, int]]:
        """``(tier, episodes per task)`` pairs the dataset is made of."""
        if self.tier == "medium-expert":
            medium = round(self.episodes_per_task * MEDIUM_EXPERT_MEDIUM_SHARE)
            return [("medium", medium), ("expert", self.episodes_per_task - medium)]
        return [(self.tier, self.episodes_per_task)]


def _point_robot_recipes(prefix: str, env_id: str) -> dict[str, Recipe]:
    # Meta-DT's Point-Robot data: 100 episodes of 20 steps per task (2,000 transitions per task).
    return {f"{prefix}/{tier}-v0": Recipe(env_id, tier) for tier in ("random", "medium", "expert", "medium-expert")}


RECIPES: dict[str, Recipe] = {
    **_point_robot_recipes("pointrobot", "rlenvs/PointRobot-v0"),
    # Meta-DT's Reach goals (15 train tasks), 100 episodes of 500 steps per task.
    **{f"metaworld-reach/{tier}-v0": Recipe("rlenvs/MetaWorld-Reach-MetaDT-v3", tier)
       for tier in ("random", "medium", "expert", "medium-expert")},
    # One trial per training house / room (in-context RL from the oracle's or a random agent's trials).
    "housenav-small/expert-v0": Recipe("rlenvs/HouseNav-Small-v0", "expert", episodes_per_task=1),
    "darkroom/expert-v0": Recipe("rlenvs/DarkRoom-v0", "expert", episodes_per_task=1),
    "darkroom/random-v0": Recipe("rlenvs/DarkRoom-v0", "random", episodes_per_task=1),
    # Grid worlds: the optimal policies (value iteration, shortest path, the secret combination) and their
    # epsilon-noisy medium tier; 10 episodes per training level.
    **{f"{name}/{tier}-v0": Recipe(env_id, tier, episodes_per_task=10, max_episode_steps=limit)
       for name, env_id, limit in (("lpggrid", "rlenvs/LPGGrid-v0", None), ("maze", "rlenvs/Maze-v0", None),
                                   ("combinationlock", "rlenvs/CombinationLock-v0", 10))
       for tier in ("random", "medium", "expert", "medium-expert")},
}


def get_recipe(name: str) -> Recipe:
    if name not in RECIPES:
        raise DatasetError(f"unknown dataset recipe {name!r}; known: {sorted(RECIPES)}")
    return RECIPES[name]


def _vectorized(recipe: Recipe, policy) -> bool:
    # privileged experts read the single env they act in; the native vector env steps identically
    return get_entry(recipe.env_id).vector and not getattr(policy, "needs_env", False)


def build_episodes(recipe: Recipe, progress: Callable[[int], None] | None = None):
    """Roll out a recipe: for each tier of its plan, ``episodes_per_task`` episodes of every split task."""
    env = make(recipe.env_id)
    tasks = list(env.unwrapped.task_distribution.split(recipe.split))
    episodes = []
    offset = 0
    for tier, per_task in recipe.tier_plan():
        policy = get_policy(recipe.env_id, tier, env.action_space)
        plan = [task for task in tasks for _ in range(per_task)]
        episodes += rollout_episodes(recipe.env_id, policy, plan, seed=recipe.seed + offset,
                                     num_envs=recipe.num_envs, vectorized=_vectorized(recipe, policy),
                                     max_episode_steps=recipe.max_episode_steps, progress=progress)
        offset += len(plan)
    env.close()
    return episodes


def reference_scores(recipe: Recipe) -> tuple[float, float]:
    """Mean episode return of the random and the expert policy, one episode per split task."""
    env = make(recipe.env_id)
    tasks = list(env.unwrapped.task_distribution.split(recipe.split))
    scores = []
    for tier in ("random", "expert"):
        policy = get_policy(recipe.env_id, tier, env.action_space)
        episodes = rollout_episodes(recipe.env_id, policy, tasks, seed=10**9 + recipe.seed, num_envs=recipe.num_envs,
                                    vectorized=_vectorized(recipe, policy), max_episode_steps=recipe.max_episode_steps)
        scores.append(float(np.mean([ep.episode_return for ep in episodes])))
    env.close()
    return scores[0], scores[1]


def create(name: str, progress: Callable[[int], None] | None = None):
    """Build the recipe ``name`` into the Minari dataset ``rlenvs/<name>``; returns it."""
    recipe = get_recipe(name)
    episodes = build_episodes(recipe, progress)
    ref_min, ref_max = reference_scores(recipe)
    description = (f"rlenvs recipe {name}: {recipe.tier} tier on {recipe.env_id}, split {recipe.split!r}, "
                   f"{recipe.episodes_per_task} episodes per task, seed {recipe.seed}; "
                   f"episodes sha256 {episodes_hash(episodes)}")
    return write_minari(f"rlenvs/{name}", get_entry(recipe.env_id).id, episodes, algorithm_name=recipe.tier,
                        ref_min_score=ref_min, ref_max_score=ref_max, description=description)
