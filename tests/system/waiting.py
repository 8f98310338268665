# SPDX-License-Identifier: LGPL-2.1-or-later
"""Waiting, with a timeout, for a state of the booted system or a line of a process's output."""

import queue
import threading
import time

WAIT_S = 20


def wait_until(predicate, what, timeout=WAIT_S):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f'not within {timeout} s: {what}')
        time.sleep(0.05)


class LineReader:
    """A process's output read by a thread, so that a test can wait for a line with a timeout."""

    def __init__(self, process):
        self.process = process
        self.lines = queue.Queue()
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    def read(self):
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def close(self):
        self.process.kill()
        self.process.wait()
        self.thread.join(timeout=WAIT_S)
        self.process.stderr.close()
        # Closing a pipe another thread still reads would wait for that thread.
        if not self.thread.is_alive():
            self.process.stdout.close()

    def wait_for(self, text, timeout=WAIT_S):
        """The first line containing text; None if the output ended first."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f'the output neither ended nor showed {text!r} '
                                     f'within {timeout} s') from None
            if line is None or text in line:
                return line

    def wait_for_end(self, timeout=WAIT_S):
        """Waits until the output ends."""
        while self.wait_for('\0', timeout) is not None:
            pass
