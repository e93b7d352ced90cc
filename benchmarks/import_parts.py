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
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import KINDS, make_templates  # this folder is on sys.path when run as a script

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
# Times the parts by wrapping what builds them; everything is imported as in _OURS.
_PARTS = """
import enum, gc, importlib.util, json, marshal, re, sys, time
p = time.perf_counter
import yaml, attr
spent = {{"attrs classes": 0.0, "enums": 0.0, "regular expressions": 0.0, "collector": 0.0}}
def timed(key, f):
    def wrapper(*args, **kwargs):
        t = p(); r = f(*args, **kwargs); spent[key] += p() - t; return r
    return wrapper
frozen = attr.frozen
def frozen_timed(*args, **kwargs):
    return timed("attrs classes", frozen(*args, **kwargs))
attr.frozen = frozen_timed
enum.EnumType.__new__ = timed("enums", enum.EnumType.__new__)
re.compile = timed("regular expressions", re.compile)
started = []
def collector(phase, info):
    if phase == "start": started.append(p())
    else: spent["collector"] += p() - started.pop()
gc.callbacks.append(collector)
t = p(); import ukrnews; ukrnews.load_path({path!r}); spent["total"] = p() - t
gc.callbacks.remove(collector)
mine = [m.__spec__.origin for n, m in sys.modules.items() if n.split(".")[0] == "ukrnews"]
blobs = [open(importlib.util.cache_from_source(f), "rb").read()[16:] for f in mine]
t = p()
for blob in blobs: marshal.loads(blob)
spent["unmarshal (again, after)"] = p() - t
spent["modules"] = len(mine)
print(json.dumps(spent))
"""


def _run(code: str, env: dict[str, str]) -> object:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout
    return json.loads(out)


def _median(rows: list[list[float]], i: int) -> float:
    return statistics.median(row[i] for row in rows) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=41, help="fresh interpreters per measure")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--bundled", action="store_true", help="load the bundled article")
    which.add_argument("--sample", type=Path, help="load this article's YAML file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ukrnews-import-") as tmp:
        path = Path(tmp) / "article.yaml"
        if args.sample:
            path.write_bytes(args.sample.read_bytes())
        elif args.bundled:
            path.write_text(ukrnews.dumps(ukrnews.load()[0]), encoding="utf-8")
        else:
            path.write_text(make_templates(1, kind=KINDS[1])[0].text, encoding="utf-8")
        size = path.stat().st_size
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pyc")
        ours, base, parts = (c.format(path=str(path)) for c in (_OURS, _BASE, _PARTS))
        for code in (ours, base, parts):  # compile and cache everything once, untimed
            _run(code, env)
        o: list[list[float]] = []
        b: list[list[float]] = []
        for _ in range(args.runs):
            o.append(_run(ours, env))  # type: ignore[arg-type]
            b.append(_run(base, env))  # type: ignore[arg-type]
        shares: list[dict[str, float]] = [_run(parts, env) for _ in range(args.runs)]  # type: ignore[misc]
    total_o, total_b = _median(o, 4), _median(b, 2)
    print(f"ukrnews {ukrnews.__version__}, a {size:,}-byte article,", end=" ")
    print(f"{args.runs} fresh interpreters each; medians in ms\n")
    print(f"{'import yaml, attr':34}{_median(o, 0):8.2f}  (baseline's: {_median(b, 0):.2f})")
    print(f"{'import ukrnews (package, model)':34}{_median(o, 1):8.2f}")
    print(f"{'the loader modules':34}{_median(o, 2):8.2f}")
    print(
        f"{'first load_path':34}{_median(o, 3):8.2f}  (baseline's yaml.load: {_median(b, 1):.2f})"
    )
    print(f"{'total':34}{total_o:8.2f}  (baseline: {total_b:.2f})")
    print(f"ratio {total_o / total_b:.3f} (issue 16's limit: 1.2)\n")
    print("within import ukrnews + first load_path (instrumented interpreters):")
    for key in shares[0]:
        value = statistics.median(s[key] for s in shares)
        if key == "modules":
            print(f"  {'our modules imported':32}{value:8.0f}")
        else:
            print(f"  {key:32}{value * 1e3:8.2f}")


if __name__ == "__main__":
    main()
