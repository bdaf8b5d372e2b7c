#!/usr/bin/env python3
"""Fan-out benchmark: a 1,000-instance fan-out against 1,000 plain steps and ninja, in one run.

Five ways to run `true` 1,000 times, two at a time, then one step that needs them all:
ninja (1,000 targets and a final one), Baton with 1,000 steps written out, Baton with one
step `for_each:` over 1,000 items, Baton with a 25 x 40 `matrix:`, and Baton with a
`for_each:` over a JSON array of 1,000 items that a first step publishes (a dynamic
fan-out, whose instances the run makes). Baton runs headless, with its journal and logs on
disk, fsync included. The five take turns at going first in each round, so the machine's
noise hits them alike; medians are reported. The static fan-outs should cost what the same
steps written out cost: they are expanded into those steps when the file is loaded; the
dynamic one adds a step and one journal event.

Usage: bench/fanout.py [--runs N] [--baton PATH]
Build first: swift build -c release --product baton
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from rounds import run_rounds

COUNT = 1000


def write_plain(path):
    with open(path, "w") as out:
        out.write("name: plain\nconcurrency: 2\nsteps:\n")
        for index in range(COUNT):
            out.write(f"  s{index:04d}:\n    run: \"true\"\n")
        out.write("  after:\n    run: \"true\"\n    needs: [" + ", ".join(f"s{i:04d}" for i in range(COUNT)) + "]\n")


def write_for_each(path):
    with open(path, "w") as out:
        out.write("name: for-each\nconcurrency: 2\nsteps:\n  s:\n    run: \"true\"\n")
        out.write("    for_each: [" + ", ".join(f"i{i:04d}" for i in range(COUNT)) + "]\n")
        out.write("  after:\n    run: \"true\"\n    needs: [s]\n")


def write_matrix(path):
    with open(path, "w") as out:
        out.write("name: matrix\nconcurrency: 2\nsteps:\n  s:\n    run: \"true\"\n    matrix:\n")
        out.write("      a: [" + ", ".join(f"a{i:02d}" for i in range(25)) + "]\n")
        out.write("      b: [" + ", ".join(f"b{i:02d}" for i in range(40)) + "]\n")
        out.write("  after:\n    run: \"true\"\n    needs: [s]\n")


def write_dynamic(path):
    with open(path, "w") as out:
        items = "[" + ",".join(f'\\"i{i:04d}\\"' for i in range(COUNT)) + "]"
        out.write("name: dynamic\nconcurrency: 2\nsteps:\n  list:\n")
        out.write(f"    run: echo \"items={items}\" >> \"$BATON_OUTPUT\"\n")
        out.write("  s:\n    run: \"true\"\n    for_each: ${{ steps.list.outputs.items }}\n")
        out.write("  after:\n    run: \"true\"\n    needs: [s]\n")


def write_ninja(path):
    with open(path, "w") as out:
        out.write("rule run\n  command = true\n\n")
        for index in range(COUNT):
            out.write(f"build s{index:04d}: run\n")
        out.write("build after: run | " + " ".join(f"s{i:04d}" for i in range(COUNT)) + "\ndefault after\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baton", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "baton"))
    args = parser.parse_args()
    baton = os.path.abspath(args.baton)
    if not os.path.exists(baton):
        sys.exit(f"no binary at {baton}; run: swift build -c release --product baton")
    ninja = shutil.which("ninja")
    if not ninja:
        sys.exit("ninja is not installed; run: apt-get install ninja-build")
    work = tempfile.mkdtemp(prefix="baton-fanout-bench-")
    files = {"plain": "plain.yaml", "for_each": "for_each.yaml", "matrix": "matrix.yaml", "dynamic": "dynamic.yaml"}
    write_plain(os.path.join(work, files["plain"]))
    write_for_each(os.path.join(work, files["for_each"]))
    write_matrix(os.path.join(work, files["matrix"]))
    write_dynamic(os.path.join(work, files["dynamic"]))
    write_ninja(os.path.join(work, "build.ninja"))

    def run_ninja(round_):
        log = os.path.join(work, ".ninja_log")
        if os.path.exists(log):
            os.remove(log)
        subprocess.run([ninja, "-j2", "-C", work], stdout=subprocess.DEVNULL, check=True)

    def run_baton(name):
        def go(round_):
            state = os.path.join(work, f"state-{name}-{round_}")
            subprocess.run([baton, "run", os.path.join(work, files[name]), "--headless", "--state-dir", state],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=True)
            shutil.rmtree(state, ignore_errors=True)
        return go

    variants = [("ninja -j2", run_ninja), ("baton, 1,000 steps written out", run_baton("plain")),
                ("baton, for_each of 1,000", run_baton("for_each")), ("baton, 25 x 40 matrix", run_baton("matrix")),
                ("baton, for_each of an output", run_baton("dynamic"))]
    times = run_rounds(variants, args.runs)
    print()
    ninja_median = statistics.median(times["ninja -j2"])
    plain_median = statistics.median(times["baton, 1,000 steps written out"])
    print(f"1,000 runs of `true` and one step after them, -j2, {args.runs} runs each (median wall time):")
    for name, _ in variants:
        median = statistics.median(times[name])
        print(f"  {name:32s} {median:.3f}s   {median / ninja_median:5.2f}x ninja   {100 * (median / plain_median - 1):+6.1f}% against the steps written out")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
