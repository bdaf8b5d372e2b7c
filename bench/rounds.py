"""Timing rounds shared by the benchmarks: each variant once per round, taking turns at going
first, so that the machine's noise hits them alike."""
import time


def run_rounds(variants, runs):
    """Runs `variants` (a list of (name, body)) `runs` times each; body(round) does one run.
    Prints each round's times and returns every variant's times by name."""
    times = {name: [] for name, _ in variants}
    for round_ in range(runs):
        shift = round_ % len(variants)
        for name, body in variants[shift:] + variants[:shift]:
            start = time.perf_counter()
            body(round_)
            times[name].append(time.perf_counter() - start)
        print(f"run {round_ + 1}: " + "  ".join(f"{name} {times[name][-1]:.3f}s" for name, _ in variants))
    return times
