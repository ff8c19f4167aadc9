"""The per-address WebSocket cap (app/web/sockets.py, `hub.ws_max_per_address`): over the cap
a handshake is refused with 403 before it is accepted; closing frees a place; 0 turns the cap
off; behind a trusted proxy the cap counts each forwarded client, not the proxy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import websockets
from websockets.exceptions import InvalidStatus

from app.settings import Settings
from tests.web.conftest import serve


async def _open(url: str, headers: dict[str, str] | None = None) -> Any:
    return await websockets.connect(url, open_timeout=5, additional_headers=headers)


async def test_over_the_cap_is_refused_and_a_close_frees_a_place(
    promise_settings: Callable[..., Settings]
) -> None:
    """With a cap of 3, the fourth socket from one address gets 403 before the handshake
    completes; once one closes, the next is accepted."""
    async with serve(promise_settings(hub={"ws_max_per_address": 3})) as srv:
        url = f"{srv.ws}/ws/walls/w"
        held = [await _open(url) for _ in range(3)]
        with pytest.raises(InvalidStatus) as refused:
            await _open(url)
        await held.pop().close()
        held.append(await _open(url))
        for ws in held:
            await ws.close()
    assert refused.value.response.status_code == 403


async def test_zero_means_no_cap(promise_settings: Callable[..., Settings]) -> None:
    """`ws_max_per_address = 0` lets one address open as many sockets as it likes."""
    async with serve(promise_settings(hub={"ws_max_per_address": 0})) as srv:
        held = [await _open(f"{srv.ws}/ws/walls/w") for _ in range(12)]
        for ws in held:
            await ws.close()
    assert len(held) == 12


async def test_behind_a_trusted_proxy_each_client_has_its_own_cap(
    promise_settings: Callable[..., Settings]
) -> None:
    """Behind a proxy listed in `forwarded_allow_ips`, the cap counts the forwarded client
    addresses: two sockets each for two clients pass a cap of 2, a third for one is refused."""
    settings = promise_settings(hub={"ws_max_per_address": 2},
                                forwarded_allow_ips=["127.0.0.1"])
    async with serve(settings) as srv:
        url = f"{srv.ws}/ws/walls/w"
        held = [await _open(url, {"X-Forwarded-For": client})
                for client in ("198.51.100.1", "198.51.100.1", "198.51.100.2",
                               "198.51.100.2")]
        with pytest.raises(InvalidStatus) as refused:
            await _open(url, {"X-Forwarded-For": "198.51.100.1"})
        for ws in held:
            await ws.close()
    assert refused.value.response.status_code == 403
