"""State of the Data page: an overview of the database, refreshed on demand.

A team leader sees their own team's roster and rows (``rules/akses.yaml``, page ``data``);
SPV, assessor and admin the whole database; an agent is refused.
"""

from __future__ import annotations

import pandas as pd
import traitlets

from kringlib.store import chain
from kringlib.store.activity import Overview, overview
from kringlib.store.roster import read_memberships
from kringlib.ui import scoping
from kringlib.ui.base import PageModel
from kringlib.ui.messages import guarded


class DataPageModel(PageModel):
    """Holds the :class:`~kringlib.store.activity.Overview` of what the visitor may see."""

    page = "data"

    overview = traitlets.Instance(Overview, allow_none=True)
    chains = traitlets.List()  # kringlib.store.chain.Verdict per history table (scope all)

    def __init__(self, engine, session=None, **kwargs):
        super().__init__(engine, session, **kwargs)
        self.reload()

    @guarded
    def reload(self) -> None:
        """Read the overview again from the database; nothing for a refused visitor."""
        self.chains = chain.verify(self.engine) if self.scope == "all" else []
        self.overview = overview(self.engine, self._periods()) if self.allowed else None
        self.version += 1

    def _periods(self) -> pd.DataFrame | None:
        """The memberships whose work is counted; None (everything) for scope ``all``."""
        if self.scope == "all":
            return None
        return scoping.admitted(read_memberships(self.engine), self.visible())
