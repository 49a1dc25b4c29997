#!/usr/bin/env python3
"""Time from starting the real binary to its first full frame, in a pty.

    python3 benches/first_frame.py [--runs N] [--size 200x60] [-- gigawatt args...]

Starts ./target/release/gigawatt (build it with `cargo build --release`) in a
pseudo-terminal of the given size, reads its output until the status line of
the first frame has been drawn (its "parties ·" or "providers ·" counts, or
"Loading" for a file still being read), then presses q. Prints the median, min and max of the
runs in milliseconds. Standard library only.
"""

import argparse
import shutil
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import fcntl
import time

BINARY = os.path.join(os.path.dirname(__file__), "..", "target", "release", "gigawatt")
ECHO = shutil.which("echo") or "/bin/echo"


def spawn_in_pty(binary, args, cols, rows):
    """Starts `binary args` in a pseudo-terminal of `cols`x`rows`."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(binary, [binary, *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return pid, fd


# What a terminal answers when a program asks it: its device attributes, its
# colours, the cursor's place. csvlens asks for colours first and waits about
# a second for an answer that a bare pty never gives, which would count
# against it.
ANSWERS = [
    (b"\x1b[c", b"\x1b[?62;22c"),
    (b"\x1b]10;?", b"\x1b]10;rgb:ffff/ffff/ffff\x07"),
    (b"\x1b]11;?", b"\x1b]11;rgb:0000/0000/0000\x07"),
    (b"\x1b[6n", b"\x1b[1;1R"),
]


def answer_queries(fd, chunk):
    """Answers, as a terminal would, the queries written in `chunk`."""
    for query, reply in ANSWERS:
        for _ in range(chunk.count(query)):
            os.write(fd, reply)


def read_until(fd, markers, timeout):
    """Reads the terminal's output until one of `markers` appears; False if
    it never does."""
    start = time.perf_counter()
    seen = b""
    while time.perf_counter() - start < timeout:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        answer_queries(fd, chunk)
        # Keep a tail: a marker may straddle two reads.
        seen = seen[-256:] + chunk
        if any(m in seen for m in markers):
            return True
    return False


def quit_and_reap(pid, fd):
    """Presses q and waits for the process, killing it after 5 s."""
    try:
        os.write(fd, b"q")
        deadline = time.perf_counter() + 5
        while time.perf_counter() < deadline:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    os.read(fd, 65536)
                except OSError:
                    pass
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    finally:
        os.close(fd)


def first_frame(args, cols, rows, markers, timeout=60.0, binary=BINARY):
    """Seconds from spawn to the first frame that shows one of `markers`."""
    start = time.perf_counter()
    pid, fd = spawn_in_pty(binary, ["--no-watch", *args], cols, rows)
    shown = read_until(fd, markers, timeout)
    elapsed = time.perf_counter() - start
    quit_and_reap(pid, fd)
    return elapsed if shown else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--size", default="200x60")
    parser.add_argument("--marker", default="parties ·|providers ·", help="any of |-separated texts")
    parser.add_argument("--binary", default=BINARY, help="e.g. target/profiling/gigawatt")
    parser.add_argument("args", nargs="*")
    options = parser.parse_args()
    cols, rows = (int(n) for n in options.size.split("x"))
    times, spawns = [], []
    for _ in range(options.runs):
        t = first_frame(
            options.args,
            cols,
            rows,
            [m.encode() for m in options.marker.split("|")],
            binary=options.binary,
        )
        if t is None:
            sys.exit(f"no first frame (marker {options.marker!r} never drawn)")
        times.append(t * 1000)
        # The harness's own cost, in turn with the real runs: spawning a
        # program that prints at once (echo, which prints its arguments,
        # `--no-watch` among them) in the same pty.
        spawn = first_frame([], cols, rows, [b"--no-watch"], binary=ECHO)
        if spawn is not None:
            spawns.append(spawn * 1000)
    median = statistics.median(times)
    spawn = statistics.median(spawns) if spawns else float("nan")
    print(
        f"first frame {options.size} {' '.join(options.args) or '(bundled)'}: "
        f"median {median:.1f} ms, "
        f"min {min(times):.1f}, max {max(times):.1f} ({options.runs} runs); "
        f"spawning echo the same way {spawn:.1f} ms, so {median - spawn:.1f} ms above spawn"
    )


if __name__ == "__main__":
    main()
