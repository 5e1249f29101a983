"""Tasks of the MuJoCo locomotion families (PEARL, Meta-DT): target velocities, directions (Ant and Humanoid),
goals and randomised physical parameters.

Split members are drawn with the rlenvs split seeding (``SeedSequence([family, split, index])``) unless a
split reproduces a published task list exactly (PEARL's ``cheetah-vel`` tasks, Prompt-DT's velocity grid).
Meta-DT's own task parameters ship with its dataset, not with its code, so its 45 train / 5 test splits are
reproduced in size only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from rlenvs.core.task import Task, TaskDistribution, task_field

META_DT_SPLITS = {"train": 45, "test": 5}  # Meta-DT: 50 tasks per env, the last 5 held out

# PEARL cheetah-vel (katerakelly/oyster rlkit/envs/half_cheetah_vel.py, configs/cheetah-vel.json):
# np.random.seed(1337); 130 velocities ~ U(0, 3); the first 100 train, the last 30 eval.
PEARL_SEED = 1337
PEARL_CHEETAH_VEL_TASKS = 130
PEARL_CHEETAH_VEL_TRAIN = 100
# Prompt-DT cheetah_vel_40 (mxu34/prompt-dt config/cheetah_vel/cheetah_vel_40.json): 40 velocities
# linspace(0.075, 3, 40); these five indices are the test tasks.
PROMPT_DT_VELOCITIES = (0.075, 3.0, 40)
PROMPT_DT_TEST_IDS = (2, 7, 15, 23, 26)

MASS_BASE = 1.5  # rand_param_envs: body_mass, body_inertia, geom_friction scale by 1.5 ** U(-3, 3)
DAMPING_BASE = 1.3  # dof_damping scales by 1.3 ** U(-3, 3)
LOG_SCALE_LIMIT = 3.0


# --- half-cheetah ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CheetahVelTask(Task):
    """Run forward at ``velocity``."""

    velocity: float = task_field(low=0.0, high=3.0, doc="target forward velocity (m/s)")


class CheetahVelDistribution(TaskDistribution):
    """Target velocities uniform in ``[0, 3]`` (PEARL's range).

    Splits:
      - ``train`` (45) / ``test`` (5): Meta-DT's sizes, drawn with the rlenvs split seeding (Meta-DT's own
        50 velocities ship with its dataset only).
      - ``pearl_train`` (100) / ``pearl_test`` (30): PEARL's exact tasks (``np.random.seed(1337)``, 130
        draws of ``uniform(0, 3)``, the first 100 train, the last 30 eval).
      - ``promptdt_train`` (35) / ``promptdt_test`` (5): Prompt-DT's grid ``linspace(0.075, 3, 40)`` with
        test indices 2, 7, 15, 23, 26.
    """

    family = "cheetah_vel"
    task_type = CheetahVelTask
    split_sizes = {**META_DT_SPLITS, "pearl_train": 100, "pearl_test": 30, "promptdt_train": 35, "promptdt_test": 5}

    def sample(self, rng: np.random.Generator) -> CheetahVelTask:
        return CheetahVelTask(velocity=rng.uniform(0.0, 3.0))

    def _split_tasks(self, name: str) -> list[CheetahVelTask]:
        if name.startswith("pearl_"):
            legacy = np.random.RandomState(PEARL_SEED)  # frozen stream (NEP 19): PEARL's tasks, bit for bit
            velocities = legacy.uniform(0.0, 3.0, size=PEARL_CHEETAH_VEL_TASKS)
            velocities = velocities[:PEARL_CHEETAH_VEL_TRAIN] if name == "pearl_train" else velocities[-30:]
        elif name.startswith("promptdt_"):
            grid = np.linspace(*PROMPT_DT_VELOCITIES)
            test = np.isin(np.arange(len(grid)), PROMPT_DT_TEST_IDS)
            velocities = grid[test] if name == "promptdt_test" else grid[~test]
        else:
            return super()._split_tasks(name)
        return [CheetahVelTask(velocity=float(v)) for v in velocities]


@dataclass(frozen=True)
class CheetahDirTask(Task):
    """Run forward (``direction=1``) or backward (``direction=-1``)."""

    direction: int = task_field(choices=(-1, 1), doc="+1 forward, -1 backward")


class CheetahDirDistribution(TaskDistribution):
    """The two directions, each with probability 1/2.

    Splits ``train`` and ``test`` both hold the two directions ``(+1, -1)``: the task space has only two
    members, so nothing can be held out. Meta-DT's Cheetah-Dir (4 tasks ``[+1, -1, +1, -1]``, the first two
    train, the last two test) and PEARL's (``n_train_tasks = n_eval_tasks = 2``) evaluate on the training
    directions too, without saying so; here it is explicit, and a ``test`` score measures adaptation to a
    known direction within an episode, not generalisation to an unseen one.
    """

    family = "cheetah_dir"
    task_type = CheetahDirTask
    split_sizes = {"train": 2, "test": 2}

    def sample(self, rng: np.random.Generator) -> CheetahDirTask:
        return CheetahDirTask(direction=int(rng.choice((-1, 1))))

    def _split_tasks(self, name: str) -> list[CheetahDirTask]:
        return [CheetahDirTask(direction=1), CheetahDirTask(direction=-1)]


# --- ant ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AntDirTask(Task):
    """Walk in the direction at ``angle`` (radians from +x, counter-clockwise)."""

    angle: float = task_field(low=0.0, high=2 * math.pi, doc="direction of travel in the xy plane (radians)")


class AntDirDistribution(TaskDistribution):
    """Directions uniform on the circle, ``angle ~ U(0, 2 pi)`` (PEARL's and Meta-DT's sampler).

    Splits ``train`` (45) / ``test`` (5): Meta-DT's sizes, drawn with the rlenvs split seeding (Meta-DT's
    50 angles ship with its dataset only).
    """

    family = "ant_dir"
    task_type = AntDirTask
    split_sizes = META_DT_SPLITS

    def sample(self, rng: np.random.Generator) -> AntDirTask:
        return AntDirTask(angle=rng.uniform(0.0, 2 * math.pi))


class AntFwdBackDistribution(TaskDistribution):
    """Forward (``angle=0``) or backward (``angle=pi``), each with probability 1/2: the "Ant-Fwd-Back"
    task of the PEARL paper (``AntDirEnv(forward_backward=True)`` in its code; its released config draws
    two random angles instead). ``train`` and ``test`` both hold the two directions, as in Cheetah-Dir."""

    family = "ant_fwd_back"
    task_type = AntDirTask
    split_sizes = {"train": 2, "test": 2}

    def sample(self, rng: np.random.Generator) -> AntDirTask:
        return AntDirTask(angle=float(rng.choice((0.0, math.pi))))

    def _split_tasks(self, name: str) -> list[AntDirTask]:
        return [AntDirTask(angle=0.0), AntDirTask(angle=math.pi)]


GOAL_RADIUS = 3.0


@dataclass(frozen=True)
class AntGoalTask(Task):
    """Walk to ``goal`` and stay there."""

    goal: tuple[float, ...] = task_field(low=-GOAL_RADIUS, high=GOAL_RADIUS, size=2, doc="goal position (x, y)")


class AntGoalDistribution(TaskDistribution):
    """Goals uniform in the disk of radius 3: ``r = 3 sqrt(U)``, ``alpha ~ U(0, 2 pi)`` (PEARL's sampler).

    Splits ``train`` (45) / ``test`` (5) as the other Meta-DT-style families, and ``pearl_train`` (150) /
    ``pearl_test`` (30) with PEARL's sizes. All are drawn with the rlenvs split seeding: PEARL drew its goals
    from the unseeded global ``np.random``, so they cannot be reproduced.
    """

    family = "ant_goal"
    task_type = AntGoalTask
    split_sizes = {**META_DT_SPLITS, "pearl_train": 150, "pearl_test": 30}

    def sample(self, rng: np.random.Generator) -> AntGoalTask:
        angle = rng.uniform(0.0, 2 * math.pi)
        radius = GOAL_RADIUS * math.sqrt(rng.uniform())
        return AntGoalTask(goal=(radius * math.cos(angle), radius * math.sin(angle)))


# --- humanoid -------------------------------------------------------------------------------------

PEARL_HUMANOID_DIR_SPLITS = {"train": 100, "test": 30}  # oyster configs/humanoid-dir.json


@dataclass(frozen=True)
class HumanoidDirTask(Task):
    """Run in the direction at ``angle`` (radians from +x, counter-clockwise)."""

    angle: float = task_field(low=0.0, high=2 * math.pi, doc="direction of travel in the xy plane (radians)")


class HumanoidDirDistribution(TaskDistribution):
    """Directions uniform on the circle, ``angle ~ U(0, 2 pi)`` (PEARL's ``humanoid-dir`` sampler).

    Splits ``train`` (100) / ``test`` (30): PEARL's sizes (Meta-DT has no humanoid), drawn with the rlenvs
    split seeding (PEARL drew its directions from the unseeded global ``np.random``).
    """

    family = "humanoid_dir"
    task_type = HumanoidDirTask
    split_sizes = PEARL_HUMANOID_DIR_SPLITS

    def sample(self, rng: np.random.Generator) -> HumanoidDirTask:
        return HumanoidDirTask(angle=rng.uniform(0.0, 2 * math.pi))


# --- rand_param_envs hopper / walker --------------------------------------------------------------

_MASS_RANGE = {"low": MASS_BASE**-LOG_SCALE_LIMIT, "high": MASS_BASE**LOG_SCALE_LIMIT}
_DAMPING_RANGE = {"low": DAMPING_BASE**-LOG_SCALE_LIMIT, "high": DAMPING_BASE**LOG_SCALE_LIMIT}


@dataclass(frozen=True)
class ParamTask(Task):
    """Multipliers of the model's physical parameters (``rand_param_envs``'s ``RandomEnv``).

    Every entry scales one element of the MuJoCo model array of the same name, the world body (element 0
    of ``body_mass`` / ``body_inertia``, massless, so inert) and the floor (element 0 of
    ``geom_friction``, which does act) included, exactly as ``RandomEnv.sample_tasks`` does.
    """

    # (MjModel field, shape of that field): subclasses list theirs, in the order the original samples them
    FIELDS: ClassVar[tuple[tuple[str, tuple[int, ...]], ...]] = ()

    @classmethod
    def scales(cls, params: np.ndarray) -> dict[str, np.ndarray]:
        """The multipliers of ``params`` (a task's ``to_array()``) shaped as the model fields they scale."""
        where = cls.array_slices()
        return {name: params[where[name]].reshape(shape) for name, shape in cls.FIELDS}


def _param_fields(name: str, n: int, doc: str) -> object:
    ranges = _DAMPING_RANGE if name == "dof_damping" else _MASS_RANGE
    return task_field(size=n, doc=doc, **ranges)


@dataclass(frozen=True)
class HopperParamTask(ParamTask):
    """Hopper multipliers: 5 bodies (world, torso, thigh, leg, foot), 6 dofs, 5 geoms (floor first)."""

    FIELDS: ClassVar = (("body_mass", (5,)), ("body_inertia", (5, 3)), ("dof_damping", (6,)),
                        ("geom_friction", (5, 3)))

    body_mass: tuple[float, ...] = _param_fields("body_mass", 5, "body_mass multipliers, 1.5 ** U(-3, 3)")
    body_inertia: tuple[float, ...] = _param_fields("body_inertia", 15, "body_inertia multipliers (5 x 3, row-major)")
    dof_damping: tuple[float, ...] = _param_fields("dof_damping", 6, "dof_damping multipliers, 1.3 ** U(-3, 3)")
    geom_friction: tuple[float, ...] = _param_fields("geom_friction", 15, "geom_friction multipliers (5 x 3)")


@dataclass(frozen=True)
class WalkerParamTask(ParamTask):
    """Walker2d multipliers: 8 bodies (world, torso, 2 x thigh/leg/foot), 9 dofs, 8 geoms (floor first)."""

    FIELDS: ClassVar = (("body_mass", (8,)), ("body_inertia", (8, 3)), ("dof_damping", (9,)),
                        ("geom_friction", (8, 3)))

    body_mass: tuple[float, ...] = _param_fields("body_mass", 8, "body_mass multipliers, 1.5 ** U(-3, 3)")
    body_inertia: tuple[float, ...] = _param_fields("body_inertia", 24, "body_inertia multipliers (8 x 3, row-major)")
    dof_damping: tuple[float, ...] = _param_fields("dof_damping", 9, "dof_damping multipliers, 1.3 ** U(-3, 3)")
    geom_friction: tuple[float, ...] = _param_fields("geom_friction", 24, "geom_friction multipliers (8 x 3)")


class ParamDistribution(TaskDistribution):
    """Each multiplier independently ``1.5 ** U(-3, 3)`` (``1.3 ** U(-3, 3)`` for damping), drawn per field
    in ``rand_param_envs``'s order: body_mass, body_inertia, dof_damping, geom_friction.

    Splits ``train`` (45) / ``test`` (5): Meta-DT's sizes, drawn with the rlenvs split seeding (Meta-DT's
    parameter sets ship with its dataset only; ``rand_param_envs`` itself draws from the unseeded global
    ``np.random``).
    """

    split_sizes = META_DT_SPLITS

    def sample(self, rng: np.random.Generator) -> ParamTask:
        fields = {}
        for name, shape in self.task_type.FIELDS:
            base = DAMPING_BASE if name == "dof_damping" else MASS_BASE
            exponents = rng.uniform(-LOG_SCALE_LIMIT, LOG_SCALE_LIMIT, size=int(np.prod(shape)))
            fields[name] = tuple(np.power(base, exponents))
        return self.task_type(**fields)


class HopperParamDistribution(ParamDistribution):
    __doc__ = ParamDistribution.__doc__
    family = "hopper_param"
    task_type = HopperParamTask


class WalkerParamDistribution(ParamDistribution):
    __doc__ = ParamDistribution.__doc__
    family = "walker_param"
    task_type = WalkerParamTask
