"""The "Banding" page: agents appeal their quality assessments."""

from kringlib.ui.appeal_agent.model import AppealAgentModel
from kringlib.ui.appeal_agent.view import AppealAgentView
from kringlib.ui.base import engine_from_environment
from kringlib.ui.identity import Session


def build_app() -> AppealAgentView:
    """The page for the signed-in agent (nobody until ``sign_in``), ready to display."""
    engine = engine_from_environment()
    return AppealAgentView(AppealAgentModel(engine, Session(engine))).render()


__all__ = ["AppealAgentModel", "AppealAgentView", "build_app"]
