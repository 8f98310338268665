# SPDX-License-Identifier: LGPL-2.1-or-later
"""Ending the programs the browser test starts."""

import os
import signal
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


def end_all_with(variable, value):
    """SIGKILLs every process whose environment sets variable to value: what a program left
    behind (cockpit-bridge starts a session bus and an ssh-agent that outlive it)."""
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/environ', 'rb') as environ:
                settings = environ.read().split(b'\0')
        except OSError:
            continue
        if f'{variable}={value}'.encode() in settings:
            try:
                os.kill(int(entry), signal.SIGKILL)
            except ProcessLookupError:
                pass
