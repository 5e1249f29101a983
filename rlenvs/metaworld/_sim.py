"""The simulation side of the Meta-World envs: the real ``metaworld`` env classes, built cheaply and kept.

- Each class's XML is compiled once per process (``MjModel.from_xml_path`` is the 0.2-0.4 s part of
  building a metaworld env); every further env of that class gets a copy of the compiled ``MjModel``
  (``mj_copyModel``, ~0.03 s). Copies, not shared models: many classes write ``model.body_pos`` at reset.
- Built envs live in a per-process pool keyed by class: a :class:`Slot` (one simulated env) takes an env of
  its task's class from the pool at a class switch and gives the previous one back. A reset fully re-creates
  an env's episode state from the task (``mj_resetData`` + ``reset_model``; tests/metaworld checks that a
  used env and a fresh one then step identically for all 50 classes), so pooled envs are interchangeable.
  Memory stays bounded (an env holds ~20 MB, mostly MjData's arena): live envs = slots, plus at most
  ``MAX_IDLE`` idle ones; a 20-env ML45 vector env never holds 20 x 50 envs.
- Stepping is metaworld's own ``env.step`` (physics, reward, ``info``); nothing of it is re-implemented.
"""

from __future__ import annotations

import contextlib
import copy
import threading

import mujoco
import numpy as np

from rlenvs.metaworld.tasks import MetaWorldTask

_MODELS: dict[str, mujoco.MjModel] = {}
_LOCK = threading.Lock()
MAX_REJECTIONS = 1000


@contextlib.contextmanager
def _cached_models():
    original = mujoco.MjModel.from_xml_path

    def from_xml_path(path, *args, **kwargs):
        if args or kwargs:
            return original(path, *args, **kwargs)
        if path not in _MODELS:
            _MODELS[path] = original(path)
        return copy.copy(_MODELS[path])

    mujoco.MjModel.from_xml_path = from_xml_path
    try:
        yield
    finally:
        mujoco.MjModel.from_xml_path = original


def build_env(env_name: str, render_mode: str | None = None, reward_function_version: str = "v2"):
    """A metaworld env of class ``env_name`` (its XML compiled at most once per process)."""
    from metaworld.env_dict import ALL_V3_ENVIRONMENTS, ML1_ARGS_KWARGS

    with _LOCK, _cached_models():
        env = ALL_V3_ENVIRONMENTS[env_name](render_mode=render_mode, reward_function_version=reward_function_version)
    kwargs = dict(ML1_ARGS_KWARGS[env_name]["kwargs"])
    del kwargs["task_id"]
    env._set_task_inner(**kwargs)
    env._set_task_called = True
    env.touching_object = _TouchingObject(env)
    env._rlenvs_key = (env_name, render_mode, reward_function_version)
    return env


class _TouchingObject:
    """``SawyerXYZEnv.touching_object`` without the Python loop over ``data.contact``: the same contacts are
    selected with array masks and their ``efc_force`` summed in the same order (so the result is identical,
    see tests/metaworld). The original builds a Python object per contact and was ~25% of a grasping
    task's step. Installed per env instance; the package's class is left alone."""

    def __init__(self, env):
        self.env = env
        self.left = env.data.geom("leftpad_geom").id
        self.right = env.data.geom("rightpad_geom").id

    def __call__(self, object_geom_id: int) -> bool:
        data = self.env.data
        contact = data.contact
        g1, g2, addr = contact.geom1, contact.geom2, contact.efc_address
        with_obj = (g1 == object_geom_id) | (g2 == object_geom_id)
        left = addr[with_obj & ((g1 == self.left) | (g2 == self.left))]
        right = addr[with_obj & ((g1 == self.right) | (g2 == self.right))]
        efc = data.efc_force
        return 0 < sum(efc[a] for a in left) and 0 < sum(efc[a] for a in right)


class _GuardedRandVec:
    """Stands in for ``_get_state_rand_vec`` while a frozen ``rand_vec`` is checked: a frozen vector that
    fails a class's rejection rule would make ``reset_model`` loop forever."""

    def __init__(self, env):
        self.env, self.calls = env, 0

    def __call__(self):
        self.calls += 1
        if self.calls > MAX_REJECTIONS:
            raise ValueError("rejected")
        return self.env._last_rand_vec


_POOL: dict[tuple, list] = {}  # (env_name, render_mode, reward_function_version) -> idle envs
_IDLE_ORDER: list[tuple] = []  # keys of released envs, oldest first (for eviction)
MAX_IDLE = 24
BUILT: list[str] = []  # names of every env built in this process (for tests of laziness)


def acquire(env_name: str, render_mode: str | None = None, reward_function_version: str = "v2"):
    """An env of ``env_name`` from the pool, or a new one."""
    key = (env_name, render_mode, reward_function_version)
    with _LOCK:
        idle = _POOL.get(key)
        if idle:
            _IDLE_ORDER.remove(key)
            return idle.pop()
    BUILT.append(env_name)
    return build_env(env_name, render_mode, reward_function_version)


def release(env) -> None:
    """Give ``env`` back to the pool (the oldest idle env is closed when more than ``MAX_IDLE`` wait)."""
    key = env._rlenvs_key
    with _LOCK:
        _POOL.setdefault(key, []).append(env)
        _IDLE_ORDER.append(key)
        if len(_IDLE_ORDER) > MAX_IDLE:
            old = _IDLE_ORDER.pop(0)
            _POOL[old].pop(0).close()


@contextlib.contextmanager
def sampler_env(env_name: str):
    """A pooled env of ``env_name`` for drawing or checking tasks."""
    env = acquire(env_name)
    try:
        yield env
    finally:
        env._freeze_rand_vec = True
        env.seeded_rand_vec = False
        release(env)


