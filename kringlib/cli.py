"""The ``kring`` command: serve the workbench, load demo data, migrate the database."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import sqlalchemy as sa

from kringlib import __version__, demo, settings
from kringlib.rules import RuleFileError
from kringlib.server import preflight
from kringlib.store import activity, db
from kringlib.store.seed import DatabaseNotEmpty, holds_demo_data, load_demo

DEFAULT_PORT = 8866
USER_ERRORS = (
    db.DatabaseUnavailable,
    db.SchemaOutOfDate,
    DatabaseNotEmpty,
    RuleFileError,
    preflight.ServeError,
)


def _engine(args) -> sa.Engine:
    engine = db.make_engine(settings.resolve_db_url(args.db))
    db.check_connection(engine)
    return engine


def _load_demo(engine: sa.Engine, seed: int, months: int, end, replace: bool) -> None:
    data = demo.generate(seed=seed, months=months, end=end)
    load_demo(engine, data, replace=replace)
    days = data.activity["date"]
    print(
        f"Data demo dimuat: {len(data.agents)} agen, {len(data.activity)} baris aktivitas, "
        f"{days.min():%d-%m-%Y} s.d. {days.max():%d-%m-%Y}."
    )


def cmd_serve(args) -> None:
    from kringlib.server import launcher  # Voilà loads only for this command

    folder = preflight.dashboards_dir(args.dashboards)
    preflight.ensure_port_free(args.host, args.port)
    engine = _engine(args)
    if args.demo:
        db.upgrade(engine)
        if not activity.has_activity(engine):
            _load_demo(engine, demo.DEFAULT_SEED, 12, None, replace=False)
    else:
        db.require_current_schema(engine)
    print(f"Meja kerja Kring Pajak: http://{args.host}:{args.port}/", flush=True)
    # Switching users is for demonstrations only: never on a database of real data.
    demo_mode = args.demo and holds_demo_data(engine)
    url = engine.url.render_as_string(hide_password=False)
    launcher.run_voila(folder, args.host, args.port, url, demo=demo_mode)


def cmd_demo(args) -> None:
    engine = _engine(args)
    db.upgrade(engine)
    _load_demo(engine, args.seed, args.months, args.end, replace=args.replace)


def cmd_db_upgrade(args) -> None:
    engine = _engine(args)
    db.upgrade(engine)
    print(
        f"Skema basis data {db.safe_url(str(engine.url))} di revisi {db.current_revision(engine)}."
    )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"tanggal tidak valid: {text!r} (format YYYY-MM-DD)"
        ) from None


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"harus ≥ 1, bukan {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kring", description="Meja kerja supervisor Kring Pajak.")
    parser.add_argument("--version", action="version", version=f"kring {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    db_help = "URL basis data (bawaan: KRING_DB_URL, lalu berkas SQLite di folder data)"

    serve = commands.add_parser("serve", help="jalankan dasbor Voilà")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--host", default="localhost", help="alamat yang didengarkan")
    serve.add_argument("--db", help=db_help)
    serve.add_argument(
        "--demo", action="store_true", help="siapkan skema dan data demo bila kosong"
    )
    serve.add_argument("--dashboards", help="folder notebook dasbor (bawaan: dashboards/)")
    serve.set_defaults(handler=cmd_serve)

    demo_cmd = commands.add_parser("demo", help="muat data demo sintetis")
    demo_cmd.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    demo_cmd.add_argument("--months", type=_positive, default=12)
    demo_cmd.add_argument("--end", type=_date, help="hari terakhir (bawaan: kemarin)")
    demo_cmd.add_argument("--replace", action="store_true", help="ganti semua data yang ada")
    demo_cmd.add_argument("--db", help=db_help)
    demo_cmd.set_defaults(handler=cmd_demo)

    db_cmd = commands.add_parser("db", help="kelola basis data")
    db_actions = db_cmd.add_subparsers(dest="action", required=True)
    upgrade = db_actions.add_parser("upgrade", help="terapkan migrasi skema terbaru")
    upgrade.add_argument("--db", help=db_help)
    upgrade.set_defaults(handler=cmd_db_upgrade)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``kring``; a user's mistake prints one line and exits 2, not a traceback."""
    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except USER_ERRORS as exc:
        print(f"kring: {exc}", file=sys.stderr)
        return 2
    except sa.exc.SQLAlchemyError as exc:
        print(f"kring: galat basis data: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
