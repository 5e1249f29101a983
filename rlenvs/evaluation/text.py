"""Generalisation and diversity metrics of Kirk et al. (ICLR 2024) for token outputs of the text worlds.

Outputs are integer arrays ``(G, K, L)``: ``G`` inputs (prompts), ``K`` samples per input, ``L`` tokens; entries
below 0 are padding and must come after the tokens of an output (``TextWorld.content(outputs)`` makes this form
from EOS-terminated outputs). Each diversity function returns one value per input group, ``(G,)``.

The definitions follow the paper's code (``facebookresearch/rlfh-gen-div``, ``rlvsil/diversity/``, adapted
from Tevet & Berant's diversity-eval):

- distinct-n: unique n-grams / all n-grams of the group's outputs (n-grams do not cross outputs; 0 when there
  are none), averaged over n = 1..5 (``AveragedDistinctNgrams``);
- EAD (expectation-adjusted distinct, Liu et al. 2022): ``N / (V (1 - ((V - 1) / V)^C))`` with ``N`` unique and
  ``C`` all n-grams, 0 when ``C = 0``, averaged over n = 1..5 (``AveragedExpectationAdjustedDistinctNgrams``).
  The repo uses ``V = 50257`` (GPT-2's vocabulary) for every order n. Here ``V`` is the env's vocabulary
  size, and by default the space of order-n n-grams is ``V**n`` (``space="ngrams"``): the denominator is
  then the expected number of distinct n-grams among ``C`` uniform random ones, so uniform random tokens
  score about 1 at every order. ``space="tokens"`` uses ``V`` for every order, the repo's formula (with
  ``vocab_size=50257`` it is the repo's metric exactly); with a 96-token vocabulary it exceeds 1 for
  n >= 2 and is not comparable across orders.
- semantic diversity (the Sentence-BERT analog): ``1 - mean`` over the pairs ``i > j`` of the cosine
  similarity of the outputs' mean-pooled token embeddings (``Similarity2DiversityMetric``); tokens with a zero
  embedding (connectors, specials) are left out of the pooling, and an output with none has cosine 0 with all.
  Synonyms share an embedding, so synonym swaps are lexical but not semantic diversity.
- logical diversity (the NLI analog): each output states a set of facts (a value per fact key). For a premise
  ``p`` and a hypothesis ``h``: *contradiction* if some key has different values in both, else *entailment*
  if ``h`` states at least one fact and all of them are in ``p``, else *neutral*. The similarity of a pair is
  the sum over both directions of contradiction = +1, neutral = 0, entailment = -1 (the repo's
  ``NLISimilarity`` weights with top-1 probability 1), and the diversity is ``1 - mean`` similarity, in
  [-1, 3]. Note the repo's sign convention: contradicting outputs count as *similar* (low diversity),
  entailing ones as dissimilar. The repo's NLI model ran on whole outputs (its sentence sampling picks
  characters, see the spec); this analog parses facts exactly.
- per input: the mean over inputs of the diversity of the input's ``K`` outputs (``mean_per_input_*``, with
  ``std_per_input_*``); across inputs: the diversity of the *first* output of every input
  (``overall_single_output_*``).

Generalisation is the gold-judged win rate against a reference output: win if ``r* > r*_ref + tau``, lose if
``r* < r*_ref - tau``, tie otherwise, and win rate = (wins + ties / 2) / n.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

N_MAX = 5


@dataclass(frozen=True)
class WinRate:
    """Shares of wins, ties and losses, and the win rate counting ties as half."""

    win: float
    tie: float
    lose: float

    @property
    def rate(self) -> float:
        return self.win + 0.5 * self.tie


def win_rate(gold: np.ndarray, gold_reference: np.ndarray, tau: float = 0.0) -> WinRate:
    """Gold-judged win / tie / lose of outputs against references (``|difference| <= tau`` is a tie)."""
    gold, gold_reference = np.asarray(gold, dtype=np.float64), np.asarray(gold_reference, dtype=np.float64)
    if gold.shape != gold_reference.shape or gold.size == 0:
        raise ValueError(f"gold and gold_reference must have the same non-empty shape, got {gold.shape} and "
                         f"{gold_reference.shape}")
    if tau < 0:
        raise ValueError(f"tau must be >= 0, got {tau}")
    diff = gold - gold_reference
    win, lose = float(np.mean(diff > tau)), float(np.mean(diff < -tau))
    return WinRate(win=win, tie=1.0 - win - lose, lose=lose)


def _check(outputs: np.ndarray) -> np.ndarray:
    out = np.asarray(outputs)
    if out.ndim != 3 or not np.issubdtype(out.dtype, np.integer):
        raise ValueError(f"outputs must be an integer array (inputs, samples, tokens), got {out.dtype} {out.shape}")
    return out.astype(np.int64, copy=False)


def _ngram_counts(outputs: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(unique n-grams, all n-grams) per group of ``(G, K, L)`` outputs."""
    groups, _, length = outputs.shape
    if length < n:
        return np.zeros(groups, dtype=np.int64), np.zeros(groups, dtype=np.int64)
    base = int(max(outputs.max(), 0)) + 1
    if base ** n >= 2**63:
        raise ValueError(f"token ids up to {base - 1} are too large to encode {n}-grams in int64")
    width = length - n + 1
    codes = np.zeros((*outputs.shape[:2], width), dtype=np.int64)
    valid = np.ones_like(codes, dtype=bool)
    for i in range(n):
        window = outputs[:, :, i:i + width]
        codes = codes * base + np.maximum(window, 0)
        valid &= window >= 0
    codes = np.sort(np.where(valid, codes, -1).reshape(groups, -1), axis=1)
    first = np.ones_like(codes, dtype=bool)
    first[:, 1:] = codes[:, 1:] != codes[:, :-1]
    return (first & (codes >= 0)).sum(axis=1), valid.reshape(groups, -1).sum(axis=1)


