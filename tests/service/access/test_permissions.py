"""The permission matrix: every role against every API route, read and write, derived from the
one declared permission table. A role without the permission gets 403; a role with it is let in
(whatever the request then finds: 404, 422, 503, or its scope's own 403). Writes across scopes
are in test_scope.py."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute

from service.api.deps import Allowed
from service.kit.roles import PERMISSIONS, REFINES, Permission, Role, may
from tests.service.inprocess import USERS

ROLE_USER = {
    role: name for name, (role, _) in USERS.items() if name not in ("intake_bkk", "analyst2")
}
UNGUARDED = {"/health"}


def _permission(route: APIRoute) -> Permission | None:
    stack = list(route.dependant.dependencies)
    while stack:
        dependency = stack.pop()
        if isinstance(dependency.call, Allowed):
            return dependency.call.permission
        stack.extend(dependency.dependencies)
    return None


def _flatten(routes: list) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # a router included in the app
            yield from _flatten(route.original_router.routes)


def _api_routes(app) -> list[tuple[str, str, Permission | None]]:
    """The documented routes (those of the OpenAPI schema) and the permission each asks for."""
    documented = app.client.app.openapi()["paths"]
    routes = []
    for route in _flatten(app.client.app.routes):
        for method in route.methods:
            if method.lower() in documented.get(route.path, {}):
                routes.append((method, route.path, _permission(route)))
    return sorted(set(routes), key=lambda r: (r[1], r[0]))


def test_every_api_route_asks_for_one_declared_permission(app):
    routes = _api_routes(app)
    assert len(routes) >= 20
    for method, path, permission in routes:
        assert (permission is None) == (path in UNGUARDED), (method, path)
    used = {p for _, _, p in routes if p is not None}
    assert used == set(PERMISSIONS) - set(REFINES), set(PERMISSIONS) - used
    assert set(REFINES.values()) <= used  # a refinement narrows a route that exists
    for refinement, route_permission in REFINES.items():
        assert all(may(r, route_permission) for r in Role if may(r, refinement)), refinement


def test_the_matrix_of_roles_and_routes(app):
    checked = 0
    for method, path, permission in _api_routes(app):
        if permission is None:
            continue
        url = re.sub(r"\{[^}]+\}", "X-1", path)
        for role in Role:
            response = app.as_user(ROLE_USER[role], method, url)
            refused = response.status_code == 403 and "may not do this" in response.text
            if may(role, permission):
                # Let in; a scope may still refuse this lender or case (a 403 of its own).
                assert response.status_code != 401 and not refused, (role, method, path)
            else:
                assert refused, (role, method, path, response.status_code)
            checked += 1
    assert checked >= 20 * len(Role)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_no_key_is_401_everywhere(app, method):
    for route_method, path, permission in _api_routes(app):
        if permission is None or route_method != method:
            continue
        url = re.sub(r"\{[^}]+\}", "X-1", path)
        response = app.client.request(method, url)
        assert response.status_code == 401, (method, path)
        assert response.headers["www-authenticate"] == "Bearer"
