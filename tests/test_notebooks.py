"""Every dashboard and analyst notebook executes headless against a demo database."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from kringlib.store import db, seed

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "dashboards").glob("*.ipynb")) + sorted(
    (ROOT / "notebooks").glob("*.ipynb")
)


@pytest.fixture(scope="module")
def demo_db_url(tmp_path_factory, small_demo):
    url = f"sqlite:///{tmp_path_factory.mktemp('nb') / 'nb.sqlite'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    seed.load_demo(engine, small_demo)
    return url


def test_there_are_notebooks_to_run():
    assert any(p.parent.name == "dashboards" for p in NOTEBOOKS)
    assert any(p.parent.name == "notebooks" for p in NOTEBOOKS)


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_executes_without_errors(path, demo_db_url, monkeypatch):
    monkeypatch.setenv("KRING_DB_URL", demo_db_url)
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={
        "metadata": {"path": str(path.parent)}
    }).execute()  # fmt: skip
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", output.get("evalue")
            assert output.get("name") != "stderr", output.get("text")


def test_dashboards_are_thin():
    # A dashboard builds an app from kringlib.ui and displays it: logic lives in the package.
    for path in (ROOT / "dashboards").glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        assert len(code) <= 2, path.name
        assert sum(len(c.source.splitlines()) for c in code) <= 7, path.name
        assert notebook.metadata["kring"]["title"], path.name


@pytest.mark.parametrize(
    "path", sorted((ROOT / "dashboards").glob("*.ipynb")), ids=lambda p: p.stem
)
def test_the_cell_that_waits_for_the_visitor_has_no_time_limit(path):
    """A preheated kernel waits in sign_in() until someone opens the page, maybe for hours."""
    from kringlib.server.launcher import cell_timeout

    notebook = nbformat.read(path, as_version=4)
    waiting = [cell for cell in notebook.cells if "sign_in(app)" in cell.source]
    assert waiting and all(cell_timeout(cell, limit=120) is None for cell in waiting)
    others = [cell for cell in notebook.cells if cell not in waiting]
    assert all(cell_timeout(cell, limit=120) == 120 for cell in others)


NEVER_BEFORE_THE_VISITOR = ("voila", "jupyter_server", "nbconvert", "alembic", "vl_convert")
"""Voilà's server side, migrations and in-kernel chart rendering: no page's first render
needs them, and together they cost a kernel over 100 MB (jsonschema's IRI grammar, 20 MB
more, is loaded only for the first IRI it checks)."""
IRI_GRAMMAR = "rfc3987_syntax.syntax_helpers"
WITHOUT_CHARTS = {"Penilaian", "Banding", "Proses-Banding", "Analitik-Banding", "Organisasi"}


def _python(code: str, **env) -> str:
    """The last line ``code`` prints in a fresh Python."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={**os.environ, **env},
    )  # fmt: skip
    return result.stdout.splitlines()[-1]


@pytest.mark.parametrize(
    "path", sorted((ROOT / "dashboards").glob("*.ipynb")), ids=lambda p: p.stem
)
def test_a_preheated_kernel_holds_only_what_its_page_draws_with(path, tmp_path):
    """What the kernel has imported once the notebook has run up to the visitor's wait."""
    url = f"sqlite:///{tmp_path / 'kosong.sqlite'}"
    db.upgrade(db.make_engine(url))
    first_cell = nbformat.read(path, as_version=4).cells[0].source
    page = re.search(r"from (kringlib\.ui\.\w+) import build_app", first_cell).group(1)
    code = f"import json, sys, {page}; {page}.build_app(); print(json.dumps(list(sys.modules)))"
    modules = set(json.loads(_python(code, KRING_DB_URL=url)))
    packages = {name.split(".")[0] for name in modules}
    assert not packages & set(NEVER_BEFORE_THE_VISITOR)
    assert IRI_GRAMMAR not in modules
    if path.stem in WITHOUT_CHARTS:
        assert "altair" not in packages


def test_iri_checks_answer_as_before_once_the_grammar_is_deferred():
    check = (
        "import jsonschema; c = jsonschema.Draft7Validator.FORMAT_CHECKER; "
        "print([c.conforms(v, f) for f in ('iri', 'iri-reference') "
        "for v in ('http://ü.example/ä', 'http://exa mple.org', 'rel/ref')])"
    )
    alone, deferred = _python(check), _python("import kringlib.ui.charting; " + check)
    assert alone == deferred == str([True, False, False, True, False, True])