def distinct_n(outputs: np.ndarray, n: int) -> np.ndarray:
    """Unique / all n-grams of each group (0 where a group has no n-gram)."""
    unique, total = _ngram_counts(_check(outputs), n)
    return np.where(total > 0, unique / np.maximum(total, 1), 0.0)


def distinct(outputs: np.ndarray, n_max: int = N_MAX) -> np.ndarray:
    """distinct-n averaged over n = 1..n_max (the repo's ``averaged_distinct_ngrams``)."""
    return np.mean([distinct_n(outputs, n) for n in range(1, n_max + 1)], axis=0)


def ead_n(outputs: np.ndarray, n: int, vocab_size: int, space: str = "ngrams") -> np.ndarray:
    """Expectation-adjusted distinct n-grams of each group (see the module docstring for ``space``)."""
    if space not in ("ngrams", "tokens"):
        raise ValueError(f"space must be 'ngrams' or 'tokens', got {space!r}")
    if isinstance(vocab_size, bool) or not isinstance(vocab_size, (int, np.integer)) or vocab_size < 2:
        raise ValueError(f"vocab_size must be an int >= 2, got {vocab_size!r}")
    unique, total = _ngram_counts(_check(outputs), n)
    v = float(vocab_size) ** n if space == "ngrams" else float(vocab_size)
    expected = v * -np.expm1(total * np.log1p(-1.0 / v))  # V (1 - ((V - 1) / V)^C), stable for huge V
    return np.where(total > 0, unique / np.where(total > 0, expected, 1.0), 0.0)


def ead(outputs: np.ndarray, vocab_size: int, n_max: int = N_MAX, space: str = "ngrams") -> np.ndarray:
    """EAD averaged over n = 1..n_max (the repo's ``ead_averaged_distinct_ngrams``)."""
    return np.mean([ead_n(outputs, n, vocab_size, space) for n in range(1, n_max + 1)], axis=0)


