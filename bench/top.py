#!/usr/bin/env python3
"""`baton top` benchmark: CPU while nothing changes, and key-to-screen latency.

1. Records RUNS runs (default 100) into a fresh state directory with `baton run --headless`:
   workflows of 2 to 30 steps, a quarter of them failing, so journals hold a few to about 120
   events each. Then starts LIVE headless runs (default 10) whose second step sleeps for an
   hour, so a Baton serves each of them (host.sock) and their clocks run.
2. CPU while idle: `baton top` in tmux (120×40, LANG=C.UTF-8) on the state directory, first
   with only the recorded runs (nothing live: no row shows a running time, so top should not
   wake at all), then with the live runs too (a row's time changes once a second, so top
   redraws once a second). Each is read from /proc/<pid>/stat (utime+stime) over S seconds
   (default 60), with /proc/<pid>/task/*/schedstat as a finer cross-check (a lower bound: a
   thread that ends meanwhile is missed). Target: at most 1%.
3. Key to screen: with the recorded and the live runs, `j` is sent K times (default 40) and
   after each the screen is polled with `tmux capture-pane -p -e` until the selected row (the
   row drawn with the theme's selection background) shows the next run. Target: at most
   50 ms. The figure includes one `tmux send-keys` and is quantised by one `capture-pane`,
   both reported.
4. A storm: a 1,000-step run of `true` steps, two at a time, is recorded into the state
   directory while top watches; top's CPU use meanwhile is reported (no target).

Every tmux command goes to a private server (-L bench-<random>).

Usage: bench/top.py [--runs N] [--live N] [--idle-seconds S] [--keys K] [--build DIR]
Build first: swift build -c release --product baton
"""
import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The console benchmark's tmux session (120x40), percentile and process CPU time.
from console import CLOCK_TICKS, Tmux, percentile, process_cpu_seconds  # noqa: E402

ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# The dark theme's selection background (themes/dark.yaml: selection bg 24).
SELECTED = "48;5;24m"


def write_recorded_workflow(path, index):
    steps = 2 + (index * 7) % 29
    fails = index % 4 == 3
    with open(path, "w") as out:
        out.write(f"name: recorded-{index % 13}\nconcurrency: 2\non_failure: stop\nsteps:\n")
        for step in range(steps):
            command = "exit 1" if fails and step == steps // 2 else "true"
            out.write(f"  s{step:02d}:\n    run: \"{command}\"\n")
            if step:
                out.write(f"    needs: [s{step - 1:02d}]\n")


def write_live_workflow(path):
    with open(path, "w") as out:
        out.write("name: live-rollout\nsteps:\n  prepare:\n    run: \"true\"\n"
                  "  roll:\n    run: \"sleep 3600\"\n    needs: [prepare]\n"
                  "  verify:\n    run: \"true\"\n    needs: [roll]\n")


