"""Preference worlds: data-generation and metric speed (the targets of issue 10), beside the every-id env-step
figures of ``test_throughput.py``.

- building PrefStrength's 20,000-pair ``train`` set from scratch (target < 1 s);
- all text metrics (distinct, EAD, semantic, logical; per input and across inputs) over 200 inputs x 16
  samples, fact parsing included (target < 1 s);
- SynthSumm / SeqInstruct: generating 8192 documents, scoring 3200 outputs with the gold reward, and building a
  whole data set (documents, references, annotated pairs) of the 8192-document ``train`` split.

Each figure is the median block time; the rate is items per second (pairs, outputs, documents).
"""

import time

import numpy as np
import pytest

from rlenvs.evaluation.text import diversity_report
from rlenvs.preference.seqinstruct import SEQINSTRUCT
from rlenvs.preference.strength import PairSetSizes, PrefTask, pair_set
from rlenvs.preference.synthsumm import SYNTHSUMM
from rlenvs.preference.textworld import text_dataset


def _median_seconds(benchmark) -> float:
    return benchmark.stats.stats.median if benchmark.stats is not None else float("nan")


def test_prefstrength_train_set_build_time(benchmark, record_throughput, rounds):
    tasks = iter(PrefTask(beta_ann=3.0 + 1e-3 * i) for i in range(1000))  # a new task per round: no cache
    build = pair_set.__wrapped__
    benchmark.group = "preference-data"
    benchmark.pedantic(lambda: build(next(tasks), "train", PairSetSizes()), rounds=rounds, warmup_rounds=1)
    record_throughput(20_000, env_id="rlenvs/PrefStrength-v0", form="pairs/s (train set)", compare="pref-data")
    print(f"\nPrefStrength 20k-pair train set: {_median_seconds(benchmark):.3f} s (target < 1 s)")


@pytest.fixture(scope="module")
def summaries():
    docs = SYNTHSUMM.documents(SYNTHSUMM.task_distribution.split("test")[:200])
    many = docs.take(np.repeat(np.arange(200), 16))
    outputs = SYNTHSUMM.sample_demonstrations(many, np.random.default_rng(0), noise=0.5)
    return many, outputs


def test_text_metrics_time(benchmark, record_throughput, rounds, summaries):
    _, outputs = summaries
    samples = outputs.reshape(200, 16, -1)

    def all_metrics():
        return diversity_report(SYNTHSUMM.content(samples), SYNTHSUMM.vocab_size, SYNTHSUMM.token_embeddings,
                                SYNTHSUMM.fact_values(samples))

    benchmark.group = "preference-metrics"
    report = benchmark.pedantic(all_metrics, rounds=rounds, warmup_rounds=1)
    assert len(report) == 12
    record_throughput(200 * 16, env_id="rlenvs/SynthSumm-v0", form="outputs/s (all metrics)", compare="pref-metrics")
    print(f"\nall text metrics, 200 inputs x 16 samples: {_median_seconds(benchmark):.3f} s (target < 1 s)")


@pytest.mark.parametrize("world", [SYNTHSUMM, SEQINSTRUCT], ids=["SynthSumm", "SeqInstruct"])
def test_text_world_generation_and_gold(benchmark, record_throughput, rounds, world):
    tasks = world.task_distribution.split("train")
    docs = world.documents(tasks[:3200])
    outputs = world.sample_demonstrations(docs, np.random.default_rng(1), noise=0.5)
    benchmark.group = f"{world.name}-gold"
    benchmark.pedantic(world.gold_reward, args=(docs, outputs), rounds=rounds, warmup_rounds=1)
    record_throughput(3200, env_id=world.name, form="gold rewards/s", compare=f"{world.name}-data")
    gold_s = _median_seconds(benchmark)
    start = time.perf_counter()
    world.documents(tasks)
    generate_s = time.perf_counter() - start
    start = time.perf_counter()
    text_dataset.__wrapped__(world, "train", 10.0, 0.0, 0.0)
    dataset_s = time.perf_counter() - start
    print(f"\n{world.name}: gold reward of 3200 outputs {gold_s:.3f} s; 8192 documents {generate_s:.3f} s; "
          f"train data set (8192 documents, references, pairs) {dataset_s:.3f} s")
