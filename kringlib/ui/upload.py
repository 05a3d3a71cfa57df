"""A file upload for files of any size: sent in chunks, refused in the browser past a limit.

``ipywidgets.FileUpload`` sends a file as one websocket message; past the server's
message limit (10 MiB) the page's kernel connection drops without a word. This widget
sends chunks of :data:`CHUNK_BYTES`, each after the kernel acknowledged the one before,
into a private temporary file, and states the limit when a file is too large. The limit
and the chunk size the kernel holds to are its own: the browser's copies only guide it.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path

import anywidget
import traitlets

from kringlib.ingest.table import MIB

CHUNK_BYTES = 1 << 20
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UploadedFile:
    """A file received whole: its name in the browser, where it lies, its size."""

    name: str
    path: Path
    size: int


@dataclass
class _Arriving:
    upload: int
    name: str
    size: int
    path: Path


class ChunkedUpload(anywidget.AnyWidget):
    """Pick a file; ``file`` is set once every byte has arrived, ``fraction`` follows the
    sending, and ``error`` says why a file was refused."""

    _esm = Path(__file__).with_name("upload.js")
    accept = traitlets.Unicode("").tag(sync=True)
    description = traitlets.Unicode("Pilih berkas").tag(sync=True)
    max_bytes = traitlets.Int(read_only=True).tag(sync=True)
    chunk_bytes = traitlets.Int(read_only=True).tag(sync=True)

    file = traitlets.Instance(UploadedFile, allow_none=True)
    fraction = traitlets.Float(None, allow_none=True)
    error = traitlets.Unicode("")

    def __init__(self, max_bytes: int = 300 * MIB, **kwargs):
        super().__init__(**kwargs)
        self._limit, self._chunk = max_bytes, CHUNK_BYTES
        self.set_trait("max_bytes", max_bytes)
        self.set_trait("chunk_bytes", CHUNK_BYTES)
        self._folder = Path(tempfile.mkdtemp(prefix="kring-unggah-"))
        weakref.finalize(self, shutil.rmtree, self._folder, True)
        self._arriving: _Arriving | None = None
        self.on_msg(self._received)

    def _received(self, _widget, content: dict, buffers: list) -> None:
        upload = content.get("upload")
        try:
            kind = content.get("type")
            if kind == "refused":
                self._refuse(str(content.get("name", "")), int(content.get("size", 0)))
            elif kind == "start":
                self._start(upload, str(content.get("name", "")), int(content.get("size", 0)))
            elif kind == "chunk" and self._arriving and self._arriving.upload == upload:
                self._write(int(content.get("index", -1)), bytes(buffers[0]) if buffers else b"")
        except Exception:  # a full disk, a folder cleaned away: say so, stop the browser
            log.exception("unggahan gagal")
            self._stop(upload, "unggahan gagal disimpan di server; coba lagi")

    def _stop(self, upload, message: str) -> None:
        name = self._arriving.name if self._arriving else ""
        self._discard()
        self.error = f"{name}: {message}" if name else message
        self.send({"type": "stop", "upload": upload})

    def _discard(self) -> None:
        """Forget the file arriving, if any (the last whole file stays until replaced)."""
        if self._arriving is not None:
            self._arriving.path.unlink(missing_ok=True)
        self._arriving, self.fraction = None, None

    def _refuse(self, name: str, size: int) -> None:
        self._discard()
        self.file = None
        self.error = (f"{name}: {size / MIB:.0f} MiB, melebihi batas unggah "
                      f"{self._limit / MIB:.0f} MiB; tidak dikirim")  # fmt: skip

    def _start(self, upload, name: str, size: int) -> None:
        """Open a new file for ``name`` (the limit checked again: the browser may lie)."""
        self._discard()
        self.error = ""
        if size > self._limit:
            self._refuse(name, size)
            self.send({"type": "stop", "upload": upload})
            return
        handle, path = tempfile.mkstemp(prefix="unggahan-", suffix=Path(name).suffix[:8].lower(),
                                        dir=self._folder)  # fmt: skip
        os.close(handle)
        self._arriving = _Arriving(upload, name, size, Path(path))
        self.fraction = 0.0
        if size == 0:
            self._finish()

    def _write(self, index: int, chunk: bytes) -> None:
        arriving = self._arriving
        with arriving.path.open("ab") as out:
            written = out.tell() + len(chunk)
            if index * self._chunk != out.tell() or written > arriving.size:
                self._stop(arriving.upload, "unggahan terputus atau tidak utuh; pilih berkas lagi")
                return
            out.write(chunk)
        self.fraction = written / arriving.size
        self.send({"type": "ack", "upload": arriving.upload, "index": index})
        if written == arriving.size:
            self._finish()

    def _finish(self) -> None:
        """The file is whole: it replaces the last one, which is deleted."""
        arriving, self._arriving, self.fraction = self._arriving, None, None
        for older in self._folder.iterdir():
            if older != arriving.path:
                older.unlink(missing_ok=True)
        self.file = UploadedFile(arriving.name, arriving.path, arriving.size)
