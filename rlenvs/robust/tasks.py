"""Uncertainty sets of the robust MuJoCo families: which transition parameters vary, over which box, and where
each acts in the model.

A set's Task is one point of its box (``HalfCheetah3dTask(worldfriction=0.4, torsomass=6.25,
backthighmass=1.54)``); its distribution is uniform over the box. Sets are named ``1d``, ``2d``, ``3d``
(M2TD3's physical-parameter sets; InvertedPendulum has ``1d`` and ``2d``) and ``force`` (RARL's constant
forces on bodies). Two conventions:

- ``"m2td3"`` (the default): M2TD3's sets (akimotolab/M2TD3 ``configs/environment/*.yaml`` and
  ``utils/make_env.py``); ``force`` is RARL's 2-D forces, in the plane the planar robots move in.
- ``"rrls"``: RRLS's variants (SuReLI/RRLS ``rrls/envs/*.py``), which differ in five places:

  - HalfCheetah-1d: worldfriction in [0.1, 3.0] (M2TD3's default config: [0.1, 4.0]).
  - HumanoidStandup-3d: rightfootmass in [0.1, 8] and leftthighmass in [0.1, 5] (M2TD3: [0.1, 5] and
    [0.1, 8], swapped).
  - Ant-3d: frontrightlegmass is ``body_mass[5]``, the ``front_right_leg`` body the name means (M2TD3
    writes ``body_mass[4]``, the front-left ankle).
  - InvertedPendulum-1d: the cart mass is fixed at 5.02 (RRLS's defaults give the pole's mass to the cart
    and the cart's to the pole; M2TD3 keeps the model's 10.47).
  - force sets of the planar robots: ``<body>force_x`` / ``_y``, along world x and y as RRLS writes them;
    no planar robot can move along y, so its ``_y`` parameters act on nothing (default: ``_x`` / ``_z``,
    RARL's ``(x, 0, z)`` forces).

How the parameters act (both conventions; ``geom_friction[:, 0]`` is the sliding friction):

- ``*mass`` sets ``model.body_mass[body]`` to the value, as both originals do: the body's inertia and
  MuJoCo's derived constants (``mj_setConst``) stay those of the model, and so does every mass the set
  does not name.
- ``worldfriction`` sets the sliding friction of the geoms that take the model's default friction: every
  geom of the HalfCheetah (M2TD3 rewrites ``<default><geom friction>``; RRLS writes
  ``geom_friction[:, 0]``), but only the floor of the Hopper and Walker2d, whose body geoms set their own
  friction (M2TD3's ``<default>`` rewrite reaches the floor only; RRLS writes ``geom_friction[0, 0]``).
  MuJoCo takes the larger friction of two geoms in contact, so a floor friction below a body geom's
  (0.9; the Hopper's foot 2.0, the Walker2d's feet 1.9) changes nothing in that geom's contacts: floor
  friction under 0.9 is exactly inert on both robots, in both conventions.
- ``*force_<axis>`` is a constant Cartesian force (N) on the body's centre of mass along the world axis,
  ``data.xfrc_applied[body, axis]``, held for the whole episode (RRLS writes it into ``MjData``, which
  Gymnasium's reset zeroes, so its forces lapse at every reset).

Splits of every set: ``train`` (100) and ``test`` (100), uniform draws with the rlenvs split seeding; the
parameter sets add the two evaluation grids of :mod:`rlenvs.robust.grids` over their box, 10 points per
dimension, first parameter slowest: ``m2td3_grid`` (``linspace``, end points included) and ``rrls_grid``
(RRLS's ``arange``, upper bound left out). A worst-case score is the minimum over a grid split of the
mean return at each point.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from rlenvs.core.task import Task, TaskDistribution, task_field
from rlenvs.robust.grids import GRID_CONVENTIONS, uncertainty_grid

CONVENTIONS = ("m2td3", "rrls")
SETS = ("1d", "2d", "3d", "force")
ALL_GEOMS = -1  # Parameter.index of a friction that every geom takes
FORCE_RANGE = (-3.0, 3.0)  # RARL forces as RRLS bounds them (N)
SPLIT_SIZES = {"train": 100, "test": 100}
GRID_POINTS = 10

# robot -> (title, M2TD3's physical parameter sets: name -> (low, high) per set)
ROBOTS = {
    "half_cheetah": ("HalfCheetah", {
        "1d": {"worldfriction": (0.1, 4.0)},
        "2d": {"worldfriction": (0.1, 4.0), "torsomass": (0.1, 7.0)},
        "3d": {"worldfriction": (0.1, 4.0), "torsomass": (0.1, 7.0), "backthighmass": (0.1, 3.0)},
    }),
    "hopper": ("Hopper", {
        "1d": {"worldfriction": (0.1, 3.0)},
        "2d": {"worldfriction": (0.1, 3.0), "torsomass": (0.1, 3.0)},
        "3d": {"worldfriction": (0.1, 3.0), "torsomass": (0.1, 3.0), "thighmass": (0.1, 4.0)},
    }),
    "walker2d": ("Walker2d", {
        "1d": {"worldfriction": (0.1, 4.0)},
        "2d": {"worldfriction": (0.1, 4.0), "torsomass": (0.1, 5.0)},
        "3d": {"worldfriction": (0.1, 4.0), "torsomass": (0.1, 5.0), "thighmass": (0.1, 6.0)},
    }),
    "ant": ("Ant", {
        "1d": {"torsomass": (0.1, 3.0)},
        "2d": {"torsomass": (0.1, 3.0), "frontleftlegmass": (0.01, 3.0)},
        "3d": {"torsomass": (0.1, 3.0), "frontleftlegmass": (0.01, 3.0), "frontrightlegmass": (0.01, 3.0)},
    }),
    "humanoid_standup": ("HumanoidStandup", {
        "1d": {"torsomass": (0.1, 16.0)},
        "2d": {"torsomass": (0.1, 16.0), "rightfootmass": (0.1, 8.0)},
        "3d": {"torsomass": (0.1, 16.0), "rightfootmass": (0.1, 5.0), "leftthighmass": (0.1, 8.0)},
    }),
    "inverted_pendulum": ("InvertedPendulum", {
        "1d": {"polemass": (1.0, 31.0)},
        "2d": {"polemass": (1.0, 31.0), "cartmass": (1.0, 11.0)},
    }),
}
# where each named parameter acts: ("body_mass", body), ("geom_friction", geom or ALL_GEOMS)
TARGETS = {
    "half_cheetah": {"worldfriction": ("geom_friction", ALL_GEOMS), "torsomass": ("body_mass", 1),
                     "backthighmass": ("body_mass", 2)},
    "hopper": {"worldfriction": ("geom_friction", 0), "torsomass": ("body_mass", 1), "thighmass": ("body_mass", 2)},
    "walker2d": {"worldfriction": ("geom_friction", 0), "torsomass": ("body_mass", 1), "thighmass": ("body_mass", 2)},
    "ant": {"torsomass": ("body_mass", 1), "frontleftlegmass": ("body_mass", 2), "frontrightlegmass": ("body_mass", 4)},
    "humanoid_standup": {"torsomass": ("body_mass", 1), "rightfootmass": ("body_mass", 6),
                         "leftthighmass": ("body_mass", 7)},
    "inverted_pendulum": {"polemass": ("body_mass", 2), "cartmass": ("body_mass", 1)},
}
# RARL's force sets as RRLS names them: the pushed bodies (name prefix, body index)
FORCE_BODIES = {
    "half_cheetah": (("torso", 1), ("backfoot", 4), ("forwardfoot", 7)),
    "hopper": (("foot", 4),),
    "walker2d": (("leg", 3), ("leftfoot", 7)),
    "ant": (("torso", 1), ("frontleftleg", 2), ("frontrightleg", 5)),
    "humanoid_standup": (("torso", 1), ("rightthigh", 4), ("leftfoot", 9)),
    "inverted_pendulum": (("pole", 2),),
}
PLANAR = ("half_cheetah", "hopper", "walker2d", "inverted_pendulum")  # move in the world x-z plane

# where RRLS differs from M2TD3 (see the module docstring)
RRLS_BOUNDS = {("half_cheetah", "1d"): {"worldfriction": (0.1, 3.0)},
               ("humanoid_standup", "3d"): {"rightfootmass": (0.1, 8.0), "leftthighmass": (0.1, 5.0)}}
RRLS_TARGETS = {"ant": {"frontrightlegmass": ("body_mass", 5)}}
# RRLS DEFAULT_PARAMS, applied at construction, where they differ from the model (rrls/envs/pendulum.py)
RRLS_FIXED = {"inverted_pendulum": {"polemass": 10.47197551196598, "cartmass": 5.018591641363306}}


@dataclass(frozen=True)
class Parameter:
    """One transition parameter: its name (M2TD3's and RRLS's), its range and where it acts.

    ``field`` is ``"body_mass"`` (``index`` = the body), ``"geom_friction"`` (the geom, or
    :data:`ALL_GEOMS`) or ``"xfrc_applied"`` (the body; ``axis`` 0/1/2 = world x/y/z).
    """

    name: str
    low: float
    high: float
    field: str
    index: int
    axis: int = 0

    @property
    def doc(self) -> str:
        if self.field == "body_mass":
            return "body mass (kg)"
        if self.field == "geom_friction":
            return "sliding friction of " + ("every geom" if self.index == ALL_GEOMS else "the floor")
        return f"constant force along world {'xyz'[self.axis]} (N)"


@dataclass(frozen=True)
class UncertaintySet:
    """A robot's uncertainty set in one convention: its parameters, the parameters it fixes away from the
    model's values (``fixed``: ``(name, field, index, value)`` rows), its Task type and its split seed name."""

    robot: str
    name: str
    convention: str
    parameters: tuple[Parameter, ...]
    fixed: tuple[tuple[str, str, int, float], ...]
    task_type: type[Task]
    family: str

    @property
    def title(self) -> str:
        return ROBOTS[self.robot][0]

    @property
    def bounds(self) -> dict[str, tuple[float, float]]:
        """``{name: (low, high)}`` in field order."""
        return {p.name: (p.low, p.high) for p in self.parameters}

    def distribution(self) -> UncertaintyDistribution:
        return UncertaintyDistribution(self)


