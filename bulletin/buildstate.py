"""Build state under output/.bulletin/: data-only files, written atomically, decoded strictly.

Whoever can write output/ (a shared office folder, a project copied together with its output) can put
anything there, so nothing read back from it may be able to run code or reach outside the project: the
caches used to be pickles, and unpickling a crafted file runs any command. A state file is instead

    MAGIC (16 bytes) | uint32 LE: n | n bytes of JSON (the head) | blobs (raw bytes)

where the head is ``{"store", "record", "version", "salt", "tables", "blobs"}``: the store and record
it belongs to, the format version and salt the reader expects (a file of another version or made from
other code or settings is stale, not an error), typed tables and the lengths of the blobs after the head.
A table is columnar — ``{column: [value per row]}`` — so that a whole column is checked at once
(``set(map(type, column))`` runs at C speed: 4,800 cached articles check in a few milliseconds). Every
column is declared with a `Kind`; a column missing, extra, of another length or holding another type
makes the whole file untrusted.

`Store.read` never raises for what it finds on disk: a file that is missing, or of another version or
salt (stale: made by another version of bulletin or from other settings), gives None; a file that
does not decode or validate (garbage, a pickle, wrong types, another store's record) is removed and
noted in `Store.discarded` (the build reports it as a warning), then None. Reading opens with O_NOFOLLOW
and refuses anything but a regular file; a store whose folder is a symbolic link (or not a folder) is
not used at all. Writing goes to a fresh temporary file (O_EXCL) renamed over the record, so a reader
sees the old or the new file, never half of one, and a link planted at a record's name is replaced,
not followed. The data is not fsynced: after a power cut a record may be empty or torn, which the
strict decoder discards like any other bad file (state only saves time).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import stat
import struct
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path

MAGIC = b"bulletin-state\n\0"
SUFFIX = ".state"
MAX_BYTES = 256 << 20  # a larger state file is not read (the 10-year benchmark's load cache: 2.3 MB)
_HEAD = struct.Struct("<I")
_HEAD_KEYS = {"store", "record", "version", "salt", "tables", "blobs"}


PACKAGE = Path(__file__).resolve().parent  # bulletin's own code


@lru_cache(maxsize=1)  # once per process: the loader, the pages and the PDFs all ask
def code_fingerprint() -> str:
    """A hash of all of bulletin's code: the salt of every cache of work the code does (loading, pages,
    PDFs). The whole package rather than a list of the modules a stage uses: a list kept by hand misses
    what it forgets (markdown_fast.py, markdown.py were missing), and hashing all of it takes about 3 ms."""
    h = hashlib.sha1()
    for py in sorted(PACKAGE.rglob("*.py")):
        h.update(py.relative_to(PACKAGE).as_posix().encode())
        h.update(py.read_bytes())
    return h.hexdigest()


# A file changed less than this long before a build looked at it may have changed again in the same clock
# tick (ext4's timestamps advance in jiffies, FAT's mtime in 2 s steps) without its stamp showing it:
# such a stamp is not trusted, the file's bytes are compared instead (git's "racily clean" entries).
RACY_SECONDS = 3


def is_racy(stamp: tuple[int, int, int, int] | None, seen_ns: int) -> bool:
    """Whether a stamp (inode, size, mtime_ns, ctime_ns) taken by a build that started at `seen_ns`
    (wall clock) is too recent to be trusted (see RACY_SECONDS)."""
    return stamp is not None and max(stamp[2], stamp[3]) >= seen_ns - RACY_SECONDS * 1_000_000_000


class StateError(ValueError):
    """A state file that cannot be trusted; the message says why (for the notice)."""


class StaleState(StateError):
    """A well-formed state file of another format version or salt: made by another version of bulletin
    or from other settings. Not a problem, so no notice: it is simply not used (and replaced)."""


# --- kinds of column ----------------------------------------------------------------------------------


def _no_change(value):
    return value


@dataclass(frozen=True)
class Kind:
    """What one column holds. `stored`: the exact JSON types allowed for its values (bool is not an int
    here, nor an int a float); `items`: for list or dict values, the exact types of their elements;
    `load` / `dump`: conversion from / to the stored value (`load` may raise ValueError or TypeError);
    `fits`: whether a Python value is one this kind stores exactly (checked before writing, so what
    cannot be stored exactly is not stored at all)."""

    name: str
    stored: frozenset
    fits: Callable[[object], bool]
    items: frozenset | None = None
    load: Callable = _no_change
    dump: Callable = _no_change

    def check(self, column: list) -> None:
        if not set(map(type, column)) <= self.stored:
            raise StateError(f"a {self.name} column holds {sorted({type(v).__name__ for v in column})}")
        if self.items is not None:
            values = (v for v in column if v is not None)
            if dict in self.stored:
                values = (v.values() for v in values)
            if not set(map(type, chain.from_iterable(values))) <= self.items:
                raise StateError(f"a {self.name} column holds an element of another type")


_NONE = type(None)


def _fits_scalar(*types: type) -> Callable[[object], bool]:
    def fits(value: object) -> bool:
        return type(value) in types and not (type(value) is float and not math.isfinite(value))

    return fits


def _fits_str_tuple(value: object) -> bool:
    return type(value) is tuple and all(type(v) is str for v in value)


_SCALARS = (str, int, bool, float, _NONE)


def _fits_int_tuple(value: object) -> bool:
    return type(value) is tuple and all(type(v) is int for v in value)


def _fits_scalar_dict(value: object) -> bool:
    return (type(value) is dict and all(type(k) is str for k in value)
            and all(_fits_scalar(*_SCALARS)(v) for v in value.values()))


def _fits_str_dict(value: object) -> bool:
    return type(value) is dict and all(type(k) is str and type(v) is str for k, v in value.items())


def _date(value: str) -> dt.date:
    if len(value) != 10:  # fromisoformat also takes other spellings; ours are YYYY-MM-DD only
        raise ValueError(value)
    return dt.date.fromisoformat(value)


def _opt_date(value: str | None) -> dt.date | None:
    return None if value is None else _date(value)


def _check_float(value):
    if type(value) is float and not math.isfinite(value):
        raise ValueError(value)
    return value


STR = Kind("str", frozenset({str}), _fits_scalar(str))
INT = Kind("int", frozenset({int}), _fits_scalar(int))
BOOL = Kind("bool", frozenset({bool}), _fits_scalar(bool))
OPT_STR = Kind("str or null", frozenset({str, _NONE}), _fits_scalar(str, _NONE))
OPT_INT = Kind("int or null", frozenset({int, _NONE}), _fits_scalar(int, _NONE))
STR_TUPLE = Kind("list of str", frozenset({list}), _fits_str_tuple, frozenset({str}), load=tuple, dump=list)
INT_TUPLE = Kind("list of int", frozenset({list}), _fits_int_tuple, frozenset({int}), load=tuple, dump=list)
DATE = Kind("date", frozenset({str}), lambda v: type(v) is dt.date, load=_date, dump=dt.date.isoformat)
OPT_DATE = Kind("date or null", frozenset({str, _NONE}), lambda v: v is None or type(v) is dt.date,
                load=_opt_date, dump=lambda v: None if v is None else v.isoformat())
STR_DICT = Kind("object of str", frozenset({dict}), _fits_str_dict, frozenset({str}))
SCALAR_DICT = Kind("object of scalars", frozenset({dict}), _fits_scalar_dict, frozenset(_SCALARS),
                   load=lambda d: {k: _check_float(v) for k, v in d.items()})


@dataclass(frozen=True)
class Table:
    """A record type: named, typed columns."""

    name: str
    columns: Mapping[str, Kind]

    def fits(self, row: Mapping[str, object]) -> bool:
        """Whether every value of `row` (a dict by column) can be stored exactly."""
        return row.keys() == self.columns.keys() and all(k.fits(row[c]) for c, k in self.columns.items())

    def pack(self, columns: Mapping[str, list]) -> dict[str, list]:
        """The stored form of `columns` (every value must fit: see `fits`)."""
        if columns.keys() != self.columns.keys() or len({len(v) for v in columns.values()}) > 1:
            raise ValueError(f"table {self.name}: wrong columns")
        out = {}
        for name, kind in self.columns.items():
            values = columns[name]
            out[name] = values if kind.dump is _no_change else list(map(kind.dump, values))
        return out

    def unpack(self, data: object) -> tuple[int, dict[str, list]]:
        """(rows, columns) from the stored form; StateError unless it is exactly this table's."""
        if type(data) is not dict or data.keys() != self.columns.keys():
            raise StateError(f"table {self.name}: other columns")
        lengths = set(map(len, data.values())) if all(type(v) is list for v in data.values()) else None
        if lengths is None or len(lengths) > 1:
            raise StateError(f"table {self.name}: columns of different lengths")
        out = {}
        for name, kind in self.columns.items():
            column = data[name]
            kind.check(column)
            try:
                out[name] = column if kind.load is _no_change else list(map(kind.load, column))
            except (ValueError, TypeError, OverflowError) as exc:
                raise StateError(f"table {self.name}, column {name}: {exc}") from None
        return (lengths.pop() if lengths else 0), out


