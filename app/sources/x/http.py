"""HTTP side of the X source: one aiohttp session that can move X to another origin, and
one call wrapper that turns X's faults into waits (rate limits, 5xx, network) or a stop (401/403).

tweepy hard-codes X's host. Rather than patch tweepy, the session it is given builds every request
through `_rebased_request_class`: a URL on one of X's hosts is rewritten to `base_url` before
aiohttp computes the Host header, TLS and the connection. Search, lookup, rule and stream requests
all go through that one session, so `TWEETWALL_X_API_BASE_URL` moves all of them.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import tweepy.errors as tx
from aiohttp import ClientRequest
from yarl import URL

from app.sources.base import SourceStatus
from app.sources.plumbing import Backoff, Sleep, describe
from app.sources.x.budget import ReadBudget, utc_at
from app.sources.x.normalize import Json

__all__ = [
    "X_HOSTS",
    "Clock",
    "MalformedResponse",
    "XApiCaller",
    "XStopped",
    "make_session",
    "rebase",
    "redact_tweepy_logs",
]

log = logging.getLogger(__name__)

Clock = Callable[[], float]
"""The X source's injectable clock: epoch seconds, as X's rate-limit headers count them."""
X_HOSTS = frozenset({"api.twitter.com", "api.x.com"})
_BACKOFF_BASE_S = 2.0
_BACKOFF_CAP_S = 300.0
# A 429 without a usable reset header: wait this long (X's windows are 15 minutes).
_DEFAULT_RATE_WAIT_S = 60.0
_MIN_RATE_WAIT_S = 5.0


class XStopped(Exception):
    """X refused the credentials (401/403): retrying cannot help until an operator acts."""


class MalformedResponse(Exception):
    """X answered 2xx with a body that is not the JSON object it documents."""


def rebase(url: URL, origin: URL) -> URL:
    """Return `url` moved to `origin` (scheme, host, port and path prefix) when it targets one of
    X's API hosts; any other URL is returned unchanged."""
    if url.host not in X_HOSTS or (url.host == origin.host and url.scheme == origin.scheme):
        return url
    prefix = origin.raw_path.rstrip("/")
    return URL.build(
        scheme=origin.scheme,
        authority=origin.raw_authority,
        path=prefix + url.raw_path,
        query_string=url.raw_query_string,
        encoded=True,
    )


def _rebased_request_class(origin: URL) -> type[ClientRequest]:
    """Return a request class that moves X's hosts to `origin` before aiohttp connects."""

    class RebasedRequest(ClientRequest):
        def __init__(self, method: str, url: URL, **kwargs: Any) -> None:
            super().__init__(method, rebase(url, origin), **kwargs)

    return RebasedRequest


def make_session(base_url: str) -> aiohttp.ClientSession:
    """Return the session for every X request, sending X's hosts to `base_url`.

    Raises ValueError when `base_url` is not an absolute http(s) URL.
    """
    origin = URL(base_url)
    if origin.scheme not in ("http", "https") or not origin.host:
        raise ValueError(f"X API base URL must be http(s)://host[:port][/path], got {base_url!r}")
    return aiohttp.ClientSession(
        request_class=_rebased_request_class(origin),
        timeout=aiohttp.ClientTimeout(total=None, sock_connect=15, sock_read=60),
        raise_for_status=False,
    )


class _Redact(logging.Filter):
    """Masks a bearer token in records tweepy logs (its debug log prints request headers)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        """Return True (keep the record), with the secret masked in its message."""
        if self.secret and self.secret in str(record.msg):
            record.msg = str(record.msg).replace(self.secret, "***")
        return True


def redact_tweepy_logs(token: str) -> None:
    """Make sure `token` never appears in tweepy's logs (idempotent)."""
    for name in ("tweepy.asynchronous.client", "tweepy.asynchronous.streaming"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, _Redact) and f.secret == token for f in logger.filters):
            logger.addFilter(_Redact(token))


def _count_posts(body: Json) -> int:
    """Return how many posts X bills for a response: its data and its included tweets."""
    data = body.get("data")
    n = len(data) if isinstance(data, list) else int(isinstance(data, dict))
    includes = body.get("includes")
    if isinstance(includes, dict) and isinstance(includes.get("tweets"), list):
        n += len(includes["tweets"])
    return n


def _header_int(headers: Any, name: str) -> int | None:
    """Return header `name` as an int, or None when it is absent or not a number."""
    try:
        return int(headers.get(name))
    except (TypeError, ValueError):
        return None


