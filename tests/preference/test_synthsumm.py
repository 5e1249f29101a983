"""SynthSumm: the generator's ground truth is re-read from the prompt text, the gold reward recomputed in
plain Python, and its invariances (synonyms, order) pinned."""

import hashlib

import numpy as np
import pytest

import rlenvs
from rlenvs.core import rng as core_rng
from rlenvs.preference import synthsumm as S
from rlenvs.preference.textworld import TextTask, counter_uniforms, stream_keys

W = S.SYNTHSUMM
SPLITS = W.task_distribution


def docs_of(split, n=None):
    tasks = SPLITS.split(split)
    return W.documents(tasks[:n] if n else tasks)


# --- an independent reading of prompts and outputs ------------------------------------------------------

def read_prompt(prompt):
    """(mention count per concept, {fact key: value}, header, document length) from the prompt's tokens."""
    tokens = [int(t) for t in prompt]
    assert tokens[0] == S.BOS and tokens[1] in (S.SUBREDDIT, S.ARTICLE)
    end = tokens.index(S.TLDR)
    body = tokens[2:end]
    counts, facts = {}, {}
    i = 0
    while i < len(body):
        t = body[i]
        if S.CONTENT0 <= t < S.ENTITY0:
            concept = (t - S.CONTENT0) // 3
            counts[concept] = counts.get(concept, 0) + 1
        elif S.ENTITY0 <= t < S.ATTRIBUTE0:
            e, a, is_, v = body[i:i + 4]
            assert S.ATTRIBUTE0 <= a < S.VALUE0 and is_ == S.IS and v >= S.VALUE0
            facts[(e - S.ENTITY0) * 3 + (a - S.ATTRIBUTE0)] = v - S.VALUE0
            i += 3
        else:
            assert S.CONNECTOR0 <= t < S.CONTENT0, t  # fillers and connectors only
        i += 1
    assert all(t == S.PAD for t in tokens[end + 1:])
    return counts, facts, tokens[1], len(body)


