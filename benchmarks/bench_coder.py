"""Benchmark: notes per second for code_encounter vs medspaCy's default pipeline, same notes.

Usage: .venv/bin/python benchmarks/bench_coder.py [--n 1000] [--mtsamples PATH]

Notes are the labeled corpus plus MTSamples transcriptions (real, varied length), cycled to
--n. Prints throughput, latency percentiles and the ratio. Not a test: numbers vary by machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def load_notes(n: int, mtsamples: Path | None) -> list[str]:
    notes: list[str] = []
    for split in ("train", "dev", "test"):
        path = ROOT / "evaluation" / "corpus" / f"{split}.jsonl"
        if path.exists():
            notes += [json.loads(x)["text"] for x in path.read_text().splitlines() if x.strip()]
    if mtsamples and mtsamples.exists():
        csv.field_size_limit(10_000_000)
        with mtsamples.open(encoding="utf-8", errors="replace") as fh:
            for row in csv.DictReader(fh):
                text = (row.get("transcription") or "").strip()
                if text:
                    notes.append(text)
    if not notes:
        raise SystemExit("no notes found")
    return [notes[i % len(notes)] for i in range(n)]


def timed(fn, notes: list[str]) -> tuple[float, list[float]]:
    per: list[float] = []
    start = time.perf_counter()
    for text in notes:
        t0 = time.perf_counter()
        fn(text)
        per.append(time.perf_counter() - t0)
    return time.perf_counter() - start, per


def report(name: str, total: float, per: list[float], chars: int) -> float:
    rate = len(per) / total
    q = statistics.quantiles(per, n=100)
    print(f"{name:<28} {rate:8.1f} notes/s   p50 {q[49] * 1000:6.1f} ms   p95 "
          f"{q[94] * 1000:6.1f} ms   {chars / total / 1000:7.1f} kchars/s")
    return rate


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--mtsamples", type=Path,
                        default=ROOT.parent / "shared" / "data" / "mtsamples" / "mtsamples.csv")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    from loguru import logger

    logger.remove()  # medspaCy's PyRuSH logs every sentence through loguru

    notes = load_notes(args.n, args.mtsamples)
    chars = sum(map(len, notes))
    print(f"{len(notes)} notes, {len(set(notes))} distinct, mean {chars / len(notes):.0f} chars")

    from api.coder import Coder
    from models import Encounter

    t0 = time.perf_counter()
    coder = Coder.load()
    print(f"coder load: {time.perf_counter() - t0:.2f} s")
    coder.code(Encounter(text=notes[0]))  # warm-up
    total, per = timed(lambda t: coder.code(Encounter(text=t)), notes)
    ours = report("shotcoder code_encounter", total, per, chars)

    import medspacy

    t0 = time.perf_counter()
    nlp = medspacy.load()
    print(f"medspacy.load(): {time.perf_counter() - t0:.2f} s, pipes {nlp.pipe_names}")
    nlp(notes[0])
    total, per = timed(nlp, notes)
    theirs = report("medspaCy default pipeline", total, per, chars)
    print(f"ratio shotcoder / medspaCy default: {ours / theirs:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
