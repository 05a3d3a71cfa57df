"""The IVR/CRM topic tree (Buku Saku, "pilihan menu pada IVR dan CRM") with stable codes,
looked up and searched the way an agent looks for where a question belongs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, model_validator

from kringlib import rules

CODE = re.compile(r"[A-Z][A-Z0-9]*(-[A-Z0-9]+)*")


class Topic(BaseModel):
    """A menu choice, and the choices below it."""

    code: str
    label: str
    children: list[Topic] = []


class TopicRules(BaseModel):
    """``rules/topik.yaml``: every code well formed, used once, and under its parent's."""

    source: rules.Citation
    topics: list[Topic]

    @model_validator(mode="after")
    def _codes(self) -> TopicRules:
        seen: set[str] = set()
        for entry in _walk(self.topics):
            code = entry.topic.code
            if not CODE.fullmatch(code):
                raise ValueError(f"topics: kode {code!r} harus huruf besar, angka dan '-'")
            if code in seen:
                raise ValueError(f"topics: kode {code} dipakai dua kali")
            if entry.parent and not code.startswith(entry.parent.code + "-"):
                raise ValueError(f"topics: kode {code} harus diawali {entry.parent.code}-")
            seen.add(code)
        return self


@dataclass(frozen=True)
class Entry:
    """A topic where it stands in the tree: its parent (None at the top) and its path."""

    topic: Topic
    parent: Topic | None

    @property
    def path(self) -> str:
        """The labels from the top down (``Informasi ... (PPh) › PPh Pasal 21``)."""
        return f"{self.parent.label} › {self.topic.label}" if self.parent else self.topic.label


def _walk(topics: list[Topic], parent: Topic | None = None) -> list[Entry]:
    entries = []
    for topic in topics:
        entries.append(Entry(topic, parent))
        entries.extend(_walk(topic.children, topic))
    return entries


def topic_rules() -> TopicRules:
    """The tree of ``rules/topik.yaml``."""
    return rules.load("topik", TopicRules)


def entries() -> list[Entry]:
    """Every topic, top-level ones before their children, in the rulebook's order."""
    return _walk(topic_rules().topics)


def entry(code: str) -> Entry:
    """The topic with ``code``; an unknown code raises ``ValueError`` naming it."""
    for candidate in entries():
        if candidate.topic.code == code:
            return candidate
    raise ValueError(f"Kode topik tidak dikenal: {code!r}.")


def search(text: str) -> list[Entry]:
    """The topics whose code and path hold every word of ``text`` (any case), one of them
    in the topic's own code or label: "umum ppn" finds PPN's "Umum", and "token" finds
    the choice that names it, not each sibling under it; all topics for blank ``text``."""
    words = text.lower().split()

    def matches(found: Entry) -> bool:
        own = f"{found.topic.code} {found.topic.label}".lower()
        whole = f"{found.topic.code} {found.path}".lower()
        return all(w in whole for w in words) and (not words or any(w in own for w in words))

    return [found for found in entries() if matches(found)]