class UncertaintyDistribution(TaskDistribution):
    """Parameters uniform over the set's box, drawn in field order.

    Splits: ``train`` (100) / ``test`` (100) drawn with the rlenvs split seeding; for the physical-parameter
    sets also ``m2td3_grid`` and ``rrls_grid``, the set's evaluation grids (10 points per dimension, see
    :mod:`rlenvs.robust.grids`).
    """

    def __init__(self, uncertainty: UncertaintySet):
        self.uncertainty = uncertainty
        self.family = uncertainty.family
        self.task_type = uncertainty.task_type
        sizes = dict(SPLIT_SIZES)
        if uncertainty.name != "force":
            sizes.update({f"{grid}_grid": GRID_POINTS ** len(uncertainty.parameters) for grid in GRID_CONVENTIONS})
        self.split_sizes = sizes

    def sample(self, rng: np.random.Generator) -> Task:
        return self.task_type(**{p.name: rng.uniform(p.low, p.high) for p in self.uncertainty.parameters})

    def _split_tasks(self, name: str) -> Sequence[Task]:
        if name.endswith("_grid"):
            grid = uncertainty_grid(self.uncertainty.bounds, GRID_POINTS, name.removesuffix("_grid"))
            return [self.task_type(**point) for point in grid]
        return super()._split_tasks(name)

    def __reduce__(self):  # the set rebuilds the distribution (and its split cache) on unpickling
        return UncertaintyDistribution, (self.uncertainty,)


