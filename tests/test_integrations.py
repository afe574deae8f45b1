"""The pre-commit hook (run by the real pre-commit tool), the GitHub Action's definition, and a
bibliography changed alone being audited through the manuscripts that use it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from citecheck.cli import run

ROOT = Path(__file__).resolve().parent.parent
PAPER = "Grazing slows recovery [@okafor2019] and trampling too [@lind2015].\n"
BIB = "@article{okafor2019, author={Okafor, A.}, title={Grazing}, journal={Ecology}, year={2019}}\n"


def _git(cwd: Path, *args: str) -> None:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("pre-commit") is None, reason="needs git and pre-commit")
def test_the_hook_runs_under_pre_commit(tmp_path: Path) -> None:
    # The hook repository: this repository's manifest, with the installed citecheck run in place of
    # a fresh virtual environment (which would install citecheck from the network).
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in manifest] == ["citecheck"] and manifest[0]["language"] == "python"
    manifest[0]["language"] = "system"
    (hooks / ".pre-commit-hooks.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    _git(hooks, "init", "-q")
    _git(hooks, "add", ".")
    _git(hooks, "commit", "-q", "-m", "hooks")

    project = tmp_path / "project"
    project.mkdir()
    (project / "paper.md").write_text("---\nbibliography: refs.bib\n---\n\n" + PAPER, encoding="utf-8")
    (project / "refs.bib").write_text(BIB, encoding="utf-8")
    (project / "notes.txt").write_text("Not a manuscript (Nobody, 2020).\n", encoding="utf-8")
    _git(project, "init", "-q")
    _git(project, "add", ".")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env["PATH"]
    cmd = ["pre-commit", "try-repo", str(hooks), "citecheck", "--all-files", "--verbose"]
    failed = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "lind2015" in failed.stdout and "notes.txt" not in failed.stdout

    (project / "refs.bib").write_text(
        BIB + "@book{lind2015, author={Lind, M.}, title={Trampling}, year={2015}}\n", encoding="utf-8"
    )
    _git(project, "add", ".")
    passed = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_a_bibliography_alone_is_audited_through_its_users(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "paper.md").write_text("---\nbibliography: refs.bib\n---\n\n" + PAPER, encoding="utf-8")
    (tmp_path / "other.md").write_text("---\nbibliography: elsewhere.bib\n---\n\nText.\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    assert run(["audit", str(tmp_path / "refs.bib"), str(tmp_path / "paper.md")]) == 1
    out = capsys.readouterr().out
    assert out.count("paper.md:") >= 1 and "other.md" not in out
    assert out.count("citations, ") == 1  # paper.md audited once, though named twice


def test_a_bibliography_no_manuscript_uses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    assert run(["audit", str(tmp_path / "refs.bib")]) == 0
    err = capsys.readouterr().err
    assert "no manuscript in its folder names this bibliography" in err and err.count("\n") == 1


def test_the_action_installs_runs_and_uploads_sarif() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert set(action["inputs"]) == {"paths", "fail-on", "format", "args"}
    assert action["inputs"]["format"]["default"] == "sarif" and action["inputs"]["paths"]["required"] is True
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    install = next(s for s in steps if s.get("name") == "Install citecheck")
    assert "$GITHUB_ACTION_PATH" in install["run"]
    audit = next(s for s in steps if s.get("id") == "audit")
    assert "citecheck audit" in audit["run"] and audit["env"]["CITECHECK_FORMAT"] == "${{ inputs.format }}"
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert "inputs.format == 'sarif'" in upload["if"] and upload["with"]["sarif_file"] == "citecheck.sarif"
    # the step that runs citecheck is a bash script that parses
    assert subprocess.run(["bash", "-n"], input=audit["run"], text=True).returncode == 0
