"""SeqInstruct: instructions are re-read from the prompt and executed in plain Python; the gold reward is
recomputed with a textbook edit distance."""

import numpy as np
import pytest

import rlenvs
from rlenvs.preference import seqinstruct as Q
from rlenvs.preference.seqinstruct import SeqInstructTask

W = Q.SEQINSTRUCT
SPLITS = W.task_distribution


def docs_of(split, n=None):
    tasks = SPLITS.split(split)
    return W.documents(tasks[:n] if n else tasks)


def concept(token):
    return (token - Q.CONTENT0) // 3


def read_prompt(prompt):
    """([(op name, argument)], words) from the prompt's tokens."""
    tokens = [int(t) for t in prompt]
    assert tokens[0] == Q.BOS
    ops, i = [], 1
    while tokens[i] != Q.SEP:
        name = Q.OPS[tokens[i] - Q.OP0]
        arg = None
        if name == "filter":
            arg = tokens[i + 1] - Q.CLASS0
        elif name == "take":
            arg = int(Q.VOCAB[tokens[i + 1]])
        ops.append((name, arg))
        i += 1 if arg is None else 2
    end = tokens.index(Q.ANSWER)
    return ops, tokens[i + 1:end]


def run(ops, words):
    """The list after each operation, in plain Python."""
    out = []
    for name, arg in ops:
        if name == "reverse":
            words = words[::-1]
        elif name == "sort":
            words = sorted(words, key=concept)
        elif name == "filter":
            words = [w for w in words if concept(w) // 6 == arg]
        elif name == "take":
            words = words[:arg]
        elif name == "dedup":
            seen, kept = set(), []
            for w in words:
                if concept(w) not in seen:
                    seen.add(concept(w))
                    kept.append(w)
            words = kept
        out.append(list(words))
    return out


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def reference_gold(prompt, output):
    ops, words = read_prompt(prompt)
    steps = run(ops, words)
    out = [int(t) for t in output]
    has_eos = Q.EOS in out
    out = out[:out.index(Q.EOS)] if has_eos else out
    y = [concept(t) if t >= Q.CONTENT0 else ("tok", t) for t in out]
    best = 0.0
    for j, target in enumerate(steps, 1):
        t = [concept(w) for w in target]
        sim = 1 - levenshtein(y, t) / max(len(y), len(t), 1)
        best = max(best, j / len(steps) * sim)
    return best * (1.0 if has_eos else 0.5)


def test_vocabulary():
    assert len(Q.VOCAB) == 96 == W.vocab_size and len(set(Q.VOCAB)) == 96
    assert Q.VOCAB[Q.OP0 + Q.FILTER] == "filter" and Q.VOCAB[Q.NUM0] == "1" and Q.VOCAB[Q.CONTENT0] == "dog"


@pytest.mark.parametrize("split", ["train", "test_ood", "test_heldout", "test_alpha50"])
def test_instructions_execute_as_written(split):
    docs = docs_of(split, 300)
    for i in range(len(docs)):
        ops, words = read_prompt(docs.prompt[i])
        assert 5 <= len(words) <= 10 and len(ops) == docs.n_steps[i]
        steps = run(ops, words)
        for j, target in enumerate(steps):
            assert target, "no step may empty the list"
            row = docs.targets[i, j]
            assert row[row >= 0].tolist() == target
        assert W.detokenize(W.oracle(docs.take(np.array([i])))[0]) == " ".join(Q.VOCAB[w] for w in steps[-1])
        for name, arg in ops:
            if name == "take":
                assert 1 <= arg < len(words) or len(words) == 1


def test_step_counts_and_operation_pairs_by_split():
    def pairs(docs):
        out = set()
        for row, m in zip(docs.ops, docs.n_steps, strict=True):
            out |= {(int(a), int(b)) for a, b in zip(row[:m - 1], row[1:m], strict=True)}
        return out

    train, ood, heldout = docs_of("train"), docs_of("test_ood"), docs_of("test_heldout")
    assert set(train.n_steps.tolist()) == {1, 2} and set(ood.n_steps.tolist()) == {3, 4}
    assert set(heldout.n_steps.tolist()) == {2}
    assert len(Q.HELD_OUT_PAIRS) == 12
    assert pairs(train) | pairs(ood) <= set(np.ndindex(6, 6)) - Q.HELD_OUT_PAIRS
    assert pairs(heldout) <= Q.HELD_OUT_PAIRS and len(pairs(heldout)) == 12
    assert len(pairs(train)) == 24  # every in-distribution pair is seen in training


def test_gold_reward_matches_the_reference_implementation():
    docs = docs_of("test_alpha75", 80)
    rng = np.random.default_rng(0)
    outputs = [W.oracle(docs), W.reference(docs), rng.integers(0, 96, (len(docs), 12)),
               W.sample_demonstrations(docs, rng, 1.0), np.full((len(docs), 12), Q.CONTENT0)]
    first_step = np.full((len(docs), 12), Q.PAD)
    for i in range(len(docs)):
        row = docs.targets[i, 0]
        first_step[i, :(row >= 0).sum()] = row[row >= 0]
        first_step[i, (row >= 0).sum()] = Q.EOS
    outputs.append(first_step)
    for out in outputs:
        expected = [reference_gold(docs.prompt[i], out[i]) for i in range(len(docs))]
        np.testing.assert_allclose(W.gold_reward(docs, out), expected, atol=1e-12)


def test_partial_credit_and_synonyms():
    docs = docs_of("test_ood")
    np.testing.assert_allclose(W.gold_reward(docs, W.oracle(docs)), 1.0)
    final = W.oracle(docs)
    content = final >= Q.CONTENT0
    rng = np.random.default_rng(1)
    swapped = np.where(content, final - (final - Q.CONTENT0) % 3 + rng.integers(0, 3, final.shape), final)
    assert (swapped != final).any()
    np.testing.assert_allclose(W.gold_reward(docs, swapped), 1.0)  # any synonym of the right concept
    first = np.full_like(final, Q.PAD)
    for i in range(len(docs)):
        row = docs.targets[i, 0][docs.targets[i, 0] >= 0]
        first[i, :len(row)], first[i, len(row)] = row, Q.EOS
    assert np.all(W.gold_reward(docs, first) >= 1 / docs.n_steps - 1e-12)  # one of m steps: at least 1/m
    for i in range(20):  # the exact words without <eos> (an output of exactly that length): half credit
        words = final[i, :int(np.argmax(final[i] == Q.EOS))]
        assert W.gold_reward(docs.take(np.array([i])), words[None])[0] == 0.5


def test_demonstrator_quality_and_style():
    docs, ood = docs_of("test"), docs_of("test_ood")
    demo, demo_ood = W.gold_reward(docs, W.reference(docs)), W.gold_reward(ood, W.reference(ood))
    assert 0.8 < demo_ood.mean() < demo.mean() < 0.97
    rng = np.random.default_rng(2)
    assert W.gold_reward(docs, rng.integers(0, 96, (len(docs), 12))).mean() < 0.1
    canonical = np.where(W.oracle(docs) >= Q.CONTENT0, W.oracle(docs) - (W.oracle(docs) - Q.CONTENT0) % 3,
                         W.oracle(docs))
    np.testing.assert_array_equal(W.style_score(canonical), 1.0)


def test_generation_is_a_pure_function_of_the_task():
    tasks = SPLITS.split("test_heldout")[:10]
    batch = W.documents(tasks)
    for i, task in enumerate(tasks):
        np.testing.assert_array_equal(W.documents([task]).prompt[0], batch.prompt[i])
    assert SPLITS.sample(np.random.default_rng(0)).heldout in (0, 1)


def test_episode_and_dataset():
    env = rlenvs.make("rlenvs/SeqInstruct-v0", task_split="test_heldout")
    task = SeqInstructTask(alpha=1.0, seed=5, heldout=1)
    obs, _ = env.reset(seed=0, options={"task": task})
    docs = W.documents([task])
    assert obs.shape == (36,)
    np.testing.assert_array_equal(obs[:24], docs.prompt[0])
    for token in W.oracle(docs)[0]:
        obs, reward, terminated, _, info = env.step(int(token))
        if terminated:
            break
    assert reward == info["gold_reward"] == 1.0
    d = env.unwrapped.dataset("test_heldout")
    assert d["heldout"].all() and set(d["n_steps"].tolist()) == {2}
    np.testing.assert_array_equal(d["target"], W.oracle(docs_of("test_heldout")))
    np.testing.assert_allclose(d["gold_chosen"], W.gold_reward(docs_of("test_heldout"), d["chosen"]))
