"""Tasks, fixed task sets and task distributions: the contract every single-agent family follows.

A family declares its task as a frozen dataclass::

    @dataclass(frozen=True)
    class CheetahVelTask(Task):
        velocity: float = task_field(low=0.0, high=3.0, doc="target forward velocity (m/s)")

Fields are validated and normalised on construction (floats to ``float``, sequences to tuples), so two
equal tasks compare, hash and serialise equally. Supported field types: ``float``, ``int``, ``str`` and
``tuple[float, ...]`` / ``tuple[int, ...]`` (give ``size`` for a fixed length).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import typing
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any, ClassVar

import numpy as np


def task_field(
    *,
    low: float | None = None,
    high: float | None = None,
    size: int | None = None,
    choices: Sequence[Any] | None = None,
    doc: str = "",
    default: Any = dataclasses.MISSING,
) -> Any:
    """Declare a task field with its valid range (inclusive), tuple size, allowed values and meaning."""
    metadata = {"low": low, "high": high, "size": size, "choices": choices, "doc": doc}
    return dataclasses.field(default=default, metadata=metadata)


@dataclasses.dataclass(frozen=True)
class FieldSpec:
    """What a task field accepts; ``kind`` is ``"float"``, ``"int"`` or ``"str"``."""

    name: str
    kind: str
    is_tuple: bool
    size: int | None
    low: float | None
    high: float | None
    choices: tuple[Any, ...] | None
    doc: str

    def describe(self) -> str:
        """One line such as ``goal: 2 floats in [-1, 1] - goal position``."""
        kind = self.kind + "s" if self.is_tuple else self.kind
        text = f"{self.size or 'n'} {kind}" if self.is_tuple else kind
        if self.choices is not None:
            text += f" in {{{', '.join(map(repr, self.choices))}}}"
        elif self.low is not None or self.high is not None:
            lo = "-inf" if self.low is None else f"{self.low:g}"
            hi = "inf" if self.high is None else f"{self.high:g}"
            text += f" in [{lo}, {hi}]"
        return f"{self.name}: {text}" + (f" - {self.doc}" if self.doc else "")


def _field_kind(annotation: Any) -> tuple[str, bool]:
    origin = typing.get_origin(annotation)
    if origin is tuple:
        inner = typing.get_args(annotation)[0]
        return _field_kind(inner)[0], True
    names = {float: "float", int: "int", str: "str"}
    if annotation not in names:
        raise TypeError(f"unsupported task field type {annotation!r}; use float, int, str or tuple[...]")
    return names[annotation], False


@dataclasses.dataclass(frozen=True)
class Task:
    """Base class of every family's task: a frozen dataclass of plain numbers, strings and tuples."""

    def __post_init__(self) -> None:
        for spec in self.field_specs():
            object.__setattr__(self, spec.name, self._coerce(spec, getattr(self, spec.name)))

    @classmethod
    def field_specs(cls) -> tuple[FieldSpec, ...]:
        """The fields of this task type with their valid ranges."""
        cached = cls.__dict__.get("_field_specs_cache")
        if cached is None:
            hints = typing.get_type_hints(cls)
            specs = []
            for f in dataclasses.fields(cls):
                kind, is_tuple = _field_kind(hints[f.name])
                meta = f.metadata
                choices = meta.get("choices")
                specs.append(
                    FieldSpec(
                        name=f.name,
                        kind=kind,
                        is_tuple=is_tuple,
                        size=meta.get("size"),
                        low=meta.get("low"),
                        high=meta.get("high"),
                        choices=None if choices is None else tuple(choices),
                        doc=meta.get("doc", ""),
                    )
                )
            cached = tuple(specs)
            type.__setattr__(cls, "_field_specs_cache", cached)
        return cached

    @classmethod
    def describe_fields(cls) -> str:
        """The valid fields, one per line, as used in error messages and ``rlenvs info``."""
        return "\n".join("  " + spec.describe() for spec in cls.field_specs())

    @classmethod
    def _error(cls, message: str) -> ValueError:
        return ValueError(f"{cls.__name__}: {message}. Valid fields:\n{cls.describe_fields()}")

    @classmethod
    def _coerce_scalar(cls, spec: FieldSpec, value: Any) -> Any:
        if spec.kind == "str":
            if not isinstance(value, str):
                raise cls._error(f"field {spec.name!r} must be a string, got {value!r}")
            out: Any = value
        elif isinstance(value, (bool, np.bool_)):
            raise cls._error(f"field {spec.name!r} must be a number, got the bool {value!r}")
        elif spec.kind == "int":
            if not isinstance(value, (int, np.integer)):
                raise cls._error(f"field {spec.name!r} must be an int, got {value!r}")
            out = int(value)
        else:
            if not isinstance(value, (int, float, np.integer, np.floating)):
                raise cls._error(f"field {spec.name!r} must be a number, got {value!r}")
            out = float(value)
            if not math.isfinite(out):
                raise cls._error(f"field {spec.name!r} must be finite, got {value!r}")
        if spec.choices is not None and out not in spec.choices:
            raise cls._error(f"field {spec.name!r} must be one of {spec.choices}, got {value!r}")
        if (spec.low is not None and out < spec.low) or (spec.high is not None and out > spec.high):
            raise cls._error(f"field {spec.name!r} = {value!r} is outside [{spec.low}, {spec.high}]")
        return out

    @classmethod
    def _coerce(cls, spec: FieldSpec, value: Any) -> Any:
        if not spec.is_tuple:
            return cls._coerce_scalar(spec, value)
        if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
            raise cls._error(f"field {spec.name!r} must be a sequence, got {value!r}")
        if spec.size is not None and len(value) != spec.size:
            raise cls._error(f"field {spec.name!r} must have {spec.size} entries, got {len(value)}")
        return tuple(cls._coerce_scalar(spec, v) for v in value)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (tuples become lists)."""
        return {
            spec.name: list(value) if spec.is_tuple else value
            for spec in self.field_specs()
            for value in (getattr(self, spec.name),)
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Task:
        """Inverse of :meth:`to_dict`; unknown or missing fields raise ``ValueError``."""
        if not isinstance(data, Mapping):
            raise cls._error(f"expected a dict of fields, got {type(data).__name__}")
        names = [spec.name for spec in cls.field_specs()]
        unknown = sorted(set(data) - set(names))
        if unknown:
            raise cls._error(f"unknown field(s) {unknown}")
        missing = [n for n in names if n not in data]
        if missing:
            raise cls._error(f"missing field(s) {missing}")
        return cls(**data)

    @classmethod
    def coerce(cls, task: Task | Mapping[str, Any]) -> Task:
        """Accept a task of this type or its dict; anything else raises a clear error."""
        if isinstance(task, cls):
            return task
        if isinstance(task, Mapping):
            return cls.from_dict(task)
        raise TypeError(f"expected a {cls.__name__} or a dict of its fields, got {type(task).__name__}: {task!r}")

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, no spaces, shortest round-trip floats."""
        return canonical_json(self.to_dict())

    def to_array(self) -> np.ndarray:
        """The numeric fields flattened in declaration order, as float64 (what kernels read)."""
        values: list[float] = []
        for spec in self.field_specs():
            value = getattr(self, spec.name)
            values.extend(value if spec.is_tuple else (value,))
        return np.asarray(values, dtype=np.float64)

    @classmethod
    def array_slices(cls) -> dict[str, slice]:
        """Where each field sits in :meth:`to_array`; tuple fields need a ``size``."""
        out: dict[str, slice] = {}
        pos = 0
        for spec in cls.field_specs():
            if spec.kind == "str" or (spec.is_tuple and spec.size is None):
                raise TypeError(f"{cls.__name__}.{spec.name} has no fixed-size array form")
            width = spec.size if spec.is_tuple else 1
            out[spec.name] = slice(pos, pos + width)
            pos += width
        return out

    @classmethod
    def from_array(cls, row: np.ndarray) -> Task:
        """Inverse of :meth:`to_array`."""
        kwargs: dict[str, Any] = {}
        for spec, (name, where) in zip(cls.field_specs(), cls.array_slices().items(), strict=True):
            cast = int if spec.kind == "int" else float
            values = [cast(v) for v in row[where]]
            kwargs[name] = tuple(values) if spec.is_tuple else values[0]
        return cls(**kwargs)


