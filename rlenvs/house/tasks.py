"""HouseNav tasks: a house, given by its seed and its size knobs (the layout is a pure function of them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from rlenvs.core.task import Task, TaskDistribution, task_field

MAX_SEED = 2**31 - 1
TEST_MODULUS = 10  # test houses: house_seed % 10 == 0; train houses: every other seed


def capacity(rooms_y: int, rooms_x: int, room_min: int) -> int:
    """A lower bound on the furniture cells a house can hold: the categories it can show at least once.

    A room of interior ``s x s`` (s >= room_min) has ``4 (s - 2)`` non-corner wall-side cells, and each of its
    (at most 4) doors blocks the one cell in front of it.
    """
    per_room = 4 * (room_min - 2) - (min(4, (rooms_y > 1) + (rooms_y > 2) + (rooms_x > 1) + (rooms_x > 2)))
    return rooms_y * rooms_x * per_room


@dataclass(frozen=True)
class HouseTask(Task):
    """One house: ``house_seed`` plus the size knobs the generator reads (see ``_kernels.gen_house``)."""

    house_seed: int = task_field(low=0, high=MAX_SEED, doc="seed of the layout, furniture and objects")
    rooms_y: int = task_field(low=1, high=4, doc="rows of rooms", default=3)
    rooms_x: int = task_field(low=1, high=4, doc="columns of rooms", default=3)
    room_min: int = task_field(low=4, high=9, doc="smallest room interior side (cells)", default=5)
    room_max: int = task_field(low=4, high=9, doc="largest room interior side (cells)", default=7)
    n_present: int = task_field(low=1, high=20, doc="object categories present in the house", default=10)
    max_instances: int = task_field(low=1, high=3, doc="instances per present category: 1..max", default=2)
    p_loop: float = task_field(low=0.0, high=1.0, doc="probability of a door on a non-tree shared wall",
                               default=0.2)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.room_min > self.room_max:
            raise self._error(f"field 'room_min' = {self.room_min} must be <= 'room_max' = {self.room_max}")
        cap = capacity(self.rooms_y, self.rooms_x, self.room_min)
        if self.n_present > cap:
            raise self._error(f"field 'n_present' = {self.n_present} exceeds the {cap} furniture cells this house "
                              "size guarantees; use fewer categories or bigger/more rooms")


@dataclass(frozen=True)
class HousePreset:
    """The size knobs of a variant (everything of a ``HouseTask`` but the seed) and its split sizes."""

    rooms_y: int
    rooms_x: int
    room_min: int
    room_max: int
    n_present: int
    max_instances: int
    p_loop: float

    def task(self, house_seed: int) -> HouseTask:
        return HouseTask(house_seed=int(house_seed), **self.__dict__)


PRESETS = {
    "small": HousePreset(2, 2, 4, 5, 6, 2, 0.2),
    "default": HousePreset(3, 3, 5, 7, 10, 2, 0.2),
    "large": HousePreset(4, 4, 5, 8, 16, 2, 0.2),
    "darkroom": HousePreset(1, 1, 9, 9, 1, 1, 0.0),
}


class HouseDistribution(TaskDistribution):
    """Houses of one preset: the seed uniform in ``[0, 2**31 - 1)``, the knobs fixed by the preset.

    Splits (fixed, disjoint by construction, spec section 3.2):
      - ``train`` (1000 houses): seeds with ``house_seed % 10 != 0``;
      - ``test`` (100 houses): seeds with ``house_seed % 10 == 0``;
      - ``test_large`` (50 houses; not for ``darkroom``): out-of-distribution houses of the ``large`` preset
        (4x4 rooms of 5-8 cells, 16 categories) on test seeds: the spec's OOD test family.
    ``sample`` draws from all seeds (the spec's ``house_split="all"``).
    """

    task_type = HouseTask
    split_sizes: ClassVar[dict[str, int]] = {"train": 1000, "test": 100, "test_large": 50}

    def __init__(self, preset: str = "default"):
        if preset not in PRESETS:
            raise ValueError(f"unknown house preset {preset!r}; valid: {sorted(PRESETS)}")
        self.preset = preset
        self.family = f"house_{preset}"
        self.knobs = PRESETS[preset]
        if preset == "darkroom":  # a one-room house has no bigger OOD variant
            self.split_sizes = {"train": 1000, "test": 100}

    def sample(self, rng: np.random.Generator) -> HouseTask:
        return self.knobs.task(rng.integers(0, MAX_SEED))

    def _split_tasks(self, name: str) -> list[HouseTask]:
        from rlenvs.core.task import split_rng

        tasks = []
        for index in range(self.split_sizes[name]):
            rng = split_rng(self.family, name, index)
            if name == "train":
                seed = int(rng.integers(0, MAX_SEED))
                seed += 1 if seed % TEST_MODULUS == 0 else 0
                tasks.append(self.knobs.task(seed))
            else:
                seed = TEST_MODULUS * int(rng.integers(0, MAX_SEED // TEST_MODULUS))
                tasks.append((PRESETS["large"] if name == "test_large" else self.knobs).task(seed))
        return tasks

    def __repr__(self) -> str:
        return f"HouseDistribution(preset={self.preset!r})"
