"""The "Buku Saku" page: the pocket book at the agent's elbow."""

from kringlib.ui.base import engine_from_environment
from kringlib.ui.identity import Session
from kringlib.ui.pocket_book.model import PocketBookModel
from kringlib.ui.pocket_book.view import PocketBookView


def build_app() -> PocketBookView:
    """The page for the signed-in visitor (nobody until ``sign_in``), ready to display."""
    engine = engine_from_environment()
    return PocketBookView(PocketBookModel(engine, Session(engine))).render()


__all__ = ["PocketBookModel", "PocketBookView", "build_app"]
