"""Verified tokens are remembered for a bounded time only."""

from __future__ import annotations

from service.access import auth


def test_the_token_cache_forgets_after_its_time(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(auth.time, "monotonic", lambda: clock[0])
    cache = auth.TokenCache(ttl=30)
    user = auth.User("ana", auth.Role.analyst)
    cache.put("h", user)
    clock[0] += 29
    assert cache.get("h") == user
    clock[0] += 2
    assert cache.get("h") is None
    off = auth.TokenCache(ttl=0)
    off.put("h", user)
    assert off.get("h") is None
