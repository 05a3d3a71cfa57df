"""The "Analitik Banding" page for team leaders, SPV, assessors and admin."""

from kringlib.ui.appeal_analytics.model import AppealAnalyticsModel
from kringlib.ui.appeal_analytics.view import AppealAnalyticsView
from kringlib.ui.base import engine_from_environment
from kringlib.ui.identity import Session


def build_app() -> AppealAnalyticsView:
    """The analytics on the configured database, rendered for nobody until ``sign_in``
    binds the visitor."""
    engine = engine_from_environment()
    return AppealAnalyticsView(AppealAnalyticsModel(engine, Session(engine))).render()


__all__ = ["AppealAnalyticsModel", "AppealAnalyticsView", "build_app"]
