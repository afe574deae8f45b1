"""Configuration files: discovery, every key, per-file globs, bib paths, severities, and one-line errors."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from citecheck import config
from citecheck.config import Config, config_for, find_config, load_config
from citecheck.errors import CitecheckError

TABLED = "[tool.citecheck]\n"
UNTABLED = '[project]\nname = "x"\n\n[tool.other]\nkey = 1\n'


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    config.clear_cache()
    yield
    config.clear_cache()


def build(root: Path, files: dict[str, str]) -> None:
    """Files (and, for a name ending in '/', folders) under ``root``."""
    for name, text in files.items():
        path = root / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def as_pyproject(text: str) -> str:
    """A citecheck.toml's text as the [tool.citecheck] table of a pyproject.toml."""
    text = text.replace("[severity]", "[tool.citecheck.severity]").replace(
        "[per-file-ignores]", "[tool.citecheck.per-file-ignores]"
    )
    return TABLED + text


def write_config(root: Path, text: str, form: str) -> Path:
    path = root / form
    root.mkdir(parents=True, exist_ok=True)
    path.write_text(as_pyproject(text) if form == config.PYPROJECT else text, encoding="utf-8")
    return path


FORMS = [pytest.param(config.CONFIG_FILE, id="citecheck.toml"), pytest.param(config.PYPROJECT, id="pyproject.toml")]


# Discovery


@pytest.mark.parametrize(
    ("files", "input_path", "expected"),
    [
        pytest.param({"citecheck.toml": "", "a/citecheck.toml": ""}, "a/b/paper.md", "a/citecheck.toml", id="nearest-above-wins"),
        pytest.param({"citecheck.toml": "", "a/paper.md": ""}, "a/paper.md", "citecheck.toml", id="found-in-a-parent"),
        pytest.param({"a/citecheck.toml": ""}, "a/paper.md", "a/citecheck.toml", id="in-the-input-folder"),
        pytest.param(
            {"a/citecheck.toml": "", "a/pyproject.toml": TABLED},
            "a/paper.md",
            "a/citecheck.toml",
            id="citecheck-toml-over-pyproject",
        ),
        pytest.param({"a/pyproject.toml": TABLED}, "a/paper.md", "a/pyproject.toml", id="pyproject-with-table"),
        pytest.param(
            {"citecheck.toml": "", "a/pyproject.toml": UNTABLED},
            "a/paper.md",
            "citecheck.toml",
            id="pyproject-without-table-skipped",
        ),
        pytest.param(
            {"pyproject.toml": TABLED, "a/pyproject.toml": "[tool]\n"},
            "a/paper.md",
            "pyproject.toml",
            id="empty-tool-table-skipped",
        ),
        pytest.param(
            {"citecheck.toml": 'select = ["CC1"]', "a/pyproject.toml": TABLED},
            "a/b/paper.md",
            "a/pyproject.toml",
            id="nearer-pyproject",
        ),
        pytest.param(
            {"citecheck.toml": "", "a/citecheck.toml/": ""}, "a/paper.md", "citecheck.toml", id="folder-of-that-name-skipped"
        ),
        pytest.param({"a/paper.md": ""}, "a/paper.md", None, id="none"),
    ],
)
def test_discovery(tmp_path: Path, files: dict[str, str], input_path: str, expected: str | None) -> None:
    build(tmp_path, files)
    found = find_config(str(tmp_path / input_path))
    if expected is None:  # nothing under tmp_path; the machine's own folders above it are not ours to judge
        assert found is None or tmp_path not in found.parents
    else:
        assert found == tmp_path / expected


def test_discovery_from_a_relative_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(tmp_path, {"proj/citecheck.toml": 'select = ["CC101"]'})
    monkeypatch.chdir(tmp_path)
    assert config_for("proj/docs/paper.md").select == ("CC101",)
    monkeypatch.chdir(tmp_path / "proj")
    assert config_for("paper.md").path == tmp_path / "proj" / "citecheck.toml"


