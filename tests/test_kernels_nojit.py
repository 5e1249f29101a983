import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_kernel_tests_pass_as_plain_python():
    """The ``kernel``-marked tests again under ``NUMBA_DISABLE_JIT=1``: the kernels' Python meaning."""
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1"}
    # uint64 hashing overflows on purpose; NumPy scalars warn about it where numba does not.
    cmd = [sys.executable, "-m", "pytest", "-m", "kernel", "-q", "-p", "no:cacheprovider",
           "-W", "ignore::RuntimeWarning", "tests"]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " passed" in done.stdout and "deselected" in done.stdout
