"""The "KPI Tim" page: productivity per team and agent, with the import panel for SPV and admin."""

from kringlib.ui.base import engine_from_environment
from kringlib.ui.identity import Session
from kringlib.ui.import_panel import ImportPanelModel
from kringlib.ui.kpi_team.model import KpiTeamModel
from kringlib.ui.kpi_team.view import KpiTeamView


def build_app() -> KpiTeamView:
    """The page on the configured database, rendered for nobody until ``sign_in`` binds the
    visitor; the import panel shares the page's session."""
    engine = engine_from_environment()
    session = Session(engine)
    model = KpiTeamModel(engine, session)
    importer = ImportPanelModel(engine, session)
    importer.committed.append(model.reload)
    return KpiTeamView(model, importer).render()


__all__ = ["KpiTeamModel", "KpiTeamView", "build_app"]
