"""A progress bar for work longer than a second: reading an export, saving it.

The model holds ``progress`` (None: nothing under way) and ``stage``; :class:`Steps` is
the callback kringlib's long functions are given, and it moves the bar only once the
work has taken :data:`SHOW_AFTER` seconds, at most every :data:`EVERY` seconds (each
move is a message to the browser, sent while the kernel is still busy).
"""

from __future__ import annotations

import html
import time

import ipywidgets as w
import traitlets

SHOW_AFTER = 1.0
EVERY = 0.2


class HasProgress(traitlets.HasTraits):
    """A model whose long work shows a progress bar."""

    progress = traitlets.Float(None, allow_none=True)
    stage = traitlets.Unicode("")


class Steps:
    """``Steps(model, "Membaca berkas")(fraction)`` from within the work; ``done()`` after."""

    def __init__(self, model: HasProgress, stage: str, start: float = 0.0, end: float = 1.0):
        self.model, self.stage, self.start, self.end = model, stage, start, end
        self.began = self.shown = time.monotonic()

    def __call__(self, fraction: float) -> None:
        now = time.monotonic()
        if now - self.began < SHOW_AFTER or now - self.shown < EVERY:
            return
        self.shown = now
        self.model.stage = self.stage
        self.model.progress = self.start + (self.end - self.start) * min(max(fraction, 0.0), 1.0)

    def then(self, stage: str, end: float) -> Steps:
        """The next stage of the same work, from where this one ends to ``end``."""
        following = Steps(self.model, stage, self.end, end)
        following.began = self.began
        return following

    def done(self) -> None:
        """Hide the bar."""
        self.model.progress = None


def progress_bar(model: HasProgress) -> w.HBox:
    """The bar and its stage, shown while ``model.progress`` is not None."""
    bar = w.FloatProgress(min=0.0, max=1.0).add_class("kr-progress-bar")
    label = w.HTML().add_class("kr-progress-stage")
    box = w.HBox([bar, label], layout=w.Layout(display="none")).add_class("kr-progress")

    def show(_change=None) -> None:
        box.layout.display = "none" if model.progress is None else None
        bar.value = model.progress or 0.0
        label.value = html.escape(f"{model.stage} … {round((model.progress or 0) * 100)}%")

    model.observe(show, ["progress", "stage"])
    return box
