"""Roles, their scopes, home pages and permissions: declared once here.

The API's role checks, the web pages, the command line's help and the README's role table are
all derived from these declarations, so adding a role or a permission is one edit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    analyst = "analyst"
    centre_manager = "centre_manager"
    bank_liaison = "bank_liaison"
    intake_officer = "intake_officer"
    data_scientist = "data_scientist"
    admin = "admin"


class Permission(StrEnum):
    read_cases = "read_cases"
    register_cases = "register_cases"
    work_cases = "work_cases"
    read_assessments = "read_assessments"
    score = "score"
    read_applications = "read_applications"
    read_models = "read_models"
    manage_models = "manage_models"
    follow_applications = "follow_applications"
    read_audit = "read_audit"
    assign_cases = "assign_cases"
    assign_anyone = "assign_anyone"
    edit_others_notes = "edit_others_notes"
    read_casework = "read_casework"
    read_dashboard = "read_dashboard"


class ScopeBy(StrEnum):
    """What a scoped user is limited to: a `User` attribute of the same name, matched against
    the column of the same name on the records (cases carry province and intake centre, loan
    applications their lender)."""

    province = "province"
    intake_centre = "intake_centre"
    lender = "lender"


@dataclass(frozen=True)
class RoleSpec:
    """What a role is for, what scopes it, where it lands, and whether it sees PII.

    `scoped_by` is what `service.access.scope` builds every read and write predicate from: a role
    scoped by nothing reaches every record; a scoped user reaches only the records matching
    each of their values, and none at all when they hold no value."""

    description: str
    home: str
    scope: str = "every case"
    sees_pii: bool = False
    scoped_by: tuple[ScopeBy, ...] = ()


ROLES: dict[Role, RoleSpec] = {
    Role.analyst: RoleSpec(
        "works the queue, assesses cases, compares plans, records decisions and outcomes",
        home="/ui/cases",
        sees_pii=True,
    ),
    Role.centre_manager: RoleSpec(
        "assigns cases to analysts and follows the centre's workload and deadlines",
        home="/ui/dashboard",
        sees_pii=True,
    ),
    Role.bank_liaison: RoleSpec(
        "follows up loan applications stalled at their own bank",
        home="/ui/liaison",
        scope="one lender",
        scoped_by=(ScopeBy.lender,),
    ),
    Role.intake_officer: RoleSpec(
        "registers cases from their province or intake centre",
        home="/ui/cases",
        scope="one province or intake centre",
        sees_pii=True,
        scoped_by=(ScopeBy.province, ScopeBy.intake_centre),
    ),
    Role.data_scientist: RoleSpec(
        "scores portfolios, retrains and promotes models, reloads the service",
        home="/ui/models",
        scope="models and scoring; masked case data",
    ),
    Role.admin: RoleSpec("everything any role may do", home="/ui/cases", sees_pii=True),
}

# Who may do what; an admin may always.
PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.read_cases: frozenset(
        {Role.analyst, Role.centre_manager, Role.intake_officer, Role.data_scientist}
    ),
    Permission.register_cases: frozenset({Role.analyst, Role.intake_officer}),
    Permission.work_cases: frozenset({Role.analyst}),
    Permission.read_assessments: frozenset(
        {Role.analyst, Role.centre_manager, Role.data_scientist}
    ),
    Permission.score: frozenset({Role.analyst, Role.data_scientist}),
    Permission.read_applications: frozenset({Role.analyst, Role.bank_liaison}),
    Permission.read_models: frozenset({Role.analyst, Role.data_scientist}),
    Permission.manage_models: frozenset({Role.data_scientist}),
    Permission.follow_applications: frozenset({Role.analyst, Role.bank_liaison}),
    Permission.read_audit: frozenset(),
    # Analysts assign cases to themselves; a centre manager to any analyst, or to nobody.
    Permission.assign_cases: frozenset({Role.analyst, Role.centre_manager}),
    Permission.assign_anyone: frozenset({Role.centre_manager}),
    # A note is its author's to edit; only an admin corrects another's.
    Permission.edit_others_notes: frozenset(),
    # Notes, documents, assignments and the timeline: the centre's own working record.
    Permission.read_casework: frozenset({Role.analyst, Role.centre_manager}),
    Permission.read_dashboard: frozenset({Role.analyst, Role.centre_manager}),
}


# Permissions checked inside a route that another permission guards: what a role may do there
# beyond the route's own rule.
REFINES: dict[Permission, Permission] = {
    Permission.assign_anyone: Permission.assign_cases,
    Permission.edit_others_notes: Permission.work_cases,
}


def may(role: Role, permission: Permission) -> bool:
    return role is Role.admin or role in PERMISSIONS[permission]


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    lender: str | None = None
    intake_centre: str | None = None
    province: str | None = None

    @property
    def sees_pii(self) -> bool:
        return ROLES[self.role].sees_pii

    @property
    def scope(self) -> dict[ScopeBy, str | None]:
        """The user's value for each dimension their role is scoped by ({} when unscoped)."""
        return {by: getattr(self, by.value) for by in ROLES[self.role].scoped_by}

    def may(self, permission: Permission) -> bool:
        return may(self.role, permission)


def role_names() -> str:
    return ", ".join(role.value for role in Role)


def roles_markdown() -> str:
    """The README's table of roles, generated from the declarations above."""
    lines = [
        "| role | what they do | scope | home page | sees PII | may |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for role, spec in ROLES.items():
        granted = ", ".join(p.value for p in Permission if may(role, p))
        lines.append(
            f"| `{role.value}` | {spec.description} | {spec.scope} | `{spec.home}` | "
            f"{'yes' if spec.sees_pii else 'no'} | {granted} |"
        )
    return "\n".join(lines)
