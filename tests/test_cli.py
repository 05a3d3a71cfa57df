"""The `kring` command as a user types it: bad settings give one clear line, never a traceback."""

import socket
import subprocess
import sys

import pytest
from conftest import ROOT, free_port, kring

from kringlib import __version__
from kringlib.store import activity, chain, db, users


def assert_one_line_error(result, *fragments):
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kring: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_version():
    result = kring("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"kring {__version__}"


def test_db_upgrade_then_demo(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    upgraded = kring("db", "upgrade", "--db", url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert db.head_revision() in upgraded.stdout
    loaded = kring("demo", "--db", url, "--months", "1", "--end", "2026-06-30", "--seed", "3")
    assert loaded.returncode == 0, loaded.stderr
    assert "60 agen" in loaded.stdout
    engine = db.make_engine(url)
    assert activity.overview(engine).last_day.date().isoformat() == "2026-06-30"


def test_db_url_from_environment(tmp_path):
    url = f"sqlite:///{tmp_path / 'env.sqlite'}"
    result = kring("db", "upgrade", env={"KRING_DB_URL": url})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env.sqlite").exists()


def test_demo_refuses_to_overwrite(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.sqlite'}"
    assert kring("demo", "--db", url, "--months", "1", "--end", "2026-06-30").returncode == 0
    again = kring("demo", "--db", url, "--months", "1", "--end", "2026-06-30")
    assert_one_line_error(again, "sudah berisi")


def test_unreachable_database_server():
    result = kring("db", "upgrade", "--db", "postgresql://kring:rahasia@127.0.0.1:1/kring")
    assert_one_line_error(result, "Tidak dapat terhubung", "127.0.0.1")
    assert "rahasia" not in result.stderr


def test_malformed_database_url():
    assert_one_line_error(kring("db", "upgrade", "--db", "bukan-url"), "URL basis data")


def test_serve_refuses_a_taken_port(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = kring("serve", "--port", str(port), "--db", f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert_one_line_error(result, f"Port {port}", "--port")


def test_serve_refuses_an_unknown_dashboard_folder(tmp_path):
    result = kring("serve", "--dashboards", str(tmp_path / "tidak-ada"))
    assert_one_line_error(result, "Folder dasbor tidak ditemukan")


def test_serve_without_schema_says_what_to_run(tmp_path):
    result = kring("serve", "--port", "0", "--db", f"sqlite:///{tmp_path / 'kosong.sqlite'}")
    assert_one_line_error(result, "kring db upgrade")


@pytest.mark.parametrize("months", ["0", "-2", "x"])
def test_bad_demo_months(months):
    result = kring("demo", "--months", months)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10"])
def test_serve_is_for_this_machine_only(host):
    assert_one_line_error(kring("serve", "--host", host), "localhost", "kring hub")


def test_user_commands_add_set_password_disable_and_list(tmp_path):
    url = f"sqlite:///{tmp_path / 'akun.sqlite'}"
    assert kring("db", "upgrade", "--db", url).returncode == 0
    added = subprocess.run(
        [sys.executable, "-m", "kringlib.cli", "user", "add", "spv.baru", "--name", "SPV Baru",
         "--role", "spv", "--password-stdin", "--db", url],
        input="kata-sandi-panjang\n", capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    engine = db.make_engine(url)
    assert users.authenticate(engine, "spv.baru", "kata-sandi-panjang").role == "spv"
    assert kring("user", "disable", "spv.baru", "--db", url).returncode == 0
    listed = kring("user", "list", "--db", url)
    assert "spv.baru" in listed.stdout and "nonaktif" in listed.stdout
    assert users.authenticate(engine, "spv.baru", "kata-sandi-panjang") is None


def test_user_add_refuses_an_agent_without_an_agent_id(tmp_path):
    url = f"sqlite:///{tmp_path / 'akun.sqlite'}"
    assert kring("db", "upgrade", "--db", url).returncode == 0
    result = kring("user", "add", "ag099", "--name", "X", "--role", "agent", "--no-password",
                   "--db", url)  # fmt: skip
    assert_one_line_error(result, "ID agen")


def test_demo_data_never_goes_into_a_sites_database(tmp_path):
    """A site that has only entered its accounts must not become a demo (with its switch)."""
    url = f"sqlite:///{tmp_path / 'situs.sqlite'}"
    assert kring("db", "upgrade", "--db", url).returncode == 0
    users.add_user(db.make_engine(url), "admin.situs", "Admin", "admin", "kata-sandi-panjang")
    assert_one_line_error(kring("demo", "--db", url), "app_user", "tidak dimuat")


def test_a_system_failure_is_recorded_by_an_spv_only(tmp_path):
    """ND-301/LIP/2019: after a system failure, agents appeal within 2 working days of the
    compilation; the SPV records when it was received."""
    url = f"sqlite:///{tmp_path / 'kendala.sqlite'}"
    assert kring("demo", "--db", url, "--months", "1", "--end", "2026-06-30").returncode == 0
    dates = ["--dari", "2026-06-01", "--sampai", "2026-06-05", "--kompilasi", "2026-06-10",
             "--catatan", "Aplikasi penilaian tidak dapat diakses", "--db", url]  # fmt: skip
    recorded = kring("kendala-sistem", *dates, "--oleh", "spv.pkl")
    assert recorded.returncode == 0, recorded.stderr
    assert "kompilasi diterima 10-06-2026" in recorded.stdout
    assert_one_line_error(kring("kendala-sistem", *dates, "--oleh", "ag001"))


def test_backup_and_restore_from_the_command_line(tmp_path):
    source, target = (f"sqlite:///{tmp_path / name}" for name in ("asal.sqlite", "pulih.sqlite"))
    assert kring("demo", "--db", source, "--months", "1", "--end", "2026-06-30").returncode == 0
    saved = kring("backup", str(tmp_path / "kring.cadangan"), "--db", source)
    assert saved.returncode == 0, saved.stderr
    restored = kring("restore", str(tmp_path / "kring.cadangan"), "--db", target)
    assert restored.returncode == 0, restored.stderr
    verified = kring("audit", "verify", "--db", target)
    every_chain_and_state = len(chain.CHAINED) + 2  # appeals' and adjustments' states
    assert verified.returncode == 0
    assert verified.stdout.count("rantai utuh") == every_chain_and_state
    assert_one_line_error(kring("restore", str(tmp_path / "kring.cadangan"), "--db", source),
                          "tidak kosong")  # fmt: skip


@pytest.mark.parametrize("command", ["serve", "hub"])
def test_a_broken_rule_file_stops_the_start_naming_file_and_key(tmp_path, command):
    rules = tmp_path / "aturan"
    rules.mkdir()
    (rules / "ats.yaml").write_text("source: {citation: x}\nservice_activities: [layanan]\n"
                                    "filing: {days: 0, unit: working}\nreasons: []\n")  # fmt: skip
    url = f"sqlite:///{tmp_path / 'aturan.sqlite'}"
    result = kring(command, "--db", url, "--port", str(free_port()),
                   env={"KRING_RULES_DIR": str(rules)})  # fmt: skip
    assert_one_line_error(result, "ats.yaml", "filing.days")
