"""The "Proses Banding" page: approvals and re-assessment of appeals."""

from kringlib.ui.appeal_process.model import AppealProcessModel
from kringlib.ui.appeal_process.view import AppealProcessView
from kringlib.ui.base import engine_from_environment
from kringlib.ui.identity import Session


def build_app() -> AppealProcessView:
    """The queue of the signed-in user (nobody until ``sign_in``), ready to display."""
    engine = engine_from_environment()
    return AppealProcessView(AppealProcessModel(engine, Session(engine))).render()


__all__ = ["AppealProcessModel", "AppealProcessView", "build_app"]
