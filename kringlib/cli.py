"""The ``kring`` command: serve the workbench, load demo data, migrate the database."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import logging
import secrets
import sys
from pathlib import Path

import sqlalchemy as sa

from kringlib import __version__, clock, demo, settings
from kringlib.access import ROLES
from kringlib.ingest.roster_file import agent_table, read_roster_file
from kringlib.rules import RuleFileError
from kringlib.server import preflight
from kringlib.store import activity, backup, chain, db, flags, reporting, roles, roster, users
from kringlib.store.seed import DatabaseNotEmpty, load_demo
from kringlib.workbooks import csv_text

DEFAULT_PORT = 8866
DEFAULT_HUB_PORT = 8000
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


def _prepare_database(args) -> tuple[sa.Engine, bool]:
    """The engine, schema checked (with ``--demo``: migrated and demo data loaded into an
    empty database), and whether demo mode may be offered on it."""
    engine = _engine(args)
    if args.demo:
        db.upgrade(engine)
        if not activity.has_activity(engine):
            _load_demo(engine, demo.DEFAULT_SEED, 12, None, replace=False)
    else:
        db.require_current_schema(engine)
    # Switching users is for demonstrations only: never on a database of real data.
    return engine, args.demo and flags.demo_allowed(engine)


def check_rules() -> None:
    """Load every rule file now: a broken one stops the start with one line naming the
    file and key, rather than a page failing later or a rule that never fires."""
    from kringlib import (
        about,
        access,
        adherence,
        adjustments,
        appeals,
        calendar,
        kpi,
        no_reply,
        phonetic,
        quality,
        scripts,
        topics,
    )
    from kringlib.complaints import complaint_rules
    from kringlib.ingest.layouts import export_rules
    from kringlib.ui.kpi_team.model import kpi_targets

    for load in (access.access_rules, adherence.ats_rules, adjustments.approval,
                 appeals.appeal_rules, calendar.calendar_rules, complaint_rules,
                 kpi.definitions, kpi_targets, phonetic.alphabet, quality.load_rubric,
                 export_rules, scripts.script_rules,
                 no_reply.no_reply_rules, topics.topic_rules, about.about):  # fmt: skip
        load()


def cmd_serve(args) -> None:
    """`kring serve`: the dashboards for one person on this machine, behind a token."""
    from kringlib.server import launcher  # Voilà loads only for this command
    from kringlib.ui.identity import DEMO_FIRST_USER

    check_rules()
    preflight.require_loopback(args.host)
    folder = preflight.dashboards_dir(args.dashboards)
    preflight.ensure_port_free(args.host, args.port)
    engine, demo_mode = _prepare_database(args)
    local_user = args.user or (DEMO_FIRST_USER if demo_mode else getpass.getuser())
    token = secrets.token_urlsafe(24)
    print(
        f"Meja kerja Kring Pajak untuk {local_user}: http://{args.host}:{args.port}/?token={token}",
        flush=True,
    )
    url = db.absolute_url(engine)
    launcher.run_voila(
        folder, args.host, args.port, url, token=token, local_user=local_user, demo=demo_mode
    )


def cmd_hub(args) -> None:
    """`kring hub`: JupyterHub for the office; every visitor signs in."""
    from kringlib.server import hub  # JupyterHub loads only for this command

    check_rules()
    folder = preflight.dashboards_dir(args.dashboards)
    preflight.ensure_port_free(args.host, args.port)
    preflight.require_proxy()
    engine, demo_mode = _prepare_database(args)
    state_dir = (Path(args.state_dir) if args.state_dir else settings.data_dir() / "hub").resolve()
    config = hub.hub_config(
        host=args.host, port=args.port, db_url=db.absolute_url(engine),
        dashboards=folder, state_dir=state_dir, demo=demo_mode,
        ssl_cert=args.ssl_cert, ssl_key=args.ssl_key,
        analysts=hub.Analysts(
            os_user=args.analyst_os_user, db_url=args.analyst_db or "",
            home=(Path(args.analyst_home) if args.analyst_home
                  else settings.data_dir().parent / "analis").resolve(),
        ),
    )  # fmt: skip
    shown = "localhost" if args.host in ("0.0.0.0", "") else args.host
    scheme = "https" if args.ssl_cert else "http"
    print(f"Meja kerja Kring Pajak (masuk dulu): {scheme}://{shown}:{args.port}/", flush=True)
    hub.run_hub(config, args.config, state_dir)


def _read_password(args) -> str:
    """A new password: one line on stdin, or typed twice at the prompt."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Kata sandi: ")
    if getpass.getpass("Ulangi kata sandi: ") != first:
        raise ValueError("Kedua kata sandi tidak sama.")
    return first


