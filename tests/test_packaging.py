"""Set-up files stay true: the README's two commands, CI calling the same, conda matching pip."""

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def _normalise(requirement: str) -> tuple[str, str]:
    parsed = Requirement(requirement)
    return re.sub(r"[-_.]+", "-", parsed.name).lower(), str(parsed.specifier)


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted += [r for r in extra if not r.startswith("kringlib")]
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    listed = [d for d in conda if isinstance(d, str) and not d.startswith(("python=", "pip"))]
    assert sorted(map(_normalise, listed)) == sorted(map(_normalise, wanted))


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_readme_has_exactly_two_set_up_commands():
    run, test = _quick_start_commands()
    assert "kring serve --demo" in run and "pip install -e ." in run
    assert "pytest" in test and '".[test]"' in test


def test_ci_runs_the_readme_test_command_with_the_browser_required():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "KRING_REQUIRE_BROWSER=1" in ci
    assert "apt-get install" in ci and "chromium" in ci
    assert "/^## Quick start/" in ci and "/pytest/" in ci


def test_voila_settings_are_locked_down():
    import json

    settings = json.loads((ROOT / "kringlib" / "server" / "voila.json").read_text())
    voila = settings["VoilaConfiguration"]
    assert voila["show_tracebacks"] is False
    assert voila["allow_template_override"] == voila["allow_theme_override"] == "NO"
    assert settings["Voila"]["port_retries"] == 0
    assert settings["VoilaExecutor"]["timeout"] > 0
    assert settings["MappingKernelManager"]["cull_idle_timeout"] > 0
