"""The threads that step a batch: the calling thread and ``num_threads - 1`` workers, each running
``mujoco.rollout`` on chunks of the batch's envs.

Why not MuJoCo's own pool (``mujoco.rollout.Rollout(nthread=N)``): its workers sleep on a condition
variable between calls, and the calling thread sleeps while they work. On virtual machines, whose idle
virtual CPUs halt, waking a sleeping thread is slow (55 us median, up to 400 us, on our 2-core VM), and a
vector env pays that every step: at 64 HalfCheetah envs on 2 threads a step is about 1.5 ms of physics per
thread. So here, as in OpenMP runtimes, a worker waiting for the next step spins on an atomic flag (GIL
released) for ``spin`` polls, about a millisecond, before it sleeps; the calling thread takes chunks itself
instead of waiting; and chunks are claimed from an atomic counter, so that a thread that finishes early
takes more (the envs' step costs differ with their contacts). Timed in alternation on that VM, the 64-env
HalfCheetah vector env ran 1.2-1.6x faster on 2 threads than on 1, against 1.2-1.5x with MuJoCo's pool;
it was ahead in 5 of 7 runs and level in one (``benchmarks/test_mujoco.py``). The price: while the caller runs its own
code between steps, a worker keeps its core busy for up to a millisecond.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence

import mujoco
import numba as nb
import numpy as np
from mujoco import rollout
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

SPIN = 1 << 20  # polls before a waiting worker sleeps: about 1 ms
GO, DONE, NEXT, ASLEEP = 0, 1, 2, 3  # flag rows: step generation, workers done, next chunk, first worker's sleep flag


def _pointer(context, builder, signature, args):
    array = context.make_array(signature.args[0])(context, builder, args[0])
    return cgutils.get_item_pointer(context, builder, signature.args[0], array, [args[1], args[1].type(0)])


@intrinsic
def _atomic_load(typingctx, flags, row):
    def codegen(context, builder, signature, args):
        return builder.load_atomic(_pointer(context, builder, signature, args), ordering="seq_cst", align=8)
    return types.int64(flags, row), codegen


def _atomic_rmw(operation: str):
    """An intrinsic ``(flags, row, value)``: ``flags[row, 0] (operation)= value`` atomically; the old value."""
    @intrinsic
    def rmw(typingctx, flags, row, value):
        def codegen(context, builder, signature, args):
            return builder.atomic_rmw(operation, _pointer(context, builder, signature, args), args[2],
                                      ordering="seq_cst")
        return types.int64(flags, row, value), codegen
    return rmw


_atomic_add, _atomic_exchange = _atomic_rmw("add"), _atomic_rmw("xchg")


@nb.njit(nogil=True, cache=True)
def _await(flags, row, value, polls):
    """Whether ``flags[row, 0]`` reached ``value`` within ``polls`` polls."""
    for _ in range(polls):
        if _atomic_load(flags, row) >= value:
            return True
    return False


# the quick ones keep the GIL: releasing it would make the caller wait to take it back while a worker holds it
@nb.njit(cache=True)
def _add(flags, row, value):
    return _atomic_add(flags, row, value)


@nb.njit(cache=True)
def _exchange(flags, row, value):
    return _atomic_exchange(flags, row, value)


class RolloutTeam:
    """``num_threads`` threads (the caller and ``num_threads - 1`` workers) running ``mujoco.rollout`` jobs.

    :meth:`run` takes a list of jobs, each a tuple ``(models, initial_state, control, initial_warmstart,
    state)`` of one chunk of envs (views of the batch's arrays), and returns when all are done; the keyword
    arguments every job shares are given once to the constructor. Under ``NUMBA_DISABLE_JIT=1`` (no atomics)
    the calling thread runs every job.
    """

    def __init__(self, num_threads: int, model: mujoco.MjModel, *, spin: int = SPIN, **rollout_kwargs):
        self._spin = spin
        self._pid = os.getpid()
        self._model = model
        self._kwargs = rollout_kwargs
        self._jobs: Sequence[tuple] = ()
        self._generation = 0
        self._errors: list[BaseException] = []
        # one row per flag, 128 bytes apart, so that threads polling one do not share a cache line with another
        num_workers = 0 if nb.config.DISABLE_JIT else num_threads - 1
        self._flags = np.zeros((ASLEEP + num_workers, 16), dtype=np.int64)
        self._wake = [threading.Semaphore(0) for _ in range(num_workers)]
        self._own = self._runner()
        self._workers = [threading.Thread(target=self._work, args=(rank,), daemon=True, name=f"rlenvs-rollout-{rank}")
                         for rank in range(num_workers)]
        for worker in self._workers:
            worker.start()

    def _runner(self) -> tuple[rollout.Rollout, list[mujoco.MjData]]:
        return rollout.Rollout(nthread=0), [mujoco.MjData(self._model)]

    def run(self, jobs: Sequence[tuple]) -> None:
        """Run every job; the calling thread works too."""
        if self._workers is None:
            raise RuntimeError("the envs were closed")
        if os.getpid() != self._pid:  # a forked copy: its workers stayed in the parent
            raise RuntimeError("these envs were made in another process (forked); make them where they are stepped")
        if not self._workers:
            pool, data = self._own
            for models, initial_state, control, warmstart, state in jobs:
                pool.rollout(models, data, initial_state, control, initial_warmstart=warmstart, state=state,
                             **self._kwargs)
            return
        self._wait()  # in case the last run was left early (an interrupt): its errors no longer matter
        self._errors.clear()
        self._jobs = jobs
        self._flags[NEXT, 0] = 0
        self._generation += 1
        self._start_step()
        try:
            self._drain(*self._own)
        except BaseException as error:
            self._errors.append(error)
        self._wait()
        if self._errors:
            error = self._errors[0]
            self._errors.clear()
            raise error

    def _wait(self) -> None:
        """Until every worker has finished the current run."""
        target = self._generation * len(self._workers)
        while not _await(self._flags, DONE, target, self._spin):
            time.sleep(0)  # let a worker that lost its core have it back

    def _start_step(self) -> None:
        _exchange(self._flags, GO, self._generation)
        for rank, wake in enumerate(self._wake):
            if _exchange(self._flags, ASLEEP + rank, 0):
                wake.release()

    def _drain(self, pool: rollout.Rollout, data: list[mujoco.MjData]) -> None:
        jobs, kwargs = self._jobs, self._kwargs
        while (k := _add(self._flags, NEXT, 1)) < len(jobs):
            models, initial_state, control, warmstart, state = jobs[k]
            pool.rollout(models, data, initial_state, control, initial_warmstart=warmstart, state=state, **kwargs)

    def _work(self, rank: int) -> None:
        pool, data = self._runner()
        flags, generation = self._flags, 0
        while True:
            generation += 1
            if not _await(flags, GO, generation, self._spin):
                _exchange(flags, ASLEEP + rank, 1)
                # the step may have started between the last poll and the flag: then withdraw the flag, unless
                # the caller has already taken it, and then it releases the semaphore
                if not (_await(flags, GO, generation, 1) and _exchange(flags, ASLEEP + rank, 0)):
                    self._wake[rank].acquire()
            if self._workers is None:
                return
            try:
                self._drain(pool, data)
            except BaseException as error:  # handed to the caller, which raises it
                self._errors.append(error)
            _add(flags, DONE, 1)

    def close(self) -> None:
        """Stop the workers."""
        if self._workers is None:
            return
        workers, self._workers = self._workers, None
        if workers:
            self._generation += 1
            self._start_step()
            for worker in workers:
                worker.join()
