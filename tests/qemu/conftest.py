# SPDX-License-Identifier: MIT
"""Helpers for the QEMU tests: boot the real image and drive its console.

How to write a test (tests/qemu/test_NAME.py)
---------------------------------------------
A boot costs about 10 s of TCG time and the machines have 2 CPUs, so a
module boots once and runs many commands, then each test checks the part
of the transcript it is about:

    import pytest
    from conftest import hv_run

    @pytest.fixture(scope="module")
    def boot():
        return hv_run(["help", "version", "groups"]).check()

    def test_groups(boot):
        assert "group 0: 0000:00:00.0" in boot.output("groups")

hv_run() returns when the machine has powered off; .output(cmd) is what a
command printed (between its echoed line and the next prompt). Pass
config=TEXT (a str) or config=pathlib.Path(FILE) for hv.cfg,
esp_files={"hv.elf": b"bytes" or Path(FILE)} to replace ESP files,
qemu_args=("-device", "edu") for extra devices (`--` of tools/hv-qemu).
A failed boot is not an exception: check .returncode (1: timeout or QEMU
died early, 2: a fatal line, see docs/launcher.md) and .stderr.

To read guest memory with the QEMU monitor while the machine still runs,
give hv_run a callback: monitor=lambda mon: mon.cmd("xp /2gx 0x1000"); it
runs after the last command, its return value is in .monitor.

For line editing or anything that needs keystrokes, use the hv_spawn
fixture (pexpect on an interactive tools/hv-qemu, killed at test end):

    def test_backspace(hv_spawn):
        con = hv_spawn()
        assert "version" in con.cmd("verx\\bsion")

A module-scoped interactive machine: `with HvConsole() as con: yield con`.

Run them: `make qemu-test`, or `/usr/bin/python3 -m pytest tests/qemu -k
NAME -v` after `make` (HV_BUILD selects the build directory).
"""

import os
import pathlib
import re
import socket
import subprocess
import tempfile
import threading
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
HV_QEMU = str(ROOT / "tools" / "hv-qemu")
PROMPT = "hv> "
FATAL = r"(hvboot: error:|PANIC:|EXCEPTION)"
ANSI_RE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)"
                     r"|[ -/]*[0-Z\\^-~])")
CTRL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text):
    """Terminal output as plain text lines (no escapes, no CR)."""
    return CTRL_RE.sub("", ANSI_RE.sub("", text))


def tail(text, lines=30):
    return "\n".join(text.splitlines()[-lines:])


def command_output(transcript, cmd, n=0):
    """What the n-th run of cmd printed: the lines between the echoed
    `hv> CMD` line and the next prompt."""
    lines = transcript.split("\n")
    echo = (PROMPT + cmd).rstrip()
    starts = [i for i, line in enumerate(lines) if line.rstrip() == echo]
    if len(starts) <= n:
        raise AssertionError(
            "command %r (run #%d) is not in the transcript; its end:\n%s" %
            (cmd, n + 1, tail(transcript)))
    out = []
    for line in lines[starts[n] + 1:]:
        if line.startswith(PROMPT):
            break
        out.append(line)
    return "\n".join(out)


class HvResult:
    """The outcome of one scripted run of tools/hv-qemu."""

    def __init__(self, returncode, transcript, stderr, monitor=None):
        self.returncode = returncode
        self.transcript = transcript
        self.stderr = stderr
        self.monitor = monitor

    def output(self, cmd, n=0):
        return command_output(self.transcript, cmd, n)

    def check(self):
        """Raise AssertionError unless the run ended well; returns self."""
        if self.returncode != 0:
            raise AssertionError(str(self))
        return self

    def __str__(self):
        return "hv-qemu exit %d\nstderr:\n%s\ntranscript end:\n%s" % (
            self.returncode, self.stderr.strip(), tail(self.transcript))


class Monitor:
    """A client of the QEMU human monitor on a unix socket."""

    def __init__(self, path, timeout=15):
        self.timeout = timeout
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    raise AssertionError("no QEMU monitor at %s" % path)
                time.sleep(0.1)
        self.sock.settimeout(timeout)
        self._read_prompt()

    def _read_prompt(self):
        buf = b""
        while not buf.endswith(b"(qemu) "):
            data = self.sock.recv(65536)
            if not data:
                raise AssertionError("QEMU monitor closed: %r" % buf[-200:])
            buf += data
        return buf[:-len(b"(qemu) ")].decode("utf-8", "replace")

    def cmd(self, line):
        """Run one monitor command; returns its output as plain text."""
        self.sock.sendall(line.encode() + b"\n")
        reply = self._read_prompt()
        # The monitor first echoes the line as it redraws it.
        _, _, out = reply.partition("\r\n")
        return clean(out).rstrip("\n")

    def quit(self):
        """Stop QEMU (which ends the run) and wait for the socket to close."""
        try:
            self.sock.sendall(b"quit\n")
            while self.sock.recv(65536):
                pass
        except OSError:
            pass
        self.sock.close()


def _write_inputs(tmp, config, esp_files):
    """hv-qemu options for the config and ESP files, written under tmp.
    bytes are contents; a str config is the text of hv.cfg; any other str
    or Path names a host file."""
    args = []

    def host_file(value, text=False):
        if isinstance(value, (bytes, bytearray)) or (text and
                                                     isinstance(value, str)):
            path = os.path.join(tmp, "input-%d" % len(args))
            with open(path, "wb") as f:
                f.write(value.encode() if isinstance(value, str) else value)
            return path
        return str(value)

    if config is not None:
        args += ["--config", host_file(config, text=True)]
    for name, value in (esp_files or {}).items():
        args += ["--esp-file", "%s=%s" % (name, host_file(value))]
    return args


