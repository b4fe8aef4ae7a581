"""A persistent cache of each article's claims, in SQLite, keyed by the article's content hash and the
analysis version (claims.cache_key). Values are JSON, not pickles: a cache file shared between colleagues
must not be able to run code. Each write is its own transaction, so a killed run leaves a usable cache."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, MutableMapping
from dataclasses import asdict
from pathlib import Path

from .errors import ClaimdiffError
from .model import INF, Claim, DateMention, Frame, Quantity

FRAME_TUPLES = ("agent", "patient", "dates", "names", "where", "patient_names")
SCHEMA = "CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def _encode(claims: tuple[Claim, ...]) -> str:
    def default(value):
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    rows = []
    for claim in claims:
        row = asdict(claim)
        for q in row["quantities"]:
            q["low"] = None if q["low"] == -INF else q["low"]
            q["high"] = None if q["high"] == INF else q["high"]
        rows.append(row)
    return json.dumps(rows, default=default)


def _decode(text: str) -> tuple[Claim, ...]:
    out = []
    for row in json.loads(text):
        quantities = []
        for q in row.pop("quantities"):
            q["low"] = -INF if q["low"] is None else q["low"]
            q["high"] = INF if q["high"] is None else q["high"]
            q["scope"] = tuple(q["scope"])
            q["setting"] = tuple(q.get("setting", ()))
            quantities.append(Quantity(**q))
        dates = tuple(DateMention(**{**d, "start": dt.date.fromisoformat(d["start"]),
                                     "end": dt.date.fromisoformat(d["end"])}) for d in row.pop("dates"))
        for key in ("entities", "lemmas", "keys"):
            row[key] = tuple(row[key])
        row["frames"] = tuple(Frame(**{**f, **{key: tuple(f.get(key, ())) for key in FRAME_TUPLES}})
                              for f in row.get("frames", ()))
        out.append(Claim(**row, quantities=tuple(quantities), dates=dates))
    return tuple(out)


class CacheDamaged(ClaimdiffError):
    """The cache file is not a readable SQLite database (overwritten, truncated, or not a cache at all)."""


SQLITE_HEADER = b"SQLite format 3\x00"


class ClaimCache(MutableMapping):
    """dict-like: cache_key -> the article's claims. A damage found while reading is a miss (the article
    is parsed again); `check` finds damage up front, so a run can say so and go on without the cache."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute(SCHEMA)
        except sqlite3.DatabaseError as e:
            raise CacheDamaged(f"{self.path}: the claims cache is damaged ({e}); "
                               f"remove it with: claimdiff cache clear {self.path}") from None
        except sqlite3.Error as e:
            raise ClaimdiffError(f"{self.path}: cannot open the cache: {e}") from None

    def check(self) -> None:
        """Raise CacheDamaged unless SQLite finds the whole file sound."""
        try:
            verdict = self.db.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as e:
            verdict = str(e)
        if verdict != "ok":
            raise CacheDamaged(f"{self.path}: the claims cache is damaged ({verdict}); "
                               f"remove it with: claimdiff cache clear {self.path}")

    def __getitem__(self, key: str) -> tuple[Claim, ...]:
        try:
            row = self.db.execute("SELECT value FROM claims WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            raise KeyError(key) from None
        if row is None:
            raise KeyError(key)
        try:
            return _decode(row[0])
        except (ValueError, TypeError, KeyError, AttributeError):
            # Written by another version, or damaged: treat as absent so the article is parsed again.
            raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        try:
            self[key]  # type: ignore[index]
        except KeyError:
            return False
        return True

    def __setitem__(self, key: str, claims: tuple[Claim, ...]) -> None:
        # A damaged cache costs a parse next time, never the run.
        with contextlib.suppress(sqlite3.DatabaseError):
            self.db.execute("INSERT OR REPLACE INTO claims (key, value) VALUES (?, ?)", (key, _encode(claims)))

    def __delitem__(self, key: str) -> None:
        self.db.execute("DELETE FROM claims WHERE key = ?", (key,))

    def __iter__(self) -> Iterator[str]:
        return (row[0] for row in self.db.execute("SELECT key FROM claims").fetchall())

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]

    def clear(self) -> None:
        self.db.execute("DELETE FROM claims")
        self.db.execute("VACUUM")

    def close(self) -> None:
        self.db.close()


def clear_cache(path: str | Path) -> int:
    """Empty the cache at path and return how many articles it held; a damaged cache file is deleted
    (with SQLite's side files) and -1 returned. A file that is not recognisably a cache is left alone."""
    path = Path(path)
    if not path.is_file():
        raise ClaimdiffError(f"{path}: no such cache file")
    try:
        store = ClaimCache(path)
        try:
            store.check()
            count = len(store)
            store.clear()
            return count
        finally:
            store.close()
    except CacheDamaged:
        pass
    if not _looks_like_a_cache(path):
        raise ClaimdiffError(f"{path}: not a claims cache (not a SQLite file); left as it is")
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            name.unlink(missing_ok=True)
        except OSError as e:
            raise ClaimdiffError(f"{name}: cannot delete the damaged cache: {e.strerror or e}") from None
    return -1


def _looks_like_a_cache(path: Path) -> bool:
    # Ours by name (what batch calls it, or any .sqlite file the user chose with --cache) or by the
    # SQLite header; anything else may be a user's file that was named by mistake.
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return head == SQLITE_HEADER or path.suffix.lower() in (".sqlite", ".sqlite3", ".db")