@pytest.mark.parametrize(
    ("config_file", "isolated", "expected_select"),
    [
        pytest.param(None, False, ("CC101",), id="discovered"),
        pytest.param("other/custom.toml", False, ("CC2",), id="config-replaces-discovery"),
        pytest.param("other/pyproject.toml", False, ("CC3",), id="config-pyproject-by-its-table"),
        pytest.param(None, True, (), id="isolated-ignores-all"),
    ],
)
def test_config_for(tmp_path: Path, config_file: str | None, isolated: bool, expected_select: tuple[str, ...]) -> None:
    build(
        tmp_path,
        {
            "a/citecheck.toml": 'select = ["CC101"]',
            "other/custom.toml": 'select = ["CC2"]',
            "other/pyproject.toml": TABLED + 'select = ["CC3"]',
        },
    )
    given = str(tmp_path / config_file) if config_file else None
    got = config_for(str(tmp_path / "a" / "paper.md"), given, isolated)
    assert got.select == expected_select
    if isolated:
        assert got == Config()


def test_no_file_gives_the_empty_config(tmp_path: Path) -> None:
    build(tmp_path, {"a/pyproject.toml": UNTABLED})
    got = config_for(str(tmp_path / "a" / "paper.md"))
    assert got == Config() or (got.path is not None and tmp_path not in got.path.parents)


def test_a_thousand_inputs_read_the_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(tmp_path, {"citecheck.toml": 'select = ["CC1"]'})
    reads: list[str] = []
    looks: list[str] = []
    read, look = config._read, config._in_folder
    monkeypatch.setattr(config, "_read", lambda path: reads.append(path) or read(path))
    monkeypatch.setattr(config, "_in_folder", lambda folder: looks.append(folder) or look(folder))
    inputs = [str(tmp_path / "a" / "b" / f"chapter{n}.md") for n in range(1000)]
    assert len({id(config_for(p)) for p in inputs}) == 1  # parsed and validated once, too
    assert config_for(inputs[0]).select == ("CC1",)
    assert reads == [str(tmp_path / "citecheck.toml")]
    assert looks == [str(tmp_path / "a" / "b"), str(tmp_path / "a"), str(tmp_path)]


# Keys


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "attribute", "expected"),
    [
        pytest.param(
            'select = ["CC101", "CC2", "uncited-reference"]', "select", ("CC101", "CC2", "uncited-reference"), id="select"
        ),
        pytest.param('select = ["cc1", "CC3"]', "select", ("cc1", "CC3"), id="select-case-and-verify-rules"),
        pytest.param('ignore = ["CC205", "unused-entry"]', "ignore", ("CC205", "unused-entry"), id="ignore"),
        pytest.param('fail-on = "warning"', "fail_on", "warning", id="fail-on"),
        pytest.param('fail-on = "never"', "fail_on", "never", id="fail-on-never"),
        pytest.param('format = "sarif"', "format", "sarif", id="format"),
        pytest.param('format = "jsonl"', "format", "jsonl", id="format-jsonl"),
        pytest.param(
            '[per-file-ignores]\n"**/appendix*.md" = ["CC201"]\n"docs/*.md" = ["CC1", "reference-order"]',
            "per_file_ignores",
            (("**/appendix*.md", ("CC201",)), ("docs/*.md", ("CC1", "reference-order"))),
            id="per-file-ignores",
        ),
        pytest.param('[severity]\nCC206 = "warning"', "severity", {"CC206": "warning"}, id="severity"),
        pytest.param("", "select", (), id="unset-select"),
        pytest.param("", "fail_on", None, id="unset-fail-on"),
        pytest.param("", "format", None, id="unset-format"),
        pytest.param("", "severity", {}, id="unset-severity"),
    ],
)
def test_each_key(tmp_path: Path, form: str, text: str, attribute: str, expected: object) -> None:
    path = write_config(tmp_path, text, form)
    got = load_config(path)
    assert getattr(got, attribute) == expected
    assert got.path == path
    hash(got)  # frozen and hashable, severity table and all


