"""State of the Data page: an overview of the database, refreshed on demand."""

from __future__ import annotations

import traitlets

from kringlib.store.activity import Overview, overview
from kringlib.ui.base import PageModel
from kringlib.ui.messages import guarded


class DataPageModel(PageModel):
    """Holds the :class:`~kringlib.store.activity.Overview` of the database."""

    overview = traitlets.Instance(Overview, allow_none=True)

    @guarded
    def reload(self) -> None:
        """Read the overview again from the database."""
        self.overview = overview(self.engine)
