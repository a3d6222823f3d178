"""Old Word (.doc) and WPS (.wps) files: converted to DOCX by LibreOffice headless, then read as DOCX.

Both are OLE compound files whose text and tables only a full Word engine reads faithfully, so the
reader does not guess at them: with LibreOffice installed (`apt-get install libreoffice-writer`),
`soffice --headless --convert-to docx` runs in a private temp dir with its own throwaway profile
(concurrent conversions do not fight over a profile lock) and a timeout; without it the record
gets a one-line error that names what is missing and how to install it.

`XXGK_SOFFICE` names the soffice binary explicitly (also: set it to an empty value to disable).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..layout import Document
from . import ReadError

MAX_BYTES = 50 * 1024 * 1024
TIMEOUT = 120  # seconds for one conversion (LibreOffice's first start alone can take ~10 s)
INSTALL_HINT = "install LibreOffice (e.g. `apt-get install libreoffice-writer`) to read .doc/.wps files"

_CANDIDATES = ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice",
               "/opt/libreoffice/program/soffice", "/Applications/LibreOffice.app/Contents/MacOS/soffice")

# OLE directory entries are UTF-16 names; which stream is there says what the file is.
_STREAMS = {
    "WordDocument": "word",
    "Workbook": "excel", "Book": "excel",
    "PowerPoint Document": "powerpoint",
}


def find_soffice() -> str | None:
    """Path of LibreOffice's soffice, or None (XXGK_SOFFICE overrides the search)."""
    env = os.environ.get("XXGK_SOFFICE")
    if env is not None:
        return shutil.which(env) or (env if env and Path(env).is_file() else None)
    for c in _CANDIDATES:
        found = shutil.which(c) or (c if Path(c).is_file() else None)
        if found:
            return found
    return None


def ole_kind(data: bytes) -> str | None:
    """'word' | 'excel' | 'powerpoint' from the stream names of an OLE file, None if unknown."""
    head = data[: 4 * 1024 * 1024]
    for stream, kind in _STREAMS.items():
        if stream.encode("utf-16-le") in head:
            return kind
    return None


def read_doc(data: bytes, name: str = "") -> Document:
    """Convert a .doc/.wps (OLE) file with LibreOffice and read the result as DOCX."""
    if len(data) > MAX_BYTES:
        raise ReadError(f".doc too large ({len(data) / 2**20:.0f} MB, limit {MAX_BYTES // 2**20} MB)")
    kind = ole_kind(data)
    if kind in ("excel", "powerpoint"):
        raise ReadError(f"an {'Excel workbook (.xls)' if kind == 'excel' else 'PowerPoint file (.ppt)'}, "
                        "not a Word document: not read")
    soffice = find_soffice()
    if soffice is None:
        raise ReadError(f"cannot read a .doc/.wps file: LibreOffice (soffice) is not installed; {INSTALL_HINT}")
    from .docx import read_docx

    converted = convert_to_docx(data, soffice, suffix=".wps" if name.lower().endswith(".wps") else ".doc")
    doc = read_docx(converted, name)
    doc.layout = "doc"
    doc.media_type = "application/msword"
    doc.meta["converted_with"] = "LibreOffice"
    return doc


def convert_to_docx(data: bytes, soffice: str, suffix: str = ".doc", timeout: int = TIMEOUT) -> bytes:
    """Bytes of the DOCX LibreOffice makes from `data`; ReadError on failure or timeout."""
    with tempfile.TemporaryDirectory(prefix="xxgk-doc-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(src)]
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        except OSError as e:
            raise ReadError(f"cannot run LibreOffice ({soffice}): {e.strerror or e}; {INSTALL_HINT}") from None
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise ReadError(f"LibreOffice did not convert the file within {timeout} s") from None
        out = Path(tmp) / "input.docx"
        if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            why = (err or b"").decode("utf-8", "replace").strip().splitlines()
            raise ReadError("LibreOffice could not convert the file (damaged or not a Word/WPS document)"
                            + (f": {why[-1][:120]}" if why else ""))
        return out.read_bytes()


def _kill(proc: subprocess.Popen) -> None:
    """End the conversion we started (its own process group: soffice forks a worker)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()
