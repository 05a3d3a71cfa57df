"""Upload an export, preview it with its findings, commit only on confirmation."""

from kringlib.ui.import_panel.model import ImportPanelModel
from kringlib.ui.import_panel.view import ImportPanelView

__all__ = ["ImportPanelModel", "ImportPanelView"]
