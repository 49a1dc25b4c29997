#!/usr/bin/env python3
"""Peak memory (max RSS) of the real binary on one data file, against the
file's size: `check`, the two exports, and the explorer after loading, after
a full sort and search, and after a buyer lens.

    cargo run --release --example gen -- 100000 > big.toml
    python3 benches/memory.py big.toml [--binary target/release/gigawatt] [--no-explorer]

The commands are measured with `/usr/bin/time -v` (its "Maximum resident set
size"); the explorer runs in a pseudo-terminal of 200x60, and its high-water
mark (VmHWM in /proc/PID/status) is read after each step, once the screen
shows the step's result. Standard library only.
"""

import argparse
import os
import re
import subprocess
import sys
import time

from first_frame import BINARY, spawn_in_pty, read_until, quit_and_reap


def max_rss_kib(command, exit_code=0):
    result = subprocess.run(
        ["/usr/bin/time", "-v", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    if result.returncode != exit_code or not match:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")
    return int(match.group(1))


def high_water_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def explorer(binary, path):
    """(step, VmHWM KiB) after each step of a session on `path`."""
    pid, fd = spawn_in_pty(binary, ["--no-watch", "--data", path], 200, 60)
    steps = []
    try:
        # The first tab's title with its row count: the data is on screen.
        if not read_until(fd, [b"Parties ("], timeout=300):
            sys.exit("the explorer never showed its data")
        steps.append(("explorer, loaded", high_water_kib(pid)))
        os.write(fd, b"2")
        read_until(fd, [b"Commitments ("], timeout=30)
        # Sort by every column in turn, each in both directions.
        for _ in range(12):
            os.write(fd, b"s")
            os.write(fd, b"S")
            time.sleep(0.2)
        os.write(fd, b"/agre")
        read_until(fd, [b"/agre"], timeout=30)
        os.write(fd, b"\r")
        time.sleep(1)
        steps.append(("explorer, after sorts and a search", high_water_kib(pid)))
        os.write(fd, b"b")
        time.sleep(3)
        steps.append(("explorer, after a buyer lens", high_water_kib(pid)))
    finally:
        quit_and_reap(pid, fd)
    return steps


def with_one_typo(path):
    """A copy of `path` with one key misspelt halfway through, in a temporary
    file: what `check` costs on a broken file."""
    import tempfile

    with open(path, encoding="utf-8") as f:
        text = f.read()
    at = text.find("\nprovider = ", len(text) // 2)
    if at < 0:
        sys.exit(f"{path}: no `provider` key in its second half to misspell")
    broken = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False, encoding="utf-8")
    broken.write(text[:at] + "\nprovidr = " + text[at + len("\nprovider = ") :])
    broken.close()
    return broken.name


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--binary", default=BINARY)
    parser.add_argument(
        "--no-explorer",
        action="store_true",
        help="measure the commands only, not the (slower) explorer session",
    )
    options = parser.parse_args()
    size_kib = os.path.getsize(options.file) / 1024
    broken = with_one_typo(options.file)
    rows = [
        ("check", max_rss_kib([options.binary, "check", options.file])),
        (
            "check, one typo (exit 1)",
            max_rss_kib([options.binary, "check", broken], exit_code=1),
        ),
        (
            "export commitments",
            max_rss_kib([options.binary, "export", "commitments", "--data", options.file]),
        ),
        (
            "export derived",
            max_rss_kib([options.binary, "export", "derived", "--data", options.file]),
        ),
        *([] if options.no_explorer else explorer(options.binary, options.file)),
    ]
    os.unlink(broken)
    print(f"file: {options.file}, {size_kib / 1024:.1f} MiB")
    print("| measure | peak RSS | × file |")
    print("| --- | --- | --- |")
    for name, kib in rows:
        print(f"| {name} | {kib / 1024:.0f} MiB | {kib / size_kib:.1f}× |")


if __name__ == "__main__":
    main()