@dataclass
class Record:
    """One decoded state file: its tables (rows, columns) by name and its blobs."""

    tables: dict[str, tuple[int, dict[str, list]]]
    blobs: list[bytes]


# --- folders ------------------------------------------------------------------------------------------


def private_folder(folder: Path, top: Path | None = None) -> bool:
    """Make sure `folder` and every folder between `top` (not included; default: folder's parent) and it
    is a real folder, not a symbolic link, creating what is missing. A link or a file in the way is
    removed (never followed: state folders are the build's own). False if that fails."""
    top = folder.parent if top is None else top
    parts: list[Path] = []
    p = folder
    while p != top and p not in parts:
        parts.append(p)
        if p.parent == p:
            return False
        p = p.parent
    try:
        os.makedirs(top, exist_ok=True)  # top itself may be a link (an output folder on another drive)
    except OSError:
        return False
    for p in reversed(parts):
        try:
            st = os.lstat(p)
        except FileNotFoundError:
            st = None
        except OSError:
            return False
        try:
            if st is not None and not stat.S_ISDIR(st.st_mode):
                os.unlink(p)  # a link (to anywhere) or a file: not ours to follow or keep
                st = None
            if st is None:
                os.mkdir(p)
        except FileExistsError:  # created meanwhile by another process: check it again
            try:
                if not stat.S_ISDIR(os.lstat(p).st_mode):
                    return False
            except OSError:
                return False
        except OSError:
            return False
    return True


