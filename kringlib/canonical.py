"""Canonical frames: the column names every reader produces and every formula reads.

Durations are seconds (float), dates ``datetime64[ns]`` at midnight, counts float so a
missing figure stays NaN rather than a false zero.
"""

from __future__ import annotations

CHANNELS = ("telepon", "chat", "email", "twitter")
"""Interaction channels, as named on screen and in the data."""

CHANNEL_LABELS = {
    "telepon": "Telepon",
    "chat": "Live chat",
    "email": "E-mail",
    "twitter": "Twitter",
}
"""How each channel is labelled on screen, in charts and in pickers."""

ACTIVITY_KEYS = ("date", "agent_id", "channel")
"""One activity row per agent, day and channel."""

ACTIVITY_MEASURES = (
    "acd_calls",
    "acd_time",
    "hold_time",
    "acw_time",
    "talk_time",
    "ring_time",
    "staffed_time",
    "aux_time",
    "avail_time",
    "incoming_calls",
    "interactions_total",
    "interactions_documented",
    "chats_answered",
    "chats_answered_in_sla",
    "emails_assigned",
    "emails_answered",
)
"""Additive measures of an agent's activity: sums over any grain stay meaningful."""

QUEUE_KEYS = ("date", "hour", "channel")
QUEUE_MEASURES = ("offered", "answered", "abandoned")
"""Arrivals at the queue (Avaya split/skill report and its chat/e-mail counterparts)."""

ADHERENCE_MEASURES = ("adherent_s", "owed_s")
"""Per agent and day (:func:`kringlib.store.schedules.read_ats_days`): scheduled service
seconds spent online, and scheduled service seconds not excused; ATS's numerator and
denominator."""

KPI_INPUTS = (*ACTIVITY_MEASURES, *ADHERENCE_MEASURES)
"""Every column a KPI of ``rules/produktivitas.yaml`` may name."""
