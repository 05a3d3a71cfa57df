"""The "Data" page: what the database holds."""

from kringlib.ui.base import engine_from_environment
from kringlib.ui.data_page.model import DataPageModel
from kringlib.ui.data_page.view import DataPageView
from kringlib.ui.identity import Session


def build_app() -> DataPageView:
    """The page on the configured database, rendered for nobody until ``sign_in`` binds the
    visitor."""
    engine = engine_from_environment()
    return DataPageView(DataPageModel(engine, Session(engine))).render()


__all__ = ["DataPageModel", "DataPageView", "build_app"]