def sample_rand_vec(env_name: str, rng: np.random.Generator) -> tuple[float, ...]:
    """A ``rand_vec`` of ``env_name`` drawn as its ``reset_model`` draws one, with ``rng`` as the source."""
    with sampler_env(env_name) as env:
        env._freeze_rand_vec = False
        env.seeded_rand_vec = True
        env.np_random = np.random.RandomState(int(rng.integers(0, 2**32)))
        env.reset()
        return tuple(float(v) for v in env._last_rand_vec)


_CHECKED: set[MetaWorldTask] = set()


def check_task(task: MetaWorldTask) -> None:
    """Raise ``ValueError`` if ``reset_model`` of the task's class rejects its ``rand_vec``."""
    if task in _CHECKED:
        return
    with sampler_env(task.env_name) as env:
        env._freeze_rand_vec = True
        env._last_rand_vec = task.class_rand_vec
        env._get_state_rand_vec = _GuardedRandVec(env)
        try:
            env.reset()
        except ValueError:
            raise ValueError(f"{task.env_name}: rand_vec {list(task.rand_vec)} fails the class's reset rule "
                             "(its reset_model would resample it forever), e.g. goal too close to the object"
                             ) from None
        finally:
            del env._get_state_rand_vec
    _CHECKED.add(task)


def target_pos(task: MetaWorldTask) -> np.ndarray:
    """The goal position (``_target_pos``) that the class's reset derives from the task's ``rand_vec``."""
    with sampler_env(task.env_name) as env:
        env._freeze_rand_vec = True
        env._last_rand_vec = task.class_rand_vec
        env.reset()
        return np.array(env._target_pos, dtype=np.float64)


class Slot:
    """One simulated env: the pooled metaworld env of the current task's class.

    ``begin(task)`` takes an env of the task's class (giving back the previous one at a class switch), sets
    the task the way ``metaworld``'s ``set_task`` does (frozen ``rand_vec``, observability) and resets;
    ``step(action)`` is that env's own ``step``.
    """

    def __init__(self, *, goal_observable: bool, episode_length: int, render_mode: str | None = None,
                 reward_function_version: str = "v2"):
        self.goal_observable = goal_observable
        self.episode_length = episode_length
        self.render_mode = render_mode
        self.reward_function_version = reward_function_version
        self.env = None

    def begin(self, task: MetaWorldTask) -> np.ndarray:
        """Reset into ``task``; return the first observation."""
        env = self.env
        if env is None or env._rlenvs_key[0] != task.env_name:
            if env is not None:
                release(env)
            env = self.env = acquire(task.env_name, self.render_mode, self.reward_function_version)
        env.max_path_length = self.episode_length
        if env._partially_observable == self.goal_observable:
            env._partially_observable = not self.goal_observable
            with contextlib.suppress(AttributeError):
                del env.sawyer_observation_space  # a cached_property, recomputed for the new observability
        env._freeze_rand_vec = True
        env._last_rand_vec = task.class_rand_vec
        obs, _ = env.reset()
        return obs

    def step(self, action: np.ndarray):
        """``(obs, reward, info)`` of the current env's ``step``."""
        # float32 as metaworld's own action space: its mocap update computes in the action's dtype
        obs, reward, _, _, info = self.env.step(np.asarray(action, dtype=np.float32))
        return obs, float(reward), info

    def close(self) -> None:
        """Give the env back to the pool."""
        if self.env is not None:
            release(self.env)
            self.env = None

    # metaworld's own pickling rebuilds the env from XML and keeps only qpos/qvel (a resumed episode would
    # diverge); a slot pickles its env's whole __dict__ (MjModel and MjData pickle exactly) instead. Some
    # attributes are live views into MjData (``init_left_pad``/``init_right_pad`` of every class, the
    # ``_target_pos`` of basketball/bin-picking, door-lock/unlock's ``obj_init_pos``): the rewards read them
    # as such, so they are re-attached as views after unpickling.
    def __getstate__(self):
        state = dict(self.__dict__)
        env = self.env
        if env is not None:
            state["env"] = (type(env), {k: v for k, v in env.__dict__.items() if k != "touching_object"},
                            _views(env))
        return state

    def __setstate__(self, state):
        packed = state.pop("env")
        self.__dict__.update(state)
        self.env = None
        if packed is not None:
            cls, env_dict, views = packed
            env = cls.__new__(cls)
            env.__dict__.update(env_dict)
            for attr, (owner, field, offset, shape) in views.items():
                base = getattr(getattr(env, owner), field).reshape(-1)
                setattr(env, attr, base[offset:offset + int(np.prod(shape))].reshape(shape))
            env.touching_object = _TouchingObject(env)
            self.env = env


def _views(env) -> dict[str, tuple[str, str, int, tuple[int, ...]]]:
    """``{attribute: (owner, field, flat offset, shape)}`` for the env's array attributes that view MjData or
    MjModel arrays."""
    fields = []
    for owner in ("data", "model"):
        obj = getattr(env, owner)
        for field in dir(obj):
            if field.startswith("_"):
                continue
            try:
                value = getattr(obj, field)
            except Exception:  # some accessors need arguments or raise for empty models
                continue
            if isinstance(value, np.ndarray) and value.size and value.flags.c_contiguous:
                fields.append((owner, field, value))
    out = {}
    for attr, value in env.__dict__.items():
        if not isinstance(value, np.ndarray) or value.base is None or not value.flags.c_contiguous:
            continue
        for owner, field, arr in fields:
            if np.shares_memory(value, arr):
                offset = (value.__array_interface__["data"][0] - arr.__array_interface__["data"][0]) // arr.itemsize
                out[attr] = (owner, field, int(offset), value.shape)
                break
    return out