def _launcher_args(tmp, config, qemu_args, esp_files, timeout):
    args = [HV_QEMU, "--timeout", str(timeout)]
    args += _write_inputs(tmp, config, esp_files)
    qemu = ["--"] + list(qemu_args) if qemu_args else []
    return args, qemu


def hv_run(commands, config=None, qemu_args=(), esp_files=None, timeout=180,
           monitor=None, iommu=None):
    """Boot, type each command at the prompt, power off; returns HvResult.

    config: hv.cfg text (str) or a pathlib.Path. esp_files: {NAME: bytes
    (the contents) or a path (str or Path)}. monitor: None, or a
    callable(Monitor) run after the last command while the machine still
    runs (its result goes to HvResult.monitor). iommu: intel-iommu
    properties (tools/hv-qemu --iommu), e.g. "caching-mode=on,aw-bits=48".
    """
    if isinstance(commands, str):
        commands = [commands]
    if not commands:
        raise ValueError("hv_run needs at least one command")
    with tempfile.TemporaryDirectory(prefix="hv-test-") as tmp:
        head, qemu = _launcher_args(tmp, config, qemu_args, esp_files,
                                    timeout)
        if iommu is not None:
            head += ["--iommu", iommu]
        for c in commands:
            # "-cCMD" keeps a command that starts with "-" a value.
            head += ["-c" + c] if c else ["-c", ""]
        if monitor is None:
            return _run_plain(head + qemu, timeout)
        sock = os.path.join(tmp, "monitor.sock")
        return _run_monitored(head + ["--keep", "--monitor", sock] + qemu,
                              timeout, sock, monitor)


def _run_plain(argv, timeout):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout + 60)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        raise AssertionError("hv-qemu did not end; transcript end:\n" +
                             tail(out))
    return HvResult(p.returncode, p.stdout.decode("utf-8", "replace"),
                    p.stderr.decode("utf-8", "replace"))


def _run_monitored(argv, timeout, sock, callback):
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = []
    reader = threading.Thread(target=lambda: out.append(p.stdout.read()))
    reader.start()
    err = b""
    result = None
    try:
        # hv-qemu says on stderr when the last prompt came (--keep).
        for line in p.stderr:
            err += line
            if b"keeps running (--keep)" in line:
                mon = Monitor(sock)
                try:
                    result = callback(mon)
                finally:
                    mon.quit()
                break
        err += p.stderr.read()
        p.wait(timeout=30)
    finally:
        if p.poll() is None:
            p.terminate()
            p.wait()
        reader.join()
    return HvResult(p.returncode, b"".join(out).decode("utf-8", "replace"),
                    err.decode("utf-8", "replace"), result)


class HvConsole:
    """tools/hv-qemu in interactive mode under pexpect, at the prompt.

    .child is the pexpect.spawn; .cmd(line) types a line and returns its
    output; .transcript() is all output so far; .monitor is a Monitor when
    monitor=True. close() (or leaving a
    `with` block) quits QEMU and kills it if it does not quit.
    """

    def __init__(self, config=None, qemu_args=(), esp_files=None,
                 timeout=180, monitor=False):
        import pexpect  # only the interactive tests need it
        self.pexpect = pexpect
        self.tmp = tempfile.TemporaryDirectory(prefix="hv-test-")
        self.child = None
        self.monitor = None
        head, qemu = _launcher_args(self.tmp.name, config, qemu_args,
                                    esp_files, timeout)
        sock = os.path.join(self.tmp.name, "monitor.sock")
        if monitor:
            head += ["--monitor", sock]
        self.log = []
        try:
            self.child = pexpect.spawn(head[0], head[1:] + qemu,
                                       encoding="utf-8",
                                       codec_errors="replace",
                                       timeout=timeout, dimensions=(50, 200))
            self.child.logfile_read = self
            self.wait_prompt(timeout)
            if monitor:
                self.monitor = Monitor(sock)
        except BaseException:
            self.close()
            raise

    def write(self, text):  # pexpect's logfile_read
        self.log.append(text)

    def flush(self):
        pass

    def transcript(self):
        """Everything the console printed so far, as plain text."""
        return clean("".join(self.log))

    def wait_prompt(self, timeout=60):
        """Wait for the next prompt; returns the plain text before it."""
        pe = self.pexpect
        i = self.child.expect([r"(^|\n)hv> ", r"(^|\n)" + FATAL, pe.EOF,
                               pe.TIMEOUT], timeout=timeout)
        if i != 0:
            why = ["", "a fatal line", "QEMU exited", "timeout"][i]
            raise AssertionError("no prompt (%s); console end:\n%s" %
                                 (why, tail(self.transcript())))
        return clean(self.child.before)

    def send(self, text):
        self.child.send(text)

    def cmd(self, line, timeout=60):
        """Type line + Enter; returns the output (echo line removed)."""
        self.child.send(line + "\r")
        _, _, out = self.wait_prompt(timeout).partition("\n")
        return out.rstrip("\n")

    def close(self):
        if self.monitor:
            self.monitor.sock.close()
            self.monitor = None
        if self.child is not None and self.child.isalive():
            self.child.send("\x01x")  # Ctrl-A X: QEMU quits
            try:
                self.child.expect(self.pexpect.EOF, timeout=10)
            except self.pexpect.TIMEOUT:
                pass
            self.child.close(force=True)
        self.tmp.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@pytest.fixture
def hv_spawn():
    """Factory of HvConsole (same arguments); all are closed at test end."""
    consoles = []

    def spawn(**kwargs):
        con = HvConsole(**kwargs)
        consoles.append(con)
        return con

    yield spawn
    for con in consoles:
        con.close()
