# SPDX-License-Identifier: LGPL-2.1-or-later
"""Ending the programs the browser test starts."""

import subprocess


def end(process, timeout=10):
    """SIGTERM, and SIGKILL if process has not exited within timeout seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
