"""The persistent cache of registry answers, in SQLite (standard library ``sqlite3``).

Input: a request key (method and URL, without the mailto address or API key) and, on a miss, the
answer to store. Output: a stored answer younger than the time to live. Answers that are facts
(200 and 404) are kept; failures (timeouts, 5xx, 429) never are, so they are asked again.

Two runs may share the file at once: the database is in WAL mode, writes are single statements,
and a busy database is waited for rather than failed on.
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from citecheck.cache import cache_dir

DEFAULT_TTL_DAYS = 30.0


def default_path() -> Path:
    """registry.sqlite3 in the cache folder ($CITECHECK_CACHE_DIR, else $XDG_CACHE_HOME/citecheck)."""
    return cache_dir() / "registry.sqlite3"


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
        self.problem: str | None = None  # why the cache is not used this run, if it is not
        self._db: sqlite3.Connection | None = None
        try:
            self._db = sqlite3.connect(str(self.path), timeout=30.0, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, status INTEGER NOT NULL, body TEXT NOT NULL, "
                "fetched REAL NOT NULL)"
            )
            self._db.execute("SELECT status, body, fetched FROM answers LIMIT 0")  # the schema is ours
        except sqlite3.Error as exc:
            self._give_up(exc)

    def _give_up(self, exc: sqlite3.Error) -> None:
        """A damaged file, or another program's database at the cache's path: it is left as it is,
        and this run asks the registries without a cache (said once, on standard error)."""
        if self.problem is None:
            self.problem = f"{self.path}: not a usable cache ({exc}); registry answers are not cached this run"
            print(f"citecheck: {self.problem}", file=sys.stderr)
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    def get(self, key: str) -> Cached | None:
        with self._lock:
            if self._db is None:
                return None
            try:
                row = self._db.execute("SELECT status, body, fetched FROM answers WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error as exc:
                self._give_up(exc)
                return None
        if row is None or not isinstance(row[2], (int, float)) or time.time() - row[2] > self.ttl:
            return None
        if not isinstance(row[0], int) or not isinstance(row[1], str):
            return None
        return Cached(status=row[0], body=row[1], fetched=row[2])

    def put(self, key: str, status: int, body: str) -> None:
        with self._lock:
            if self._db is None:
                return
            try:
                self._db.execute(
                    "INSERT OR REPLACE INTO answers (key, status, body, fetched) VALUES (?, ?, ?, ?)",
                    (key, status, body, time.time()),
                )
            except sqlite3.Error as exc:
                self._give_up(exc)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