def test_severity_names_become_codes(tmp_path: Path) -> None:
    text = '[severity]\nunused-entry = "warning"\nCC101 = "note"\ncc205 = "error"\nUncited-Reference = "note"\n'
    got = load_config(write_config(tmp_path, text, config.CONFIG_FILE))
    assert dict(got.severity) == {"CC101": "note", "CC201": "note", "CC205": "error", "CC206": "warning"}
    with pytest.raises(TypeError):
        got.severity["CC101"] = "error"  # type: ignore[index]


@pytest.mark.parametrize(
    ("cwd", "names", "expected"),
    [
        pytest.param(".", '["refs.bib"]', ["proj/refs.bib"], id="beside-the-config"),
        pytest.param(".", '["sub/more.bib", "./x/../refs.bib"]', ["proj/sub/more.bib", "proj/refs.bib"], id="in-subfolders"),
        pytest.param("proj/docs", '["refs.bib"]', ["proj/refs.bib"], id="not-the-current-folder"),
    ],
)
def test_bib_paths_resolve_against_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cwd: str, names: str, expected: list[str]
) -> None:
    build(tmp_path, {"proj/citecheck.toml": f"bib = {names}\n", "proj/docs/": ""})
    monkeypatch.chdir(tmp_path / cwd)
    got = config_for(str(tmp_path / "proj" / "docs" / "paper.md"))
    assert [os.path.abspath(b) for b in got.bib] == [str(tmp_path / e) for e in expected]
    assert all(os.path.normpath(b) == b for b in got.bib)


# Per-file ignores

GLOBS = '[per-file-ignores]\n"**/appendix*.md" = ["CC201"]\n"docs/*.md" = ["CC205"]\n"drafts/" = ["CC1"]\n"ch?.tex" = ["CC106"]\n'


@pytest.mark.parametrize(
    ("input_path", "expected"),
    [
        pytest.param("proj/appendix-a.md", ("CC207", "CC201"), id="double-star-no-folder"),
        pytest.param("proj/part1/ch2/appendix-b.md", ("CC207", "CC201"), id="double-star-any-depth"),
        pytest.param("proj/part1/chapter.md", ("CC207",), id="double-star-other-name"),
        pytest.param("proj/docs/intro.md", ("CC207", "CC205"), id="star-one-folder"),
        pytest.param("proj/docs/sub/intro.md", ("CC207",), id="star-stays-in-its-folder"),
        pytest.param("proj/docs/appendix.md", ("CC207", "CC201", "CC205"), id="two-globs"),
        pytest.param("proj/drafts/old/x.md", ("CC207", "CC1"), id="trailing-slash-everything-below"),
        pytest.param("proj/ch1.tex", ("CC207", "CC106"), id="question-mark"),
        pytest.param("proj/ch10.tex", ("CC207",), id="question-mark-one-character"),
        pytest.param("docs/intro.md", ("CC207",), id="outside-the-config-folder"),
        pytest.param("appendix.md", ("CC207",), id="outside-even-for-double-star"),
        pytest.param("proj/Docs/intro.md", ("CC207",), id="case-sensitive"),
    ],
)
def test_per_file_ignores_are_relative_to_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, input_path: str, expected: tuple[str, ...]
) -> None:
    cfg = tmp_path / "proj" / "citecheck.toml"
    build(tmp_path, {"proj/citecheck.toml": 'ignore = ["CC207"]\n' + GLOBS})
    got = load_config(cfg)
    assert got.ignores_for(str(tmp_path / input_path)) == expected
    monkeypatch.chdir(tmp_path)  # the same input named relative to another folder
    assert got.ignores_for(input_path) == expected


def test_ignores_for_lists_each_rule_once(tmp_path: Path) -> None:
    text = 'ignore = ["CC201"]\n[per-file-ignores]\n"*.md" = ["CC201", "CC205"]\n"**" = ["CC205"]\n'
    got = load_config(write_config(tmp_path, text, config.CONFIG_FILE))
    assert got.ignores_for(str(tmp_path / "a.md")) == ("CC201", "CC205")
    assert got.ignores_for(str(tmp_path / "a.txt")) == ("CC201", "CC205")
    assert got.ignores_for(str(tmp_path / "sub" / "a.md")) == ("CC201", "CC205")
    assert Config(ignore=("CC1",)).ignores_for("x.md") == ("CC1",)


