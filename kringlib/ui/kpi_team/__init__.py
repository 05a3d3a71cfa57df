"""The "KPI Tim" page: team productivity for supervisors, with the import panel."""

from kringlib.ui.base import engine_from_environment
from kringlib.ui.import_panel import ImportPanelModel
from kringlib.ui.kpi_team.model import KpiTeamModel
from kringlib.ui.kpi_team.view import KpiTeamView


def build_app() -> KpiTeamView:
    """The page on the configured database, loaded and rendered, ready to display."""
    engine = engine_from_environment()
    model = KpiTeamModel(engine)
    importer = ImportPanelModel(engine)
    importer.committed.append(model.reload)
    return KpiTeamView(model, importer).render()


__all__ = ["KpiTeamModel", "KpiTeamView", "build_app"]