def _check_choice(what: str, value, choices) -> None:
    if value not in choices:
        raise ValueError(f"{what} must be one of {list(choices)}, got {value!r}")


def _parameters(robot: str, set_name: str, convention: str) -> tuple[Parameter, ...]:
    if set_name == "force":
        axes = (0, 1) if robot not in PLANAR or convention == "rrls" else (0, 2)
        return tuple(Parameter(f"{prefix}force_{'xyz'[axis]}", *FORCE_RANGE, "xfrc_applied", body, axis)
                     for prefix, body in FORCE_BODIES[robot] for axis in axes)
    bounds = dict(ROBOTS[robot][1][set_name])
    targets = dict(TARGETS[robot])
    if convention == "rrls":
        bounds.update(RRLS_BOUNDS.get((robot, set_name), {}))
        targets.update(RRLS_TARGETS.get(robot, {}))
    return tuple(Parameter(name, low, high, *targets[name]) for name, (low, high) in bounds.items())


def _task_type(name: str, parameters: tuple[Parameter, ...]) -> type[Task]:
    """The frozen Task dataclass of a box, defined once per distinct box (and reachable for pickling)."""
    if name in globals():
        return globals()[name]
    fields = [(p.name, float, task_field(low=p.low, high=p.high, doc=p.doc)) for p in parameters]
    cls = dataclasses.make_dataclass(name, fields, bases=(Task,), frozen=True)
    cls.__module__ = __name__
    cls.__doc__ = "Transition parameters: " + ", ".join(f"``{p.name}`` in [{p.low:g}, {p.high:g}]" for p in parameters)
    globals()[name] = cls
    return cls


@cache
def uncertainty_set(robot: str, set_name: str, convention: str = "m2td3") -> UncertaintySet:
    """The uncertainty set ``set_name`` (``"1d"``, ``"2d"``, ``"3d"`` or ``"force"``) of ``robot`` in
    ``convention`` (``"m2td3"`` or ``"rrls"``)."""
    _check_choice("robot", robot, ROBOTS)
    _check_choice("convention", convention, CONVENTIONS)
    title, param_sets = ROBOTS[robot]
    _check_choice(f"the uncertainty set of {title}", set_name, (*param_sets, "force"))
    parameters = _parameters(robot, set_name, convention)
    default = _parameters(robot, set_name, "m2td3")
    same_box = [(p.name, p.low, p.high) for p in parameters] == [(p.name, p.low, p.high) for p in default]
    suffix = "" if same_box else "_rrls"
    label = "Force" if set_name == "force" else set_name
    task_type = _task_type(f"{title}{label}{'RRLS' if suffix else ''}Task", parameters)
    fixed = ()
    if convention == "rrls" and set_name != "force":
        varied = {p.name for p in parameters}
        fixed = tuple((name, *TARGETS[robot][name], value) for name, value in RRLS_FIXED.get(robot, {}).items()
                      if name not in varied)
    return UncertaintySet(robot, set_name, convention, parameters, fixed, task_type,
                          family=f"robust_{robot}_{set_name}{suffix}")


def all_sets() -> list[UncertaintySet]:
    """Every set of every robot in both conventions (this defines every Task type)."""
    return [uncertainty_set(robot, name, convention) for robot, (_, sets) in ROBOTS.items()
            for name in (*sets, "force") for convention in CONVENTIONS]


all_sets()
