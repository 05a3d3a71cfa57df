"""The "Rapor Kualitas" page: quality scorecards per agent and team."""

from kringlib.ui.scorecard.model import ScorecardModel
from kringlib.ui.scorecard.view import ScorecardView


def build_app() -> ScorecardView:
    """The scorecards on the configured database, rendered, ready to display."""
    return ScorecardView(ScorecardModel.from_environment()).render()


__all__ = ["ScorecardModel", "ScorecardView", "build_app"]
