"""The desk's accounts: `.desk/accounts.yaml` in the project, one entry per person.

Each account has a login name, a display name, a role (`editor` = 编辑, `chief` = 主编) and an argon2id
hash of its password (argon2-cffi). The file is written only by `bulletin desk user …` and read by the
web application at each login and on each request (so a removed account or a changed password ends its
sessions at once). Writes are atomic; the file and its folder are checked to stay inside the project.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from bulletin import messages
from bulletin.desk.errors import DeskError
from bulletin.desk.files import atomic_write

DESK_DIR = ".desk"
ACCOUNTS_FILE = "accounts.yaml"
ROLES = ("editor", "chief")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # argon2 takes any length; a megabyte "password" is an attack, not a password
_NAME_RE = re.compile(r"^[\w.-]{1,32}$")  # letters (Chinese too), digits, _ . -

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
# verified against when the name is unknown, so a wrong name costs the same time as a wrong password
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class AccountError(DeskError):
    """A problem with an account or the accounts file, said in the editor's language."""


@dataclass(frozen=True)
class Account:
    name: str
    display: str
    role: str  # "editor" | "chief"
    password_hash: str

    @property
    def role_label(self) -> str:
        return role_label(self.role)

    @property
    def stamp(self) -> str:
        """Changes when the password changes: a session remembers it, so a new password ends old sessions."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]


def role_label(role: str) -> str:
    return messages.t(f"desk_role_{role}")


def desk_dir(root: Path) -> Path:
    """The project's `.desk/` folder, created (mode 0700) if missing; refused if it is a link."""
    root = root.resolve()
    d = root / DESK_DIR
    if d.is_symlink() or (d.exists() and not d.is_dir()):
        raise AccountError(messages.t("desk_dir_not_folder", path=f"{DESK_DIR}/"))
    d.mkdir(mode=0o700, exist_ok=True)
    return d


def accounts_path(root: Path) -> Path:
    return root.resolve() / DESK_DIR / ACCOUNTS_FILE


def load_accounts(root: Path) -> dict[str, Account]:
    """Every account of the project by name; an empty dict when there is no accounts file yet."""
    path = accounts_path(root)
    rel = f"{DESK_DIR}/{ACCOUNTS_FILE}"
    if not path.exists() and not path.is_symlink():
        return {}
    if path.is_symlink() or not path.is_file():
        raise AccountError(messages.t("desk_accounts_not_file", path=rel))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise AccountError(messages.t("desk_accounts_unreadable", path=rel, problem=str(exc))) from None
    users = data.get("users") if isinstance(data, dict) else None
    if not isinstance(users, list):
        raise AccountError(messages.t("desk_accounts_unreadable", path=rel, problem="users: [...]"))
    out: dict[str, Account] = {}
    for n, entry in enumerate(users, 1):
        ok = isinstance(entry, dict) and all(
            isinstance(entry.get(k), str) for k in ("name", "role", "password")
        )
        if not ok or entry["role"] not in ROLES or not _NAME_RE.match(entry["name"]):
            raise AccountError(messages.t("desk_accounts_bad_entry", path=rel, n=n))
        display = entry.get("display") if isinstance(entry.get("display"), str) else entry["name"]
        out[entry["name"]] = Account(
            entry["name"], display or entry["name"], entry["role"], entry["password"]
        )
    return out


def _write_accounts(root: Path, accounts: dict[str, Account]) -> None:
    d = desk_dir(root)
    users = [
        {"name": a.name, "display": a.display, "role": a.role, "password": a.password_hash}
        for a in sorted(accounts.values(), key=lambda a: a.name)
    ]
    text = "# bulletin desk accounts: change them with `bulletin desk user …` (passwords are argon2 hashes)\n"
    text += yaml.safe_dump({"users": users}, allow_unicode=True, sort_keys=False)
    path = d / ACCOUNTS_FILE
    atomic_write(path, text.encode("utf-8"))
    os.chmod(path, 0o600)  # the hashes are for the desk's eyes only


def check_name(name: str) -> None:
    if not _NAME_RE.match(name):
        raise AccountError(messages.t("desk_user_bad_name", name=name))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(messages.t("desk_password_short", n=MIN_PASSWORD))
    if len(password) > MAX_PASSWORD:
        raise AccountError(messages.t("desk_password_long", n=MAX_PASSWORD))


def add_user(root: Path, name: str, role: str, password: str, display: str | None = None) -> Account:
    """A new account; refused if the name is taken, malformed, or the password too short."""
    check_name(name)
    if role not in ROLES:
        raise AccountError(messages.t("desk_user_bad_role", role=role))
    check_password(password)
    accounts = load_accounts(root)
    if name in accounts:
        raise AccountError(messages.t("desk_user_exists", name=name))
    account = Account(name, (display or name).strip() or name, role, _hasher.hash(password))
    accounts[name] = account
    _write_accounts(root, accounts)
    return account


def set_password(root: Path, name: str, password: str) -> Account:
    check_password(password)
    accounts = load_accounts(root)
    if name not in accounts:
        raise AccountError(messages.t("desk_user_unknown", name=name))
    old = accounts[name]
    accounts[name] = Account(old.name, old.display, old.role, _hasher.hash(password))
    _write_accounts(root, accounts)
    return accounts[name]


def remove_user(root: Path, name: str) -> None:
    accounts = load_accounts(root)
    if name not in accounts:
        raise AccountError(messages.t("desk_user_unknown", name=name))
    del accounts[name]
    _write_accounts(root, accounts)


def authenticate(root: Path, name: str, password: str) -> Account | None:
    """The account if `password` is its password, else None (same work whether or not the name exists)."""
    account = load_accounts(root).get(name)
    if len(password) > MAX_PASSWORD:
        return None
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    return account
