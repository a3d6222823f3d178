"""Readers: bytes of one media type -> layout.Document. One module per family of formats.

`READERS` is the registry (media type -> "module:function"); a reader raises `ReadError` with a
one-line reason for input it cannot read.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .. import sniff
from ..layout import Document


class ReadError(ValueError):
    """The document cannot be read; str(e) is the one-line reason that goes into the record."""


READERS: dict[str, str] = {
    sniff.HTML: "html:read_html",
    sniff.TEXT: "text:read_text",
    sniff.PDF: "pdf:read_pdf",
    sniff.DOCX: "docx:read_docx",
    sniff.OLE: "doc:read_doc",
}


def reader_for(media_type: str) -> Callable[[bytes, str], Document] | None:
    spec = READERS.get(media_type)
    if spec is None:
        return None
    mod, func = spec.split(":")
    return getattr(importlib.import_module(f"{__name__}.{mod}"), func)
