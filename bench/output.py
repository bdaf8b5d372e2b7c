#!/usr/bin/env python3
"""Output benchmark: how fast a chatty step runs under Baton, and how much memory Baton uses.

Each case is one step run by `baton run --headless` (journal and log on disk). Its time is the
step's own, from the journal (`running` to its end), next to the same command with its output
sent to a file, in the same run. Peak RSS is Baton's (ru_maxrss from wait4; for a child that
Python starts with vfork it also counts this script's own peak, about 10 MB, which is below
Baton's). With --peer, a
second Baton binary (for example the previous commit's) runs every case too, side by side;
a run that passes --timeout is killed and shown as such.

Cases:
  seq        seq 1 1000000                              target: ≤ 10× the time to a file
  4k-lines   --lines-mb MB of 4 KiB lines               target: ≥ 300 MB/s
  short-1g   1 GB of 2-byte lines (yes)                  target: peak RSS < 64 MB
  line-100m  one 100 MB line                             target: peak RSS < 64 MB
  random-50m 50 MB from /dev/urandom                     target: peak RSS < 64 MB
  fail-100m  one 100 MB line, then the step fails: the   target: peak RSS < 64 MB
             headless summary shows the end of its log

Usage: bench/output.py [--baton PATH] [--peer PATH] [--runs N] [--timeout S] [--cases a,b]
Build first: swift build -c release
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

LINE_4K = "head -c 4095 /dev/zero | tr '\\0' x"

CASES = {
    "seq": "seq 1 1000000",
    "4k-lines": None,  # filled in from --lines-mb
    "short-1g": "yes | head -c 1000000000",
    "line-100m": "head -c 100000000 /dev/zero | tr '\\0' x; echo",
    "random-50m": "head -c 50000000 /dev/urandom",
    "fail-100m": "head -c 100000000 /dev/zero | tr '\\0' x; echo; exit 1",
}


def write_workflow(path, command):
    with open(path, "w") as out:
        out.write("name: output-bench\nsteps:\n  out:\n")
        out.write(f"    run: {json.dumps(command)}\n")


def run_to_file(command, work):
    """Seconds for the command with its output sent to a file."""
    target = os.path.join(work, "to-file.out")
    start = time.perf_counter()
    subprocess.run(["sh", "-c", f"{{ {command}\n}} > {target}"])
    wall = time.perf_counter() - start
    size = os.path.getsize(target)
    os.remove(target)
    return wall, size


def run_baton(baton, command, work, timeout):
    """(step seconds or None, whole-process seconds, peak RSS MB, log bytes, killed)."""
    workflow = os.path.join(work, "wf.yaml")
    write_workflow(workflow, command)
    state = tempfile.mkdtemp(prefix="state-", dir=work)
    start = time.perf_counter()
    process = subprocess.Popen([baton, "run", workflow, "--headless", "--state-dir", state],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    killed = False
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid == process.pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(process.pid, 9)
            _, status, usage = os.wait4(process.pid, 0)
            killed = True
            break
        time.sleep(0.01)
    wall = time.perf_counter() - start
    step = None
    log_bytes = 0
    runs = os.path.join(state, "runs")
    for run in os.listdir(runs) if os.path.isdir(runs) else []:
        events = os.path.join(runs, run, "events.jsonl")
        began = ended = None
        for line in open(events):
            event = json.loads(line)
            if event.get("step") == "out" and event.get("state") == "running":
                began = event["time"]
            elif event.get("step") == "out" and event.get("state") in ("succeeded", "failed"):
                ended = event["time"]
        if began is not None and ended is not None and not killed:
            step = ended - began
        log = os.path.join(runs, run, "logs", "out.log")
        if os.path.exists(log):
            log_bytes = os.path.getsize(log)
    shutil.rmtree(state, ignore_errors=True)
    return step, wall, usage.ru_maxrss / 1024, log_bytes, killed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(__file__)
    parser.add_argument("--baton", default=os.path.join(here, "..", ".build", "release", "baton"))
    parser.add_argument("--peer", help="another baton binary to run side by side (e.g. the previous commit's)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a Baton run is killed")
    parser.add_argument("--lines-mb", type=int, default=1000, help="MB of 4 KiB lines in the 4k-lines case")
    parser.add_argument("--cases", default=",".join(CASES))
    args = parser.parse_args()
    binaries = [("baton", os.path.abspath(args.baton))]
    if args.peer:
        binaries.append(("peer", os.path.abspath(args.peer)))
    for _, path in binaries:
        if not os.path.exists(path):
            sys.exit(f"no baton binary at {path}; run: swift build -c release")
    CASES["4k-lines"] = f"yes \"$({LINE_4K})\" | head -c {args.lines_mb * 1_000_000}"

    work = tempfile.mkdtemp(prefix="baton-output-bench-")
    rows = []
    for case in args.cases.split(","):
        command = CASES[case]
        file_times, size = [], 0
        results = {name: [] for name, _ in binaries}
        for run in range(args.runs):
            # Alternate so that machine noise hits every contender alike.
            wall, size = run_to_file(command, work)
            file_times.append(wall)
            for name, path in binaries:
                results[name].append(run_baton(path, command, work, args.timeout))
            print(f"{case} run {run + 1}: to a file {wall:.3f}s  " + "  ".join(
                f"{name} " + ("killed" if r[-1][4] else f"step {r[-1][0]:.3f}s") + f" ({r[-1][1]:.2f}s whole, {r[-1][2]:.1f} MB RSS)"
                for name, r in results.items()), flush=True)
        rows.append((case, size, statistics.median(file_times), results))

    print()
    print(f"{'case':<11} {'output':>9} {'to file':>8}  {'binary':<6} {'step':>9} {'whole':>8} {'ratio':>8} {'MB/s':>8} {'peak RSS':>9}")
    for case, size, to_file, results in rows:
        for name, runs in results.items():
            finished = [r for r in runs if not r[4] and r[0] is not None]
            rss = max(r[2] for r in runs)
            if finished:
                step = statistics.median(r[0] for r in finished)
                whole = statistics.median(r[1] for r in finished)
                ratio = f"{step / to_file:.1f}×"
                speed = f"{size / 1e6 / step:.0f}" if step > 0 else "-"
                step_text, whole_text = f"{step:.3f}s", f"{whole:.2f}s"
            else:
                step_text, whole_text, ratio, speed = f">{args.timeout:.0f}s", "killed", "-", "-"
            print(f"{case:<11} {size / 1e6:>7.1f}MB {to_file:>7.3f}s  {name:<6} {step_text:>9} {whole_text:>8} {ratio:>8} {speed:>8} {rss:>7.1f}MB")
    print()
    print("targets: seq step ≤ 10× to a file; 4k-lines ≥ 300 MB/s; peak RSS < 64 MB in every case")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
