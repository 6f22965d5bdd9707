"""An ``InvoiceDocument`` as a PDF/A-3b for people, in French, Dutch or English (WeasyPrint).

Contract:
- ``render_pdf(document, language=None, ubl_xml=None) → bytes``: the texts follow ``language``, else the
  buyer's language; amounts and dates are formatted the Belgian way (``pdf_view``). The PDF prints what the
  document says and nothing else: no clock is read (the PDF's dates are the issue date), so the same document
  gives the same bytes.
- The output is PDF/A-3b (ISO 19005-3, for archiving): DejaVu Sans embedded, an sRGB output intent, XMP
  identification. When ``ubl_xml`` is given it is embedded byte for byte as ``<number>.xml`` with the
  relationship ``Alternative``: the UBL is the same invoice in another form (as Factur-X / ZUGFeRD attach
  theirs). WeasyPrint 70 writes PDF/A-3b without trouble, so there is no plain-PDF fallback.
- ``render_many(requests, workers)`` renders in a pool of processes for throughput, results in order.
- Speed (``bench/pdf_render.py``): about three quarters of a render is WeasyPrint's layout and a fifth the
  PDF writing. What can be saved is saved: the template, the stylesheet and the colour profile are loaded
  once per process on first use (never at import), the font configuration once per thread, and the
  stylesheet avoids flex boxes.
"""

from __future__ import annotations

import base64
import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, time
from functools import lru_cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration

from telbill.adapters.rendering.pdf_view import build_view
from telbill.core.billing.invoice import InvoiceDocument
from telbill.core.billing.parties import Language
from telbill.core.errors import TelbillError

PDF_VARIANT = "pdf/a-3b"
UBL_RELATIONSHIP = "Alternative"
_OUTPUT_INTENT = "--srgb"
_per_thread = threading.local()


@dataclass(frozen=True, slots=True)
class PdfRequest:
    """One PDF to render: the arguments of ``render_pdf``."""

    document: InvoiceDocument
    language: Language | None = None
    ubl_xml: bytes | None = None


def render_pdf(document: InvoiceDocument, language: Language | None = None, ubl_xml: bytes | None = None) -> bytes:
    """The document as a PDF/A-3b, in ``language`` or the buyer's, with the UBL embedded when given."""
    view = build_view(document, language or document.buyer.language)
    html = _template().render(view=view, t=view.texts)
    attachments = [] if ubl_xml is None else [_ubl_attachment(document, ubl_xml)]
    profile, color_profiles = _output_intent()
    result: bytes = HTML(string=html).write_pdf(
        stylesheets=[_stylesheet(), profile],
        font_config=_font_config(),
        color_profiles=color_profiles,
        attachments=attachments,
        pdf_variant=PDF_VARIANT,
        output_intent=_OUTPUT_INTENT,
        finisher=_list_associated_files_once,
    )
    return result


def render_many(requests: Sequence[PdfRequest], workers: int) -> list[bytes]:
    """Each request rendered by ``render_pdf``, in order; ``workers`` processes (1: in this process).

    The pool spawns fresh interpreters rather than forking one that holds Pango and fontconfig state; each
    worker pays the import and warm-up once (about a second), so a pool pays off from a few dozen documents.
    """
    if workers < 1:
        raise TelbillError("pdf.workers", f"{workers} is not a number of worker processes (1 or more)")
    if workers == 1 or len(requests) < 2:
        return [_render_request(request) for request in requests]
    context = multiprocessing.get_context("spawn")
    chunk = max(1, len(requests) // (workers * 4))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_warm_up) as pool:
        return list(pool.map(_render_request, requests, chunksize=chunk))


def _render_request(request: PdfRequest) -> bytes:
    return render_pdf(request.document, request.language, request.ubl_xml)


def _warm_up() -> None:
    _font_config()
    _template()
    _stylesheet()
    _profile_rule()


def _list_associated_files_once(_document: Any, pdf: Any) -> None:
    """WeasyPrint 70 lists each attachment twice in the catalog's associated files (``/AF``, PDF/A-3): once
    from the embedded-files name tree, once from its file specification (``pdf/pdfa.py``); keep one of each."""
    associated = pdf.catalog.get("AF")
    if associated is not None:
        associated[:] = list(dict.fromkeys(associated))


def _ubl_attachment(document: InvoiceDocument, ubl_xml: bytes) -> Attachment:
    issued = datetime.combine(document.issue_date, time())  # the file's dates: the issue date, not the clock
    return Attachment(
        string=ubl_xml,
        name=f"{document.number}.xml",
        description=f"{document.number} (UBL 2.1, Peppol BIS Billing 3.0)",
        created=issued,
        modified=issued,
        relationship=UBL_RELATIONSHIP,
    )


@lru_cache(maxsize=1)
def _template() -> Template:
    environment = Environment(
        loader=PackageLoader("telbill.adapters.rendering", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("invoice.html")


def _font_config() -> FontConfiguration:
    """One font configuration per thread (Pango's font map is not thread-safe): building one per render, as
    WeasyPrint does when given none, costs about a tenth of a render."""
    config: FontConfiguration | None = getattr(_per_thread, "font_config", None)
    if config is None:
        config = _per_thread.font_config = FontConfiguration()
    return config


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    css = files("telbill.adapters.rendering").joinpath("templates", "invoice.css").read_text(encoding="utf-8")
    return CSS(string=css)


def _output_intent() -> tuple[CSS, dict[str, Any]]:
    """A stylesheet declaring the sRGB profile of the PDF/A output intent, and the profiles it loaded.

    The profile is WeasyPrint's own, declared through ``@color-profile`` instead of WeasyPrint's
    ``output_intent="srgb"`` shortcut: that shortcut (WeasyPrint 70, ``pdf/__init__.py``) opens the ICC file
    at every render and never closes it, a ResourceWarning that the test suite treats as an error. The
    profile is loaded afresh for each PDF: a loaded profile serialises differently once it has been used,
    and a shared one would make the bytes of a PDF depend on what the process rendered before.
    """
    color_profiles: dict[str, Any] = {}
    profile = CSS(string=_profile_rule(), color_profiles=color_profiles)
    if _OUTPUT_INTENT not in color_profiles:
        raise TelbillError("pdf.color_profile", "WeasyPrint did not load the sRGB profile of the PDF/A output intent")
    return profile, color_profiles


@lru_cache(maxsize=1)
def _profile_rule() -> str:
    icc = files("weasyprint.pdf").joinpath("sRGB2014.icc").read_bytes()
    url = "data:application/vnd.iccprofile;base64," + base64.b64encode(icc).decode("ascii")
    return f"@color-profile {_OUTPUT_INTENT} {{ src: url({url}); components: r, g, b }}"