def thread_run_ns(pid):
    """On-CPU ns of each current thread, from /proc/<pid>/task/*/schedstat."""
    times = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as schedstat:
                times[task] = int(schedstat.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return times


def run_ns_between(before, after):
    """On-CPU ns between two readings: threads alive at both, plus what threads born since used
    (a thread that ended meanwhile is missed, so this is a lower bound)."""
    return sum(after[task] - before.get(task, 0) for task in after)


def selected_run(screen_with_escapes):
    """The run id on the row drawn with the selection background, if any."""
    for line in screen_with_escapes.split("\n"):
        if SELECTED in line:
            text = ESCAPE.sub("", line)
            match = re.search(r"\d{8}-\d{6}-[0-9a-f]{4}", text)
            if match:
                return match.group(0)
    return None


def measure_idle(tmux, pid, seconds, label):
    time.sleep(2.0)  # let the first frames settle
    threads = len(os.listdir(f"/proc/{pid}/task"))
    start_cpu, start_ns, start_wall = process_cpu_seconds(pid), thread_run_ns(pid), time.monotonic()
    time.sleep(seconds)
    cpu, ns, wall = process_cpu_seconds(pid) - start_cpu, run_ns_between(start_ns, thread_run_ns(pid)), time.monotonic() - start_wall
    percent = 100 * cpu / wall
    print(f"  {label}: baton top pid {pid} ({threads} threads): utime+stime {cpu * 1000:.0f} ms in {wall:.1f} s = {percent:.3f}%"
          f" (one tick is {1000 / CLOCK_TICKS:.0f} ms); schedstat {ns / 1e6:.1f} ms = {ns / 1e7 / wall:.3f}%")
    return percent, ns / 1e7 / wall


def write_busy_workflow(path, steps=1000):
    """Quick steps, two at a time: the journal grows by thousands of events a second."""
    with open(path, "w") as out:
        out.write("name: busy\nconcurrency: 2\nsteps:\n")
        for index in range(steps):
            out.write(f"  s{index:04d}:\n    run: \"true\"\n")
            if index >= 2:
                out.write(f"    needs: [s{index - 2:04d}]\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=100, help="recorded runs (default 100)")
    parser.add_argument("--live", type=int, default=10, help="live runs (default 10)")
    parser.add_argument("--idle-seconds", type=float, default=60, help="how long to measure idle CPU (default 60)")
    parser.add_argument("--keys", type=int, default=40, help="keys to time (default 40)")
    parser.add_argument("--build", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release"))
    args = parser.parse_args()
    baton = os.path.join(os.path.abspath(args.build), "baton")
    if not os.access(baton, os.X_OK):
        sys.exit(f"no baton binary at {baton}; run: swift build -c release --product baton")
    if not shutil.which("tmux"):
        sys.exit("tmux is not installed; run: apt-get install tmux")
    if args.keys >= args.runs + args.live:
        sys.exit("--keys must be fewer than the runs listed")

    work = tempfile.mkdtemp(prefix="baton-top-bench-")
    state = os.path.join(work, "state")
    live = []
    tmux = Tmux()
    load_before = os.getloadavg()
    try:
        print(f"== recording {args.runs} runs into {state}")
        started = time.monotonic()
        workflow = os.path.join(work, "recorded.yaml")
        for index in range(args.runs):
            write_recorded_workflow(workflow, index)
            subprocess.run([baton, "run", workflow, "--headless", "--state-dir", state],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        events = sum(sum(1 for _ in open(os.path.join(state, "runs", run, "events.jsonl")))
                     for run in os.listdir(os.path.join(state, "runs")))
        print(f"  {args.runs} runs, {events} journal events, in {time.monotonic() - started:.1f} s")

        begin = time.monotonic()
        tmux.start([baton, "top", "--state-dir", state])
        tmux.wait_for("the recorded runs", lambda screen: f"{args.runs} runs" in screen, limit=60)
        first_screen = time.monotonic() - begin
        print(f"  baton top listed them {first_screen * 1000:.0f} ms after it started (polled every 50 ms)")
        pid = tmux.pane_pid()
        print(f"\n== CPU while idle, {args.idle_seconds:.0f} s each")
        idle, idle_fine = measure_idle(tmux, pid, args.idle_seconds, f"{args.runs} recorded, 0 live")

        live_file = os.path.join(work, "live.yaml")
        write_live_workflow(live_file)
        for _ in range(args.live):
            live.append(subprocess.Popen([baton, "run", live_file, "--headless", "--state-dir", state],
                                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                         start_new_session=True))
        total = args.runs + args.live
        tmux.wait_for("the live runs", lambda screen: f"{total} runs · {args.live} live" in screen, limit=60)
        ticking, ticking_fine = measure_idle(tmux, pid, args.idle_seconds, f"{args.runs} recorded, {args.live} live (clocks running)")

        print(f"\n== key to screen: {args.keys} × j, polling capture-pane -e for the selected row")
        capture_costs = []
        for _ in range(30):
            begin = time.perf_counter()
            tmux.capture(escapes=True)
            capture_costs.append((time.perf_counter() - begin) * 1000)
        tmux.send("g")
        time.sleep(0.3)
        previous = selected_run(tmux.capture(escapes=True))
        if previous is None:
            raise RuntimeError("cannot find the selected row on the screen")
        latencies, sends = [], []
        for number in range(args.keys):
            time.sleep(0.15)  # top is back asleep in poll() when the key arrives
            begin = time.perf_counter()
            tmux.send("j")
            sends.append((time.perf_counter() - begin) * 1000)
            while True:
                current = selected_run(tmux.capture(escapes=True))
                elapsed = (time.perf_counter() - begin) * 1000
                if current is not None and current != previous:
                    break
                if elapsed > 2000:
                    raise RuntimeError(f"key {number + 1}: the selection is still on {previous} after 2 s")
            latencies.append(elapsed)
            previous = current
        print(f"  latencies (ms): {' '.join(f'{value:.1f}' for value in latencies)}")

        print("\n== a storm: a 1,000-step run of quick steps recorded while top watches")
        busy_file = os.path.join(work, "busy.yaml")
        write_busy_workflow(busy_file)
        before, begin = process_cpu_seconds(pid), time.monotonic()
        subprocess.run([baton, "run", busy_file, "--headless", "--state-dir", state],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        storm_wall = time.monotonic() - begin
        tmux.wait_for("the busy run's end", lambda screen: "1000/1000" in screen, limit=60)
        storm_cpu = process_cpu_seconds(pid) - before
        busy_events = sum(1 for _ in open(max((os.path.join(state, "runs", run, "events.jsonl")
                                                for run in os.listdir(os.path.join(state, "runs"))), key=os.path.getmtime)))
        print(f"  the run recorded {busy_events} events in {storm_wall:.2f} s; top used {storm_cpu * 1000:.0f} ms of CPU"
              f" = {100 * storm_cpu / storm_wall:.1f}% meanwhile")
        tmux.send("q")
    finally:
        tmux.kill()
        for process in live:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in live:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()

    def verdict(ok):
        return "ok" if ok else "MISSES"

    print()
    print(f"baton top, release build ({os.cpu_count()} CPUs, load average {load_before[0]:.2f} before, {load_after[0]:.2f} after):")
    print(f"  start to {args.runs} runs listed: {first_screen * 1000:.0f} ms")
    print(f"  CPU, {args.runs} recorded runs, none live, {args.idle_seconds:.0f} s: {idle:.3f}% (schedstat {idle_fine:.3f}%) "
          f"(target ≤ 1%) {verdict(idle <= 1)}")
    print(f"  CPU, {args.runs} recorded + {args.live} live, clocks running, {args.idle_seconds:.0f} s: {ticking:.3f}% "
          f"(schedstat {ticking_fine:.3f}%) (target ≤ 1%) {verdict(ticking <= 1)}")
    p95 = percentile(latencies, 0.95)
    print(f"  key to screen, {len(latencies)} keys, {args.runs + args.live} runs listed: min {min(latencies):.1f}  "
          f"median {statistics.median(latencies):.1f}  p95 {p95:.1f} ms (target ≤ 50 ms) {verdict(p95 <= 50)}")
    print(f"    (includes one send-keys, median {statistics.median(sends):.1f} ms; polling granularity is one "
          f"capture-pane -e, median {statistics.median(capture_costs):.1f} ms)")
    print(f"  while a run records {busy_events} events in {storm_wall:.2f} s: {100 * storm_cpu / storm_wall:.1f}% CPU "
          f"(no target; it shows that the rows follow a storm without drowning in it)")


if __name__ == "__main__":
    main()
