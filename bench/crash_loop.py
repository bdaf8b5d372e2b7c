#!/usr/bin/env python3
"""Crash loop: SIGKILL Baton at random instants of a run, resume it each time, count repeats.

The workflow: 200 steps that are not idempotent, in two chains of 100; each step appends a
line to its own marker file as its last act. `baton run --headless` starts the run and is
killed at a random instant; then, again and again, `crash-operator` takes the run up (the
engine's resume, with an operator who skips an interrupted step whose marker exists and
retries one whose marker does not) and is killed at a random instant too. The last resume
runs to the end; if a run ended before it took --kills kills, another run takes the rest. A
step whose marker has two lines ran twice; one with none never ran. Both counts must be 0.

Usage: bench/crash_loop.py [--kills N] [--seed S] [--max-delay SECONDS] [--baton PATH] [--operator PATH]
Build first: swift build -c release --product baton --product crash-operator (or pass the
debug binaries).
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

STEPS = 200


def write_workflow(path, markers):
    with open(path, "w") as out:
        out.write("name: crash-loop\nconcurrency: 2\nsteps:\n")
        for index in range(STEPS):
            chain, position = index % 2, index // 2
            out.write(f"  c{chain}_{position:03d}:\n")
            out.write(f"    run: echo ok >> '{markers}/'$BATON_STEP\n")
            if position > 0:
                out.write(f"    needs: [c{chain}_{position - 1:03d}]\n")


def resumes(journal):
    """How many resumes the journal records."""
    try:
        with open(journal) as text:
            return text.read().count('"run_reopened"')
    except OSError:
        return 0


def kill_after(command, delay, journal=None):
    """Starts command and SIGKILLs it delay seconds later, counted from when it has recorded its
    resume in journal if one is given; returns its exit status and what it printed on stderr."""
    before = resumes(journal) if journal else 0
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while journal and resumes(journal) == before and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
    process.wait()
    return process.returncode, process.stderr.read().decode(errors="replace")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--max-delay", type=float, default=0.004,
                        help="the longest a resume lives before its kill, in seconds (default 0.004)")
    parser.add_argument("--baton", default=os.path.join(here, "..", ".build", "release", "baton"))
    parser.add_argument("--operator", default=os.path.join(here, "..", ".build", "release", "crash-operator"))
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    for binary in (args.baton, args.operator):
        if not os.access(binary, os.X_OK):
            sys.exit(f"{binary} is not built; see --help")

    started = time.monotonic()
    totals = {"kills": 0, "twice": 0, "never": 0, "events": 0, "resumes": 0, "cut": 0, "runs": 0}
    # One run of the workflow may end before it has taken every kill: then another run starts.
    while totals["kills"] < args.kills:
        one = crash_one_run(args, rng, args.kills - totals["kills"])
        for key, value in one.items():
            totals[key] += value
        totals["runs"] += 1
    print(f"seed {seed}: {totals['kills']} SIGKILLs over {totals['runs']} run(s) of {STEPS} steps, "
          f"{totals['events']} journal events, {totals['resumes']} resumes recorded, "
          f"{totals['cut']} steps cut off mid-run by a kill, {time.monotonic() - started:.1f}s")
    print(f"  steps run twice: {totals['twice']}")
    print(f"  steps never run: {totals['never']}")
    sys.exit(0 if totals["twice"] == 0 and totals["never"] == 0 else 1)


def crash_one_run(args, rng, kills_wanted):
    """Runs the workflow once to its end through up to kills_wanted kills; returns the counts."""
    work = tempfile.mkdtemp(prefix="baton-crash-loop-")
    markers = os.path.join(work, "markers")
    state = os.path.join(work, "state")
    os.makedirs(markers)
    workflow = os.path.join(work, "crash-loop.yaml")
    write_workflow(workflow, markers)

    kills = 0
    # The first kill lands once the run is recorded, so that there is a run to resume.
    first = subprocess.Popen([args.baton, "run", workflow, "--headless", "--state-dir", state],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    runs = []
    while not runs and first.poll() is None:
        runs = os.listdir(os.path.join(state, "runs")) if os.path.isdir(os.path.join(state, "runs")) else []
        time.sleep(0.002)
    time.sleep(rng.uniform(0.01, 0.05))
    first.send_signal(signal.SIGKILL)
    status = first.wait()
    kills += status == -signal.SIGKILL
    runs = os.listdir(os.path.join(state, "runs"))
    run = os.path.join(state, "runs", runs[0])
    finished = status == 0
    while kills < kills_wanted and not finished:
        # Every other kill lands at a random instant of the resume's start; the others a random
        # while after it has recorded the resume, while it runs steps.
        journal = os.path.join(run, "events.jsonl") if kills % 2 == 0 else None
        status, errors = kill_after([args.operator, run, markers], rng.uniform(0.0, args.max_delay), journal)
        if status == -signal.SIGKILL:
            kills += 1
        elif status == 0:
            finished = True
        else:
            sys.exit(f"crash-operator failed ({status}): {errors}")
    if not finished:
        status, errors = kill_after([args.operator, run, markers], 120)
        if status != 0:
            sys.exit(f"the last resume did not succeed ({status}): {errors}")

    twice = never = 0
    for chain in range(2):
        for position in range(STEPS // 2):
            path = os.path.join(markers, f"c{chain}_{position:03d}")
            lines = open(path).read().count("\n") if os.path.exists(path) else 0
            twice += lines > 1
            never += lines == 0
    with open(os.path.join(run, "events.jsonl")) as journal:
        events = [json.loads(line) for line in journal]
    shutil.rmtree(work, ignore_errors=True)
    return {
        "kills": kills, "twice": twice, "never": never, "events": len(events),
        "resumes": sum(1 for event in events if event["kind"] == "run_reopened"),
        "cut": sum(1 for event in events if event.get("state") == "interrupted"),
    }


if __name__ == "__main__":
    main()
