#!/usr/bin/env python3
"""Time from starting the real binary to its first full frame, in a pty.

    python3 benches/first_frame.py [--runs N] [--size 200x60] [-- gigawatt args...]

Starts ./target/release/gigawatt (build it with `cargo build --release`) in a
pseudo-terminal of the given size, reads its output until the status line of
the first frame has been drawn (its counts, "parties ·" or "providers ·", or
"--marker Loading" for a file still being read), then presses q. Prints the median, min and max of the
runs in milliseconds. Standard library only.
"""

import argparse
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


def first_frame(args, cols, rows, markers, timeout=60.0):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(BINARY, [BINARY, "--no-watch", *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    start = time.perf_counter()
    seen = b""
    elapsed = None
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if any(marker in seen for marker in markers):
                elapsed = time.perf_counter() - start
                break
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
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--size", default="200x60")
    # A format 2 file or a set counts parties, a format 1 file providers.
    parser.add_argument("--marker", action="append")
    parser.add_argument("args", nargs="*")
    options = parser.parse_args()
    cols, rows = (int(n) for n in options.size.split("x"))
    markers = [m.encode() for m in options.marker or ["parties ·", "providers ·"]]
    times = []
    for _ in range(options.runs):
        t = first_frame(options.args, cols, rows, markers)
        if t is None:
            sys.exit(f"no first frame (none of {markers!r} drawn)")
        times.append(t * 1000)
    print(
        f"first frame {options.size} {' '.join(options.args) or '(bundled)'}: "
        f"median {statistics.median(times):.1f} ms, "
        f"min {min(times):.1f}, max {max(times):.1f} ({options.runs} runs)"
    )


if __name__ == "__main__":
    main()
