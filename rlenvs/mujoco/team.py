"""The threads that step a batch of MuJoCo envs: the calling thread and ``num_threads - 1`` workers, calling
MuJoCo's C library from numba with the GIL released.

One env's step is what ``mujoco.rollout`` does for one rollout (``rollout.cc``; tests check the two equal
bit for bit): set the env's ``mjSTATE_FULLPHYSICS`` state and its warm-start ``qacc_warmstart``, clear the
warning counters, then for each substep stop if MuJoCo has warned (it resets an unstable simulation; the
substeps left repeat the state it reset to), else set the step's ``control_spec`` inputs, ``mj_step`` and
read the state back. Each thread steps on its own ``MjData``, whose other inputs (applied forces, mocap
poses, active equality constraints) nobody writes, so they keep the values ``rollout`` would reset them to;
models with mocap bodies or equality constraints are refused, as their per-env values could differ. A
family that observes MuJoCo's forward pass (contact forces, com-based inertias, ...) gets it from the same
thread right after the env's step (``observed``), so that it runs in parallel too. The C functions are
called by their addresses with MuJoCo 3.3's signatures (the ``mujoco`` extra pins 3.3.0).

Why not ``mujoco.rollout`` itself, which the first versions called: each call takes the GIL to convert its
arguments and to return, and its pool's threads sleep between calls. On virtual machines, whose idle
virtual CPUs halt, a sleeping thread takes 55 us (median; up to 400 us) to wake, and threads that wait for
the GIL sleep too; a 64-env HalfCheetah step on 2 threads is about 1.2 ms. Here no thread takes the GIL
during a step: chunks of envs are claimed from an atomic counter (a thread that finishes early takes more;
the envs' costs differ with their contacts), and a worker waiting for the next step spins on an atomic flag
for ``spin`` polls, about a millisecond, before it sleeps on a semaphore, as OpenMP runtimes do. The price:
while the caller runs its own code between steps, a worker keeps its core busy for up to that long. Timed
in alternation on our 2-core VM (``benchmarks/test_mujoco.py``, 64 envs, 2 threads over 1), HalfCheetah ran
1.5-2.0x (median 1.7x), against 1.0-1.6x with MuJoCo's pool and 1.4-2.1x for two 1-thread processes, the
machine's ceiling. What is lost: ``mujoco.rollout`` turns a MuJoCo error inside a step into ``mujoco.FatalError``;
here MuJoCo prints it and ends the process. Within a step only a stack overflow of ``mj_step`` raises one,
which the families' models, with their few contacts, do not come near.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import mujoco
import numba as nb
import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from rlenvs.mujoco._kernels import carried_warmstart

SPIN = 1 << 20  # polls before a waiting worker sleeps: about 1 ms
# flag rows: step generation, workers done, next chunk, stop, first worker's sleep flag
GO, DONE, NEXT, STOP, ASLEEP = 0, 1, 2, 3, 4
FULLPHYSICS = mujoco.mjtState.mjSTATE_FULLPHYSICS.value
USER_INPUTS = mujoco.mjtState.mjSTATE_USER.value


# the MuJoCo functions a step calls, by their addresses (_mujoco_functions)
FUNCTIONS = ("mj_step", "mj_forward", "mj_rnePostConstraint", "mj_setState", "mj_getState")
STEP, FORWARD, RNE_POST_CONSTRAINT, SET_STATE, GET_STATE = range(len(FUNCTIONS))


@cache
def _mujoco_functions() -> np.ndarray:
    """The addresses of ``FUNCTIONS`` in the library the ``mujoco`` package loaded (opening it again returns
    the same one)."""
    package = Path(mujoco.__file__).parent
    found = sorted(package.glob("libmujoco.so*")) + sorted(package.glob("libmujoco*.dylib")) + \
        sorted(package.glob("mujoco.dll"))
    if not found:
        raise ImportError(f"no MuJoCo library (libmujoco.so*, libmujoco*.dylib, mujoco.dll) in {package}")
    library = ctypes.CDLL(str(found[0]))
    return np.array([ctypes.cast(getattr(library, name), ctypes.c_void_p).value for name in FUNCTIONS],
                    dtype=np.int64)


if nb.config.DISABLE_JIT:  # pure Python (the kernel tests' mode): the same calls through ctypes
    _MODEL_DATA = ctypes.CFUNCTYPE(None, ctypes.c_size_t, ctypes.c_size_t)
    _STATE = ctypes.CFUNCTYPE(None, ctypes.c_size_t, ctypes.c_size_t, ctypes.c_size_t, ctypes.c_int)

    def _call(function, model, data):
        _MODEL_DATA(int(function))(int(model), int(data))

    def _call_state(function, model, data, vector, spec):
        _STATE(int(function))(int(model), int(data), vector, int(spec))
else:
    @intrinsic
    def _call(typingctx, function, model, data):
        """``function(model, data)`` (``mj_step``, ``mj_forward``, ...) through its address."""
        def codegen(context, builder, signature, args):
            pointer = ir.IntType(64)
            c_function = ir.FunctionType(ir.VoidType(), [pointer, pointer]).as_pointer()
            builder.call(builder.inttoptr(args[0], c_function), list(args[1:]))
            return context.get_dummy_value()
        return types.void(types.int64, types.int64, types.int64), codegen

    @intrinsic
    def _call_state(typingctx, function, model, data, vector, spec):
        """``mj_setState`` or ``mj_getState(model, data, vector, spec)`` through its address ``function``."""
        def codegen(context, builder, signature, args):
            pointer, c_int = ir.IntType(64), ir.IntType(32)
            c_function = ir.FunctionType(ir.VoidType(), [pointer, pointer, pointer, c_int]).as_pointer()
            builder.call(builder.inttoptr(args[0], c_function), [*args[1:4], builder.trunc(args[4], c_int)])
            return context.get_dummy_value()
        return types.void(types.int64, types.int64, types.int64, types.int64, types.int64), codegen


def _pointer(context, builder, signature, args):
    array = context.make_array(signature.args[0])(context, builder, args[0])
    return cgutils.get_item_pointer(context, builder, signature.args[0], array, [args[1], args[1].type(0)])


@intrinsic
def _atomic_load(typingctx, flags, row):
    def codegen(context, builder, signature, args):
        return builder.load_atomic(_pointer(context, builder, signature, args), ordering="seq_cst", align=8)
    return types.int64(flags, types.intp), codegen


def _atomic_rmw(operation: str):
    """An intrinsic ``(flags, row, value)``: ``flags[row, 0] (operation)= value`` atomically; the old value."""
    @intrinsic
    def rmw(typingctx, flags, row, value):
        def codegen(context, builder, signature, args):
            return builder.atomic_rmw(operation, _pointer(context, builder, signature, args), args[2],
                                      ordering="seq_cst")
        return types.int64(flags, types.intp, types.int64), codegen
    return rmw


_atomic_add, _atomic_exchange = _atomic_rmw("add"), _atomic_rmw("xchg")


@nb.njit(nogil=True, cache=True)
def _warned(warnings):
    for number in warnings:
        if number:
            return True
    return False


@nb.njit(nogil=True, cache=True)
def _observe_forward(i, lane, batch, constants):
    """``mj_forward`` and ``mj_rnePostConstraint`` of env ``i`` as loaded in the thread's ``MjData``; the
    observed fields copied to ``forwarded[i]``."""
    data, _, _, memory, fields = lane
    models, _, _, _, _, forwarded = batch
    functions = constants[0]
    _call(functions[FORWARD], models[i], data)
    _call(functions[RNE_POST_CONSTRAINT], models[i], data)
    column = 0
    for k in range(len(fields)):
        start, size = fields[k, 0], fields[k, 1]
        forwarded[i, column:column + size] = memory[start:start + size]
        column += size


@nb.njit(nogil=True, cache=True)
def _step_envs(start, stop, lane, batch, constants):
    """Envs ``start:stop`` one step (see the module's docstring): ``out[i]`` the states after each substep.

    ``lane``: the thread's ``MjData`` (its address, views of its ``qacc_warmstart`` and warning counters, a
    view of its memory from the first observed field on, and each observed field's ``(start, size)`` there);
    ``batch``: ``(models, state, ctrl, warmstart, out, forwarded)``; ``constants``: ``(functions,
    control_spec, nq, nu, timestep)``. With observed fields, each env's forward pass then runs at the state
    after the step under its last inputs, warm-started from its carried warm-start (the one
    ``_kernels.advance`` then hands over), as ``Batch.load`` would set it up."""
    data, qacc_warmstart, warnings, _, fields = lane
    models, state, ctrl, warmstart, out, _ = batch
    functions, control_spec, nq, _, timestep = constants
    last = ctrl.shape[1] - 1
    for i in range(start, stop):
        model = models[i]
        _call_state(functions[SET_STATE], model, data, state[i].ctypes.data, FULLPHYSICS)
        qacc_warmstart[:] = warmstart[i]
        warnings[:] = 0
        for t in range(last + 1):
            if _warned(warnings):  # MuJoCo reset the simulation: its state stands for the substeps left
                _call_state(functions[GET_STATE], model, data, out[i, t].ctypes.data, FULLPHYSICS)
                continue
            _call_state(functions[SET_STATE], model, data, ctrl[i, t].ctypes.data, control_spec)
            _call(functions[STEP], model, data)
            _call_state(functions[GET_STATE], model, data, out[i, t].ctypes.data, FULLPHYSICS)
        if len(fields):
            _call_state(functions[SET_STATE], model, data, ctrl[i, last].ctypes.data, control_spec)
            carried_warmstart(i, out, nq, timestep, state, qacc_warmstart)
            _observe_forward(i, lane, batch, constants)


@nb.njit(nogil=True, cache=True)
def _forward_envs(mask, lane, batch, constants):
    """The forward pass of every env where ``mask``, at its current state and warm-start under its last
    inputs with zero controls (an episode's start: MuJoCo's reset leaves the controls at zero)."""
    data, qacc_warmstart, _, _, _ = lane
    models, state, ctrl, warmstart, _, _ = batch
    functions, control_spec, _, nu, _ = constants
    inputs = np.empty(ctrl.shape[2])
    for i in range(len(mask)):
        if mask[i]:
            _call_state(functions[SET_STATE], models[i], data, state[i].ctypes.data, FULLPHYSICS)
            inputs[:] = ctrl[i, -1]
            inputs[:nu] = 0.0
            _call_state(functions[SET_STATE], models[i], data, inputs.ctypes.data, control_spec)
            qacc_warmstart[:] = warmstart[i]
            _observe_forward(i, lane, batch, constants)


@nb.njit(nogil=True, cache=True)
def _drain(flags, chunk, lane, batch, constants):
    """Claim chunks of ``chunk`` envs and step them until none is left."""
    num_envs = len(batch[1])
    start = _atomic_add(flags, NEXT, 1) * chunk
    while start < num_envs:
        _step_envs(start, min(start + chunk, num_envs), lane, batch, constants)
        start = _atomic_add(flags, NEXT, 1) * chunk


@nb.njit(nogil=True, cache=True)
def _await(flags, row, value, polls):
    """Whether ``flags[row, 0]`` reached ``value`` within ``polls`` polls."""
    for _ in range(polls):
        if _atomic_load(flags, row) >= value:
            return True
    return False


@nb.njit(nogil=True, cache=True)
def _serve(flags, generation, polls, chunk, lane, batch, constants):
    """A worker's steps, from step ``generation`` on, for as long as each starts within ``polls`` polls of the
    last: the generation it then waits for, or -1 when the team stops."""
    while _await(flags, GO, generation, polls):
        if _atomic_load(flags, STOP):
            return -1
        _drain(flags, chunk, lane, batch, constants)
        _atomic_add(flags, DONE, 1)
        generation += 1
    return generation


# the quick ones keep the GIL: releasing it would make the caller wait to take it back
@nb.njit(cache=True)
def _exchange(flags, row, value):
    return _atomic_exchange(flags, row, value)


class StepTeam:
    """``num_threads`` threads (the caller and ``num_threads - 1`` workers) stepping a batch of envs.

    ``models``: each env's ``MjModel`` (same sizes); ``state`` ``(num_envs, nstate)`` and ``warmstart``
    ``(num_envs, nv)``: where each step starts; ``ctrl`` ``(num_envs, nstep, ncontrol)``: each substep's
    ``control_spec`` inputs; ``out`` ``(num_envs, nstep, nstate)``: each substep's state. :meth:`run` does one
    step of every env, reading and writing these arrays (the caller's, not copies). ``observed``: names of
    ``MjData`` arrays (``"cfrc_ext"``, ...) that each step also computes at the state after it (``mj_forward``
    and ``mj_rnePostConstraint``) and writes, flattened and side by side, to ``forwarded`` ``(num_envs,
    width)``; :meth:`forward` does that alone. ``chunk``: envs claimed at a time (default: at least 16 chunks
    per thread). Under ``NUMBA_DISABLE_JIT=1`` (no atomics) the calling thread steps every env.
    """

    def __init__(self, num_threads: int, models: Sequence[mujoco.MjModel], state: np.ndarray, ctrl: np.ndarray,
                 warmstart: np.ndarray, out: np.ndarray, control_spec: int, *, observed: Sequence[str] = (),
                 forwarded: np.ndarray | None = None, chunk: int | None = None, spin: int = SPIN):
        model = models[0]
        if model.nmocap or model.neq:
            raise ValueError("models with mocap bodies or equality constraints are not supported")
        if control_spec & ~USER_INPUTS:
            raise ValueError(f"control_spec may only hold bits of mjSTATE_USER, got {control_spec}")
        if forwarded is None:
            forwarded = np.zeros((len(models), 0))
        nstate, nstep = mujoco.mj_stateSize(model, FULLPHYSICS), ctrl.shape[1]
        sizes = observed_sizes(model, observed)
        shapes = {"state": (state, (len(models), nstate)), "warmstart": (warmstart, (len(models), model.nv)),
                  "ctrl": (ctrl, (len(models), nstep, mujoco.mj_stateSize(model, control_spec))),
                  "out": (out, (len(models), nstep, nstate)), "forwarded": (forwarded, (len(models), sum(sizes)))}
        for name, (array, shape) in shapes.items():
            if array.shape != shape or array.dtype != np.float64 or not array.flags.c_contiguous:
                raise ValueError(f"{name} must be a C-contiguous float64 array of shape {shape}, "
                                 f"got {array.dtype} {array.shape}")
        if any(mujoco.mj_stateSize(m, FULLPHYSICS) != nstate or m.nv != model.nv for m in models):
            raise ValueError("the models differ in size")
        self._models = models  # kept alive: the threads hold their addresses
        self._batch = (np.array([m._address for m in models], dtype=np.int64), state, ctrl, warmstart, out,
                       forwarded)
        self._constants = (_mujoco_functions(), int(control_spec), model.nq, model.nu, float(model.opt.timestep))
        self._spin = spin
        self._pid = os.getpid()
        self._generation = 0
        num_workers = 0 if nb.config.DISABLE_JIT else num_threads - 1
        self._chunk = chunk or max(1, len(models) // (16 * num_threads))
        self._data = [mujoco.MjData(model) for _ in range(1 + num_workers)]
        self._lanes = [_lane(data, observed) for data in self._data]
        # one row per flag, 128 bytes apart, so that threads polling one do not share a cache line with another
        self._flags = np.zeros((ASLEEP + num_workers, 16), dtype=np.int64)
        self._wake = [threading.Semaphore(0) for _ in range(num_workers)]
        if num_workers:  # compiled or loaded from the cache here, not in a worker
            _serve(self._flags, 1, 0, self._chunk, self._lanes[0], self._batch, self._constants)
        self._workers = [threading.Thread(target=self._work, args=(rank,), daemon=True, name=f"rlenvs-step-{rank}")
                         for rank in range(num_workers)]
        for worker in self._workers:
            worker.start()

    def run(self) -> None:
        """One step of every env; the calling thread works too."""
        if self._workers is None:
            raise RuntimeError("the envs were closed")
        if not self._workers:
            _step_envs(0, len(self._models), self._lanes[0], self._batch, self._constants)
            return
        if os.getpid() != self._pid:  # a forked copy: its workers stayed in the parent
            raise RuntimeError("these envs were made in another process (forked); make them where they are stepped")
        self._wait()  # in case the last run was left early (an interrupt)
        self._flags[NEXT, 0] = 0
        self._generation += 1
        self._start_step()
        _drain(self._flags, self._chunk, self._lanes[0], self._batch, self._constants)
        self._wait()

    def forward(self, mask: np.ndarray) -> None:
        """The observed fields of every env where ``mask`` at its current state and warm-start, under its last
        step's inputs with zero controls (an episode's start), on the calling thread."""
        _forward_envs(np.asarray(mask, dtype=np.bool_), self._lanes[0], self._batch, self._constants)

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

    def _work(self, rank: int) -> None:
        flags, lane, generation = self._flags, self._lanes[1 + rank], 1
        while (generation := _serve(flags, generation, self._spin, self._chunk, lane, self._batch,
                                    self._constants)) >= 0:
            _exchange(flags, ASLEEP + rank, 1)
            # the step may have started between the last poll and the flag: then withdraw the flag, unless
            # the caller has already taken it, and then it releases the semaphore
            if not (_await(flags, GO, generation, 1) and _exchange(flags, ASLEEP + rank, 0)):
                self._wake[rank].acquire()
            if flags[STOP, 0]:
                return

    def close(self) -> None:
        """Stop the workers."""
        if self._workers is None:
            return
        workers, self._workers = self._workers, None
        if workers:
            self._flags[STOP, 0] = 1
            self._generation += 1
            self._start_step()
            for worker in workers:
                worker.join()


def observed_sizes(model: mujoco.MjModel, observed: Sequence[str]) -> list[int]:
    """The number of values of each ``MjData`` array named in ``observed`` (float64 arrays only)."""
    data = mujoco.MjData(model)
    for name in observed:
        array = getattr(data, name, None)
        if not isinstance(array, np.ndarray) or array.dtype != np.float64:
            raise ValueError(f"{name!r} is not a float64 array of MjData")
    return [getattr(data, name).size for name in observed]


def _lane(data: mujoco.MjData, observed: Sequence[str]) -> tuple:
    """What a thread steps on: ``data``'s address, views of its warm-start and warning counters, and for the
    observed fields a view of its memory from the first of them on, with each field's ``(start, size)``
    there (all of an ``MjData``'s arrays lie in one buffer)."""
    arrays = [getattr(data, name) for name in observed]
    base = min((array.ctypes.data for array in arrays), default=data.qacc_warmstart.ctypes.data)
    end = max((array.ctypes.data + array.nbytes for array in arrays), default=base)
    memory = np.ctypeslib.as_array((ctypes.c_double * ((end - base) // 8)).from_address(base))
    fields = np.array([((array.ctypes.data - base) // 8, array.size) for array in arrays], dtype=np.int64)
    return data._address, data.qacc_warmstart, data.warning.number, memory, fields.reshape(-1, 2)
