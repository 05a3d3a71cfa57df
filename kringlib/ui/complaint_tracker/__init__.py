"""The "Pengaduan" page: complaints against the SLA of SE-11/PJ/2019."""

from kringlib.ui.base import engine_from_environment
from kringlib.ui.complaint_tracker.model import ComplaintTrackerModel
from kringlib.ui.complaint_tracker.view import ComplaintTrackerView
from kringlib.ui.identity import Session


def build_app() -> ComplaintTrackerView:
    """The page for the signed-in visitor (nobody until ``sign_in``), ready to display."""
    engine = engine_from_environment()
    return ComplaintTrackerView(ComplaintTrackerModel(engine, Session(engine))).render()


__all__ = ["ComplaintTrackerModel", "ComplaintTrackerView", "build_app"]
