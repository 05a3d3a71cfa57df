"""The "Izin Tidak Online" page: ATS adjustments filed, decided and entered."""

from kringlib.ui.base import engine_from_environment
from kringlib.ui.identity import Session
from kringlib.ui.offline_permit.model import OfflinePermitModel
from kringlib.ui.offline_permit.view import OfflinePermitView


def build_app() -> OfflinePermitView:
    """The page for the signed-in visitor (nobody until ``sign_in``), ready to display."""
    engine = engine_from_environment()
    return OfflinePermitView(OfflinePermitModel(engine, Session(engine))).render()


__all__ = ["OfflinePermitModel", "OfflinePermitView", "build_app"]
