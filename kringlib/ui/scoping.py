"""Narrowing what a page read to the agents its visitor may see (``rules/akses.yaml``).

The decision is :meth:`kringlib.access.Visible.admits`; these helpers only apply it to
frames. A frame without ``team_id`` is narrowed through the roster, which has it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kringlib.access import Visible
from kringlib.store import activity


def admitted(frame: pd.DataFrame, visible: Visible) -> pd.DataFrame:
    """The rows of ``frame`` (with ``agent_id`` and ``team_id``) that ``visible`` shows."""
    keep = [
        visible.admits(agent_id, team_id)
        for agent_id, team_id in zip(frame["agent_id"], frame["team_id"], strict=True)
    ]
    return frame[np.array(keep, dtype=bool)]


def visible_roster(engine, visible: Visible) -> pd.DataFrame:
    """The roster (agents with team) narrowed to the agents ``visible`` shows."""
    return admitted(activity.read_roster(engine), visible)


def agents_to_read(roster: pd.DataFrame, visible: Visible) -> list[str] | None:
    """The agent ids a page asks the store for: None (everyone) when ``visible`` shows
    all, else those of the already narrowed ``roster``, so nobody else's rows are read."""
    return None if visible == Visible() else list(roster["agent_id"])