# Precedence: the command line over the file over the defaults


@pytest.mark.parametrize(
    ("cli", "expected"),
    [
        pytest.param({}, {"select": ("CC1",), "ignore": ("CC205",), "fail_on": "warning", "format": "json"}, id="nothing-given"),
        pytest.param({"select": ["CC2"]}, {"select": ("CC2",), "ignore": ("CC205",)}, id="select-replaces"),
        pytest.param({"ignore": ["CC101"]}, {"ignore": ("CC101",)}, id="ignore-replaces"),
        pytest.param({"fail_on": "never", "format": "text"}, {"fail_on": "never", "format": "text"}, id="strings-replace"),
        pytest.param({"bib": ["cli.bib"]}, {"bib": ("cli.bib",)}, id="bib-replaces"),
    ],
)
def test_command_line_over_file(tmp_path: Path, cli: dict[str, object], expected: dict[str, object]) -> None:
    text = 'select = ["CC1"]\nignore = ["CC205"]\nfail-on = "warning"\nformat = "json"\n[severity]\nCC206 = "error"\n'
    got = load_config(write_config(tmp_path, text, config.CONFIG_FILE)).merged(**cli)  # type: ignore[arg-type]
    for attribute, value in expected.items():
        assert getattr(got, attribute) == value
    assert dict(got.severity) == {"CC206": "error"}
    assert Config().merged(**cli).fail_on == cli.get("fail_on")  # type: ignore[arg-type]


def test_the_choices_are_the_command_lines() -> None:
    from citecheck.cli import audit

    choices = {p.name: set(p.type.choices) for p in audit.params if hasattr(p.type, "choices")}
    assert choices["fmt"] == set(config.FORMATS)
    assert choices["fail_on"] == set(config.FAIL_ON)


# Errors: one line, naming the file and the key

ERRORS = [
    pytest.param("selct = []", "selct", "unknown key (did you mean 'select'?)", id="unknown-key"),
    pytest.param("fail_on = 'note'", "fail_on", "did you mean 'fail-on'", id="snake-case-key"),
    pytest.param('select = ["CC999"]', "select", "unknown rule 'CC999'", id="unknown-code"),
    pytest.param('select = ["CC9"]', "select", "unknown rule 'CC9'", id="unknown-prefix"),
    pytest.param(
        'ignore = ["missing-refrence"]',
        "ignore",
        "unknown rule 'missing-refrence' (did you mean 'missing-reference'?)",
        id="unknown-name",
    ),
    pytest.param('ignore = [""]', "ignore", "empty string", id="empty-rule"),
    pytest.param(
        'select = "CC101"', "select", 'expected an array of strings (select = ["CC101"]), got a string', id="string-for-list"
    ),
    pytest.param("select = [101]", "select", "got an array holding an integer", id="integer-in-list"),
    pytest.param("per-file-ignores = []", "per-file-ignores", "got an array", id="per-file-not-table"),
    pytest.param('[per-file-ignores]\n"*.md" = "CC201"', 'per-file-ignores."*.md"', "got a string", id="per-file-string"),
    pytest.param('[per-file-ignores]\n"*.md" = ["CC999"]', 'per-file-ignores."*.md"', "unknown rule 'CC999'", id="per-file-rule"),
    pytest.param(
        '[per-file-ignores]\n"/abs/*.md" = ["CC201"]', 'per-file-ignores."/abs/*.md"', "relative", id="per-file-absolute"
    ),
    pytest.param(
        '[per-file-ignores]\n"[z-a].md" = ["CC201"]', 'per-file-ignores."[z-a].md"', "invalid glob", id="per-file-bad-glob"
    ),
    pytest.param(
        'fail-on = "warn"', "fail-on", "unknown value 'warn' (expected one of: error, warning, note, never)", id="fail-on-value"
    ),
    pytest.param("fail-on = 1", "fail-on", "expected a string, got an integer", id="fail-on-type"),
    pytest.param('format = "xml"', "format", "unknown value 'xml'", id="format-value"),
    pytest.param("format = true", "format", "got a boolean", id="format-type"),
    pytest.param('bib = "refs.bib"', "bib", "expected an array of strings", id="bib-string"),
    pytest.param('bib = ["../secrets.bib"]', "bib", "outside the configuration file's folder", id="bib-outside"),
    pytest.param('bib = ["/etc/passwd"]', "bib", "outside the configuration file's folder", id="bib-absolute"),
    pytest.param("severity = 1", "severity", "got an integer", id="severity-not-table"),
    pytest.param('[severity]\nCC206 = "warn"', "severity.CC206", "unknown severity 'warn'", id="severity-value"),
    pytest.param('[severity]\nCC206 = "never"', "severity.CC206", "unknown severity 'never'", id="severity-never"),
    pytest.param("[severity]\nCC206 = 2", "severity.CC206", "expected a string, got an integer", id="severity-type"),
    pytest.param('[severity]\nCC999 = "note"', "severity.CC999", "unknown rule 'CC999'", id="severity-unknown-rule"),
    pytest.param('[severity]\nCC2 = "note"', "severity.CC2", "a prefix is not enough", id="severity-prefix"),
    pytest.param(
        '[severity]\nCC206 = "note"\nunused-entry = "error"', "severity.unused-entry", "CC206 is given twice", id="severity-twice"
    ),
    pytest.param('"sel\\nect" = []', '"sel\\nect"', "unknown key", id="line-break-in-key"),
    pytest.param('select = ["CC\u2028x"]', "select", "unknown rule 'CC\\u2028x'", id="line-separator-in-value"),
]


