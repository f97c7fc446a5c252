"""HTTP for the metadata services: polite, bounded, and never a traceback.

``RateLimiter(interval, clock=time.monotonic, sleep=time.sleep)``: ``wait()`` returns
once ``interval`` seconds have passed since the last request it let go (arXiv asks for
one request every 3 s). Clock and sleep are injected, so tests never wait in real time.

``HttpClient(user_agent, limiter, *, timeout, retries, backoff, sleep)``:
``get(url) -> bytes`` and ``post_json(url, payload) -> bytes``. Every request waits
for the limiter and names the program and its version in ``User-Agent``. A 429, a
5xx or a timeout is tried again up to ``retries`` times, after the server's
``Retry-After`` (seconds or an HTTP date, at most ``MAX_RETRY_AFTER``) or else after
``backoff`` * 2^attempt seconds. Answers larger than ``MAX_BYTES`` are refused.

Errors: ``OfflineError`` (no network: the name does not resolve, the connection is
refused or unreachable; not retried) and ``ServiceError`` (anything else that failed
for good) both carry one line fit for the user. Standard library only (urllib).
"""

from __future__ import annotations

import email.utils
import http.client
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

from .. import __version__

__all__ = [
    "MAX_BYTES",
    "HttpClient",
    "OfflineError",
    "RateLimiter",
    "ServiceError",
    "user_agent",
]

MAX_BYTES = 64 << 20  # an answer for 100 papers is well under 1 MB
MAX_RETRY_AFTER = 120.0  # seconds: a longer wait is not worth holding a batch for
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def user_agent() -> str:
    return (f"digest-reader/{__version__} (terminal reader of arXiv digests; "
            "+https://pypi.org/project/digest-reader/)")  # fmt: skip


class ServiceError(Exception):
    """A request that failed for good; the message is one line."""


class OfflineError(ServiceError):
    """No network at all (DNS, refused, unreachable)."""


class RateLimiter:
    def __init__(
        self,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._last: float | None = None
        self.requests = 0

    def wait(self) -> None:
        """Block until the next request may go, and count it as gone."""
        if self._last is not None:
            delay = self._last + self.interval - self.clock()
            if delay > 0:
                self.sleep(delay)
        self._last = self.clock()
        self.requests += 1


def _retry_after(value: str | None, now: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now)


def _reason(error: BaseException) -> str:
    reason = getattr(error, "reason", error)
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return " ".join(str(text).split())


class HttpClient:
    def __init__(
        self,
        limiter: RateLimiter,
        *,
        agent: str | None = None,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 5.0,
        sleep: Callable[[float], object] | None = None,
    ) -> None:
        self.limiter = limiter
        self.agent = agent or user_agent()
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep or limiter.sleep
        self._opener = urllib.request.build_opener()

    def get(self, url: str) -> bytes:
        return self._send(url, None, {})

    def post_json(self, url: str, payload: object) -> bytes:
        body = json.dumps(payload).encode()
        return self._send(url, body, {"Content-Type": "application/json"})

    def _send(self, url: str, body: bytes | None, headers: dict[str, str]) -> bytes:
        host = urlsplit(url).netloc or url
        if urlsplit(url).scheme not in ("http", "https"):
            raise ServiceError(f"{url}: not an http(s) address")
        problem = ""
        for attempt in range(self.retries + 1):
            self.limiter.wait()
            request = urllib.request.Request(
                url, data=body, headers={"User-Agent": self.agent, **headers}
            )
            wait: float | None = None
            try:
                with self._opener.open(request, timeout=self.timeout) as response:
                    data = response.read(MAX_BYTES + 1)
                if len(data) > MAX_BYTES:
                    raise ServiceError(f"{host}: answer larger than {MAX_BYTES >> 20} MB")
                return data
            except urllib.error.HTTPError as error:
                problem = f"{host} answered {error.code} {error.reason}".strip()
                if error.code not in RETRY_STATUSES:
                    raise ServiceError(problem) from None
                wait = _retry_after(error.headers.get("Retry-After"), time.time())
            except TimeoutError:
                problem = f"{host} did not answer within {self.timeout:g} s"
            except urllib.error.URLError as error:
                reason = error.reason
                if isinstance(reason, TimeoutError):
                    problem = f"{host} did not answer within {self.timeout:g} s"
                elif isinstance(reason, (socket.gaierror, ConnectionRefusedError, OSError)):
                    raise OfflineError(
                        f"no network: cannot reach {host} ({_reason(error)})"
                    ) from None
                else:
                    raise ServiceError(f"{host}: {_reason(error)}") from None
            except (ConnectionError, OSError, http.client.HTTPException) as error:
                problem = f"{host}: {_reason(error) or 'the answer was cut short'}"  # reset, ...
            except ValueError as error:  # a malformed URL or answer
                raise ServiceError(f"{host}: {_reason(error)}") from None
            if attempt < self.retries:
                delay = wait if wait is not None else self.backoff * 2**attempt
                self.sleep(min(delay, MAX_RETRY_AFTER))
        raise ServiceError(f"{problem} (tried {self.retries + 1} times)")
