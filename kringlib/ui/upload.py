"""A file upload for files of any size: sent in chunks, refused in the browser past a limit.

``ipywidgets.FileUpload`` sends a file as one websocket message; past the server's
message limit (10 MiB) the page's kernel connection drops without a word. This widget
sends chunks of :data:`CHUNK_BYTES`, each after the kernel acknowledged the one before,
into a private temporary file, and states the limit when a file is too large.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path

import anywidget
import traitlets

from kringlib.ingest.table import MIB

CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class UploadedFile:
    """A file received whole: its name in the browser, where it lies, its size."""

    name: str
    path: Path
    size: int


class ChunkedUpload(anywidget.AnyWidget):
    """Pick a file; ``file`` is set once every byte has arrived, ``fraction`` follows the
    sending, and ``error`` says why a file was refused."""

    _esm = Path(__file__).with_name("upload.js")
    accept = traitlets.Unicode("").tag(sync=True)
    description = traitlets.Unicode("Pilih berkas").tag(sync=True)
    max_bytes = traitlets.Int(300 * MIB).tag(sync=True)
    chunk_bytes = traitlets.Int(CHUNK_BYTES).tag(sync=True)

    file = traitlets.Instance(UploadedFile, allow_none=True)
    fraction = traitlets.Float(None, allow_none=True)
    error = traitlets.Unicode("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._folder = Path(tempfile.mkdtemp(prefix="kring-unggah-"))
        weakref.finalize(self, shutil.rmtree, self._folder, True)
        self._arriving: tuple[str, int, Path] | None = None
        self.on_msg(self._received)

    def _received(self, _widget, content: dict, buffers: list) -> None:
        kind = content.get("type")
        if kind == "refused":
            self._refuse(content.get("name", ""), int(content.get("size", 0)))
        elif kind == "start":
            self._start(str(content.get("name", "")), int(content.get("size", 0)))
        elif kind == "chunk" and self._arriving is not None and buffers:
            self._write(int(content["index"]), bytes(buffers[0]))

    def _refuse(self, name: str, size: int) -> None:
        self.error = (f"{name}: {size / MIB:.0f} MiB, melebihi batas unggah "
                      f"{self.max_bytes / MIB:.0f} MiB; tidak dikirim")  # fmt: skip

    def _start(self, name: str, size: int) -> None:
        """Forget the last file and open a new one (the browser's limit checked again)."""
        self.file, self.error = None, ""
        for old in self._folder.iterdir():
            old.unlink()
        if size > self.max_bytes:
            self._refuse(name, size)
            self.send({"type": "stop"})
            return
        path = self._folder / f"unggahan{Path(name).suffix.lower()[:8]}"
        path.write_bytes(b"")
        self._arriving = (name, size, path)
        self.fraction = 0.0
        if size == 0:
            self._finish()

    def _write(self, index: int, chunk: bytes) -> None:
        name, size, path = self._arriving
        with path.open("ab") as out:
            written = out.tell() + len(chunk)
            if index * self.chunk_bytes != out.tell() or written > size:
                self._arriving, self.fraction = None, None
                self.error = f"{name}: unggahan terputus atau tidak utuh; pilih berkas lagi"
                self.send({"type": "stop"})
                return
            out.write(chunk)
        self.fraction = written / size
        self.send({"type": "ack", "index": index})
        if written == size:
            self._finish()

    def _finish(self) -> None:
        name, size, path = self._arriving
        self._arriving, self.fraction = None, None
        self.file = UploadedFile(name, path, size)