def cmd_user_add(args) -> None:
    """`kring user add`: a new workbench account."""
    engine = _engine(args)
    db.require_current_schema(engine)
    password = None if args.no_password else _read_password(args)
    users.add_user(engine, args.username, args.name, args.role, password,
                   team_id=args.team, agent_id=args.agent)  # fmt: skip
    print(f"Akun {args.username} ({args.role}) dibuat.")


def cmd_user_passwd(args) -> None:
    """`kring user passwd`: a new password, which also lifts a lock-out."""
    engine = _engine(args)
    users.set_password(engine, args.username, _read_password(args))
    print(f"Kata sandi {args.username} diganti; kunci akun dibuka.")


def cmd_user_disable(args) -> None:
    """`kring user disable`: stop (or with --enable allow again) an account."""
    users.set_disabled(_engine(args), args.username, not args.enable)
    print(f"Akun {args.username} {'aktif kembali' if args.enable else 'dinonaktifkan'}.")


def cmd_user_lab(args) -> None:
    """`kring user lab`: an admin opts in to (or, with --off, out of) JupyterLab."""
    users.set_lab(_engine(args), args.username, not args.off)
    print(f"JupyterLab untuk {args.username} {'dimatikan' if args.off else 'dinyalakan'}.")


def cmd_user_list(args) -> None:
    """`kring user list`: every account with role, team or agent, and status."""
    frame = users.users(_engine(args))
    frame = frame.astype(object).where(frame.notna(), None)
    for row in frame.itertuples():
        locked = row.locked_until is not None and clock.in_jakarta(row.locked_until) > clock.now()
        status = "nonaktif" if row.disabled else ("terkunci" if locked else "aktif")
        where = row.agent_id or row.team_id or ""
        print(f"{row.username:<20} {row.role:<12} {where:<8} {status:<9} {row.name}")


def cmd_system_failure(args) -> None:
    """`kring kendala-sistem`: record that assessments reached agents as a compilation."""
    from kringlib.store import appeals

    engine = _engine(args)
    record = appeals.record_system_failure(
        engine, users.user(engine, args.by), args.assessed_from, args.assessed_to,
        args.received, args.note,
    )  # fmt: skip
    print(
        f"Kendala sistem #{record} dicatat: penilaian {args.assessed_from:%d-%m-%Y} s.d. "
        f"{args.assessed_to:%d-%m-%Y}, kompilasi diterima {args.received:%d-%m-%Y}."
    )


def cmd_roster_import(args) -> int:
    """`kring roster import PATH`: teams, agents and their log-ins from the roster template;
    every problem listed, and nothing saved unless there is none."""
    engine = _engine(args)
    db.require_current_schema(engine)
    parsed = read_roster_file(Path(args.path))
    plan = roster.plan_file(engine, parsed)
    for problem in [*map(str, parsed.findings), *plan.problems]:
        print(problem, file=sys.stderr)
    if not plan.can_commit:
        print(f"kring: roster {parsed.file} tidak disimpan; perbaiki masalah di atas.",
              file=sys.stderr)  # fmt: skip
        return 2
    saved = roster.import_file(engine, parsed, users.user(engine, args.by))
    print(f"Roster {parsed.file}: {plan}. {saved}")
    return 0


def cmd_roster_export(args) -> None:
    """`kring roster export PATH`: the roster as the template (XLSX: Tim and Agen sheets;
    CSV: the Agen sheet)."""
    engine = _engine(args)
    db.require_current_schema(engine)
    path = Path(args.path)
    if path.suffix.lower() == ".csv":
        path.write_text(csv_text(agent_table(roster.read(engine))), encoding="utf-8")
    elif path.suffix.lower() == ".xlsx":
        path.write_bytes(roster.export_file(engine))
    else:
        raise ValueError(f"{path.name}: pilih berkas .xlsx (Tim dan Agen) atau .csv (Agen)")
    print(f"Roster ditulis ke {path}.")


def cmd_audit_verify(args) -> int:
    """`kring audit verify`: walk the history chains; exit 1 when one is broken."""
    verdicts = chain.verify(_engine(args))
    for verdict in verdicts:
        print(verdict)
    return 0 if all(v.intact for v in verdicts) else 1


