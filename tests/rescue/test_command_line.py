"""Every command, given bad arguments, says in one line what was wrong: never a traceback.

The commands run in one separate process (the command line configures MLflow and logging for
the whole process), from a fresh folder, as on a new checkout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import typer

from rescue.cli import app

RUNNER = """
import contextlib, io, json, sys
from rescue.cli import run
results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(argv)
    results.append({"argv": argv, "code": code, "out": out.getvalue(), "err": err.getvalue()})
print(json.dumps(results))
"""

# Bad input a person might type, and what the one line must name.
MISTAKES = {
    ("generate", "--businesses", "many"): "--businesses",
    ("generate", "--businesses", "-5"): "--businesses",
    ("train",): "--data",
    ("train", "--data", "no-such-folder"): "no-such-folder: not a folder",
    ("validate", "no-such-folder"): "no-such-folder: not a folder",
    ("import", "a-folder", "--out", "out"): "a-folder: not a file",
    ("score", "--data", "a-folder", "--out", "scores.csv"): "rescue train --data DIR",
    ("score", "--data", "a-folder", "--out", "s.csv", "--as-of", "30/06/2026"): "--as-of",
    ("audit", "--since", "yesterday"): "--since",
    ("db", "load", "a-folder", "--as-of", "2026-13-01"): "--as-of",
    ("promote", "nothing"): "unknown model 'nothing'",
    ("serve", "--port", "eighty"): "--port",
    ("users", "add", "somebody", "--role", "emperor"): "emperor",
    ("no-such-command",): "No such command",
    ("peers", "a-folder", "--business", "B1", "--lang", "fr"): "--lang",
    ("peers", "no-such-folder", "--business", "B1"): "no-such-folder: not a folder",
    ("evaluate", "--data", "no-such-folder"): "no-such-folder: not a folder",
    ("evaluate", "--data", "a-folder", "--model", "nothing"): "unknown model 'nothing'",
}


def _leaf_commands() -> list[tuple[str, ...]]:
    def walk(command, path: tuple[str, ...]) -> list[tuple[str, ...]]:
        children = getattr(command, "commands", None)
        if not children:
            return [path]
        return [leaf for name, sub in children.items() for leaf in walk(sub, (*path, name))]

    return walk(typer.main.get_command(app), ())


def _run_all(folder: Path, argvs: list[list[str]]) -> list[dict]:
    var = folder / "var"
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(folder),
        "DATABASE_URL": f"sqlite:///{var / 'rescue.db'}",
        "MLFLOW_TRACKING_URI": f"sqlite:///{var / 'mlflow.db'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, json.dumps(argvs)],
        check=False, cwd=folder, capture_output=True, text=True, timeout=600, env=environment,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_peers_prints_the_group_and_one_line_per_ratio(tmp_path, small_portfolio_dir):
    business = (small_portfolio_dir / "cases.csv").read_text().splitlines()[1].split(",")[1]
    argv = ["peers", str(small_portfolio_dir), "--business", business, "--as-of", "2026-06-30"]
    result, unknown = _run_all(tmp_path, [argv, [*argv[:3], "B-none", *argv[4:]]])
    assert unknown["code"] == 2 and unknown["err"].strip().startswith("B-none: no such business_id")
    lines = result["out"].splitlines()
    assert result["code"] == 0 and lines[0].startswith(f"{business} against "), result
    assert "with statements at 2026-06-30" in lines[0]
    assert len(lines) > 20 and all("percentile" in line for line in lines[1:])


def test_every_command_answers_bad_arguments_in_one_line_without_a_traceback(tmp_path):
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-folder" / "x.csv").write_text("a,b\n")
    leaves = _leaf_commands()
    assert len(leaves) >= 15  # every command, found from the app itself
    unknown_option = [[*leaf, "--no-such-option"] for leaf in leaves]
    results = _run_all(tmp_path, unknown_option + [list(m) for m in MISTAKES])
    for result in results:
        said = result["err"].strip()
        where = f"{result['argv']}: {said!r}"
        assert result["code"] != 0, where
        assert "Traceback" not in said and "╭" not in said, where
        assert "unexpected error" not in said, where
        assert said, where
    for result in results[: len(leaves)]:
        lines = result["err"].strip().splitlines()
        assert len(lines) == 1 and "--no-such-option" in lines[0], result
        assert "--help" in lines[0], result  # and where to read what would be right
    for result, expected in zip(results[len(leaves) :], MISTAKES.values(), strict=True):
        assert expected in result["out"] + result["err"], result
