"""The "Organisasi" page: teams, agents, team memberships and log-in ids over time."""

from kringlib.ui.base import engine_from_environment
from kringlib.ui.identity import Session
from kringlib.ui.organisation.model import OrganisationModel
from kringlib.ui.organisation.view import OrganisationView


def build_app() -> OrganisationView:
    """The page on the configured database, rendered for nobody until ``sign_in`` binds the
    visitor."""
    engine = engine_from_environment()
    return OrganisationView(OrganisationModel(engine, Session(engine))).render()


__all__ = ["OrganisationModel", "OrganisationView", "build_app"]
