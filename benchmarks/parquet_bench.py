"""Benchmark ``ukrnews export --format parquet DIR --jobs N`` on generated corpora.

Run it from a checkout with the ``arrow`` extra installed::

    python benchmarks/parquet_bench.py                       # 10,000 and 100,000 articles
    python benchmarks/parquet_bench.py --sizes 10000 --jobs 1 2
    python benchmarks/parquet_bench.py --sizes 100000 --jobs 2   # the big one, jobs 2 only

Each corpus is written with the generator of ``benchmarks/bench.py`` (articles varied
from the bundled one, 2 to 20 KB, log-uniform); every export runs the command line in a
fresh interpreter, which reports its wall time, its own peak RSS (the writer) and the
largest peak RSS of its worker processes.  Memory must not grow with the corpus: the
exporter holds a few groups of files, one row group per table and the footer metadata
of one part per table (a part is closed after a few row groups), never the corpus.
It prints a Markdown table and writes ``benchmarks/parquet_results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Final

HERE: Final = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402 - the generator lives beside this script

RUN: Final = """
import glob, json, resource, sys, threading, time
from ukrnews._cli import main
samples = []  # (seconds, the writer's RSS in bytes), every 0.2 s

def sample():
    while True:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        samples.append((time.perf_counter() - start, pages * resource.getpagesize()))
        time.sleep(0.2)

start = time.perf_counter()
threading.Thread(target=sample, daemon=True).start()
source, target, jobs = sys.argv[1:4]
code = main(["export", "--format", "parquet", source, "-o", target, "--jobs", jobs])
seconds = time.perf_counter() - start
kib = 1024
parts = glob.glob(f"{target}/articles/*.parquet")
print(json.dumps({
    "exit": code,
    "parts": len(parts),
    "seconds": seconds,
    "rss_writer": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * kib,
    "rss_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * kib,
    "rss_by_quarter": [
        max([r for t, r in samples if q * seconds / 4 <= t < (q + 1) * seconds / 4] or [0])
        for q in range(4)
    ],
}))
"""


def write_corpus(directory: Path, articles: int, templates: list[bench.Template]) -> int:
    """``articles`` YAML files, each a template under its own id; their total bytes."""
    directory.mkdir(parents=True)
    total = 0
    for i in range(articles):
        text, _ = templates[i % len(templates)].with_id(f"a{i:07d}")
        data = text.encode("utf-8")
        (directory / f"a{i:07d}.yaml").write_bytes(data)
        total += len(data)
    return total


def export(source: Path, target: Path, jobs: int) -> dict[str, Any]:
    """One export in a fresh interpreter: its time and peak memory."""
    out = subprocess.run(
        [sys.executable, "-c", RUN, str(source), str(target), str(jobs)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if result["exit"] != 0:
        raise RuntimeError(out.stderr)
    return result


def table(results: list[dict[str, Any]]) -> str:
    """The results as a Markdown table."""
    base = {r["articles"]: r["seconds"] for r in results if r["jobs"] == 1}
    lines = [
        (
            "| articles | MB of YAML | --jobs | seconds | articles/s | vs --jobs 1 |"
            " peak RSS, writer | peak RSS, largest worker | writer's RSS by quarter of the run |"
            " parts per table |"
        ),
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        ratio = base.get(r["articles"])
        speedup = f"{ratio / r['seconds']:.2f}×" if ratio else "not run"
        worker = f"{r['rss_worker'] / 2**20:.0f} MiB" if r["jobs"] > 1 else "(in the writer)"
        quarters = " / ".join(f"{b / 2**20:.0f}" for b in r.get("rss_by_quarter", [])) or "-"
        lines.append(
            f"| {r['articles']:,} | {r['bytes'] / 1e6:,.0f} | {r['jobs']} | {r['seconds']:,.1f}"
            f" | {r['articles'] / r['seconds']:,.0f} | {speedup}"
            f" | {r['rss_writer'] / 2**20:.0f} MiB | {worker} | {quarters}"
            f" | {r.get('parts', '-')} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Generate the corpora, export each with every --jobs, print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--output", type=Path, default=HERE / "parquet_results.json")
    parser.add_argument("--from-results", type=Path, help="print the table of an earlier run")
    args = parser.parse_args()
    if args.from_results:
        print(table(json.loads(args.from_results.read_text(encoding="utf-8"))["runs"]))
        return
    templates = bench.make_templates(bench.POOL)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="ukrnews-parquet-") as tmp:
        for size in args.sizes:
            source = Path(tmp) / f"yaml-{size}"
            total = write_corpus(source, size, templates)
            for jobs in args.jobs:
                target = Path(tmp) / f"parquet-{size}-{jobs}"
                started = time.strftime("%H:%M:%S")
                run = export(source, target, jobs)
                results.append({"articles": size, "bytes": total, "jobs": jobs, **run})
                print(
                    f"{started} {size} articles, --jobs {jobs}: {run['seconds']:.1f} s",
                    file=sys.stderr,
                )
                save(args.output, results)  # after each export: a long run may be stopped
            for path in source.iterdir():
                path.unlink()
    print(table(results))


def save(output: Path, results: list[dict[str, Any]]) -> None:
    """Write the results so far, with the machine they ran on."""
    meta = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    output.write_text(
        json.dumps({"machine": meta, "runs": results}, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
