"""Benchmark protocols (``leaderboards/<name>/benchmark.yaml``) and scored entries (``entries/*.json``).

A protocol fixes the env id, the task split and its sha256, episodes per task, the seeds, the metric and
the reference entries that normalise scores. An entry holds one method's raw per-seed per-task scores and
where they came from; :func:`validate_entry` refuses entries that do not match their protocol.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from rlenvs.evaluation.metrics import METRICS

SCHEMA_PATH = Path(__file__).with_name("entry.schema.json")


class ProtocolError(ValueError):
    """A malformed benchmark.yaml or entry, with what is wrong and what is expected."""


@dataclass(frozen=True)
class Benchmark:
    """One leaderboard's protocol."""

    name: str
    env_id: str
    split: str
    split_sha256: str
    episodes_per_task: int
    seeds: tuple[int, ...]
    metric: str = "return"
    normalization: dict[str, str] = field(default_factory=dict)  # {"min": entry, "max": entry[, "per": "split"]}
    env_kwargs: dict[str, Any] = field(default_factory=dict)
    budget: str = ""
    description: str = ""
    directory: Path | None = None

    @classmethod
    def load(cls, path: str | Path) -> Benchmark:
        """Read and check ``benchmark.yaml`` (a file or its folder)."""
        path = Path(path)
        if path.is_dir():
            path = path / "benchmark.yaml"
        if not path.is_file():
            raise ProtocolError(f"no benchmark protocol at {path}")
        data = yaml.safe_load(path.read_text())
        required = {"env_id", "split", "split_sha256", "episodes_per_task", "seeds"}
        allowed = required | {"metric", "normalization", "env_kwargs", "budget", "description"}
        if not isinstance(data, dict) or required - set(data) or set(data) - allowed:
            raise ProtocolError(f"{path}: needs the keys {sorted(required)} (optional: {sorted(allowed - required)}), "
                                f"got {sorted(data) if isinstance(data, dict) else type(data).__name__}")
        bench = cls(name=path.parent.name, seeds=tuple(data.pop("seeds")), directory=path.parent, **data)
        if bench.metric not in METRICS:
            raise ProtocolError(f"{path}: unknown metric {bench.metric!r}; known: {list(METRICS)}")
        norm = bench.normalization
        if norm and not ({"min", "max"} <= set(norm) <= {"min", "max", "per"}
                         and norm.get("per", "task") in ("task", "split")):
            raise ProtocolError(f"{path}: normalization takes 'min' and 'max' entry names and optionally "
                                f"'per: task' (default) or 'per: split', got {norm}")
        if not METRICS[bench.metric].higher_is_better and not bench.normalization:
            raise ProtocolError(f"{path}: metric {bench.metric!r} is lower-is-better, so the protocol needs a "
                                "normalization (min and max reference entries) to put 1 at the better end")
        return bench

    @property
    def entries_dir(self) -> Path:
        assert self.directory is not None
        return self.directory / "entries"

    def make_task_env(self):
        """The single env of the protocol (a PettingZoo ``ParallelEnv`` for multi-agent ids)."""
        from rlenvs.registration import get_entry, make, make_parallel

        maker = make_parallel if get_entry(self.env_id).api == "pettingzoo" else make
        return maker(self.env_id, **self.env_kwargs)

    def tasks(self):
        """The protocol's task split, checked against its sha256."""
        env = self.make_task_env()
        split = env.unwrapped.task_distribution.split(self.split)
        env.close()
        if split.sha256 != self.split_sha256:
            raise ProtocolError(f"{self.name}: split {self.split!r} of {self.env_id} hashes to {split.sha256}, "
                                f"the protocol says {self.split_sha256}; the env changed under the benchmark")
        return split


@cache
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


def validate_entry(entry: Any, benchmark: Benchmark) -> None:
    """Raise :class:`ProtocolError` unless ``entry`` follows the schema and ``benchmark``'s protocol."""
    try:
        jsonschema.validate(entry, _schema())
    except jsonschema.ValidationError as err:
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        raise ProtocolError(f"entry {entry.get('method', '?') if isinstance(entry, dict) else '?'}: "
                            f"{where}: {err.message}") from None
    method = entry["method"]
    if entry["benchmark"] != benchmark.name:
        raise ProtocolError(f"entry {method}: is for benchmark {entry['benchmark']!r}, not {benchmark.name!r}")
    if entry["split_sha256"] != benchmark.split_sha256:
        raise ProtocolError(f"entry {method}: task-set hash {entry['split_sha256']} differs from the protocol's "
                            f"{benchmark.split_sha256}; it was scored on other tasks")
    if list(entry["seeds"]) != list(benchmark.seeds):
        raise ProtocolError(f"entry {method}: seeds {entry['seeds']} differ from the protocol's "
                            f"{list(benchmark.seeds)}")
    if entry["episodes_per_task"] != benchmark.episodes_per_task:
        raise ProtocolError(f"entry {method}: {entry['episodes_per_task']} episodes per task, the protocol says "
                            f"{benchmark.episodes_per_task}")
    num_tasks = len(benchmark.tasks())
    for seed, row in zip(entry["seeds"], entry["scores"], strict=True):
        if len(row) != num_tasks:
            raise ProtocolError(f"entry {method}: seed {seed} has {len(row)} task scores, the split has {num_tasks}")
    if len(entry["scores"]) != len(entry["seeds"]):
        raise ProtocolError(f"entry {method}: {len(entry['scores'])} score rows for {len(entry['seeds'])} seeds")


def load_entries(benchmark: Benchmark) -> dict[str, dict[str, Any]]:
    """Every entry of ``benchmark``, validated, keyed by method (file order: sorted names)."""
    entries = {}
    for path in sorted(benchmark.entries_dir.glob("*.json")):
        try:
            entry = json.loads(path.read_text())
        except json.JSONDecodeError as err:
            raise ProtocolError(f"{path}: not valid JSON ({err})") from None
        validate_entry(entry, benchmark)
        if path.stem != entry["method"]:
            raise ProtocolError(f"{path}: file name must be the method name {entry['method']!r}.json")
        entries[entry["method"]] = entry
    return entries


def find_benchmarks(root: str | Path = "leaderboards") -> list[Benchmark]:
    """Every ``<root>/<name>/benchmark.yaml``, sorted by name."""
    return [Benchmark.load(p) for p in sorted(Path(root).glob("*/benchmark.yaml"))]