def _pair_mean(similarity: np.ndarray) -> np.ndarray:
    """Mean over the pairs ``i > j`` of ``(G, K, K)`` similarities (NaN for groups of one output)."""
    k = similarity.shape[-1]
    lower = np.tril(np.ones((k, k), dtype=bool), k=-1)
    if not lower.any():
        return np.full(similarity.shape[0], np.nan)
    return similarity[:, lower].mean(axis=1)


def semantic_diversity(outputs: np.ndarray, embeddings: np.ndarray) -> np.ndarray:
    """``1 - mean`` pairwise cosine of mean-pooled token embeddings (``embeddings``: ``(V, d)``)."""
    out = _check(outputs)
    table = np.asarray(embeddings, dtype=np.float64)
    if table.ndim != 2 or out.max() >= len(table):
        raise ValueError(f"embeddings must be (vocab_size, d) covering token {out.max()}, got {table.shape}")
    vectors = table[np.maximum(out, 0)] * (out >= 0)[..., None]
    used = (np.abs(vectors).sum(axis=-1) > 0).sum(axis=-1)
    pooled = vectors.sum(axis=2) / np.maximum(used, 1)[..., None]
    norm = np.linalg.norm(pooled, axis=-1, keepdims=True)
    unit = np.where(norm > 0, pooled / np.where(norm > 0, norm, 1.0), 0.0)
    return 1.0 - _pair_mean(unit @ unit.transpose(0, 2, 1))


def logical_diversity(fact_values: np.ndarray) -> np.ndarray:
    """``1 - mean`` NLI-analog similarity over pairs of outputs; ``fact_values``: ``(G, K, F)``, -1 = not stated."""
    facts = np.asarray(fact_values)
    if facts.ndim != 3 or not np.issubdtype(facts.dtype, np.integer):
        raise ValueError(f"fact_values must be an integer array (inputs, samples, keys), got {facts.shape}")
    p, h = facts[:, :, None, :], facts[:, None, :, :]  # premise i, hypothesis j
    both = (p >= 0) & (h >= 0)
    contradiction = (both & (p != h)).any(axis=-1)  # symmetric
    entails = (facts >= 0).any(axis=-1)[:, None, :] & ((h < 0) | (p == h)).all(axis=-1)  # p entails h
    weight = np.where(contradiction, 1.0, np.where(entails, -1.0, 0.0))
    return 1.0 - _pair_mean(weight + weight.transpose(0, 2, 1))


def diversity_report(outputs: np.ndarray, vocab_size: int, embeddings: np.ndarray | None = None,
                     fact_values: np.ndarray | None = None) -> dict[str, float]:
    """Per-input (mean and std over inputs) and across-input diversity, as the paper's code reports them.

    Keys: ``per_input_<m>``, ``std_per_input_<m>`` and ``across_input_<m>`` for ``m`` in ``distinct``,
    ``ead`` (``space="ngrams"``), and ``semantic`` / ``logical`` when ``embeddings`` / ``fact_values``
    (``(G, K, F)``, aligned with ``outputs``) are given.
    """
    out = _check(outputs)
    metrics = {"distinct": lambda o, f: distinct(o), "ead": lambda o, f: ead(o, vocab_size)}
    if embeddings is not None:
        metrics["semantic"] = lambda o, f: semantic_diversity(o, embeddings)
    if fact_values is not None:
        facts = np.asarray(fact_values)
        if facts.shape[:2] != out.shape[:2]:
            raise ValueError(f"fact_values must start with the outputs' (inputs, samples) {out.shape[:2]}, "
                             f"got {facts.shape}")
        metrics["logical"] = lambda o, f: logical_diversity(f)
    else:
        facts = np.zeros((*out.shape[:2], 0), dtype=np.int64)
    report = {}
    for name, metric in metrics.items():
        per_input = metric(out, facts)
        report[f"per_input_{name}"] = float(np.mean(per_input))
        report[f"std_per_input_{name}"] = float(np.std(per_input))
        report[f"across_input_{name}"] = float(metric(out[None, :, 0], facts[None, :, 0])[0])
    return report
