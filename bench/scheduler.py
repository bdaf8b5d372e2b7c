#!/usr/bin/env python3
"""Scheduler benchmark: Baton against ninja on the same 1,000-step graph, in one run.

The graph: 50 layers of 20 steps; every step after the first layer needs two steps of the
layer before. Each step runs `true`. Both tools run it with two jobs at once, Baton
headless with its journal and logs on disk, fsync included: Baton writes ahead, so each
step's process starts only once its `running` event is synced. With --peer, a second Baton
binary (the previous commit's, say) runs the same graph in the same runs, alternating.

It also times `baton validate` on a 10,000-step file (the loader and validator).

Usage: bench/scheduler.py [--runs N] [--baton PATH] [--peer PATH]
Build first: swift build -c release --static-swift-stdlib (as a release ships; a plain
release build works too and starts about 6 ms slower).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

LAYERS, WIDTH = 50, 20


def step_id(layer, index):
    return f"s{layer:03d}_{index:02d}"


def needs_of(layer, index):
    if layer == 0:
        return []
    return [step_id(layer - 1, index), step_id(layer - 1, (index + 1) % WIDTH)]


def write_baton(path, layers=LAYERS):
    with open(path, "w") as out:
        out.write("name: bench\nconcurrency: 2\nsteps:\n")
        for layer in range(layers):
            for index in range(WIDTH):
                out.write(f"  {step_id(layer, index)}:\n    run: \"true\"\n")
                needs = needs_of(layer, index)
                if needs:
                    out.write(f"    needs: [{', '.join(needs)}]\n")


def write_ninja(path):
    with open(path, "w") as out:
        out.write("rule run\n  command = true\n\n")
        for layer in range(LAYERS):
            for index in range(WIDTH):
                inputs = " ".join(needs_of(layer, index))
                out.write(f"build {step_id(layer, index)}: run{' | ' + inputs if inputs else ''}\n")
        out.write("\ndefault " + " ".join(step_id(LAYERS - 1, i) for i in range(WIDTH)) + "\n")


def timed(command, cwd=None):
    """Runs a command; returns (wall seconds, peak RSS in MB of the process tree's largest member)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    err = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(command)} failed with {code}:\n{err}")
    return wall, usage.ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baton", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "baton"))
    parser.add_argument("--peer", help="another baton binary to run side by side")
    args = parser.parse_args()
    baton = os.path.abspath(args.baton)
    if not os.path.exists(baton):
        sys.exit(f"no baton binary at {baton}; run: swift build -c release --static-swift-stdlib")
    ninja = shutil.which("ninja")
    if not ninja:
        sys.exit("ninja is not installed; run: apt-get install ninja-build")

    work = tempfile.mkdtemp(prefix="baton-bench-")
    workflow = os.path.join(work, "bench.yaml")
    write_baton(workflow)
    write_ninja(os.path.join(work, "build.ninja"))
    big = os.path.join(work, "big.yaml")
    write_baton(big, layers=500)

    baton_times, ninja_times, baton_rss, peer_times = [], [], [], []
    for run in range(args.runs):
        # Alternate the two so that machine noise hits both alike.
        if os.path.exists(os.path.join(work, ".ninja_log")):
            os.remove(os.path.join(work, ".ninja_log"))
        wall, _ = timed([ninja, "-j2", "-C", work])
        ninja_times.append(wall)
        state = os.path.join(work, f"state-{run}")
        wall, rss = timed([baton, "run", workflow, "--headless", "--state-dir", state])
        baton_times.append(wall)
        baton_rss.append(rss)
        events = open(os.path.join(state, "runs", os.listdir(os.path.join(state, "runs"))[0], "events.jsonl")).read().count("\n")
        peer = ""
        if args.peer:
            wall, _ = timed([os.path.abspath(args.peer), "run", workflow, "--headless", "--state-dir", state + "-peer"])
            peer_times.append(wall)
            peer = f"  peer {wall:.3f}s"
        print(f"run {run + 1}: ninja {ninja_times[-1]:.3f}s  baton {baton_times[-1]:.3f}s{peer}  "
              f"({events} journal events, peak RSS {rss:.1f} MB)")

    load_times = []
    for _ in range(args.runs):
        wall, _ = timed([baton, "validate", big])
        load_times.append(wall)

    ninja_median = statistics.median(ninja_times)
    baton_median = statistics.median(baton_times)
    print()
    print(f"1,000 steps, 50 layers of 20, -j2, {args.runs} runs each (median):")
    print(f"  ninja -j2            {ninja_median:.3f}s")
    print(f"  baton run --headless {baton_median:.3f}s   ratio {baton_median / ninja_median:.2f}× (target ≤ 1.20×)")
    if peer_times:
        peer_median = statistics.median(peer_times)
        print(f"  peer  run --headless {peer_median:.3f}s   ratio {peer_median / ninja_median:.2f}×")
    print(f"  baton peak RSS       {max(baton_rss):.1f} MB (target ≤ 60 MB)")
    print(f"10,000-step file, baton validate (whole process): median {statistics.median(load_times):.3f}s (target < 0.3s)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
