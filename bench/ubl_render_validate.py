"""Speed of Peppol UBL rendering + three-layer validation, per document, against the 10 ms target.

Usage: ``.venv/bin/python bench/ubl_render_validate.py [RULES_DIR] [ROUNDS]`` (RULES_DIR defaults to the
test copies in ../shared/einvoice). The one-time stylesheet compilation is timed apart; the figures per
document are medians and 90th percentiles over the four test documents of ``tests.core.invoice_examples``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))  # the test builders are the documents measured

from telbill.adapters.rendering.einvoice_validation import EInvoiceValidator  # noqa: E402
from telbill.adapters.rendering.ubl import render_ubl  # noqa: E402
from tests.core.invoice_examples import (  # noqa: E402
    belgacom_fees,
    credit_note_for_telenet,
    indemnities,
    telenet_month,
)

TARGET_MS = 10.0
WARM_UP = 20


def main() -> None:
    rules = Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT.parent / "shared" / "einvoice"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    started = time.perf_counter()
    validator = EInvoiceValidator(rules)
    print(f"compile (once per process): {time.perf_counter() - started:.2f} s")
    documents = [build() for build in (telenet_month, belgacom_fees, indemnities, credit_note_for_telenet)]
    render_ms: list[float] = []
    validate_ms: list[float] = []
    cpu_ms: list[float] = []
    for index in range(WARM_UP + rounds):
        cpu, start = time.process_time(), time.perf_counter()
        xml = render_ubl(documents[index % len(documents)])
        rendered = time.perf_counter()
        if not validator.validate(xml).ok:
            raise SystemExit(f"document {index % len(documents)} does not validate")
        if index >= WARM_UP:
            render_ms.append((rendered - start) * 1000)
            validate_ms.append((time.perf_counter() - rendered) * 1000)
            cpu_ms.append((time.process_time() - cpu) * 1000)
    both = [r + v for r, v in zip(render_ms, validate_ms, strict=True)]
    figures = (("render", render_ms), ("validate", validate_ms), ("render + validate", both), ("  (CPU time)", cpu_ms))
    for label, values in figures:
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"{label:>18}: median {statistics.median(values):5.2f} ms, p90 {p90:5.2f} ms")
    # wall time counts what other processes take from a shared machine; CPU time does not
    print(f"target {TARGET_MS:.0f} ms: the median render + validate is {statistics.median(both) / TARGET_MS:.0%} of it")


if __name__ == "__main__":
    main()
