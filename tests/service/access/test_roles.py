"""Roles are declared once: the README's table and the CLI's help come from the declaration."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from rescue.cli import app
from service.kit.roles import PERMISSIONS, ROLES, Permission, Role, may, role_names, roles_markdown

README = Path(__file__).resolve().parents[3] / "README.md"


def test_every_role_and_permission_is_declared():
    assert set(ROLES) == set(Role)
    assert set(PERMISSIONS) == set(Permission)
    assert all(may(Role.admin, p) for p in Permission)
    assert not may(Role.bank_liaison, Permission.read_cases)


def test_readme_role_table_is_the_declared_one():
    text = README.read_text()
    block = text.split("<!-- roles:start -->\n")[1].split("\n<!-- roles:end -->")[0]
    assert block == roles_markdown()


def test_users_add_help_names_every_role():
    result = CliRunner().invoke(app, ["users", "add", "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert all(role.value in result.output for role in Role)
    assert role_names() == ", ".join(r.value for r in Role)
