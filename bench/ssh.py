#!/usr/bin/env python3
"""SSH benchmark: Baton's SSH executor against a shell loop making the same ssh calls, in one run.

A fleet of 20 loopback sshd servers (demo/fleet/start-fleet.sh) stands in for 20 hosts. Each
host gets 5 steps, one after another; the 20 hosts go in parallel. The peer is a shell loop
that makes the same calls, `ssh HOST 'sh -s'` with a one-line script on stdin, 5 in a row
per host and the 20 hosts in parallel, over the same multiplexed connections (ControlMaster
auto, ControlPersist). Baton runs headless, with its journal and logs on disk, fsync
included. The two take turns at going first in each round; medians are reported.

Also reported: Baton's peak memory (maximum resident set size, from wait4) with 100 remote
steps in flight: 20 hosts x 5 steps that all sleep 2 s at once.

Usage: bench/ssh.py [--runs N] [--baton PATH]
Build first: swift build -c release --product baton. Needs openssh-server, as root.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

from rounds import run_rounds

HOSTS = 20
STEPS = 5
ROOT = os.path.dirname(os.path.abspath(__file__))


def write_chain_workflow(path, config, sleep=None, parallel=False):
    with open(path, "w") as out:
        out.write(f"name: ssh-bench\nconcurrency: {HOSTS * STEPS}\nssh_config: {config}\nhosts:\n")
        for host in range(1, HOSTS + 1):
            out.write(f"  web{host}: web{host}\n")
        out.write("steps:\n")
        command = f"sleep {sleep}" if sleep else "true"
        for host in range(1, HOSTS + 1):
            for step in range(1, STEPS + 1):
                out.write(f"  h{host}-s{step}:\n    on: web{host}\n    run: {command}\n")
                if step > 1 and not parallel:
                    out.write(f"    needs: [h{host}-s{step - 1}]\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baton", default=os.path.join(ROOT, "..", ".build", "release", "baton"))
    args = parser.parse_args()
    baton = os.path.abspath(args.baton)
    if not os.path.exists(baton):
        sys.exit(f"no binary at {baton}; run: swift build -c release --product baton")
    work = tempfile.mkdtemp(prefix="baton-ssh-bench-")
    fleet = os.path.join(work, "fleet")
    subprocess.run([os.path.join(ROOT, "..", "demo", "fleet", "start-fleet.sh"), "-n", str(HOSTS), "-d", fleet],
                   check=True, stdout=subprocess.DEVNULL)
    config = os.path.join(fleet, "ssh_config")
    control = os.path.join(work, "control")
    os.makedirs(control, mode=0o700)
    try:
        chain = os.path.join(work, "chain.yaml")
        write_chain_workflow(chain, config)
        wide = os.path.join(work, "wide.yaml")
        write_chain_workflow(wide, config, sleep=2, parallel=True)
        options = f"-F {config} -T -o BatchMode=yes -o ControlMaster=auto -o ControlPath={control}/%C -o ControlPersist=60"
        loop = (f"for h in $(seq 1 {HOSTS}); do ( for s in $(seq 1 {STEPS}); do "
                f"echo true | ssh {options} web$h 'sh -s' || exit 1; done ) & done; wait")

        def run_loop(round_):
            subprocess.run(["/bin/sh", "-c", loop], check=True, stdout=subprocess.DEVNULL)

        def run_baton(round_):
            state = os.path.join(work, f"state-{round_}")
            subprocess.run([baton, "run", chain, "--headless", "--state-dir", state],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=True)
            shutil.rmtree(state, ignore_errors=True)

        # Both sides open their masters before the first timed round.
        run_loop(-1)
        run_baton(-1)
        variants = [("shell loop of ssh calls", run_loop), ("baton, ssh executor", run_baton)]
        times = run_rounds(variants, args.runs)
        loop_median = statistics.median(times["shell loop of ssh calls"])
        print()
        print(f"{HOSTS} hosts x {STEPS} steps in a row, hosts in parallel, {args.runs} runs each (median wall time):")
        for name, _ in variants:
            median = statistics.median(times[name])
            print(f"  {name:28s} {median:.3f}s   {median / loop_median:5.2f}x the shell loop")

        state = os.path.join(work, "state-wide")
        process = subprocess.Popen([baton, "run", wide, "--headless", "--state-dir", state],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        print(f"peak memory with {HOSTS * STEPS} remote steps in flight: {usage.ru_maxrss / 1024:.1f} MB"
              f" (exit {os.waitstatus_to_exitcode(status)})")
    finally:
        subprocess.run([os.path.join(ROOT, "..", "demo", "fleet", "start-fleet.sh"), "stop", "-d", fleet],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["/bin/sh", "-c", f"for s in {control}/*; do [ -S \"$s\" ] && ssh -o ControlPath=\"$s\" -O exit x; done"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
