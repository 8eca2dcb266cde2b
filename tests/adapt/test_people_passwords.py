"""Users: scrypt password hashes, roles, and what each role may see and do."""

from __future__ import annotations

import pytest

from adapt import people
from adapt.errors import PermissionDenied, UnknownResource, UserError
from adapt.store import Resource


def test_people_hash_is_salted_scrypt_and_verifies():
    first, second = people.hash_password("a long password"), people.hash_password("a long password")
    assert first.startswith("scrypt$16384$8$1$") and first != second  # salted
    assert "a long password" not in first
    assert people.verify_password("a long password", first)
    assert not people.verify_password("a long passwore", first)


@pytest.mark.parametrize("stored", ["", "plain", "scrypt$1$2$3", "bcrypt$a$b$c$d$e", "scrypt$x$8$1$AA==$AA==",
                                    "scrypt$16384$8$1$!!!$AA=="])
def test_people_verify_rejects_malformed_hashes(stored):
    assert people.verify_password("whatever1", stored) is False


def test_people_add_authenticate_and_change(store):
    people.add_user(store, "ana", "teacher", "password-1")
    assert people.authenticate(store, "ana", "password-1").role == "teacher"
    assert people.authenticate(store, "ana", "password-2") is None
    assert people.authenticate(store, "nobody", "password-1") is None
    people.set_password(store, "ana", "password-2")
    assert people.authenticate(store, "ana", "password-1") is None
    assert people.authenticate(store, "ana", "password-2") is not None
    people.set_role(store, "ana", "editor")
    assert people.user(store, "ana").role == "editor"
    stored = store.read(lambda c: c.execute("SELECT password_hash FROM users").fetchone()[0])
    assert "password-2" not in stored
    people.remove_user(store, "ana")
    assert people.users(store) == []


@pytest.mark.parametrize(
    ("name", "role", "password", "fragment"),
    [
        ("", "editor", "password-1", "not a usable user name"),
        ("<script>", "editor", "password-1", "not a usable user name"),
        ("a" * 65, "editor", "password-1", "not a usable user name"),
        ("ana", "admin", "password-1", "unknown role"),
        ("ana", "editor", "short", "too short"),
    ],
)
def test_people_add_rejects_bad_input(store, name, role, password, fragment):
    with pytest.raises(UserError, match=fragment):
        people.add_user(store, name, role, password)


def test_people_add_twice_is_an_error(store):
    people.add_user(store, "ana", "editor", "password-1")
    with pytest.raises(UserError, match="already a user"):
        people.add_user(store, "ana", "teacher", "password-2")


def _resource(owner: str | None) -> Resource:
    return Resource(1, "h", "markdown", "x.md", "en", "X", None, {}, owner, "now")


@pytest.mark.parametrize(
    ("role", "own", "sees", "reviews"),
    [
        ("teacher", True, True, True),
        ("teacher", False, False, False),
        ("editor", False, True, True),
        ("evaluator", False, True, False),
        ("evaluator", True, True, False),
    ],
)
def test_people_roles_decide_what_is_visible_and_reviewable(role, own, sees, reviews):
    who = people.User("ana", role, "now")
    resource = _resource("ana" if own else "bob")
    assert who.can_see(resource) is sees
    if reviews:
        people.require_reviewable(who, resource)
    else:
        with pytest.raises((PermissionDenied, UnknownResource)):
            people.require_reviewable(who, resource)
