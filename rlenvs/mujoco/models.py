"""MuJoCo models of the locomotion families and the parameter changes tasks make to them.

- ``half_cheetah.xml``, ``ant.xml`` and ``humanoid.xml`` are Gymnasium's v5 models, read from the installed
  ``gymnasium`` package (PEARL's and Meta-DT's copies differ only by two visual sites on the ant).
- ``hopper_rand_params.xml`` and ``walker2d_rand_params.xml`` ship here: ``rand_param_envs``' models
  (dennisl88/rand_param_envs@4d1529d), which MuJoCo >= 2.3.4 refuses to load ("global coordinates no
  longer supported"), rewritten in local coordinates with their timestep of 0.004 s kept. Gymnasium's own
  conversions of the same models use 0.002 s, which would halve the control period.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import mujoco
import numpy as np

ASSETS = Path(__file__).with_name("assets")
GYMNASIUM_ASSETS = ("half_cheetah.xml", "ant.xml", "humanoid.xml")
RLENVS_ASSETS = ("hopper_rand_params.xml", "walker2d_rand_params.xml")


def asset_path(name: str) -> Path:
    """Where the model file ``name`` lives (Gymnasium's assets or ``rlenvs/mujoco/assets``)."""
    if name in GYMNASIUM_ASSETS:
        return Path(str(resources.files("gymnasium") / "envs" / "mujoco" / "assets" / name))
    if name in RLENVS_ASSETS:
        return ASSETS / name
    raise ValueError(f"unknown model {name!r}; known: {GYMNASIUM_ASSETS + RLENVS_ASSETS}")


@cache
def base_model(name: str) -> mujoco.MjModel:
    """The compiled model ``name``, once per process. Shared: never write to it (copy it first)."""
    return mujoco.MjModel.from_xml_path(str(asset_path(name)))


def state_size(model: mujoco.MjModel) -> int:
    """Length of an ``mjSTATE_FULLPHYSICS`` state vector: ``1 + nq + nv`` for these models."""
    return mujoco.mj_stateSize(model, mujoco.mjtState.mjSTATE_FULLPHYSICS)


def scale_params(model: mujoco.MjModel, base: mujoco.MjModel, scales: dict[str, np.ndarray],
                 data: mujoco.MjData) -> None:
    """Set ``model.<field> = base.<field> * scale`` for each field of ``scales``, then ``mj_setConst``.

    ``mj_setConst`` recomputes what MuJoCo derives from masses and inertias when it compiles a model
    (subtree masses, the ``invweight0`` constraint scalings, ``stat.meaninertia`` that scales the solver
    tolerance, ...), so the changed model behaves as if compiled with the new values. ``data`` is any
    ``MjData`` of the model, used as scratch.
    """
    for name, scale in scales.items():
        getattr(model, name)[:] = getattr(base, name) * scale
    mujoco.mj_setConst(model, data)
