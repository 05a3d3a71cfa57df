"""The dashboard service that `kring hub` starts: `python -m kringlib.server.service FOLDER`.

The database URL comes in the service's environment (``KRING_DB_URL``), set by the hub.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from kringlib import settings
from kringlib.server.launcher import run_service


def main(argv: list[str] | None = None) -> None:
    """Run the dashboard service until the hub stops it."""
    parser = argparse.ArgumentParser(prog="kringlib.server.service")
    parser.add_argument("dashboards", type=Path)
    parser.add_argument("--demo", action="store_true")
    args = parser.parse_args(argv)
    run_service(args.dashboards, os.environ[settings.DB_URL_ENV], demo=args.demo)


if __name__ == "__main__":
    main()
