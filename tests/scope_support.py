"""Page tests of who sees what (``rules/akses.yaml``): the demo agents by team, the refused page.

The demo users of each role are ``page_support.ROLE_USERS``: the agent is ag001 (AG001, Tim
Merapi), the team leader tl.merapi.
"""

from __future__ import annotations

from kringlib import access

MERAPI = {f"AG{i:03d}" for i in range(1, 11)}
EVERYONE = {f"AG{i:03d}" for i in range(1, 61)}


def assert_refused(view) -> None:
    """The page shows its one refusal sentence and no body (none built, or an earlier
    visitor's hidden)."""
    model = view.model
    assert model.refused == access.refusal(model.session.user, model.page)
    assert not model.allowed and not any(part in view.children for part in view._body)
    shown = [child.value for child in view.children if "kr-refused" in child._dom_classes]
    assert shown == [model.refused]
