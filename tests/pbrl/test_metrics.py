import math

import numpy as np
import pytest

from rlenvs.preference.pbrl_metrics import budget_to_reach, curve_auc, normalized_return, teacher_robustness
from rlenvs.preference.teachers import TEACHERS


def test_normalized_return():
    np.testing.assert_allclose(normalized_return([-1.0, 4.0, 9.0], random_return=-1.0, oracle_return=9.0),
                               [0.0, 0.5, 1.0])
    with pytest.raises(ValueError, match="must exceed the random return"):
        normalized_return(1.0, random_return=2.0, oracle_return=2.0)


def test_budget_to_reach_and_auc():
    queries = [0, 50, 100, 200]
    score = [0.0, 0.6, 0.95, 0.85]
    assert budget_to_reach(queries, score) == 100.0  # the first crossing of 0.9
    assert budget_to_reach(queries, score, fraction=0.99) == math.inf
    # trapezoids: 50 * 0.3 + 50 * 0.775 + 100 * 0.9 = 143.75, over a range of 200
    assert curve_auc(queries, score) == pytest.approx(143.75 / 200)
    assert curve_auc([10], [0.4]) == 0.4
    with pytest.raises(ValueError, match="strictly increasing"):
        budget_to_reach([0, 10, 10], [0, 1, 1])
    with pytest.raises(ValueError, match="same length"):
        curve_auc([0, 1], [0.5])


def test_teacher_robustness_needs_all_six_teachers():
    scores = dict(zip(TEACHERS, [0.9, 0.7, 0.8, 0.85, 0.6, 0.75], strict=True))
    out = teacher_robustness(scores)
    assert out == {"mean": pytest.approx(0.7666666666666667), "worst": 0.6, "worst_teacher": "myopic"}
    with pytest.raises(ValueError, match=r"missing \['equal'\]"):
        teacher_robustness({k: v for k, v in scores.items() if k != "equal"})
