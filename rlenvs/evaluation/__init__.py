"""Evaluation protocols, the evaluation runner and leaderboards recomputed from raw scores.

``rlenvs evaluate --policy module:factory --benchmark NAME --method NAME`` scores a policy on
``leaderboards/NAME/benchmark.yaml`` and writes ``leaderboards/NAME/entries/<method>.json``;
``rlenvs leaderboard build`` recomputes ``leaderboards/README.md``; ``rlenvs leaderboard check`` fails
when an entry is invalid or the README is stale.
"""

from rlenvs.evaluation.protocol import Benchmark, ProtocolError, find_benchmarks, load_entries, validate_entry
from rlenvs.evaluation.runner import evaluate, run_trial, write_entry

__all__ = [
    "Benchmark",
    "ProtocolError",
    "evaluate",
    "find_benchmarks",
    "load_entries",
    "run_trial",
    "validate_entry",
    "write_entry",
]
