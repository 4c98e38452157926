"""Page proofs: a PNG of every page of a PDF, rendered with PDFium (no browser)."""

from __future__ import annotations

import io

PROOF_DPI = 72


def render_proofs(pdf: bytes) -> list[bytes]:
    """A PNG of every page of `pdf`, at 72 dpi."""
    import pypdfium2 as pdfium  # only builds that write PDFs need it

    document = pdfium.PdfDocument(pdf)
    try:
        pngs = []
        for index in range(len(document)):
            image = document[index].render(scale=PROOF_DPI / 72).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            pngs.append(buffer.getvalue())
        return pngs
    finally:
        document.close()
