"""The "Rapor Kualitas" page: quality scorecards per agent and team."""

from kringlib.ui.base import engine_from_environment
from kringlib.ui.identity import Session
from kringlib.ui.scorecard.model import ScorecardModel
from kringlib.ui.scorecard.view import ScorecardView


def build_app() -> ScorecardView:
    """The scorecards on the configured database, rendered for nobody until ``sign_in``
    binds the visitor."""
    engine = engine_from_environment()
    return ScorecardView(ScorecardModel(engine, Session(engine))).render()


__all__ = ["ScorecardModel", "ScorecardView", "build_app"]
