"""The "Analitik Banding" page for supervisors."""

from kringlib.ui.appeal_analytics.model import AppealAnalyticsModel
from kringlib.ui.appeal_analytics.view import AppealAnalyticsView


def build_app() -> AppealAnalyticsView:
    """The analytics on the configured database, rendered, ready to display."""
    return AppealAnalyticsView(AppealAnalyticsModel.from_environment()).render()


__all__ = ["AppealAnalyticsModel", "AppealAnalyticsView", "build_app"]