def read_private(path: Path, limit: int = MAX_BYTES) -> bytes | None:
    """The bytes of a regular file, never through a symbolic link; None if missing, a link, not a
    regular file or larger than `limit`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes) -> bool:
    """Write `data` as `path`: a new temporary file in the same folder renamed over it. False on error."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


# --- records ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Codec:
    """Encoding and strict decoding of the records of one store (`name`, format `version`, `salt`),
    without a folder: worker processes encode records with it and hand the bytes over."""

    name: str
    version: int
    salt: str

    def encode(self, record: str, tables: Mapping[str, tuple[Table, Mapping[str, list]]],
               blobs: Iterable[bytes] = ()) -> bytes:
        """The bytes of a record holding `tables` (name → (Table, columns)) and `blobs`."""
        blobs = list(blobs)
        head = {
            "store": self.name,
            "record": record,
            "version": self.version,
            "salt": self.salt,
            "tables": {name: table.pack(columns) for name, (table, columns) in tables.items()},
            "blobs": [len(b) for b in blobs],
        }
        text = json.dumps(head, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        raw = text.encode("utf-8", "surrogatepass")
        return b"".join((MAGIC, _HEAD.pack(len(raw)), raw, *blobs))

    def decode(self, record: str, data: bytes, tables: Iterable[Table]) -> Record:
        """The record in `data`, holding exactly `tables`; StateError if it is anything else."""
        view = memoryview(data)
        if bytes(view[: len(MAGIC)]) != MAGIC or len(data) < len(MAGIC) + _HEAD.size:
            raise StateError("not a bulletin state file")
        (n,) = _HEAD.unpack_from(view, len(MAGIC))
        start = len(MAGIC) + _HEAD.size
        if start + n > len(data):
            raise StateError("truncated")
        try:
            head = json.loads(bytes(view[start : start + n]).decode("utf-8", "surrogatepass"),
                              parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise StateError(f"unreadable head: {exc}") from None
        if type(head) is not dict or head.keys() != _HEAD_KEYS:
            raise StateError("not a bulletin state file")
        if head["store"] != self.name or head["record"] != record:
            raise StateError(f"holds {head['store']!r}/{head['record']!r}, not {self.name!r}/{record!r}")
        if type(head["version"]) is not int or type(head["salt"]) is not str:
            raise StateError("not a bulletin state file")
        if head["version"] != self.version or head["salt"] != self.salt:
            raise StaleState("made by another version of bulletin or from other settings")
        wanted = {t.name: t for t in tables}
        if type(head["tables"]) is not dict or head["tables"].keys() != wanted.keys():
            raise StateError("other tables")
        sizes = head["blobs"]
        if type(sizes) is not list or not set(map(type, sizes)) <= {int} or any(s < 0 for s in sizes):
            raise StateError("bad blob sizes")
        pos = start + n
        if pos + sum(sizes) != len(data):
            raise StateError("truncated" if pos + sum(sizes) > len(data) else "trailing bytes")
        blobs = []
        for size in sizes:
            blobs.append(bytes(view[pos : pos + size]))
            pos += size
        return Record({name: wanted[name].unpack(t) for name, t in head["tables"].items()}, blobs)


# --- stores -------------------------------------------------------------------------------------------


@dataclass
class Store:
    """A named store of build state: record files ``<record>.state`` in one folder, all of one format
    `version` and `salt` (a hash of what the state was made from). `tables` declares the record types
    the store reads; a record is written and read with the tables it holds.

    `top`: the folder above which links are not checked (default: the folder's parent), e.g. output/
    for output/.bulletin. `legacy`: file names (glob patterns) of earlier versions' state in the
    folder, removed unread when the store is opened."""

    folder: Path
    name: str
    version: int
    salt: str
    top: Path | None = None
    legacy: tuple[str, ...] = ()
    usable: bool = field(init=False, default=False)
    discarded: list[tuple[Path, str]] = field(init=False, default_factory=list)  # (file, why)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        self.usable = private_folder(self.folder, self.top)
        if not self.usable:
            self.discarded.append((self.folder, "the state folder is not a folder of its own"))
            return
        for pattern in self.legacy:
            for old in self.folder.glob(pattern):
                _unlink(old)  # a pickle of an earlier version: never read (it could run code)

    def path(self, record: str) -> Path:
        return self.folder / (record + SUFFIX)

    def records(self, prefix: str = "") -> set[str]:
        """The names of the records in the folder that start with `prefix`."""
        if not self.usable:
            return set()
        try:
            names = os.listdir(self.folder)
        except OSError:
            return set()
        return {n[: -len(SUFFIX)] for n in names
                if n.startswith(prefix) and n.endswith(SUFFIX) and not n.startswith(".")}

    @property
    def codec(self) -> Codec:
        return Codec(self.name, self.version, self.salt)

    def encode(self, record: str, tables: Mapping[str, tuple[Table, Mapping[str, list]]],
               blobs: Iterable[bytes] = ()) -> bytes:
        return self.codec.encode(record, tables, blobs)

    def decode(self, record: str, data: bytes, tables: Iterable[Table]) -> Record:
        return self.codec.decode(record, data, tables)

    def read(self, record: str, tables: Iterable[Table], into: Callable[[Record], object] | None = None):
        """The record, or None when it is missing or cannot be trusted (then it is removed and noted in
        `discarded`). With `into`, what `into(record)` makes of it: the model objects, where it raises
        StateError for what the tables cannot say (e.g. a value that must name a known section)."""
        if not self.usable:
            return None
        path = self.path(record)
        data = read_private(path)
        if data is None:
            if os.path.lexists(path):
                self.discard(path, "not a regular file, or too large")
            return None
        try:
            rec = self.decode(record, data, tables)
            return rec if into is None else into(rec)
        except StaleState:
            _unlink(path)  # outdated, not suspicious: no notice
            return None
        except StateError as exc:
            self.discard(path, str(exc))
            return None

    def discard(self, path: Path, why: str) -> None:
        """Remove an untrusted file and note it (once per file)."""
        _unlink(path)
        if all(p != path for p, _ in self.discarded):
            self.discarded.append((path, why))

    def write(self, record: str, tables: Mapping[str, tuple[Table, Mapping[str, list]]],
              blobs: Iterable[bytes] = ()) -> bool:
        """Store a record (atomically); False if it could not be written (state only saves time)."""
        return self.write_bytes(record, self.encode(record, tables, blobs))

    def write_bytes(self, record: str, data: bytes) -> bool:
        """Store a record already encoded with `encode`."""
        return self.usable and write_atomically(self.path(record), data)

    def remove(self, record: str) -> None:
        _unlink(self.path(record))


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")
