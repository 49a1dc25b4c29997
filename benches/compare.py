#!/usr/bin/env python3
"""gigawatt beside VisiData and csvlens on the same data, in one run:
time from spawn to the first screen with data, peak RSS once it is shown,
and the time from a key (j, down one row) to the terminal's next output.

    cargo run --release --example gen -- 100000 > big.toml
    ./target/release/gigawatt export commitments --data big.toml > big.csv
    python3 benches/compare.py big.toml big.csv [--runs 5]

Each tool runs in a 200x60 pseudo-terminal that answers the terminal
queries a real terminal answers (colours, device attributes). A tool missing from PATH (`vd`,
`csvlens`) is skipped. Standard library only.
"""

import argparse
import os
import shutil
import statistics
import time

from first_frame import BINARY, answer_queries, spawn_in_pty, read_until, quit_and_reap
from memory import high_water_kib


def drain(fd, quiet, most=3.0):
    """Reads until the terminal has been silent for `quiet` seconds, or for
    `most` seconds in all (csvlens redraws on a clock and is never silent)."""
    import select

    deadline = time.perf_counter() + most
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], quiet)
        if not ready:
            return
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        answer_queries(fd, chunk)


def key_latency(fd, presses, row_marker):
    """Median ms from writing `j` to the first output after it; with a
    `row_marker` (bytes with a %d for the index of the row reached: the
    row's id as it is redrawn selected), to the output that redraws that
    row, for a tool that also writes on a clock (csvlens)."""
    import select

    times = []
    for press in range(presses):
        drain(fd, 0.05, most=0.3)
        start = time.perf_counter()
        os.write(fd, b"j")
        if row_marker:
            if read_until(fd, [row_marker % (press + 1)], timeout=2.0):
                times.append((time.perf_counter() - start) * 1000)
            continue
        ready, _, _ = select.select([fd], [], [], 2.0)
        if ready:
            times.append((time.perf_counter() - start) * 1000)
            os.read(fd, 65536)
    return statistics.median(times) if times else float("nan")


def measure(command, marker, quit_keys, runs, row_marker):
    firsts, rss, keys = [], [], []
    for run in range(runs):
        start = time.perf_counter()
        pid, fd = spawn_in_pty(command[0], command[1:], 200, 60)
        shown = read_until(fd, [marker], timeout=300)
        firsts.append((time.perf_counter() - start) * 1000)
        if not shown:
            quit_and_reap(pid, fd)
            return None
        # Let a tool that shows rows early finish reading before the peak
        # is taken and keys are timed.
        drain(fd, 1.0)
        rss.append(high_water_kib(pid) / 1024)
        if run == 0:
            keys.append(key_latency(fd, 30, row_marker))
        os.write(fd, quit_keys)
        quit_and_reap(pid, fd)
    return statistics.median(firsts), statistics.median(rss), keys[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("toml")
    parser.add_argument("csv")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--binary", default=BINARY)
    options = parser.parse_args()
    tools = [
        (
            "gigawatt (TOML, validated)",
            [options.binary, "--no-watch", "--data", options.toml],
            b"Parties (",
            b"q",
            None,
        ),
    ]
    if shutil.which("vd"):
        tools.append(("VisiData (CSV)", [shutil.which("vd"), options.csv], b"c-1", b"gq", None))
    if shutil.which("csvlens"):
        tools.append(
            ("csvlens (CSV)", [shutil.which("csvlens"), options.csv], b"c-1", b"q", b"c-%d ")
        )
    print(
        f"TOML {os.path.getsize(options.toml) / 2**20:.1f} MiB, "
        f"CSV {os.path.getsize(options.csv) / 2**20:.1f} MiB, 200x60, "
        f"median of {options.runs} starts"
    )
    print("| tool | first data on screen | peak RSS | key to output |")
    print("| --- | --- | --- | --- |")
    for name, command, marker, quit_keys, row_marker in tools:
        result = measure(command, marker, quit_keys, options.runs, row_marker)
        if result is None:
            print(f"| {name} | never shown | | |")
            continue
        first, rss, key = result
        print(f"| {name} | {first:.0f} ms | {rss:.0f} MiB | {key:.1f} ms |")


if __name__ == "__main__":
    main()