def reference_gold(prompt, output):
    """r* of one output, from the docstring's definition, in plain Python."""
    counts, facts, _, _ = read_prompt(prompt)
    salient = {c: n for c, n in counts.items() if n >= 2}  # distractors are mentioned once
    total = sum(salient.values())
    weight = {c: n / total for c, n in salient.items()}
    out = [int(t) for t in output]
    has_eos = S.EOS in out
    out = out[:out.index(S.EOS)] if has_eos else out
    violations, state = 0, "start"
    mentions, stated = [], []
    entity = attribute = None
    for t in out:
        kind = ("content" if S.CONTENT0 <= t < S.ENTITY0 else "conn" if S.CONNECTOR0 <= t < S.FILLER0 else
                "ent" if S.ENTITY0 <= t < S.ATTRIBUTE0 else "att" if S.ATTRIBUTE0 <= t < S.VALUE0 else
                "val" if S.VALUE0 <= t < len(S.VOCAB) else "other")
        if kind in ("content", "ent"):
            if state in ("item", "E", "EA"):
                violations += 1
            if kind == "content":
                mentions.append((t - S.CONTENT0) // 3)
                state = "item"
            else:
                entity, state = t - S.ENTITY0, "E"
        elif kind == "conn":
            if state in ("start", "conn", "E", "EA"):
                violations += 1
            state = "conn"
        elif kind == "att":
            if state == "E":
                attribute, state = t - S.ATTRIBUTE0, "EA"
            else:
                violations += 1
        elif kind == "val":
            if state == "EA":
                stated.append((entity * 3 + attribute, t - S.VALUE0))
                state = "item"
            else:
                violations += 1
        else:
            violations += 1
    violations += state in ("conn", "E", "EA") or 0
    violations += 0 if has_eos else 1
    if not mentions and not stated:
        return 0.0
    distinct = set(mentions)
    coverage = sum(weight.get(c, 0.0) for c in distinct)
    precision = len(distinct & set(weight)) / len(distinct) if distinct else 0.0
    first = {}
    for key, value in stated:
        first.setdefault(key, value)
    correct = sum(1 for key, value in first.items() if facts.get(key) == value)
    wrong = len(first) - correct
    fact_score = max((correct - wrong) / len(facts), -1.0)
    repeats = (len(mentions) - len(distinct)) + (len(stated) - len(first))
    ideal = min(15, 2 * len(weight) + 4 * len(facts) - 1)
    score = 0.45 * coverage + 0.2 * precision + 0.35 * fact_score - 0.2 * abs(len(out) - ideal) / 16 - 0.1 * repeats
    return min(max(score, 0.0), 1.0) * 0.5**violations


# --- the generator --------------------------------------------------------------------------------------

def test_vocabulary():
    assert len(S.VOCAB) == 96 == W.vocab_size and len(set(S.VOCAB)) == 96
    assert S.VOCAB[S.EOS] == "<eos>" and S.VOCAB[S.CONTENT0] == "dog" and S.VOCAB[S.ENTITY0] == "alice"


@pytest.mark.parametrize(("split", "alpha"), [("test", 0.0), ("test_alpha50", 0.5), ("test_ood", 1.0)])
def test_documents_match_their_ground_truth_and_the_shift(split, alpha):
    docs = docs_of(split, 200)
    n_salient, n_facts, lengths, headers = [], [], [], []
    for i in range(len(docs)):
        counts, facts, header, length = read_prompt(docs.prompt[i])
        salient = {c for c, k in counts.items() if k >= 2}
        assert salient == set(docs.salient[i][docs.salient[i] >= 0].tolist())
        weight = {c: counts[c] / sum(counts[c] for c in salient) for c in salient}
        np.testing.assert_allclose([docs.weight[i, c] for c in sorted(weight)], [weight[c] for c in sorted(weight)])
        assert docs.weight[i].sum() == pytest.approx(1.0)
        assert set(counts) - salient == set(docs.distractors[i][docs.distractors[i] >= 0].tolist())
        assert facts == {int(k): int(v) for k, v in zip(docs.fact_keys[i], docs.fact_values[i], strict=True) if k >= 0}
        assert length == docs.doc_length[i] and header == (S.ARTICLE if docs.ood_topic[i] else S.SUBREDDIT)
        n_salient.append(len(salient))
        n_facts.append(len(facts))
        lengths.append(length)
        headers.append(header == S.ARTICLE)
    lo, hi = round(30 + 30 * alpha), round(60 + 60 * alpha)
    assert lo <= min(lengths) and max(lengths) <= hi
    assert set(n_salient) <= {3 + k for k in range(int(2 * alpha), int(2 * alpha) + 3)} and min(n_salient) >= 3
    if alpha in (0.0, 1.0):
        assert set(n_salient) == ({3, 4} if alpha == 0 else {5, 6})
        assert set(n_facts) == ({1, 2} if alpha == 0 else {2, 3})
        assert set(headers) == {alpha == 1.0}


def test_ood_documents_combine_concepts_never_seen_together_in_distribution():
    def pairs(docs):
        out = set()
        for row in docs.salient:
            c = sorted(row[row >= 0].tolist())
            out |= {(a, b) for i, a in enumerate(c) for b in c[i + 1:]}
        return out

    id_pairs, ood_pairs = pairs(docs_of("train", 2000)), pairs(docs_of("test_ood"))
    new = ood_pairs - id_pairs
    assert len(new) > 0.5 * len(ood_pairs)  # most co-salient OOD pairs are new combinations
    assert pairs(docs_of("test")) <= id_pairs


def test_a_document_is_a_pure_function_of_its_task():
    tasks = SPLITS.split("test_alpha25")[:20]
    batch = W.documents(tasks)
    for i, task in enumerate(tasks):
        alone = W.documents([task])
        np.testing.assert_array_equal(alone.prompt[0], batch.prompt[i])
        np.testing.assert_array_equal(alone.weight[0], batch.weight[i])


@pytest.mark.kernel
def test_counter_uniforms_are_the_core_rng_streams():
    keys = stream_keys(W.name, np.array([0, 7, 2**31 - 1]), "document")
    u = counter_uniforms(keys, 50)
    for key, row in zip(keys, u, strict=True):
        state = core_rng.new_state(1)
        state[0] = (key, 0)
        np.testing.assert_array_equal(core_rng.draw_uniform(state, 0, 50), row)


def test_splits_are_disjoint():
    seeds = {name: {t.seed for t in SPLITS.split(name)} for name in ("train", "valid", "test")}
    assert not seeds["train"] & seeds["valid"] and not seeds["train"] & seeds["test"]
    assert not seeds["valid"] & seeds["test"]
    train = {bytes(p) for p in docs_of("train").prompt}
    assert not train & {bytes(p) for p in docs_of("test").prompt}
    assert not train & {bytes(p) for p in docs_of("test_ood").prompt}


# --- the gold reward ------------------------------------------------------------------------------------

def test_gold_reward_matches_the_reference_implementation():
    docs = docs_of("test_alpha50", 60)
    rng = np.random.default_rng(0)
    outputs = [W.reference(docs), W.oracle(docs), rng.integers(0, 96, size=(len(docs), 16))]
    outputs += [W.sample_demonstrations(docs, rng, noise) for noise in (0.3, 0.7, 1.0)]
    # hand-made edge cases: empty, no EOS, connector first/last, stray attribute, broken fact, repeats
    c0, c1 = S.CONTENT0 + 3 * docs.salient[:, 0], S.CONTENT0 + 3 * docs.salient[:, 1] + 1
    e, a, v = S.ENTITY0 + docs.fact_keys[:, 0] // 3, S.ATTRIBUTE0 + docs.fact_keys[:, 0] % 3, S.VALUE0
    edge = np.full((len(docs), 7, 16), S.PAD)
    for i in range(len(docs)):
        rows = [[S.EOS], [c0[i]] * 16, [S.CONNECTOR0, c0[i], S.CONNECTOR0, S.EOS], [c0[i], a[i], c1[i], S.EOS],
                [e[i], a[i], S.CONNECTOR0, c0[i], S.EOS], [c0[i], S.CONNECTOR0, c0[i], S.CONNECTOR0, e[i], a[i], v,
                                                             S.CONNECTOR0, e[i], a[i], v + 1, S.EOS],
                [c0[i], c1[i], S.FILLER0, S.EOS]]
        for k, row in enumerate(rows):
            edge[i, k, :len(row)] = row
    outputs += [edge[:, k] for k in range(edge.shape[1])]
    for out in outputs:
        expected = [reference_gold(docs.prompt[i], out[i]) for i in range(len(docs))]
        np.testing.assert_allclose(W.gold_reward(docs, out), expected, atol=1e-12)


def test_synonyms_and_item_order_do_not_change_the_gold_reward():
    docs = docs_of("test", 300)
    rng = np.random.default_rng(1)
    outputs = W.sample_demonstrations(docs, rng, 0.5)
    gold = W.gold_reward(docs, outputs)
    content = (outputs >= S.CONTENT0) & (outputs < S.ENTITY0)
    resampled = np.where(content, outputs - (outputs - S.CONTENT0) % 3 + rng.integers(0, 3, outputs.shape), outputs)
    assert (resampled != outputs).any()
    np.testing.assert_array_equal(W.gold_reward(docs, resampled), gold)
    u = rng.random((len(docs), W.demo_uniforms))
    reordered = u.copy()
    reordered[:, S._DEMO["order"]] = rng.random((len(docs), S._DEMO["order"].stop - S._DEMO["order"].start))
    first, second = W.demonstrate(docs, u), W.demonstrate(docs, reordered)  # the same items in another order
    assert (first != second).any()
    np.testing.assert_array_equal(W.gold_reward(docs, first), W.gold_reward(docs, second))


def test_reference_points_of_the_gold_scale():
    rng = np.random.default_rng(2)
    id_docs, ood_docs = docs_of("test"), docs_of("test_ood")
    np.testing.assert_allclose(W.gold_reward(id_docs, W.oracle(id_docs)), 1.0)  # the full summary fits
    ood_oracle = W.gold_reward(ood_docs, W.oracle(ood_docs))
    assert 0.7 < ood_oracle.mean() < 1.0  # OOD has more content than 15 tokens hold
    demo_id, demo_ood = W.gold_reward(id_docs, W.reference(id_docs)), W.gold_reward(ood_docs, W.reference(ood_docs))
    assert 0.6 < demo_ood.mean() < demo_id.mean() < 0.9  # good, not optimal, worse OOD
    assert np.all(ood_oracle >= demo_ood - 1e-12)
    assert W.gold_reward(id_docs, rng.integers(0, 96, (len(id_docs), 16))).mean() < 0.02
    noisy = [W.gold_reward(id_docs, W.sample_demonstrations(id_docs, rng, z)).mean() for z in (0.0, 0.5, 1.0)]
    assert noisy[0] > noisy[1] > noisy[2]


def test_fact_values_parse_the_stated_facts():
    docs = docs_of("test", 50)
    oracle = W.oracle(docs)
    values = W.fact_values(oracle[None])[0]
    said = (oracle >= S.ENTITY0) & (oracle < S.ATTRIBUTE0)
    assert (values >= 0).sum() == said.sum()
    np.testing.assert_array_equal(values[values >= 0], docs.fact_table[values >= 0])


# --- annotator and data set -----------------------------------------------------------------------------

def canonical(outputs):
    content = (outputs >= S.CONTENT0) & (outputs < S.ENTITY0)
    return np.where(content, outputs - (outputs - S.CONTENT0) % 3, outputs)


def test_style_bias_prefers_synonym_zero_at_equal_gold():
    from rlenvs.preference.textworld import annotate

    docs = docs_of("test")
    rng = np.random.default_rng(3)
    plain = W.sample_demonstrations(docs, rng)
    canon = canonical(plain)
    gold = W.gold_reward(docs, plain)
    np.testing.assert_array_equal(gold, W.gold_reward(docs, canon))
    style_p, style_c = W.style_score(plain), W.style_score(canon)
    assert np.all(style_c >= style_p) and np.mean(style_c > style_p) > 0.8
    u = rng.random((len(docs), 2))
    _, p_unbiased, _ = annotate(gold, gold, style_c, style_p, u, beta=10.0, style_bias=0.0, eps_flip=0.0)
    np.testing.assert_array_equal(p_unbiased, 0.5)
    prefers, p, _ = annotate(gold, gold, style_c, style_p, u, beta=10.0, style_bias=0.3, eps_flip=0.0)
    assert np.all(p >= 0.5) and prefers.mean() > 0.65


def test_dataset_arrays_and_ground_truth():
    env = rlenvs.make("rlenvs/SynthSumm-v0", eps_flip=0.2)
    d = env.unwrapped.dataset("valid")
    docs = docs_of("valid")
    n = len(docs)
    np.testing.assert_array_equal(d["prompt"], docs.prompt)
    assert d["reference"].shape == (n, 16) and d["chosen"].shape == (n, 16)
    np.testing.assert_allclose(d["reference_gold"], W.gold_reward(docs, d["reference"]))
    np.testing.assert_allclose(d["gold_chosen"], W.gold_reward(docs, d["chosen"]))
    np.testing.assert_allclose(d["delta_gold"], d["gold_chosen"] - d["gold_rejected"])
    np.testing.assert_array_equal(d["is_wrong"], d["delta_gold"] < 0)
    assert abs(d["flipped"].mean() - 0.2) < 0.08
    unflipped_wrong = d["is_wrong"][~d["flipped"]].mean()
    assert unflipped_wrong < d["is_wrong"][d["flipped"]].mean()
    for arr in d.values():
        assert not arr.flags.writeable
    h = hashlib.sha256(np.ascontiguousarray(d["chosen"]).tobytes() + np.ascontiguousarray(d["reference"]).tobytes())
    assert h.hexdigest() == GOLDEN_VALID_OUTPUTS
    with pytest.raises(ValueError, match="unknown split"):
        env.unwrapped.dataset("test_id")


# sha256 of dataset("valid")'s chosen and reference outputs with eps_flip 0.2; changes need a new env version
GOLDEN_VALID_OUTPUTS = "c2f99c7efd1861ae6f9c3e194ef54fc6fb17654713e28f543a4e25fe831054f5"


# --- the Gymnasium env ----------------------------------------------------------------------------------

def test_episode_scores_the_written_output():
    env = rlenvs.make("rlenvs/SynthSumm-v0")
    task = TextTask(alpha=0.3, seed=42)
    obs, _ = env.reset(seed=0, options={"task": task})
    docs = W.documents([task])
    np.testing.assert_array_equal(obs[:128], docs.prompt[0])
    plan = W.oracle(docs)[0]
    for t, token in enumerate(plan):
        obs, reward, terminated, truncated, info = env.step(np.int64(token))
        np.testing.assert_array_equal(obs[128:128 + t + 1], plan[:t + 1])
        if terminated:
            break
        assert reward == 0.0 and info == {}
    assert token == S.EOS and not truncated
    assert reward == info["gold_reward"] == pytest.approx(float(W.gold_reward(docs, plan[None])[0]))
    with pytest.raises(RuntimeError, match="episode is over"):
        env.step(0)
    env.reset()
    for t in range(16):  # no EOS: the output ends at 16 tokens
        *_, terminated, _, info = env.step(S.CONTENT0)
        assert terminated == (t == 15)
    assert info["gold_reward"] == pytest.approx(reference_gold(env.unwrapped._prompt, [S.CONTENT0] * 16))


def test_env_arguments_are_checked():
    with pytest.raises(ValueError, match="style_bias must be a number"):
        rlenvs.make("rlenvs/SynthSumm-v0", style_bias="x")
    with pytest.raises(ValueError, match="eps_flip must be a number"):
        rlenvs.make("rlenvs/SynthSumm-v0", eps_flip=0.9)
    with pytest.raises(ValueError, match="outputs must have shape"):
        W.gold_reward(docs_of("test", 3), np.zeros((3, 17), dtype=np.int64))
    with pytest.raises(ValueError, match="integer tokens"):
        W.gold_reward(docs_of("test", 3), np.full((3, 4), 96))