def one_line(message: str) -> None:
    assert "\n" not in message and len(message.splitlines()) == 1, message


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("text", "key", "problem"), ERRORS)
def test_errors_are_one_line_naming_file_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str, text: str, key: str, problem: str
) -> None:
    write_config(tmp_path / "proj", text, form)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CitecheckError) as caught:
        config_for(str(tmp_path / "proj" / "paper.md"))
    message = str(caught.value)
    one_line(message)
    section = "[tool.citecheck] " if form == config.PYPROJECT else ""
    assert message.startswith(f"proj/{form}: {section}{key}: "), message
    assert problem in message


def test_the_issues_example_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(tmp_path, {"pyproject.toml": TABLED + 'select = ["CC999"]\n'})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CitecheckError, match=r"^pyproject\.toml: \[tool\.citecheck\] select: unknown rule 'CC999' \(.*\)$"):
        config_for("paper.md")


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        pytest.param(
            {"citecheck.toml": 'select = CC101\nfail-on = "error"\n'},
            "citecheck.toml: invalid TOML: Invalid value (at line 1, column 10)",
            id="toml-syntax",
        ),
        pytest.param({"citecheck.toml": "a = 1\na = 2\n"}, "citecheck.toml: invalid TOML: ", id="toml-duplicate-key"),
        pytest.param({"citecheck.toml": "x = " + "[" * 5000}, "nested too deeply", id="toml-deep-nesting"),
        pytest.param(
            {"pyproject.toml": "[tool\n"}, "pyproject.toml: invalid TOML: Expected ']'", id="pyproject-syntax-during-discovery"
        ),
        pytest.param(
            {"pyproject.toml": "[tool]\ncitecheck = 1\n"},
            "pyproject.toml: [tool.citecheck]: expected a table",
            id="tool-not-a-table",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.citecheck.sub]\nx = "y"\n'},
            "pyproject.toml: [tool.citecheck] sub: unknown key",
            id="sub-table",
        ),
        pytest.param(
            {"citecheck.toml": "[tool.citecheck]\n"}, "citecheck.toml: tool: unknown key", id="tool-table-in-citecheck-toml"
        ),
    ],
)
def test_file_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], problem: str) -> None:
    build(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CitecheckError) as caught:
        config_for("paper.md")
    one_line(str(caught.value))
    assert problem in str(caught.value)


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        pytest.param(lambda p: None, "custom.toml: no such configuration file", id="missing"),
        pytest.param(lambda p: p.mkdir(), "custom.toml: is a directory", id="directory"),
        pytest.param(lambda p: p.write_bytes(b"#" * config.MAX_BYTES + b"\n"), "larger than the 1 MiB limit", id="over-1-MiB"),
        pytest.param(lambda p: p.write_bytes(b'select = ["CC1\xff"]'), "custom.toml: is not valid UTF-8", id="not-utf-8"),
        pytest.param(
            lambda p: p.write_text(TABLED, encoding="utf-8"), "custom.toml: tool: unknown key", id="other-name-read-at-top-level"
        ),
        pytest.param(
            lambda p: (p.parent / "pyproject.toml").write_text(UNTABLED, encoding="utf-8"),
            "pyproject.toml: has no [tool.citecheck] table",
            id="pyproject-without-table",
        ),
    ],
)
def test_explicit_config_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: object, problem: str) -> None:
    target = tmp_path / "custom.toml"
    make(target)  # type: ignore[operator]
    name = "pyproject.toml" if "pyproject" in problem else "custom.toml"
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CitecheckError) as caught:
        config_for("paper.md", name, False)
    one_line(str(caught.value))
    assert problem in str(caught.value)


