"""Narrowing what a page read to the agents its visitor may see (``rules/akses.yaml``).

The decision is :meth:`kringlib.access.Visible.admits`; these helpers only apply it to
frames. A frame without ``team_id`` is narrowed through the memberships, which have it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kringlib.access import Visible
from kringlib.store.roster import read_memberships


def admitted(frame: pd.DataFrame, visible: Visible) -> pd.DataFrame:
    """The rows of ``frame`` (with ``agent_id`` and ``team_id``) that ``visible`` shows.

    A row's ``team_id`` is the team its agent was in on the row's day, so a team leader
    sees an agent's work while in their team, and not before or after a move."""
    if visible == Visible():
        return frame
    keep = [
        visible.admits(agent_id, team_id)
        for agent_id, team_id in zip(frame["agent_id"], frame["team_id"], strict=True)
    ]
    return frame[np.array(keep, dtype=bool)]


def visible_roster(engine, visible: Visible) -> pd.DataFrame:
    """Each agent and team they have been in (agent_id, name, team_id, team), narrowed to
    the pairs ``visible`` shows: an agent who moved is listed under both teams."""
    pairs = read_memberships(engine).drop_duplicates(["agent_id", "team_id"])
    return admitted(pairs.reset_index(drop=True), visible)


def agents_to_read(roster: pd.DataFrame, visible: Visible) -> list[str] | None:
    """The agent ids a page asks the store for: None (everyone) when ``visible`` shows
    all, else those of the already narrowed ``roster``, so nobody else's rows are read."""
    return None if visible == Visible() else list(dict.fromkeys(roster["agent_id"]))