def canonical_json(data: Any) -> str:
    """The one JSON text of ``data`` that hashes are taken over."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False)


@dataclasses.dataclass(frozen=True)
class TaskSet(Sequence):
    """A named, fixed tuple of tasks with the sha256 of their canonical JSON."""

    name: str
    tasks: tuple[Task, ...]

    def __len__(self) -> int:
        return len(self.tasks)

    def __getitem__(self, index):  # type: ignore[override]
        return self.tasks[index]

    def __iter__(self):
        return iter(self.tasks)

    @cached_property
    def sha256(self) -> str:
        """Hex sha256 of the JSON list of the tasks' dicts; stable across versions of rlenvs."""
        text = canonical_json([task.to_dict() for task in self.tasks])
        return hashlib.sha256(text.encode()).hexdigest()

    def to_array(self) -> np.ndarray:
        """``(len, P)`` float64 array of :meth:`Task.to_array` rows, for kernels."""
        return np.stack([task.to_array() for task in self.tasks])


def stable_id(name: str) -> int:
    """A 64-bit integer id of a name that never changes (first 8 bytes of its sha256)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")


def split_rng(family: str, split: str, index: int) -> np.random.Generator:
    """The generator of member ``index`` of a split: ``SeedSequence([family_id, split_id, index])``."""
    return np.random.default_rng(np.random.SeedSequence([stable_id(family), stable_id(split), index]))


class TaskDistribution(ABC):
    """A family's task space: sample tasks from an explicit ``Generator`` and name fixed splits.

    Subclasses set ``family`` (a stable name that seeds the splits; change it only with the env version),
    ``task_type`` and ``split_sizes``, and implement :meth:`sample`. The default split member ``i`` of
    split ``s`` is ``sample(split_rng(family, s, i))``; override :meth:`_split_tasks` to reproduce a
    split that a paper publishes.
    """

    family: ClassVar[str]
    task_type: ClassVar[type[Task]]
    split_sizes: ClassVar[Mapping[str, int]]

    @abstractmethod
    def sample(self, rng: np.random.Generator) -> Task:
        """Draw one task with ``rng``."""

    def sample_many(self, rng: np.random.Generator, n: int) -> list[Task]:
        """Draw ``n`` tasks with ``rng``."""
        return [self.sample(rng) for _ in range(n)]

    @property
    def split_names(self) -> tuple[str, ...]:
        """The names of the fixed splits, e.g. ``("train", "test")``."""
        return tuple(self.split_sizes)

    def split(self, name: str) -> TaskSet:
        """The fixed split ``name`` as a :class:`TaskSet`."""
        if not isinstance(name, str) or name not in self.split_sizes:
            raise ValueError(f"unknown split {name!r} of {self.family}; valid splits: {list(self.split_sizes)}")
        cache = self.__dict__.setdefault("_split_cache", {})
        if name not in cache:
            tasks = tuple(self._split_tasks(name))
            if len(tasks) != self.split_sizes[name]:
                raise AssertionError(f"split {name!r} has {len(tasks)} tasks, expected {self.split_sizes[name]}")
            cache[name] = TaskSet(name, tasks)
        return cache[name]

    def _split_tasks(self, name: str) -> Sequence[Task]:
        return [self.sample(split_rng(self.family, name, i)) for i in range(self.split_sizes[name])]

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={v}" for k, v in self.split_sizes.items())
        return f"{type(self).__name__}({sizes})"
