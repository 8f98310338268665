# SPDX-License-Identifier: LGPL-2.1-or-later
"""A command on a terminal of its own, with a person typing a password where it is asked for."""

import os
import pty
import select
import signal
import time

TIMEOUT_S = 60


def run_answering_password(argv, env, password, until, timeout=TIMEOUT_S):
    """Runs argv on a new terminal and types password after each "Password:" prompt until the
    output shows until; returns all the output."""
    pid, terminal = pty.fork()
    if pid == 0:
        os.execvpe(argv[0], argv, env)
    output = b''
    answers = 0
    prompted = None
    deadline = time.monotonic() + timeout
    try:
        while until not in output and time.monotonic() < deadline:
            ready, _, _ = select.select([terminal], [], [], 0.1)
            if ready:
                try:
                    output += os.read(terminal, 4096)
                except OSError:
                    break
            if prompted is None and b'Password:' in output:
                prompted = time.monotonic()
            # polkit's agent turns echo off after its prompt, discarding what was typed before:
            # type a moment after it, and again while the authentication has not ended.
            if prompted is not None and b'AUTHENTICATION COMPLETE' not in output and \
                    answers < 3 and time.monotonic() - prompted > 0.3 + 3 * answers:
                os.write(terminal, password.encode() + b'\n')
                answers += 1
    finally:
        os.close(terminal)
        if until not in output:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return output
