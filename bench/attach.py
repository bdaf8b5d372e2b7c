#!/usr/bin/env python3
"""Attach benchmark: a live run served to many clients, side by side with ninja, in one run.

1. Twenty clients. The scheduler benchmark's 1,000-step graph (50 layers of 20 steps that run
   `true`, two at a time), behind an approval gate. Baton runs it headless with no terminal,
   so the gate waits; then no client, or 20 clients attach to the run's socket — 19 `baton
   watch` processes, or 19 readers on one thread that take the stream (output included)
   without decoding it, to tell the host's cost from the clients' own, plus one protocol
   client that times each event — and the gate is approved with `baton approve`. Timed: from
   the approval to Baton's exit. ninja -j2 runs the same graph in the same rounds, and the
   three Baton variants take turns at going first, so noise hits them all alike; the slowdown
   is also given as the median of each round's own ratio.
2. Event latency: for every event that protocol client receives, the time from the engine
   stamping it (its `time`, before it is synced) to the client reading it off the socket.
3. First frame: a live run of 10,000 steps (500 layers of 20, all succeeded, a gate waiting),
   and `baton-bench attach`, which does what `baton attach` does before it first draws —
   connect, read the stored workflow, watch until `live`, fold the journal, read the logs, lay
   out the graph, render the whole 200x50 screen — timed in-process without the terminal.

Usage: bench/attach.py [--runs N] [--baton PATH] [--bench PATH]
Build first: swift build -c release --product baton; swift build -c release --product baton-bench
"""
import argparse
import json
import os
import selectors
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from scheduler import LAYERS, WIDTH, needs_of, step_id, write_baton, write_ninja  # noqa: E402


def write_gated(path, layers):
    """The scheduler benchmark's graph, every first-layer step behind the gate `go`."""
    with open(path, "w") as out:
        out.write("name: attach-bench\nconcurrency: 2\nsteps:\n  go:\n    approval: true\n")
        for layer in range(layers):
            for index in range(WIDTH):
                out.write(f"  {step_id(layer, index)}:\n    run: \"true\"\n")
                needs = needs_of(layer, index) or ["go"]
                out.write(f"    needs: [{', '.join(needs)}]\n")


def write_finished_behind_gate(path, layers):
    """The scheduler benchmark's graph of `layers` layers, then a gate `hold` that waits once
    they have all run."""
    write_baton(path, layers=layers)
    last = ", ".join(step_id(layers - 1, i) for i in range(WIDTH))
    with open(path, "a") as out:
        out.write(f"  hold:\n    needs: [{last}]\n    approval: true\n")


