"""The EPC QR code of a transfer (EPC069-12 "SEPA credit transfer" QR, which Belgian banking apps read), as SVG.

Decision: the Belgian structured communication goes in the *unstructured* remittance field, printed
``+++ddd/dddd/ddddd+++``: the EPC's structured reference field holds ISO 11649 (``RF…``) references only, and
Belgian banking apps recognise the structured communication in the free text and fill it in as such.
"""

from __future__ import annotations

import io

from markupsafe import Markup
from segno import helpers

from telbill.app.self_service import PaymentInstruction


def epc_qr(instruction: PaymentInstruction) -> Markup:
    text = str(instruction.communication) if instruction.communication is not None else instruction.number
    code = helpers.make_epc_qr(
        name=instruction.beneficiary[:70],
        iban=instruction.iban,
        amount=instruction.amount.amount,
        text=text,
        bic=instruction.bic,
    )
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=4,
        border=4,
        xmldecl=False,
        svgns=True,
        nl=False,
        svgclass="qr",
        title=f"EPC QR {instruction.number}",
    )
    return Markup(out.getvalue().decode())
