"""SMAX scenarios as tasks: unit types of both teams and the start-position generator.

Unit stats and scenarios follow JaxMARL's SMAX (``jaxmarl/environments/smax/smax_env.py``, v0.2.0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rlenvs.core.task import Task, TaskDistribution, task_field

UNIT_NAMES = ("marine", "marauder", "stalker", "zealot", "zergling", "hydralisk")
# columns: speed (u/s), damage per hit, attack range, sight range, radius, max HP, weapon cooldown (s)
SPEED, DAMAGE, RANGE, SIGHT, RADIUS, HP, COOLDOWN = range(7)
UNIT_STATS = np.array(
    [
        [3.15, 9.0, 5.0, 9.0, 0.375, 45.0, 0.61],  # marine
        [2.25, 10.0, 6.0, 10.0, 0.5625, 125.0, 1.07],  # marauder
        [4.13, 13.0, 6.0, 10.0, 0.625, 160.0, 1.87],  # stalker
        [3.15, 8.0, 2.0, 9.0, 0.5, 150.0, 0.86],  # zealot
        [4.13, 5.0, 2.0, 8.0, 0.375, 35.0, 0.50],  # zergling
        [3.15, 12.0, 5.0, 9.0, 0.625, 80.0, 0.59],  # hydralisk
    ],
    dtype=np.float64,
)
NUM_UNIT_TYPES = len(UNIT_NAMES)
POSITION_MODES = ("smax", "surround_and_reflect")

_M, _MM, _S, _Z, _ZG, _H = range(6)

# name -> (ally types, enemy types, random types and positions (SMACv2 generators))
SCENARIOS: dict[str, tuple[tuple[int, ...], tuple[int, ...], bool]] = {
    "3m": ((_M,) * 3, (_M,) * 3, False),
    "8m": ((_M,) * 8, (_M,) * 8, False),
    "25m": ((_M,) * 25, (_M,) * 25, False),
    "5m_vs_6m": ((_M,) * 5, (_M,) * 6, False),
    "10m_vs_11m": ((_M,) * 10, (_M,) * 11, False),
    "27m_vs_30m": ((_M,) * 27, (_M,) * 30, False),
    "2s3z": ((_S,) * 2 + (_Z,) * 3, (_S,) * 2 + (_Z,) * 3, False),
    "3s5z": ((_S,) * 3 + (_Z,) * 5, (_S,) * 3 + (_Z,) * 5, False),
    "3s5z_vs_3s6z": ((_S,) * 3 + (_Z,) * 5, (_S,) * 3 + (_Z,) * 6, False),
    "3s_vs_5z": ((_S,) * 3, (_Z,) * 5, False),
    "6h_vs_8z": ((_H,) * 6, (_Z,) * 8, False),
    "smacv2_5_units": ((_M,) * 5, (_M,) * 5, True),
    "smacv2_10_units": ((_M,) * 10, (_M,) * 10, True),
    "smacv2_20_units": ((_M,) * 20, (_M,) * 20, True),
}


@dataclass(frozen=True)
class SMAXTask(Task):
    """One SMAX match-up: the unit type of every ally and enemy and how start positions are drawn.

    Unit type ids: 0 marine, 1 marauder, 2 stalker, 3 zealot, 4 zergling, 5 hydralisk. The team sizes
    must equal the env's (they fix the spaces); the positions are drawn anew every episode.
    """

    ally_types: tuple[int, ...] = task_field(low=0, high=NUM_UNIT_TYPES - 1, doc="unit type of each ally")
    enemy_types: tuple[int, ...] = task_field(low=0, high=NUM_UNIT_TYPES - 1, doc="unit type of each enemy")
    start_positions: str = task_field(
        choices=POSITION_MODES,
        doc="'smax': teams at (W/4, H/2) and (3W/4, H/2) + U(-2,2)^2; 'surround_and_reflect': SMACv2's 50/50 mix",
    )

    def to_array(self) -> np.ndarray:
        """``[ally types..., enemy types..., position mode]`` as float64 (what the kernels read)."""
        mode = float(POSITION_MODES.index(self.start_positions))
        return np.asarray([*self.ally_types, *self.enemy_types, mode], dtype=np.float64)


def scenario_task(name: str) -> SMAXTask:
    """The task of a fixed scenario (for SMACv2 scenarios: all marines, SMACv2 positions)."""
    if name not in SCENARIOS:
        raise ValueError(f"unknown SMAX scenario {name!r}; valid: {sorted(SCENARIOS)}")
    allies, enemies, smacv2 = SCENARIOS[name]
    return SMAXTask(ally_types=allies, enemy_types=enemies,
                    start_positions="surround_and_reflect" if smacv2 else "smax")


class SMAXDistribution(TaskDistribution):
    """The tasks of one SMAX scenario.

    - Fixed maps (3m ... 6h_vs_8z): one task, the map itself; the splits ``train`` and ``test`` both hold
      it (1 task each).
    - ``smacv2_{5,10,20}_units``: ally types uniform over all 6 types (as JaxMARL, not SMACv2's
      race-weighted teams), enemies mirror the ally types, positions ``surround_and_reflect``. Splits
      ``train`` (100) and ``test`` (20) of type compositions; ``sample`` draws a fresh composition.
    """

    task_type = SMAXTask

    def __init__(self, scenario: str = "3m"):
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown SMAX scenario {scenario!r}; valid: {sorted(SCENARIOS)}")
        self.scenario = scenario
        self.family = f"smax_{scenario}"
        allies, enemies, self.random_types = SCENARIOS[scenario]
        self.num_allies, self.num_enemies = len(allies), len(enemies)
        self.split_sizes = {"train": 100, "test": 20} if self.random_types else {"train": 1, "test": 1}

    def sample(self, rng: np.random.Generator) -> SMAXTask:
        if not self.random_types:
            return scenario_task(self.scenario)
        allies = tuple(int(t) for t in rng.integers(0, NUM_UNIT_TYPES, size=self.num_allies))
        return SMAXTask(ally_types=allies, enemy_types=allies, start_positions="surround_and_reflect")

    def __repr__(self) -> str:
        return f"SMAXDistribution({self.scenario!r})"
