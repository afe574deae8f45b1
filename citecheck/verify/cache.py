"""The persistent cache of registry answers, in SQLite (standard library ``sqlite3``).

Input: a request key (method and URL, without the mailto address or API key) and, on a miss, the
answer to store. Output: a stored answer younger than the time to live. Answers that are facts
(200 and 404) are kept; failures (timeouts, 5xx, 429) never are, so they are asked again.

Two runs may share the file at once: the database is in WAL mode, writes are single statements,
and a busy database is waited for rather than failed on.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TTL_DAYS = 30.0


def default_path() -> Path:
    """$CITECHECK_CACHE_DIR, else $XDG_CACHE_HOME/citecheck, else ~/.cache/citecheck."""
    base = os.environ.get("CITECHECK_CACHE_DIR")
    if base:
        return Path(base) / "registry.sqlite3"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "citecheck" / "registry.sqlite3"


@dataclass(frozen=True)
class Cached:
    status: int
    body: str
    fetched: float


class Cache:
    def __init__(self, path: Path | None = None, ttl_days: float = DEFAULT_TTL_DAYS) -> None:
        self.path = path or default_path()
        self.ttl = ttl_days * 86400.0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), timeout=30.0, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, status INTEGER NOT NULL, body TEXT NOT NULL, "
            "fetched REAL NOT NULL)"
        )

    def get(self, key: str) -> Cached | None:
        with self._lock:
            row = self._db.execute("SELECT status, body, fetched FROM answers WHERE key = ?", (key,)).fetchone()
        if row is None or time.time() - row[2] > self.ttl:
            return None
        return Cached(status=row[0], body=row[1], fetched=row[2])

    def put(self, key: str, status: int, body: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO answers (key, status, body, fetched) VALUES (?, ?, ?, ?)",
                (key, status, body, time.time()),
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()
