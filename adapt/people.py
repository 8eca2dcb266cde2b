"""People: reviewers who log in, their roles, and what each role may do.

Passwords are stored as scrypt hashes (a memory-hard KDF from the standard library) with a random salt
and the cost parameters, so that the cost can be raised later without breaking old hashes.

Roles: a *teacher* sees and reviews the resources they own; an *editor* sees and reviews all of them;
an *evaluator* sees all of them and changes nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import sqlite3
from dataclasses import dataclass

from adapt.errors import InvalidDecision, PermissionDenied, UnknownResource, UserError
from adapt.store import Resource, Store, now

ROLES = ("teacher", "editor", "evaluator")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 8

# scrypt cost: N=2**14, r=8 uses 16 MiB and about 0.1 s per check here: costly to guess offline, cheap enough to log in.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created_at: str

    @property
    def can_review(self) -> bool:
        return self.role in ("teacher", "editor")

    @property
    def sees_everything(self) -> bool:
        return self.role in ("editor", "evaluator")

    def can_see(self, resource: Resource) -> bool:
        return self.sees_everything or resource.owner == self.name

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "role": self.role, "created_at": self.created_at}


# -- passwords -----------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=128 * 1024 * 1024, dklen=32)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
            maxmem=128 * 1024 * 1024, dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


# A hash to check against when the user does not exist, so that a wrong name costs the same time as a
# wrong password (no user enumeration by timing).
_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(8))
    return _DUMMY_HASH


# -- the users table -----------------------------------------------------------------------------


def check_new_user(name: str, role: str, password: str) -> None:
    if not NAME_RE.match(name):
        raise UserError(
            f"{name!r} is not a usable user name",
            hint="use letters, digits, '.', '_', '-' or '@' (64 characters at most), starting with a letter or digit",
        )
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}", hint=f"use one of {', '.join(ROLES)}")
    check_password(password)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password is too short ({len(password)} characters)",
                        hint=f"use at least {MIN_PASSWORD} characters")


def add_user(store: Store, name: str, role: str, password: str) -> User:
    check_new_user(name, role, password)
    hashed = hash_password(password)
    stamp = now()

    def insert(conn: sqlite3.Connection) -> None:
        if conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise UserError(f"there is already a user {name!r}",
                            hint="pick another name, or change the password with `adapt users password`")
        conn.execute(
            "INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            (name, role, hashed, stamp, stamp),
        )

    store.write(insert)
    return User(name, role, stamp)


def set_password(store: Store, name: str, password: str) -> None:
    check_password(password)
    hashed = hash_password(password)
    user(store, name)
    def change(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE users SET password_hash = ?, updated_at = ? WHERE name = ?", (hashed, now(), name))
        _forget_logins(conn, name, devices=True)  # every session and known browser of the old password ends

    store.write(change, what=f"the new password of {name}")


def set_role(store: Store, name: str, role: str) -> None:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}", hint=f"use one of {', '.join(ROLES)}")
    user(store, name)
    def change(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE users SET role = ?, updated_at = ? WHERE name = ?", (role, now(), name))
        _forget_logins(conn, name, devices=False)  # sessions under the old role end

    store.write(change, what=f"the new role of {name}")


def remove_user(store: Store, name: str) -> None:
    user(store, name)
    # Their decisions stay in the log under their name: reviewer work is never lost.
    def remove(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM users WHERE name = ?", (name,))
        _forget_logins(conn, name, devices=True)

    store.write(remove, what=f"the removal of {name}")


def _forget_logins(conn: sqlite3.Connection, name: str, *, devices: bool) -> None:
    """End `name`'s web sessions (and, with `devices`, forget the browsers that may skip the login lock)."""
    from adapt.sessions import end_sessions

    end_sessions(conn, name)
    if devices:
        conn.execute("DELETE FROM known_devices WHERE user_name = ?", (name,))


def find_user(store: Store, name: str) -> User | None:
    row = store.read(lambda c: c.execute("SELECT name, role, created_at FROM users WHERE name = ?", (name,)).fetchone())
    return User(row["name"], row["role"], row["created_at"]) if row else None


def user(store: Store, name: str) -> User:
    found = find_user(store, name)
    if found is None:
        raise UserError(f"there is no user {name!r}", hint="list them with `adapt users list`")
    return found


def users(store: Store) -> list[User]:
    rows = store.read(lambda c: c.execute("SELECT name, role, created_at FROM users ORDER BY name").fetchall())
    return [User(r["name"], r["role"], r["created_at"]) for r in rows]


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The user if the password is right, else None (same cost either way)."""
    row = store.read(lambda c: c.execute("SELECT password_hash FROM users WHERE name = ?", (name,)).fetchone())
    if row is None:
        verify_password(password, _dummy_hash())
        return None
    return find_user(store, name) if verify_password(password, row["password_hash"]) else None


# -- permissions ---------------------------------------------------------------------------------


def require_reviewer(who: User) -> None:
    if not who.can_review:
        raise PermissionDenied(f"{who.name} is an {who.role} and can only read",
                               hint="ask an editor to review, or to give you the teacher or editor role")


def require_visible(who: User, resource: Resource) -> None:
    if not who.can_see(resource):
        # Said as "unknown" so that a teacher cannot probe for other people's resources.
        raise UnknownResource(f"there is no resource {resource.id} for {who.name}",
                              hint="pick one of your own resources")


def require_reviewable(who: User, resource: Resource) -> None:
    require_visible(who, resource)
    require_reviewer(who)


def check_text(text: str) -> str:
    if not text.strip():
        raise InvalidDecision("an edit cannot be empty", hint="reject the suggestion instead")
    return text
