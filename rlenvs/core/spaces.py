"""Action checks that answer bad input with a clear error instead of clipping it silently."""

from __future__ import annotations

import numpy as np
from gymnasium import spaces


def check_action(action, space: spaces.Space, num_envs: int | None = None) -> np.ndarray:
    """Validate ``action`` (one, or a batch of ``num_envs``) against ``space`` and return it as an array.

    Box actions come back as float64 (any real dtype is accepted; bounds are inclusive), Discrete
    actions as int64. Raises ``ValueError`` naming the offending entry and the valid range.
    """
    shape = space.shape if num_envs is None else (num_envs, *space.shape)
    what = "action" if num_envs is None else "actions"
    if isinstance(space, spaces.Box):
        try:
            arr = np.asarray(action, dtype=np.float64)
        except (TypeError, ValueError) as err:
            raise ValueError(f"{what} must be numeric with shape {shape}, got {action!r}") from err
        if arr.shape != shape:
            raise ValueError(f"{what} must have shape {shape}, got shape {arr.shape}")
        bad = ~((arr >= space.low) & (arr <= space.high))  # NaN fails both comparisons
        if bad.any():
            idx = tuple(int(k) for k in np.argwhere(bad)[0])
            raise ValueError(
                f"{what}{list(idx)} = {arr[idx]!r} is outside the action space {space} "
                f"(bounds [{space.low.min():g}, {space.high.max():g}]); clip it first, e.g. with "
                "gymnasium.wrappers.ClipAction"
            )
        return arr
    if isinstance(space, spaces.Discrete):
        arr = np.asarray(action)
        if arr.shape != shape or not np.issubdtype(arr.dtype, np.integer):
            raise ValueError(f"{what} must be integers with shape {shape}, got {action!r}")
        lo, hi = int(space.start), int(space.start + space.n)
        if arr.size and (arr.min() < lo or arr.max() >= hi):  # two reductions: cheaper than a mask per step
            bad = arr[(arr < lo) | (arr >= hi)][0]
            raise ValueError(f"{what} {bad} is outside the action space {space} (valid: {lo}..{hi - 1})")
        return arr.astype(np.int64, copy=False)
    raise TypeError(f"check_action does not support {type(space).__name__}")
