"""Run every benchmark case in its own process and print a table (``make bench``).

The exit status is 1 when a case fails or misses a target (time or memory), 0 otherwise; the table is printed
either way.

Peak memory is the process's maximum resident set size (``ru_maxrss``), set-up and interpreter included,
so it is an upper bound on what the timed work needs.
"""

from __future__ import annotations

import argparse
import importlib
import json
import multiprocessing as mp
import os
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402


def _modules(pattern: str) -> list[str]:
    return sorted(p.stem for p in HERE.glob(f"bench_{pattern}.py"))


def _run_case(module: str, index: int, queue) -> None:
    importlib.import_module(module)
    bench = [c for c in harness.CASES if c.setup.__module__ == module][index]
    work = bench.setup()
    times, measures = [], {}
    for _ in range(bench.repeat):
        start = time.perf_counter()
        returned = work()
        times.append(time.perf_counter() - start)
        if isinstance(returned, dict):
            measures = returned
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put({"seconds": min(times), "peak_mib": peak_mib, "measures": measures})


def _measure_verdicts(measures: dict, limits: dict) -> list[tuple[str, object, str]]:
    """Each measure with its verdict against its limit ("-" without one; a missing measure misses)."""
    out = []
    for name in [*measures, *[k for k in limits if k not in measures]]:
        value = measures.get(name)
        if name not in limits:
            out.append((name, value, "-"))
            continue
        op, bound = limits[name]
        ok = isinstance(value, int | float) and (value <= bound if op == "<=" else value >= bound)
        out.append((name, value, f"{'ok' if ok else 'MISS'} ({op} {bound:g})"))
    return out


def _verdict(value: float, target: float | None) -> str:
    if target is None:
        return "-"
    return "ok" if value <= target else "MISS"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="*", help="glob over bench_<area>.py, e.g. 'data' or 'sed*'")
    parser.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    ctx = mp.get_context("spawn")
    rows = []
    for module in _modules(args.only):
        importlib.import_module(module)
        cases = [c for c in harness.CASES if c.setup.__module__ == module]
        for index, bench in enumerate(cases):
            queue = ctx.Queue()
            proc = ctx.Process(target=_run_case, args=(module, index, queue))
            proc.start()
            proc.join()
            if proc.exitcode != 0:
                rows.append({"case": bench.name, "error": f"exit code {proc.exitcode}"})
                continue
            result = queue.get()
            rows.append({"case": bench.name, **result, "target_s": bench.target_s,
                         "target_mib": bench.target_mib, "limits": bench.limits})
    if not rows:
        print(f"no benchmark module matches bench_{args.only}.py in {HERE}", file=sys.stderr)
        return 2
    print(f"{'case':<66} {'seconds':>9} {'target':>8} {'':>4} {'peak MiB':>9} {'target':>8} {'':>4}")
    print("-" * 116)
    failed = 0
    for row in rows:
        if "error" in row:
            print(f"{row['case']:<66} ERROR {row['error']}")
            failed += 1
            continue
        t_ok = _verdict(row["seconds"], row["target_s"])
        m_ok = _verdict(row["peak_mib"], row["target_mib"])
        failed += (t_ok == "MISS") + (m_ok == "MISS")
        print(f"{row['case']:<66} {row['seconds']:>9.3f} {row['target_s'] or '-':>8} {t_ok:>4} "
              f"{row['peak_mib']:>9.0f} {row['target_mib'] or '-':>8} {m_ok:>4}")
        verdicts = _measure_verdicts(row.get("measures") or {}, row.get("limits") or {})
        failed += sum(verdict.startswith("MISS") for _, _, verdict in verdicts)
        if verdicts:
            shown = [f"{name} {value:.3g}" if isinstance(value, int | float) else f"{name}: {value}"
                     for name, value, _ in verdicts]
            print("    " + "; ".join(shown)
                  + "".join(f"  [{name}: {verdict}]" for name, _, verdict in verdicts if verdict != "-"))
    print(f"\n{len(rows)} cases on {os.cpu_count()} CPU cores; {failed} targets missed")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
