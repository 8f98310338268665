# SPDX-License-Identifier: LGPL-2.1-or-later
"""A booted system for the system tests: the machine's own root as a systemd-nspawn container,
on an overlay whose upper layer is a tmpfs, with the build installed into it. Its PID 1 is the
real systemd, with the real system bus, polkitd, journald and logind. Nothing of it outlives
stop(): the mounts live in a private mount namespace, the processes in the container's PID
namespace, and the cgroups it made are removed (stop() checks all three)."""

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BOOT = os.path.join(HERE, 'boot')
CGROUP_ROOT = '/sys/fs/cgroup'
# A clean environment for every command inside: nothing of the test runner's leaks in.
ENVIRONMENT = {'PATH': '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
               'LANG': 'C.UTF-8', 'TERM': 'dumb'}
BOOT_TIMEOUT_S = 60
STOP_TIMEOUT_S = 60


def cgroup_hierarchies():
    """Where the container's own cgroup goes: both hierarchies of a hybrid machine (systemd's
    named v1 one and the unified one), the one tree of a unified machine."""
    hybrid = [os.path.join(CGROUP_ROOT, h) for h in ('systemd', 'unified')]
    if all(os.path.isdir(h) for h in hybrid):
        return hybrid
    return [CGROUP_ROOT]


def missing_tools():
    return [tool for tool in ('systemd-nspawn', 'unshare', 'nsenter', 'systemd-sysusers')
            if shutil.which(tool) is None]


def children(pid):
    kids = []
    for task in os.listdir(f'/proc/{pid}/task'):
        try:
            with open(f'/proc/{pid}/task/{task}/children', encoding='ascii') as f:
                kids += [int(k) for k in f.read().split()]
        except FileNotFoundError:
            pass
    return kids


def container_init(nspawn_pid):
    """PID 1 of the container, as the machine sees it: nspawn's descendant whose PID in its
    own namespace is 1, once it runs systemd."""
    pending = [nspawn_pid]
    while pending:
        pid = pending.pop()
        try:
            with open(f'/proc/{pid}/status', encoding='ascii') as f:
                status = dict(line.rstrip('\n').split(':\t', 1) for line in f if ':\t' in line)
            pending += children(pid)
        except (FileNotFoundError, ProcessLookupError):
            continue
        if pid != nspawn_pid and status['NSpid'].split()[-1] == '1' and \
                status['Name'] == 'systemd':
            return pid
    return None


class Container:

    def __init__(self, meson, build_root, files_dir, log_dir):
        self.name = f'plinth-system-{os.getpid()}'
        self.cgroups = [os.path.join(h, self.name) for h in cgroup_hierarchies()]
        self.work = tempfile.mkdtemp(prefix=f'{self.name}-')
        self.console_path = os.path.join(log_dir, f'{self.name}-console.log')
        self.pid = None
        self.nspawn = None
        for cgroup in self.cgroups:
            os.mkdir(cgroup)
        # Whatever ends the test (an error, SIGTERM from meson's timeout), the system goes.
        atexit.register(self.stop)
        with open(self.console_path, 'wb') as console:
            self.nspawn = subprocess.Popen(
                ['unshare', '-m', '--propagation', 'private', BOOT, self.work, self.name,
                 files_dir, meson, build_root] + self.cgroups,
                stdin=subprocess.DEVNULL, stdout=console, stderr=subprocess.STDOUT)

    def console(self):
        with open(self.console_path, encoding='utf-8', errors='replace') as console:
            return console.read()

    def wait_until_running(self):
        """Waits until the system is up (`systemctl is-system-running --wait`); returns the
        seconds from launch, meson install included."""
        started = time.monotonic()
        deadline = started + BOOT_TIMEOUT_S
        while self.pid is None or \
                not os.path.exists(f'/proc/{self.pid}/root/run/systemd/private'):
            if self.nspawn.poll() is not None:
                raise RuntimeError(f'the container ended while booting:\n{self.console()}')
            if time.monotonic() > deadline:
                raise RuntimeError(f'the container did not boot:\n{self.console()}')
            self.pid = self.pid or container_init(self.nspawn.pid)
            time.sleep(0.02)
        state = self.run('systemctl', 'is-system-running', '--wait', check=False,
                         timeout=BOOT_TIMEOUT_S).stdout.strip()
        if state != 'running':
            raise RuntimeError(f'the system is {state}:\n'
                               + self.run('systemctl', '--failed', check=False).stdout)
        return time.monotonic() - started

    def command(self, *args, user=None):
        """The command line that runs ARGS inside, as root or as USER (with USER's groups)."""
        # nsenter forks into the PID namespace; when a test kills nsenter, the parent-death
        # signal takes the command along instead of leaving it to the machine's init.
        prefix = ['nsenter', '-t', str(self.pid), '-a', '--', 'setpriv', '--pdeathsig=KILL']
        if user is not None:
            prefix += [f'--reuid={user}', f'--regid={user}', '--init-groups', '--reset-env']
        prefix.append('--')
        return prefix + list(args)

    def run(self, *args, user=None, check=True, timeout=120, input=None):
        result = subprocess.run(self.command(*args, user=user), env=ENVIRONMENT,
                                capture_output=True, text=True, check=False,
                                timeout=timeout, input=input)
        if check and result.returncode != 0:
            raise AssertionError(f'{" ".join(args)} (as {user or "root"}) exited '
                                 f'{result.returncode}:\n{result.stdout}{result.stderr}')
        return result

    def popen(self, *args, user=None, **kwargs):
        return subprocess.Popen(self.command(*args, user=user), env=ENVIRONMENT, **kwargs)

    def write(self, path, text):
        """Writes a file inside, as root, as an administrator's editor would."""
        self.run('sh', '-c', 'cat >"$1"', 'sh', path, input=text)

    def stop(self):
        """Powers the system off, waits for nspawn and removes the cgroups; returns what was
        left behind (empty when nothing was) and the seconds the power-off took."""
        atexit.unregister(self.stop)
        started = time.monotonic()
        if self.nspawn.poll() is None:
            if self.pid is not None:
                os.kill(self.pid, signal.SIGRTMIN + 4)  # systemd's poweroff
            else:
                self.nspawn.terminate()
            try:
                self.nspawn.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.nspawn.kill()
                self.nspawn.wait()
        took = time.monotonic() - started
        return self.remove_leftovers(), took

    def remove_leftovers(self):
        left = []
        for cgroup in self.cgroups:
            for directory, _, _ in sorted(os.walk(cgroup), key=lambda w: -len(w[0])):
                with open(os.path.join(directory, 'cgroup.procs'), encoding='ascii') as f:
                    pids = f.read().split()
                if pids:
                    left.append(f'processes {" ".join(pids)} in {directory}')
                    for pid in pids:
                        try:
                            os.kill(int(pid), 9)
                        except ProcessLookupError:
                            pass
            for directory, _, _ in sorted(os.walk(cgroup), key=lambda w: -len(w[0])):
                try:
                    os.rmdir(directory)
                except OSError as error:
                    left.append(f'cgroup {directory}: {error}')
        with open('/proc/self/mountinfo', encoding='utf-8') as mounts:
            left += [f'mount {m.split()[4]}' for m in mounts if self.work in m]
        try:
            os.rmdir(self.work)
        except OSError as error:
            left.append(f'{self.work}: {error}')
        return left