def start_headless(baton, workflow, state):
    """Starts a headless run with no terminal; returns the process and its run directory."""
    process = subprocess.Popen([baton, "run", workflow, "--headless", "--state-dir", state],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    runs = os.path.join(state, "runs")
    deadline = time.time() + 60
    while time.time() < deadline:
        names = os.listdir(runs) if os.path.isdir(runs) else []
        if names and os.path.exists(os.path.join(runs, names[0], "host.sock")):
            return process, os.path.join(runs, names[0])
        time.sleep(0.01)
    sys.exit("the run's host did not appear")


def wait_until_waiting(run_dir, step, count=None):
    """Waits until the journal shows `step` waiting (and, with count, that many steps succeeded)."""
    journal = os.path.join(run_dir, "events.jsonl")
    deadline = time.time() + 600
    while time.time() < deadline:
        text = open(journal).read()
        if f'"step":"{step}"' in text and '"state":"waiting"' in text and (count is None or text.count('"state":"succeeded"') >= count):
            return
        time.sleep(0.05)
    sys.exit(f"'{step}' never waited")


def connections(path):
    """How many sockets carry `path` in the system: the listener and the host's end of each client."""
    with open("/proc/net/unix", "rb") as table:
        return sum(1 for line in table.read().decode(errors="replace").splitlines() if line.endswith(" " + path))


class RawClients(threading.Thread):
    """Protocol clients that watch the run and read what comes without decoding it, all on
    one thread: the host's side of many clients, with next to none of the clients' own work."""

    def __init__(self, path, count):
        super().__init__(daemon=True)
        self.selector = selectors.DefaultSelector()
        for _ in range(count):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(path)
            sock.sendall(b'{"v":1,"type":"watch","output":true}\n')
            self.selector.register(sock, selectors.EVENT_READ)

    def run(self):
        while self.selector.get_map():
            for key, _ in self.selector.select():
                if not key.fileobj.recv(1 << 20):
                    self.selector.unregister(key.fileobj)
                    key.fileobj.close()


class LatencyClient(threading.Thread):
    """A protocol client that watches the run and notes each event's latency."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.latencies = []

    def run(self):
        self.sock.sendall(b'{"v":1,"type":"watch"}\n')
        buffer = b""
        live = False
        while True:
            data = self.sock.recv(65536)
            if not data:
                return
            now = time.time()
            buffer += data
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                message = json.loads(line)
                if message["type"] == "live":
                    live = True
                elif message["type"] == "event" and live:
                    self.latencies.append(now - message["event"]["time"])
                elif message["type"] == "end":
                    return


def gated_round(baton, workflow, state, clients, raw=False):
    """One run of the gated graph with `clients` attached (`baton watch` processes, or with
    `raw` readers that decode nothing); returns (seconds, Baton's CPU seconds, latencies)."""
    process, run_dir = start_headless(baton, workflow, state)
    wait_until_waiting(run_dir, "go")
    sock = os.path.join(run_dir, "host.sock")
    watchers, latency = [], None
    if clients:
        latency = LatencyClient(sock)
        latency.start()
        if raw:
            RawClients(sock, clients - 1).start()
        else:
            watchers = [subprocess.Popen([baton, "watch", os.path.basename(run_dir), "--state-dir", state],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(clients - 1)]
        deadline = time.time() + 30
        while connections(sock) < 1 + clients and time.time() < deadline:
            time.sleep(0.01)
    start = time.perf_counter()
    subprocess.run([baton, "approve", os.path.basename(run_dir), "go", "--state-dir", state],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    # Baton's CPU time from its start, with its steps' (the children it waited for).
    cpu = usage.ru_utime + usage.ru_stime
    for watcher in watchers:
        watcher.wait()
    if latency:
        latency.join(timeout=30)
    return wall, cpu, (latency.latencies if latency else [])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    here = os.path.join(os.path.dirname(__file__), "..", ".build", "release")
    parser.add_argument("--baton", default=os.path.join(here, "baton"))
    parser.add_argument("--bench", default=os.path.join(here, "baton-bench"))
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    baton, bench = os.path.abspath(args.baton), os.path.abspath(args.bench)
    for binary in (baton, bench):
        if not os.path.exists(binary):
            sys.exit(f"no binary at {binary}; run: swift build -c release --product baton; swift build -c release --product baton-bench")
    ninja = shutil.which("ninja")
    if not ninja:
        sys.exit("ninja is not installed; run: apt-get install ninja-build")

    work = tempfile.mkdtemp(prefix="baton-attach-bench-")
    gated = os.path.join(work, "gated.yaml")
    write_gated(gated, LAYERS)
    write_ninja(os.path.join(work, "build.ninja"))

    alone, crowded, raw_crowded, ninja_times, latencies = [], [], [], [], []
    alone_cpu, crowded_cpu, raw_cpu = [], [], []
    for run in range(args.runs):
        if os.path.exists(os.path.join(work, ".ninja_log")):
            os.remove(os.path.join(work, ".ninja_log"))
        start = time.perf_counter()
        subprocess.run([ninja, "-j2", "-C", work], stdout=subprocess.DEVNULL, check=True)
        ninja_times.append(time.perf_counter() - start)
        # The three take turns at going first: each run's thousands of new files cost the
        # file system more as a round goes on, and no variant should always pay that most.
        variants = [("alone", 0, False), ("crowded", args.clients, False), ("raw", args.clients, True)]
        seen = []
        for name, clients, raw in variants[run % 3:] + variants[:run % 3]:
            wall, cpu, timed = gated_round(baton, gated, os.path.join(work, f"{name}-{run}"), clients, raw=raw)
            walls, cpus = {"alone": (alone, alone_cpu), "crowded": (crowded, crowded_cpu), "raw": (raw_crowded, raw_cpu)}[name]
            walls.append(wall)
            cpus.append(cpu)
            if name == "crowded":
                seen = timed
                latencies += timed
        print(f"run {run + 1}: ninja {ninja_times[-1]:.3f}s  baton alone {alone[-1]:.3f}s  "
              f"baton with {args.clients} watch processes {crowded[-1]:.3f}s  with {args.clients} raw readers {raw_crowded[-1]:.3f}s"
              f"  ({len(seen)} events timed)")

    large = os.path.join(work, "large.yaml")
    write_finished_behind_gate(large, 500)
    state = os.path.join(work, "large")
    process, run_dir = start_headless(baton, large, state)
    wait_until_waiting(run_dir, "hold", count=10_000)
    frame = subprocess.run([bench, "attach", run_dir, "--times", "10"], capture_output=True, text=True)
    subprocess.run([baton, "approve", os.path.basename(run_dir), "hold", "--state-dir", state],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    process.wait()

    ninja_median, alone_median, crowded_median, raw_median = (statistics.median(x) for x in (ninja_times, alone, crowded, raw_crowded))
    print()
    print(f"1,000 steps behind a gate, -j2, {args.runs} runs each (median, from the approval to Baton's exit):")
    print(f"  ninja -j2                      {ninja_median:.3f}s")
    print(f"  baton, no client               {alone_median:.3f}s   ratio {alone_median / ninja_median:.2f}×")
    print(f"  baton, {args.clients} attached clients     {crowded_median:.3f}s   ratio {crowded_median / ninja_median:.2f}×"
          f"   slowdown {100 * (crowded_median / alone_median - 1):+.1f}% (target < 5%; the clients' own work shares the cores)")
    print(f"  baton, {args.clients} raw readers         {raw_median:.3f}s   ratio {raw_median / ninja_median:.2f}×"
          f"   slowdown {100 * (raw_median / alone_median - 1):+.1f}% (the host's side alone)")
    # Each round's variants ran back to back: the median of the rounds' own ratios is the
    # least touched by the machine's load drifting from round to round.
    paired_crowded = statistics.median(c / a for c, a in zip(crowded, alone))
    paired_raw = statistics.median(r / a for r, a in zip(raw_crowded, alone))
    print(f"  per round (median of each round's ratio to baton alone): {args.clients} attached clients {100 * (paired_crowded - 1):+.1f}%,"
          f" {args.clients} raw readers {100 * (paired_raw - 1):+.1f}%")
    cpu_alone, cpu_crowded, cpu_raw = (statistics.median(x) for x in (alone_cpu, crowded_cpu, raw_cpu))
    print(f"  Baton's CPU time with its steps' (median): alone {cpu_alone:.3f}s, with {args.clients} watch processes {cpu_crowded:.3f}s"
          f" ({100 * (cpu_crowded / cpu_alone - 1):+.1f}%), with {args.clients} raw readers {cpu_raw:.3f}s ({100 * (cpu_raw / cpu_alone - 1):+.1f}%)")
    if latencies:
        ordered = sorted(latencies)
        p95 = ordered[int(len(ordered) * 0.95)]
        print(f"event latency, engine to client, {len(ordered)} events: median {1000 * statistics.median(ordered):.1f} ms,"
              f" p95 {1000 * p95:.1f} ms (target: median < 20 ms)")
    print(frame.stdout.strip() or frame.stderr.strip())
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
