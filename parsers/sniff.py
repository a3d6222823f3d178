"""Media type from the bytes, not the name (a `.pdf` that is really HTML is read as HTML)."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

_HTML = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|div|p|meta|span|tr|td|br)[\s>/]", re.I)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OLE = "application/x-ole-storage"  # .doc / .wps / .xls (Compound File Binary)
OFD = "application/ofd"
ZIP = "application/zip"
HTML = "text/html"
TEXT = "text/plain"
EMPTY = "application/x-empty"
BINARY = "application/octet-stream"
RAR = "application/vnd.rar"
IMAGE = "image/*"


def sniff(data: bytes, name: str = "") -> str:
    """Best media type for `data`; `name` only breaks ties between text flavours."""
    if not data or not data.strip():
        return EMPTY
    head = data[:8]
    if data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return PDF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(b"Rar!"):
        return RAR
    if head[:3] == b"\xff\xd8\xff" or head.startswith(b"\x89PNG") or head[:4] in (b"GIF8",):
        return IMAGE
    sample = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML.search(data[:65536]) and (sample.startswith(b"<") or _HTML.search(data[:2048])):
        return HTML
    if b"\x00" in data[:4096] and not (data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff")):
        return BINARY
    return TEXT


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        return ZIP
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    if "OFD.xml" in names:
        return OFD
    return ZIP


EXTENSIONS = {PDF: "pdf", DOCX: "docx", XLSX: "xlsx", OLE: "doc", OFD: "ofd", ZIP: "zip", HTML: "html",
              TEXT: "txt", RAR: "rar"}
