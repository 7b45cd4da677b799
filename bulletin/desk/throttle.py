"""Login rate limits: failed attempts counted per client address and per account name.

A name that failed `per_name` times within `window` seconds is refused until the oldest of those
failures is older than the window (someone guessing one person's password from many machines); so is an
address that failed `per_ip` times (one machine trying many names). A successful login clears the name's
count. Kept in memory: a restart forgets, which costs an attacker a restart of the desk per window.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class LoginThrottle:
    def __init__(
        self, per_name: int = 5, per_ip: int = 20, window: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        self.per_name, self.per_ip, self.window, self.clock = per_name, per_ip, window, clock
        self._fails: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        q = self._fails.get(key)
        if q is None:
            return deque()
        while q and q[0] <= now - self.window:
            q.popleft()
        if not q:
            del self._fails[key]
        return q

    def wait_seconds(self, ip: str, name: str) -> int:
        """0 if a login from `ip` for `name` may be tried now, else the seconds until it may."""
        now = self.clock()
        with self._lock:
            waits = []
            for key, limit in ((("name", name.casefold()), self.per_name), (("ip", ip), self.per_ip)):
                q = self._recent(key, now)
                if len(q) >= limit:
                    waits.append(q[len(q) - limit] + self.window - now)
            return max(1, int(max(waits)) + 1) if waits else 0

    def failed(self, ip: str, name: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._fails) > 100_000:  # a flood of made-up names: forget the old ones first
                for key in list(self._fails)[:50_000]:
                    del self._fails[key]
            for key in (("name", name.casefold()), ("ip", ip)):
                self._fails.setdefault(key, deque()).append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._fails.pop(("name", name.casefold()), None)
