from dataclasses import FrozenInstanceError, dataclass

import numpy as np
import pytest

from rlenvs.core.task import Task, TaskDistribution, TaskSet, canonical_json, split_rng, stable_id, task_field


@dataclass(frozen=True)
class ToyTask(Task):
    speed: float = task_field(low=0.0, high=3.0, doc="target speed")
    legs: int = task_field(choices=(2, 4), doc="number of legs")
    goal: tuple[float, ...] = task_field(low=-1.0, high=1.0, size=2)


class ToyDistribution(TaskDistribution):
    family = "toy"
    task_type = ToyTask
    split_sizes = {"train": 6, "test": 3}

    def sample(self, rng):
        return ToyTask(speed=rng.uniform(0, 3), legs=int(rng.choice([2, 4])), goal=tuple(rng.uniform(-1, 1, 2)))


def test_fields_are_normalised_and_frozen():
    task = ToyTask(speed=np.float32(1.5), legs=np.int64(4), goal=np.array([0.5, -0.25]))
    assert task == ToyTask(speed=1.5, legs=4, goal=(0.5, -0.25))
    assert type(task.speed) is float and type(task.legs) is int and type(task.goal) is tuple
    with pytest.raises(FrozenInstanceError):
        task.speed = 2.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"speed": 3.5, "legs": 2, "goal": (0, 0)}, r"'speed' = 3.5 is outside \[0.0, 3.0\]"),
        ({"speed": 1.0, "legs": 3, "goal": (0, 0)}, r"'legs' must be one of \(2, 4\)"),
        ({"speed": 1.0, "legs": 2, "goal": (0, 0, 0)}, "'goal' must have 2 entries"),
        ({"speed": "fast", "legs": 2, "goal": (0, 0)}, "'speed' must be a number"),
        ({"speed": True, "legs": 2, "goal": (0, 0)}, "bool"),
        ({"speed": float("nan"), "legs": 2, "goal": (0, 0)}, "finite"),
        ({"speed": 1.0, "legs": 2.0, "goal": (0, 0)}, "'legs' must be an int"),
        ({"speed": 1.0, "legs": 2, "goal": "ab"}, "'goal' must be a sequence"),
    ],
)
def test_bad_fields_name_the_field_and_list_the_valid_ones(kwargs, message):
    with pytest.raises(ValueError, match=message) as err:
        ToyTask(**kwargs)
    assert "Valid fields:" in str(err.value) and "speed: float in [0, 3] - target speed" in str(err.value)


def test_from_dict_rejects_unknown_and_missing_fields():
    with pytest.raises(ValueError, match=r"unknown field\(s\) \['sped'\]"):
        ToyTask.from_dict({"sped": 1.0, "legs": 2, "goal": [0, 0]})
    with pytest.raises(ValueError, match=r"missing field\(s\) \['goal'\]"):
        ToyTask.from_dict({"speed": 1.0, "legs": 2})
    with pytest.raises(TypeError, match="expected a ToyTask or a dict"):
        ToyTask.coerce([1.0, 2, [0, 0]])


def test_dict_json_and_array_forms_round_trip():
    task = ToyTask(speed=0.1, legs=2, goal=(1 / 3, -1.0))
    assert task.to_dict() == {"speed": 0.1, "legs": 2, "goal": [1 / 3, -1.0]}
    assert task.to_json() == '{"goal":[0.3333333333333333,-1.0],"legs":2,"speed":0.1}'
    assert ToyTask.from_dict(task.to_dict()) == task
    np.testing.assert_array_equal(task.to_array(), [0.1, 2.0, 1 / 3, -1.0])
    assert ToyTask.array_slices() == {"speed": slice(0, 1), "legs": slice(1, 2), "goal": slice(2, 4)}
    assert ToyTask.from_array(task.to_array()) == task


def test_splits_follow_the_seed_sequence_and_are_cached():
    dist = ToyDistribution()
    train = dist.split("train")
    assert isinstance(train, TaskSet) and len(train) == 6 and dist.split("train") is train
    for i, task in enumerate(train):
        seq = np.random.SeedSequence([stable_id("toy"), stable_id("train"), i])
        assert task == dist.sample(np.random.default_rng(seq))
    assert set(train).isdisjoint(dist.split("test"))
    assert train.sha256 == ToyDistribution().split("train").sha256
    assert stable_id("toy") == int.from_bytes(__import__("hashlib").sha256(b"toy").digest()[:8], "little")
    assert split_rng("toy", "train", 0).random() != split_rng("toy", "train", 1).random()
    with pytest.raises(ValueError, match=r"unknown split 'val' of toy; valid splits: \['train', 'test'\]"):
        dist.split("val")


def test_canonical_json_rejects_nan():
    assert canonical_json({"b": 1, "a": [1.5]}) == '{"a":[1.5],"b":1}'
    with pytest.raises(ValueError):
        canonical_json({"a": float("nan")})