def test_exactly_1_mib_is_read(tmp_path: Path) -> None:
    path = tmp_path / "citecheck.toml"
    body = b'select = ["CC1"]\n'
    path.write_bytes(body + b"#" * (config.MAX_BYTES - len(body) - 1) + b"\n")
    assert path.stat().st_size == config.MAX_BYTES
    assert load_config(path).select == ("CC1",)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("name", [config.CONFIG_FILE, config.PYPROJECT])
def test_a_pipe_is_refused_not_waited_on(tmp_path: Path, name: str) -> None:
    os.mkfifo(tmp_path / name)
    with pytest.raises(CitecheckError, match=rf"{name}: is not a regular file"):
        config_for(str(tmp_path / "paper.md"))
    with pytest.raises(CitecheckError, match=rf"{name}: is not a regular file"):
        config_for("paper.md", str(tmp_path / name), False)


def test_config_and_isolated_together_is_an_error(tmp_path: Path) -> None:
    build(tmp_path, {"citecheck.toml": ""})
    with pytest.raises(CitecheckError, match=r"^--config and --isolated cannot be used together$"):
        config_for("paper.md", str(tmp_path / "citecheck.toml"), True)


def test_a_broken_file_stays_an_error(tmp_path: Path) -> None:
    build(tmp_path, {"citecheck.toml": 'select = ["CC999"]'})
    for _ in range(2):  # a failure is not cached as "no configuration"
        with pytest.raises(CitecheckError, match="CC999"):
            config_for(str(tmp_path / "paper.md"))


@pytest.mark.skipif(os.name == "nt", reason="no line breaks in Windows file names")
def test_a_line_break_in_the_folder_name_stays_on_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "pro\nj\u2028"
    build(folder, {"citecheck.toml": 'select = ["CC999"]'})
    with pytest.raises(CitecheckError) as caught:
        config_for(str(folder / "paper.md"))
    one_line(str(caught.value))
    assert "pro\\nj\\u2028" in str(caught.value) and "select: unknown rule 'CC999'" in str(caught.value)


def test_the_documented_examples_say_the_same(tmp_path: Path) -> None:
    import dataclasses
    import re

    doc = (Path(__file__).resolve().parent.parent / "docs" / "config.md").read_text(encoding="utf-8")
    pyproject, citecheck_toml = re.findall(r"```toml\n(.*?)```", doc, re.S)
    build(tmp_path, {"a/pyproject.toml": pyproject, "b/citecheck.toml": citecheck_toml})
    a, b = load_config(tmp_path / "a" / "pyproject.toml"), load_config(tmp_path / "b" / "citecheck.toml")
    assert a.select and a.per_file_ignores and a.severity and a.bib and a.fail_on and a.format and a.ignore
    assert dataclasses.replace(a, path=None, bib=()) == dataclasses.replace(b, path=None, bib=())
