"""Where sales_qms spends its time when an order is confirmed and its delivery
validated: cProfile of the runs of bench_confirm_validate.py.

    /var/cache/sales_qms/venv/bin/python benchmarks/profile_confirm_validate.py \\
        -c /var/cache/sales_qms/odoo-<hash>.conf --plain <db> --qms <db> [--runs 5]

Prints, per step:
- the Python function calls of plain Odoo and of sales_qms (a count that the load
  of a shared machine does not change);
- every sales_qms method that ran, with its own time: its cumulative time less
  the time of the method it extends (``super()``), as a share of the step;
- the core functions called more often with sales_qms than without.
Profiling slows everything down about twice: the shares matter, not the times.
"""

import argparse
import cProfile
import pstats
from contextlib import ExitStack
from pathlib import Path

import bench_confirm_validate as bench

from odoo.tools import config

ADDON = str(Path(__file__).resolve().parent.parent / "sales_qms")


class Profiled(bench.Bench):
    """A Bench whose measured steps run under cProfile, one profile per step."""

    def __init__(self, *args):
        super().__init__(*args)
        self.profiles = {step: cProfile.Profile() for step in bench.STEPS}
        self.profiling = False

    def run(self, keep=True):
        self.profiling = keep
        super().run(keep)


def profiled_measure(original):
    def measure(env, fn, pg_cpu):
        owner = CURRENT[0]
        step = bench.STEPS[len(owner.steps_done) % 2]
        owner.steps_done.append(step)
        if not owner.profiling:
            return original(env, fn, pg_cpu)
        profile = owner.profiles[step]
        # what earlier steps left to compute is not part of the measured step
        env.flush_all()
        profile.enable()
        try:
            return original(env, fn, pg_cpu)
        finally:
            profile.disable()

    return measure


CURRENT = [None]


def own_times(stats):
    """{sales_qms function: (calls, cumulative, own)}: own = cumulative less the
    cumulative time of the functions of the same name it calls (its super())."""
    callees = {}
    for func, (_cc, _nc, _tt, _ct, callers) in stats.stats.items():
        for caller, (_c, _n, _t, ct) in callers.items():
            callees.setdefault(caller, []).append((func, ct))
    result = {}
    for func, (_cc, nc, _tt, ct, _callers) in stats.stats.items():
        if not func[0].startswith(ADDON):
            continue
        supers = sum(t for callee, t in callees.get(func, ()) if callee[2] == func[2])
        result[func] = (nc, ct, ct - supers)
    return result


def report(plain, qms, runs):
    for step in bench.STEPS:
        p = pstats.Stats(plain.profiles[step])
        q = pstats.Stats(qms.profiles[step])
        step_time = q.total_tt / runs
        print(
            f"\n{step}: Python function calls per run: plain {p.total_calls // runs:,}"
            f", sales_qms {q.total_calls // runs:,} "
            f"({q.total_calls / p.total_calls - 1:+.1%}); "
            f"profiled time per run {step_time * 1e3:.0f} ms"
        )
        print(
            f"  {'own ms':>7} {'share':>6} {'cum ms':>7} {'calls':>6}  sales_qms method"
        )
        rows = sorted(own_times(q).items(), key=lambda item: -item[1][2])
        total = 0.0
        for (path, line, name), (calls, cum, own) in rows:
            if own / runs < 0.0005:
                continue
            total += own
            print(
                f"  {own / runs * 1e3:7.1f} {own / q.total_tt:6.1%} "
                f"{cum / runs * 1e3:7.1f} {calls // runs:6}  "
                f"{path[len(ADDON) + 1 :]}:{line} {name}"
            )
        print(
            f"  {total / runs * 1e3:7.1f} {total / q.total_tt:6.1%}  sum (nested "
            "methods counted in their callers too)"
        )
        more = []
        for func, (_cc, nc, _tt, ct, _callers) in q.stats.items():
            if func[0].startswith(ADDON):
                continue
            base = p.stats.get(func, (0, 0, 0.0, 0.0, {}))
            more.append((nc - base[1], func, ct - base[3]))
        more.sort(key=lambda row: -row[0])
        print("  core functions called more often with sales_qms (per run):")
        for extra, (path, line, name), _ct in more[:12]:
            short = path.split("/odoo/", 1)[-1] if "/odoo/" in path else path
            print(f"  {extra // runs:+8}  {short}:{line} {name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--plain", required=True)
    parser.add_argument("--qms", required=True)
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.qms, "--log-level=warn"])
    bench.measure = profiled_measure(bench.measure)
    with ExitStack() as stack:
        benches = []
        for database in (args.plain, args.qms):
            b = Profiled(stack, database, args.lines)
            b.steps_done = []
            benches.append(b)
        plain, qms = benches
        for b in (plain, qms):
            CURRENT[0] = b
            b.run(keep=False)
            for _i in range(args.runs):
                b.run()
        report(plain, qms, args.runs)


if __name__ == "__main__":
    main()
