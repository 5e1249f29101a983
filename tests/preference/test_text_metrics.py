"""rlenvs.evaluation.text: the diversity metrics of Kirk et al.'s code and the gold-judged win rate."""

import math

import numpy as np
import pytest

from rlenvs.evaluation import text as T
from rlenvs.preference.synthsumm import SYNTHSUMM

V = 96


def pad(groups, width=None):
    """Ragged token lists -> a (G, K, L) array padded with -1."""
    width = width or max(len(s) for g in groups for s in g)
    out = np.full((len(groups), len(groups[0]), width), -1, dtype=np.int64)
    for i, g in enumerate(groups):
        for k, s in enumerate(g):
            out[i, k, :len(s)] = s
    return out


# the repo's own example (diversity_metrics.py): ["i am going", "i am going", "lets go i i"]
WORD_I, AM, GOING, LETS, GO = range(5)
REPO_EXAMPLE = pad([[[WORD_I, AM, GOING], [WORD_I, AM, GOING], [LETS, GO, WORD_I, WORD_I]]])


def test_distinct_n_of_the_repo_example():
    assert T.distinct_n(REPO_EXAMPLE, 3)[0] == pytest.approx(3 / 4)  # the repo prints 0.750
    per_order = [5 / 10, 5 / 7, 3 / 4, 1 / 1, 0.0]  # no 5-gram: 0, averaged in like the repo
    assert T.distinct(REPO_EXAMPLE)[0] == pytest.approx(np.mean(per_order))


def test_ead_is_liu_et_al_formula():
    for n, (unique, total) in enumerate([(5, 10), (5, 7), (3, 4), (1, 1)], start=1):
        repo = unique / (50257 * (1 - ((50257 - 1) / 50257) ** total))
        assert T.ead_n(REPO_EXAMPLE, n, 50257, space="tokens")[0] == pytest.approx(repo, rel=1e-9)
        v = V**n
        ours = unique / (v * (1 - ((v - 1) / v) ** total))
        assert T.ead_n(REPO_EXAMPLE, n, V)[0] == pytest.approx(ours, rel=1e-6)
    assert T.ead_n(REPO_EXAMPLE, 5, V)[0] == 0.0  # no n-gram: 0 (the repo's ZeroDivisionError branch)


def test_ead_of_constant_output_is_minimal_and_of_uniform_tokens_about_one():
    rng = np.random.default_rng(0)
    uniform = rng.integers(0, V, size=(200, 16, 15))
    for n in range(1, 6):
        np.testing.assert_allclose(T.ead_n(uniform, n, V).mean(), 1.0, atol=0.02)
    constant = np.full((200, 16, 15), 7)
    assert T.ead(constant, V).max() < 0.01
    # the minimum over outputs of this size: one distinct n-gram per order
    minimum = np.mean([1 / (V**n * -math.expm1(16 * (15 - n + 1) * math.log1p(-1 / V**n))) for n in range(1, 6)])
    assert T.ead(constant, V)[0] == pytest.approx(minimum)
    some = rng.integers(0, 4, size=(200, 16, 15))
    assert T.ead(constant, V).max() < T.ead(some, V).min()
    assert T.distinct(constant).max() < T.distinct(uniform).min()


def test_semantic_diversity():
    e = np.zeros((V, 2))
    e[1], e[2], e[3] = (1, 0), (1, 0), (0, 1)  # tokens 1 and 2 are synonyms; 0 is a connector
    same = pad([[[1, 0], [2], [1, 0, 2]]])
    np.testing.assert_allclose(T.semantic_diversity(same, e), 0.0, atol=1e-12)  # synonyms are not semantic
    canonical = pad([[[1, 0], [1], [1, 0, 1]]])
    assert T.distinct_n(same, 1)[0] == 0.5 > T.distinct_n(canonical, 1)[0]  # ... but lexical diversity
    orthogonal = pad([[[1], [3]]])
    np.testing.assert_allclose(T.semantic_diversity(orthogonal, e), 1.0)
    half = pad([[[1], [1, 3]]])  # cos 45 degrees
    np.testing.assert_allclose(T.semantic_diversity(half, e), 1 - math.sqrt(0.5))
    nothing = pad([[[0], [1]]])  # no embedded token: cosine 0
    np.testing.assert_allclose(T.semantic_diversity(nothing, e), 1.0)
    with pytest.raises(ValueError, match="embeddings must be"):
        T.semantic_diversity(pad([[[120]]]), e)


