"""The "Data" page: what the database holds."""

from kringlib.ui.data_page.model import DataPageModel
from kringlib.ui.data_page.view import DataPageView


def build_app() -> DataPageView:
    """The page on the configured database, loaded and rendered, ready to display."""
    model = DataPageModel.from_environment()
    model.reload()
    return DataPageView(model).render()


__all__ = ["DataPageModel", "DataPageView", "build_app"]