def cmd_backup(args) -> None:
    """`kring backup PATH`: a consistent copy while the workbench runs."""
    saved = backup.backup(_engine(args), args.path)
    print(f"Cadangan ditulis ke {saved} (hanya pemiliknya yang dapat membaca).")


def cmd_restore(args) -> None:
    """`kring restore PATH`: a backup back into an empty database."""
    engine = _engine(args)
    backup.restore(engine, args.path)
    print(f"Cadangan {args.path} dipulihkan ke {db.safe_url(str(engine.url))}.")


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


def cmd_db_roles(args) -> None:
    """`kring db roles`: print (or, as the owner, apply) the application role's grants."""
    engine = _engine(args)
    if not args.apply:
        database = engine.url.database or "kring"
        statements = roles.grants(args.app_role, database)
        statements += roles.analyst_grants(args.analyst_role, database)
        print(";\n".join(statements) + ";")
        return
    roles.apply(engine, args.app_role, args.analyst_role)
    print(
        f"Peran {args.app_role} siap: baca semua, tambah riwayat, tanpa ubah atau hapus "
        f"riwayat. Peran {args.analyst_role} siap: hanya baca, lewat tampilan skema "
        f"{reporting.SCHEMA} (tanpa hash kata sandi, NPWP/NIK disamarkan). Beri kata sandi: "
        "ALTER ROLE … PASSWORD '…'; lalu arahkan kring hub/serve ke basis data sebagai "
        f"{args.app_role} dan kring hub --analyst-db sebagai {args.analyst_role}."
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


DB_HELP = "URL basis data (bawaan: KRING_DB_URL, lalu berkas SQLite di folder data)"


def _command(actions, name: str, handler, help_text: str) -> argparse.ArgumentParser:
    """A sub-command that acts on the database named by ``--db``."""
    command = actions.add_parser(name, help=help_text)
    command.add_argument("--db", help=DB_HELP)
    command.set_defaults(handler=handler)
    return command


def build_parser() -> argparse.ArgumentParser:
    """The ``kring`` command line and its sub-commands."""
    parser = argparse.ArgumentParser(prog="kring", description="Meja kerja supervisor Kring Pajak.")
    parser.add_argument("--version", action="version", version=f"kring {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = _command(commands, "serve", cmd_serve, "jalankan dasbor Voilà")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument(
        "--host", default="localhost", help="alamat loopback yang didengarkan (bawaan localhost)"
    )
    serve.add_argument(
        "--user", help="akun yang dipakai (bawaan: pengguna sistem; dengan --demo: spv.pkl)"
    )
    serve.add_argument(
        "--demo", action="store_true", help="siapkan skema dan data demo bila kosong"
    )
    serve.add_argument("--dashboards", help="folder notebook dasbor (bawaan: dashboards/)")

    demo_cmd = _command(commands, "demo", cmd_demo, "muat data demo sintetis")
    demo_cmd.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    demo_cmd.add_argument("--months", type=_positive, default=12)
    demo_cmd.add_argument("--end", type=_date, help="hari terakhir (bawaan: kemarin)")
    demo_cmd.add_argument("--replace", action="store_true", help="ganti semua data yang ada")

    hub_cmd = _command(commands, "hub", cmd_hub, "jalankan JupyterHub: setiap pengguna masuk")
    hub_cmd.add_argument("--port", type=int, default=DEFAULT_HUB_PORT)
    hub_cmd.add_argument("--host", default="0.0.0.0", help="alamat yang didengarkan")
    hub_cmd.add_argument("--demo", action="store_true", help="siapkan skema dan data demo")
    hub_cmd.add_argument("--dashboards", help="folder notebook dasbor (bawaan: dashboards/)")
    hub_cmd.add_argument("--config", help="berkas konfigurasi JupyterHub situs (mis. direktori)")
    hub_cmd.add_argument("--state-dir", help="folder status hub (bawaan: data/hub)")
    hub_cmd.add_argument("--ssl-cert", help="sertifikat HTTPS")
    hub_cmd.add_argument("--ssl-key", help="kunci HTTPS")
    hub_cmd.add_argument(
        "--analyst-db", help="PostgreSQL: URL peran analis (baca saja) untuk JupyterLab analis"
    )
    hub_cmd.add_argument(
        "--analyst-os-user", default="kring-analis", help="akun OS server JupyterLab analis"
    )
    hub_cmd.add_argument(
        "--analyst-home", help="folder kerja para analis (bawaan: analis/ di samping data/)"
    )

    user_cmd = commands.add_parser("user", help="kelola akun pengguna")
    user_actions = user_cmd.add_subparsers(dest="action", required=True)
    add = _command(user_actions, "add", cmd_user_add, "buat akun")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="nama lengkap")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--team", help="ID tim (Team Leader)")
    add.add_argument("--agent", help="ID agen (akun agen)")
    add.add_argument("--no-password", action="store_true", help="masuk lewat direktori saja")
    passwd = _command(user_actions, "passwd", cmd_user_passwd, "ganti kata sandi")
    passwd.add_argument("username")
    disable = _command(user_actions, "disable", cmd_user_disable, "nonaktifkan akun")
    disable.add_argument("username")
    disable.add_argument("--enable", action="store_true", help="aktifkan kembali")
    lab = _command(user_actions, "lab", cmd_user_lab, "JupyterLab untuk admin (analis selalu)")
    lab.add_argument("username")
    lab.add_argument("--off", action="store_true", help="matikan lagi")
    _command(user_actions, "list", cmd_user_list, "daftar akun")
    for action in (add, passwd):
        action.add_argument(
            "--password-stdin", action="store_true", help="baca kata sandi dari stdin"
        )

    failure = _command(
        commands,
        "kendala-sistem",
        cmd_system_failure,
        "catat kendala sistem: banding 2 hari kerja sejak kompilasi (ND-301/LIP/2019)",
    )
    failure.add_argument("--dari", dest="assessed_from", type=_date, required=True,
                         help="tanggal penilaian pertama yang terdampak (YYYY-MM-DD)")  # fmt: skip
    failure.add_argument("--sampai", dest="assessed_to", type=_date, required=True,
                         help="tanggal penilaian terakhir yang terdampak")  # fmt: skip
    failure.add_argument("--kompilasi", dest="received", type=_date, required=True,
                         help="tanggal agen menerima kompilasi penilaian")  # fmt: skip
    failure.add_argument("--catatan", dest="note", required=True, help="apa yang terjadi")
    failure.add_argument("--oleh", dest="by", required=True, help="akun SPV PKL atau admin")

    roster_cmd = commands.add_parser("roster", help="tim, agen dan log-in mereka (templat roster)")
    roster_actions = roster_cmd.add_subparsers(dest="action", required=True)
    take = _command(roster_actions, "import", cmd_roster_import, "muat templat roster (CSV/XLSX)")
    take.add_argument("path", help="berkas templat roster")
    take.add_argument("--oleh", dest="by", required=True, help="akun admin atau SPV PKL")
    give = _command(roster_actions, "export", cmd_roster_export, "tulis roster sebagai templat")
    give.add_argument("path", help="berkas .xlsx (Tim dan Agen) atau .csv (Agen)")

    audit = commands.add_parser("audit", help="periksa jejak yang tidak boleh diubah")
    audit_actions = audit.add_subparsers(dest="action", required=True)
    _command(audit_actions, "verify", cmd_audit_verify, "periksa rantai hash riwayat")

    save = _command(
        commands, "backup", cmd_backup, "tulis cadangan basis data (boleh saat berjalan)"
    )
    save.add_argument("path", help="berkas cadangan baru")
    load = _command(commands, "restore", cmd_restore, "pulihkan cadangan ke basis data kosong")
    load.add_argument("path", help="berkas cadangan")

    db_cmd = commands.add_parser("db", help="kelola basis data")
    db_actions = db_cmd.add_subparsers(dest="action", required=True)
    _command(db_actions, "upgrade", cmd_db_upgrade, "terapkan migrasi skema terbaru")
    grant = _command(db_actions, "roles", cmd_db_roles, "hak peran aplikasi di PostgreSQL")
    grant.add_argument("--app-role", default=roles.DEFAULT_APP_ROLE, help="nama peran aplikasi")
    grant.add_argument(
        "--analyst-role", default=roles.DEFAULT_ANALYST_ROLE, help="nama peran analis (baca saja)"
    )
    grant.add_argument("--apply", action="store_true", help="jalankan sebagai pemilik basis data")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``kring``; a user's mistake prints one line and exits 2, not a traceback."""
    args = build_parser().parse_args(argv)
    # The refusal reaches the person at the terminal as the one error line below.
    logging.getLogger("kringlib").addHandler(logging.NullHandler())
    try:
        status = args.handler(args)
    except (*USER_ERRORS, ValueError, PermissionError) as exc:
        print(f"kring: {exc}", file=sys.stderr)
        return 2
    except sa.exc.SQLAlchemyError as exc:
        print(f"kring: galat basis data: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
