"""Narrowing what a page read to the agents its visitor may see (``rules/akses.yaml``).

The decision is :meth:`kringlib.access.Visible.admits`; these helpers only apply it to
frames. A frame without ``team_id`` is narrowed through the roster, which has it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kringlib.access import Visible


def admitted(frame: pd.DataFrame, visible: Visible) -> pd.DataFrame:
    """The rows of ``frame`` (with ``agent_id`` and ``team_id``) that ``visible`` shows."""
    keep = [
        visible.admits(agent_id, team_id)
        for agent_id, team_id in zip(frame["agent_id"], frame["team_id"], strict=True)
    ]
    return frame[np.array(keep, dtype=bool)]


def of_agents(frame: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``frame`` whose ``agent_id`` is on ``roster``."""
    return frame[frame["agent_id"].isin(roster["agent_id"])]
