"""Speed of the PDF invoice (WeasyPrint, PDF/A-3b) against the 150 ms target, and throughput of a pool.

Usage: ``.venv/bin/python bench/pdf_render.py [ROUNDS] [POOL_DOCUMENTS] [WORKERS]`` (20, 200, CPUs).
The document is the six-line invoice of ``tests.adapters.builders.dutch_works_invoice``. The first render of
the process (template, stylesheet, babel locale, fonts) is timed apart; then the mean, median and maximum of
``ROUNDS`` renders, without and with the UBL embedded; then ``render_many`` over a pool of processes.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))  # the test builders are the documents measured

from telbill.adapters.rendering.pdf import PdfRequest, render_many, render_pdf  # noqa: E402
from telbill.adapters.rendering.ubl import render_ubl  # noqa: E402
from tests.adapters.builders import dutch_works_invoice  # noqa: E402

TARGET_MS = 150.0


def _timed(rounds: int, ubl: bytes | None) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each render (CPU time says less about what other processes do)."""
    document = dutch_works_invoice()
    wall, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        render_pdf(document, ubl_xml=ubl)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def _report(name: str, times: tuple[list[float], list[float]]) -> None:
    wall, cpu = times
    mean = statistics.fmean(wall)
    verdict = "ok" if mean < TARGET_MS else "SLOW"
    print(
        f"{name:<24} mean {mean:6.1f} ms  median {statistics.median(wall):6.1f}  min {min(wall):6.1f}  "
        f"max {max(wall):6.1f}  CPU mean {statistics.fmean(cpu):6.1f}  ({mean / TARGET_MS:.2f} × target, {verdict})"
    )


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    pool_documents = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else (os.cpu_count() or 1)
    document = dutch_works_invoice()
    ubl = render_ubl(document)
    start = time.perf_counter()
    render_pdf(document)
    print(f"first render (warm-up)   {(time.perf_counter() - start) * 1000:6.1f} ms")
    _report(f"{rounds} renders", _timed(rounds, None))
    _report(f"{rounds} renders with UBL", _timed(rounds, ubl))
    requests = [PdfRequest(document, ubl_xml=ubl)] * pool_documents
    start = time.perf_counter()
    render_many(requests, workers)
    elapsed = time.perf_counter() - start
    print(
        f"render_many {pool_documents} documents, {workers} workers: {elapsed:.2f} s, "
        f"{pool_documents / elapsed:.1f} documents/s, {elapsed * 1000 / pool_documents:.1f} ms each "
        "(pool start included)"
    )


if __name__ == "__main__":
    main()