def test_logical_diversity_uses_the_repo_sign_convention():
    def facts(*sets):  # each output: {key: value} over 4 keys
        out = np.full((1, len(sets), 4), -1)
        for k, s in enumerate(sets):
            for key, value in s.items():
                out[0, k, key] = value
        return out

    # contradiction both ways: similarity +2, diversity 1 - 2 = -1
    assert T.logical_diversity(facts({0: 1}, {0: 2}))[0] == -1.0
    # equal fact sets entail both ways: -2, diversity 3
    assert T.logical_diversity(facts({0: 1, 1: 0}, {1: 0, 0: 1}))[0] == 3.0
    # a strict subset is entailed one way: -1, diversity 2
    assert T.logical_diversity(facts({0: 1, 1: 0}, {0: 1}))[0] == 2.0
    # disjoint facts, or no facts: neutral, diversity 1
    assert T.logical_diversity(facts({0: 1}, {1: 0}))[0] == 1.0
    assert T.logical_diversity(facts({}, {}))[0] == 1.0
    # contradiction wins over shared facts; three outputs average the three pairs
    three = facts({0: 1, 1: 0}, {0: 1, 1: 3}, {0: 1})
    pair_sims = [2.0, -1.0, -1.0]  # (0,1) contradict; (0,2) and (1,2) entail one way
    assert T.logical_diversity(three)[0] == pytest.approx(1 - np.mean(pair_sims))


def test_per_input_and_across_input():
    rng = np.random.default_rng(1)
    outputs = rng.integers(0, V, size=(30, 8, 10))
    outputs[:, :, 0] = np.arange(30)[:, None] % 3  # the first samples differ only across inputs
    report = T.diversity_report(outputs, V)
    per = T.ead(outputs, V)
    assert report["per_input_ead"] == pytest.approx(per.mean())
    assert report["std_per_input_ead"] == pytest.approx(per.std())
    assert report["across_input_ead"] == pytest.approx(T.ead(outputs[None, :, 0], V)[0])
    collapsed = np.repeat(outputs[:, :1], 8, axis=1)  # mode collapse within inputs
    low = T.diversity_report(collapsed, V)
    assert low["per_input_distinct"] < 0.2 < report["per_input_distinct"]
    assert low["across_input_distinct"] == pytest.approx(report["across_input_distinct"])


def test_report_on_world_outputs():
    docs = SYNTHSUMM.documents(SYNTHSUMM.task_distribution.split("test")[:40])
    rng = np.random.default_rng(2)
    many = docs.take(np.repeat(np.arange(40), 16))
    samples = SYNTHSUMM.sample_demonstrations(many, rng).reshape(40, 16, -1)
    report = T.diversity_report(SYNTHSUMM.content(samples), SYNTHSUMM.vocab_size, SYNTHSUMM.token_embeddings,
                                SYNTHSUMM.fact_values(samples))
    assert set(report) == {f"{kind}_{m}" for kind in ("per_input", "std_per_input", "across_input")
                           for m in ("distinct", "ead", "semantic", "logical")}
    oracle = np.repeat(SYNTHSUMM.oracle(docs)[:, None], 16, axis=1)  # one output per input, 16 times
    collapsed = T.diversity_report(SYNTHSUMM.content(oracle), SYNTHSUMM.vocab_size, SYNTHSUMM.token_embeddings,
                                   SYNTHSUMM.fact_values(oracle))
    assert collapsed["per_input_ead"] < report["per_input_ead"]
    assert abs(collapsed["per_input_semantic"]) < 1e-12 < report["per_input_semantic"]
    assert collapsed["per_input_logical"] == 3.0  # identical fact sets entail each other


def test_win_rate_counts_ties_as_half():
    w = T.win_rate(np.array([1.0, 0.5, 0.2, 0.2]), np.array([0.5, 0.5, 0.25, 0.21]), tau=0.02)
    assert (w.win, w.tie, w.lose) == (0.25, 0.5, 0.25) and w.rate == 0.5
    assert T.win_rate(np.ones(3), np.zeros(3)).rate == 1.0
    with pytest.raises(ValueError, match="same non-empty shape"):
        T.win_rate(np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="outputs must be an integer array"):
        T.distinct(np.ones((2, 3)))
    with pytest.raises(ValueError, match="space must be"):
        T.ead(REPO_EXAMPLE, V, space="words")