class XApiCaller:
    """Runs one X API call to completion: waits out rate limits, retries 5xx and network faults
    with capped exponential backoff and jitter, charges the budget for every attempt."""

    def __init__(
        self,
        budget: ReadBudget,
        status: SourceStatus,
        *,
        clock: Clock,
        sleep: Sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.budget = budget
        self.status = status
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()  # noqa: S311 -- jitter, not security
        self.limits: dict[str, tuple[int, float]] = {}

    async def sleep_until(self, epoch: float) -> None:
        """Return once `clock()` has reached `epoch` (never earlier)."""
        while (left := epoch - self.clock()) > 0:
            await self.sleep(left)

    def _note_limits(self, endpoint: str, headers: Any) -> None:
        """Remember the endpoint's rate-limit window from a response's headers."""
        remaining = _header_int(headers, "x-rate-limit-remaining")
        reset = _header_int(headers, "x-rate-limit-reset")
        if remaining is not None and reset is not None:
            self.limits[endpoint] = (remaining, float(reset))

    async def _respect_limit(self, endpoint: str) -> None:
        """Return at once, or when the endpoint's used-up window resets."""
        remaining, reset = self.limits.get(endpoint, (1, 0.0))
        if remaining <= 0 and reset > self.clock():
            self.status.state = "rate_limited"
            self.status.next_poll = utc_at(reset)
            log.info("x: %s window used up, waiting until %s", endpoint, utc_at(reset))
            await self.sleep_until(reset)

    async def call(
        self,
        endpoint: str,
        request: Callable[[], Awaitable[aiohttp.ClientResponse]],
        *,
        reads: bool = True,
    ) -> Json:
        """Return the JSON object X answers to `request()`, retrying until it succeeds.

        Raises XStopped on 401/403, MalformedResponse for an unreadable 2xx body, and tweepy's
        BadRequest/NotFound/HTTPException for other 4xx answers (retrying would not help).
        """
        # Half of each wait fixed, half random: retries of one call spread out, yet never
        # come back sooner than half the doubled wait.
        retry = Backoff(_BACKOFF_BASE_S, _BACKOFF_CAP_S, jitter=0.5, rng=self.rng)
        while True:
            await self._respect_limit(endpoint)
            try:
                response = await request()
            except tx.TooManyRequests as err:
                reset = err.reset_time or _header_int(err.response.headers, "x-rate-limit-reset")
                await self._rate_limited(endpoint, err.response.headers, reset)
                continue
            except (tx.Unauthorized, tx.Forbidden) as err:
                self.budget.charge(self.clock(), 0)
                raise XStopped(f"X refused the credentials on {endpoint}: {err}") from err
            except tx.TwitterServerError as err:
                problem = f"X server error on {endpoint}: {err}"
            except tx.HTTPException:
                self.budget.charge(self.clock(), 0)
                raise
            except aiohttp.ClientResponseError as err:
                # A non-JSON error body (a gateway's HTML page) makes tweepy fail before it
                # looks at the status, so the status is classified here too.
                if err.status in (401, 403):
                    self.budget.charge(self.clock(), 0)
                    refused = f"X refused the credentials on {endpoint}: {err.status}"
                    raise XStopped(refused) from err
                if err.status == 429:
                    headers: Any = err.headers or {}
                    await self._rate_limited(
                        endpoint, headers, _header_int(headers, "x-rate-limit-reset")
                    )
                    continue
                problem = f"HTTP {err.status} on {endpoint}: {err.message}"
            except (aiohttp.ClientError, TimeoutError, ValueError) as err:
                # ValueError: tweepy could not parse an error body (e.g. a proxy's HTML page).
                problem = f"network error on {endpoint}: {describe(err)}"
            else:
                self._note_limits(endpoint, response.headers)
                # tweepy has read the body and released the connection; text() reuses it.
                return self._parse(endpoint, await response.text(errors="replace"), reads)
            self.budget.charge(self.clock(), 0)
            delay = retry.failed()
            self.status.failed(problem, "backoff")
            self.status.next_poll = utc_at(self.clock() + delay)
            log.warning("x: %s; retry %d in %.1f s", problem, retry.failures, delay)
            await self.sleep(delay)

    async def _rate_limited(self, endpoint: str, headers: Any, reset: int | None) -> None:
        """Count the refused request and sleep until `reset` (epoch seconds), never earlier."""
        self.budget.charge(self.clock(), 0)
        self._note_limits(endpoint, headers)
        now = self.clock()
        # A reset already past (clock skew, a gateway's stale header) still waits a little
        # rather than spinning; no reset at all waits a default window.
        until = max(float(reset), now + _MIN_RATE_WAIT_S) if reset else now + _DEFAULT_RATE_WAIT_S
        self.status.failed(f"429 rate limited on {endpoint}", "rate_limited")
        self.status.next_poll = utc_at(until)
        log.warning("x: 429 on %s, waiting until %s", endpoint, utc_at(until))
        await self.sleep_until(until)

    def _parse(self, endpoint: str, raw: str, reads: bool) -> Json:
        """Return the JSON object of a 2xx body, charging the budget for the posts it holds.

        Raises MalformedResponse when the body is not a JSON object."""
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self.budget.charge(self.clock(), 0)
            raise MalformedResponse(f"{endpoint}: body is not a JSON object ({raw[:80]!r})")
        self.budget.charge(self.clock(), _count_posts(body), billable=reads)
        return body
