"""Uploads of any size: the file comes in acknowledged chunks into a private file, a file
past the limit is refused (in the browser, and again in the kernel), and the import panel
previews what arrived, with a progress bar for work longer than a second."""

import shutil
from pathlib import Path

import pytest
import traitlets
from page_support import ROLE_USERS

from kringlib.ui import progress
from kringlib.ui.identity import Session
from kringlib.ui.import_panel import ImportPanelModel, ImportPanelView
from kringlib.ui.upload import ChunkedUpload

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
REPORT = (EXPORTS / "agent_hms_comma.csv").read_bytes()


def sent_by(widget) -> list[dict]:
    """Record what the kernel sends the browser instead of sending it."""
    sent = []
    widget.send = sent.append
    return sent


def upload(widget, name: str, content: bytes, chunk: int = 100, number: int = 1) -> None:
    """Send ``content`` as the browser does: start, then each chunk after its ack."""
    widget._chunk = chunk
    widget._received(widget, {"type": "start", "upload": number, "name": name,
                              "size": len(content)}, [])  # fmt: skip
    for index, start in enumerate(range(0, len(content), chunk)):
        widget._received(widget, {"type": "chunk", "upload": number, "index": index},
                         [memoryview(content[start : start + chunk])])  # fmt: skip


def test_a_file_arrives_in_acknowledged_chunks_into_a_private_file():
    widget = ChunkedUpload(max_bytes=10_000)
    sent = sent_by(widget)
    fractions = []
    widget.observe(lambda c: fractions.append(c.new), "fraction")
    upload(widget, "agen.csv", REPORT)
    assert widget.file.name == "agen.csv" and widget.file.path.read_bytes() == REPORT
    assert widget.file.path.parent.stat().st_mode & 0o077 == 0  # the visitor's alone
    chunks = -(-len(REPORT) // 100)
    assert sent == [{"type": "ack", "upload": 1, "index": i} for i in range(chunks)]
    assert fractions[0] == 0.0 and fractions[-2] == 1.0 and fractions[-1] is None
    first = widget.file.path
    upload(widget, "lagi.csv", b"x,y\n", number=2)  # a new upload replaces the last file
    assert list(widget.file.path.parent.iterdir()) == [widget.file.path] != [first]


def test_a_file_past_the_limit_is_refused_with_the_limit_stated():
    widget = ChunkedUpload(max_bytes=3 << 20)
    widget._received(widget, {"type": "refused", "name": "besar.csv", "size": 5 << 20}, [])
    assert widget.error == "besar.csv: 5 MiB, melebihi batas unggah 3 MiB; tidak dikirim"
    sent = sent_by(widget)  # a browser that skips its own check is stopped by the kernel
    widget._received(widget, {"type": "start", "upload": 1, "name": "besar.csv",
                              "size": 5 << 20}, [])  # fmt: skip
    assert sent == [{"type": "stop", "upload": 1}] and widget.file is None
    assert "melebihi" in widget.error


def test_the_browser_cannot_raise_the_limit_or_change_the_chunks():
    widget = ChunkedUpload(max_bytes=1 << 20)
    with pytest.raises(traitlets.TraitError):
        widget.max_bytes = 1 << 40
    sent = sent_by(widget)
    widget._received(widget, {"type": "start", "upload": 1, "name": "a.csv",
                              "size": 3 << 20}, [])  # fmt: skip
    assert sent == [{"type": "stop", "upload": 1}] and widget.file is None


def test_a_late_ack_or_chunk_of_an_earlier_upload_moves_nothing():
    widget = ChunkedUpload(max_bytes=10_000)
    sent = sent_by(widget)
    widget._received(widget, {"type": "start", "upload": 1, "name": "a.csv", "size": 10}, [])
    widget._received(widget, {"type": "start", "upload": 2, "name": "b.csv", "size": 4}, [])
    widget._received(widget, {"type": "chunk", "upload": 1, "index": 0}, [b"0123456789"])
    assert sent == [] and widget.file is None
    widget._received(widget, {"type": "chunk", "upload": 2, "index": 0}, [b"abcd"])
    assert widget.file.name == "b.csv" and widget.file.path.read_bytes() == b"abcd"


def test_a_failure_on_the_server_is_said_and_stops_the_browser():
    widget = ChunkedUpload(max_bytes=10_000)
    sent = sent_by(widget)
    widget._received(widget, {"type": "start", "upload": 1, "name": "a.csv", "size": 10}, [])
    shutil.rmtree(widget._arriving.path.parent)  # a cleaner emptied the temporary folder
    widget._received(widget, {"type": "chunk", "upload": 1, "index": 0}, [b"0123456789"])
    assert sent == [{"type": "stop", "upload": 1}]
    assert widget.error == "a.csv: unggahan gagal disimpan di server; coba lagi"


def test_a_chunk_out_of_order_or_past_the_size_stops_the_upload():
    widget = ChunkedUpload(max_bytes=10_000)
    sent = sent_by(widget)
    widget._received(widget, {"type": "start", "upload": 1, "name": "a.csv", "size": 10}, [])
    widget._received(widget, {"type": "chunk", "upload": 1, "index": 1}, [b"0123456789"])
    assert sent == [{"type": "stop", "upload": 1}] and widget.file is None
    assert widget.error == "a.csv: unggahan terputus atau tidak utuh; pilih berkas lagi"


def test_the_panel_previews_an_upload_when_it_has_arrived(demo_engine):
    model = ImportPanelModel(demo_engine, Session(demo_engine, ROLE_USERS["spv"]))
    view = ImportPanelView(model)
    sent_by(view.upload)
    upload(view.upload, "agent_hms_comma.csv", REPORT, chunk=64)
    assert model.plan.can_commit and model.plan.file == "agent_hms_comma.csv"
    assert "2 baris akan disimpan" in view.details.value


def test_long_work_moves_the_bar_then_hides_it(demo_engine, monkeypatch):
    monkeypatch.setattr(progress, "SHOW_AFTER", 0.0)
    monkeypatch.setattr(progress, "EVERY", 0.0)
    model = ImportPanelModel(demo_engine, Session(demo_engine, ROLE_USERS["spv"]))
    bar = progress.progress_bar(model)
    seen = []
    model.observe(lambda c: seen.append((model.stage, c.new)), "progress")
    model.preview("agent_hms_comma.csv", REPORT)
    model.commit()
    stages = [stage for stage, value in seen if value is not None]
    assert stages[0] == "Membaca dan memeriksa berkas" and stages[-1] == "Menyimpan ke basis data"
    assert seen[-1][1] is None and bar.layout.display == "none"
    assert all(0 <= value <= 1 for _, value in seen if value is not None)


def test_short_work_shows_no_bar(demo_engine):
    model = ImportPanelModel(demo_engine, Session(demo_engine, ROLE_USERS["spv"]))
    seen = []
    model.observe(lambda c: seen.append(c.new), "progress")
    model.preview("agent_hms_comma.csv", REPORT)
    assert all(value is None for value in seen)
