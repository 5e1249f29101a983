"""Regenerate ``goals.json``: Meta-World's published ML1 goal sets, rebuilt the way ``metaworld`` builds them.

``metaworld.ML1(name, seed)`` (``metaworld/__init__.py:_make_tasks``) seeds the *global* ``np.random`` with
``seed`` (train) or ``seed + 1`` (test), builds one env of the class, sets ``_freeze_rand_vec = False`` and
resets it 50 times, recording ``_last_rand_vec`` after each reset (the reset-time rejection loops of each
class included). We do the same with a private ``np.random.RandomState(seed)`` handed to the env as its
``np_random`` (with ``seeded_rand_vec = True``), which draws the same numbers as the seeded global state,
without touching global state. ``tests/metaworld`` checks the result against ``metaworld.ML1`` itself.

Run ``python -m rlenvs.metaworld._goals`` to rewrite ``goals.json`` (needs ``metaworld==3.1.1``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ML1_SEED = 0  # rlenvs' ML1 splits: metaworld.ML1(name, seed=0) train (seed 0) / test (seed 1) goals
METADT_REACH_SEED = 3407  # Meta-DT configs/args_reach.py: metaworld.ML1('reach-v2', 3407).train_tasks[:20]
N_GOALS = 50
GOALS_PATH = Path(__file__).with_name("goals.json")


def make_goals(env_name: str, seed: int, n_goals: int = N_GOALS) -> list[list[float]]:
    """The ``rand_vec`` of the ``n_goals`` tasks that ``metaworld`` draws for ``env_name`` under ``seed``."""
    from metaworld.env_dict import ALL_V3_ENVIRONMENTS, ML1_ARGS_KWARGS

    env = ALL_V3_ENVIRONMENTS[env_name]()
    env._freeze_rand_vec = False
    env._set_task_called = True
    kwargs = dict(ML1_ARGS_KWARGS[env_name]["kwargs"])
    del kwargs["task_id"]
    env._set_task_inner(**kwargs)
    env.seeded_rand_vec = True
    env.np_random = np.random.RandomState(seed)
    vecs = []
    for _ in range(n_goals):
        env.reset()
        vecs.append([float(v) for v in np.asarray(env._last_rand_vec, dtype=np.float64)])
    env.close()
    return vecs


def reset_space(env_name: str) -> tuple[list[float], list[float]]:
    """(low, high) of the class's ``_random_reset_space``: the box its ``rand_vec`` is drawn from."""
    from metaworld.env_dict import ALL_V3_ENVIRONMENTS

    env = ALL_V3_ENVIRONMENTS[env_name]()
    space = env._random_reset_space
    out = [float(v) for v in space.low], [float(v) for v in space.high]
    env.close()
    return out


def build() -> dict:
    from metaworld.env_dict import ALL_V3_ENVIRONMENTS

    data: dict = {"metaworld": "3.1.1", "ml1_seed": ML1_SEED, "metadt_reach_seed": METADT_REACH_SEED,
                  "reset_space": {}, "ml1_train": {}, "ml1_test": {}}
    for name in ALL_V3_ENVIRONMENTS:
        print(name, file=sys.stderr, flush=True)
        data["reset_space"][name] = reset_space(name)
        data["ml1_train"][name] = make_goals(name, ML1_SEED)
        data["ml1_test"][name] = make_goals(name, ML1_SEED + 1)
    data["metadt_reach"] = make_goals("reach-v3", METADT_REACH_SEED)[:20]
    return data


if __name__ == "__main__":
    GOALS_PATH.write_text(json.dumps(build(), separators=(",", ":")) + "\n")
    print(f"wrote {GOALS_PATH}", file=sys.stderr)
