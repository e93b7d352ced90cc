"""Where ``import ukrnews`` and the first ``load_path`` spend their time, in fresh interpreters.

Issue 16 asks for import plus a first ``load_path`` within 1.2x ``import yaml, attr``
plus one ``yaml.load``; ``bench.py`` measures the ratio, this script splits it::

    python benchmarks/import_parts.py [--runs 41] [--bundled | --sample FILE]

Ours and the baseline run alternately, each in a fresh interpreter with bytecode
cached, timed inside the process (interpreter start-up excluded), as in ``bench.py``.
A second, instrumented set of interpreters times the parts of our side that the
baseline does not have: attrs building the model's classes, the enums, compiling the
format's regular expressions, unmarshalling our bytecode and the cyclic collector.
The wrappers that time them cost a little themselves, so those figures are shares,
not exact costs.  The article loaded is ``bench.py``'s (its first 4-6 KB one) unless
``--bundled`` or ``--sample FILE`` names another.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import KINDS, _bytecode_env, make_templates  # this folder is on sys.path

import ukrnews

_OURS = """
import time; p = time.perf_counter; t0 = p()
import yaml, attr; t1 = p()
import ukrnews; t2 = p()
ukrnews.load_path; t3 = p()
ukrnews.load_path({path!r}); t4 = p()
print([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0])
"""
_BASE = """
import time; p = time.perf_counter; t0 = p()
import yaml, attr; t1 = p()
yaml.load(open({path!r}, 'rb').read(), Loader=yaml.CSafeLoader); t2 = p()
print([t1 - t0, t2 - t1, t2 - t0])
"""
# Times the parts by wrapping what builds them; everything is imported as in _OURS. Only
# the outermost timed call counts, and the collector only outside them: a collection
# that runs while attrs builds a class is part of building it, not counted twice.
_PARTS = """
import enum, gc, importlib.util, json, marshal, re, sys, time
p = time.perf_counter
import yaml, attr
spent = {{"attrs classes": 0.0, "enums": 0.0, "regular expressions": 0.0, "collector": 0.0}}
classes = []
inside = [0]
def timed(key, f):
    def wrapper(*args, **kwargs):
        inside[0] += 1
        t = p()
        try:
            return f(*args, **kwargs)
        finally:
            inside[0] -= 1
            if not inside[0]:
                t = p() - t
                spent[key] += t
                if key == "attrs classes": classes.append(t)
    return wrapper
frozen = attr.frozen
def frozen_timed(*args, **kwargs):
    return timed("attrs classes", frozen(*args, **kwargs))
attr.frozen = frozen_timed
enum.EnumType.__new__ = timed("enums", enum.EnumType.__new__)
re.compile = timed("regular expressions", re.compile)
started = []
def collector(phase, info):
    if inside[0]: return
    if phase == "start": started.append(p())
    elif started: spent["collector"] += p() - started.pop()
gc.callbacks.append(collector)
t = p(); import ukrnews; ukrnews.load_path({path!r}); total = p() - t
gc.callbacks.remove(collector)
mine = [m.__spec__.origin for n, m in sys.modules.items() if n.split(".")[0] == "ukrnews"]
blobs = [open(importlib.util.cache_from_source(f), "rb").read()[16:] for f in mine]
t = p()
for blob in blobs: marshal.loads(blob)
spent["unmarshalling our bytecode (again, after)"] = p() - t
print(json.dumps({{"spent": spent, "total": total, "modules": len(mine), "classes": classes}}))
"""


def _run(code: str, env: dict[str, str]) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, env=env
    )
    if done.returncode:
        sys.exit(f"a measuring interpreter failed:\n{done.stderr}")
    return json.loads(done.stdout)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, not {text!r}")
    return int(text)


def _median(rows: list[list[float]], i: int) -> float:
    return statistics.median(row[i] for row in rows) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=_positive, default=41, help="fresh interpreters per measure")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--bundled", action="store_true", help="load the bundled article")
    which.add_argument("--sample", type=Path, help="load this article's YAML file")
    args = parser.parse_args()
    if args.sample and not args.sample.is_file():
        parser.error(f"--sample: no such file: {args.sample}")
    with tempfile.TemporaryDirectory(prefix="ukrnews-import-") as tmp:
        path = Path(tmp) / "article.yaml"
        if args.sample:
            path.write_bytes(args.sample.read_bytes())
        elif args.bundled:
            path.write_text(ukrnews.dumps(ukrnews.load()[0]), encoding="utf-8")
        else:
            path.write_text(make_templates(1, kind=KINDS[1])[0].text, encoding="utf-8")
        size = path.stat().st_size
        env = _bytecode_env(str(Path(tmp) / "pyc"))
        ours, base, parts = (c.format(path=str(path)) for c in (_OURS, _BASE, _PARTS))
        for code in (ours, base, parts):  # compile and cache everything once, untimed
            _run(code, env)
        o: list[list[float]] = []
        b: list[list[float]] = []
        for _ in range(args.runs):
            o.append(_run(ours, env))
            b.append(_run(base, env))
        parts_runs: list[dict[str, Any]] = [_run(parts, env) for _ in range(args.runs)]
    total_o, total_b = _median(o, 4), _median(b, 2)
    paired = statistics.median(ro[4] / rb[2] for ro, rb in zip(o, b, strict=True))
    print(f"ukrnews {ukrnews.__version__}, a {size:,}-byte article,", end=" ")
    print(f"{args.runs} fresh interpreters each; medians in ms\n")
    print(f"{'import yaml, attr':34}{_median(o, 0):8.2f}  (baseline's: {_median(b, 0):.2f})")
    print(f"{'import ukrnews (package, model)':34}{_median(o, 1):8.2f}")
    print(f"{'the loader modules':34}{_median(o, 2):8.2f}")
    first = f"{_median(o, 3):8.2f}  (baseline's yaml.load: {_median(b, 1):.2f})"
    print(f"{'first load_path':34}{first}")
    print(f"{'total':34}{total_o:8.2f}  (baseline: {total_b:.2f})")
    print(f"ratio of the medians {total_o / total_b:.3f} (as bench.py; issue 16's limit: 1.2)")
    print(f"median of each pair's ratio {paired:.3f}\n")
    total = statistics.median(r["total"] for r in parts_runs) * 1e3
    print(f"within import ukrnews + first load_path ({total:.2f} ms in the instrumented runs):")
    for key in parts_runs[0]["spent"]:
        value = statistics.median(r["spent"][key] for r in parts_runs) * 1e3
        print(f"  {key:44}{value:8.2f}")
    count = parts_runs[0]["modules"]
    built = len(parts_runs[0]["classes"])
    each = sorted(
        statistics.median(r["classes"][i] for r in parts_runs) * 1e3 for i in range(built)
    )
    print(f"  ({count} modules of ours; attrs built {built} classes,", end=" ")
    print(f"{each[0]:.2f}-{each[-1]:.2f} ms each)")


if __name__ == "__main__":
    main()
