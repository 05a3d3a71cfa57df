"""The rulebook as data: YAML files, each validated once against its model.

A file is looked up first in the folder named by ``KRING_RULES_DIR`` (a site's local
settings, editable without code), then among the files shipped with the package.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

RULES_DIR_ENV = "KRING_RULES_DIR"
PACKAGED_DIR = Path(__file__).resolve().parent

Model = TypeVar("Model", bound=BaseModel)


class RuleFileError(ValueError):
    """A rule file is missing or does not match its model; the message names file and field."""


class Citation(BaseModel):
    """Where a rule comes from: a rulebook reference, or a local setting and why."""

    citation: str
    note: str = ""


def repeated(values: list[str]) -> list[str]:
    """The values that appear more than once, sorted: what a rule file may name only once."""
    return sorted({value for value in values if values.count(value) > 1})


def local_dir() -> Path | None:
    """The site's folder of local rule files (``KRING_RULES_DIR``), if one is set."""
    local = os.environ.get(RULES_DIR_ENV)
    return Path(local) if local else None


def local_dir_env() -> dict[str, str]:
    """The environment that gives a child process (a service, a server) the same local
    rule folder as this one."""
    local = os.environ.get(RULES_DIR_ENV)
    return {RULES_DIR_ENV: local} if local else {}


def describe(exc: ValidationError) -> str:
    """A validation error as one line: each problem's location and message."""
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())


def rule_path(name: str) -> Path:
    """The file that holds rule set ``name``: a local override if present, else the packaged one."""
    local = local_dir()
    if local and (local / f"{name}.yaml").is_file():
        return local / f"{name}.yaml"
    return PACKAGED_DIR / f"{name}.yaml"


def load(name: str, model: type[Model]) -> Model:
    """Rule set ``name`` validated against ``model`` (cached per file path)."""
    return _load_path(rule_path(name), model)


@functools.cache
def _load_path(path: Path, model: type[Model]) -> Model:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuleFileError(f"Berkas aturan tidak ditemukan: {path.name}") from None
    except yaml.YAMLError as exc:
        raise RuleFileError(f"{path.name}: YAML tidak valid: {exc}") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise RuleFileError(f"{path.name}: {describe(exc)}") from None
