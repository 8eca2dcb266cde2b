"""Comments on a suggestion: a reviewer's note to the others ("check this term with the author"),
stored with who wrote it and when, shown in the row's history. A comment is not a decision: it changes
no status and no version, so it never makes anyone's decision conflict; comments are append-only
(migration 0152), so none is ever lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from adapt.errors import AdaptError, PermissionDenied, UserError
from adapt.people import User, require_reviewable
from adapt.store import Store, now

MAX_COMMENT_CHARS = 4000


@dataclass(frozen=True)
class Comment:
    id: int
    suggestion_id: int
    actor: str
    text: str
    created_at: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "suggestion": self.suggestion_id, "actor": self.actor, "text": self.text,
                "at": self.created_at}


def _comment(row: Any) -> Comment:
    return Comment(int(row["id"]), int(row["suggestion_id"]), row["actor"], row["text"], row["created_at"])


def check_text(text: str) -> str:
    """The comment as stored (trimmed), or a UserError saying what to change."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise UserError("a comment cannot be empty", hint="write what the other reviewers should know")
    if len(cleaned) > MAX_COMMENT_CHARS:
        raise UserError(f"a comment can be at most {MAX_COMMENT_CHARS} characters (this one has {len(cleaned)})",
                        hint="shorten it, or split it in several comments")
    return cleaned


def add_comment(store: Store, suggestion_id: int, text: str, *, actor: str) -> Comment:
    """Store a comment by `actor` on a suggestion (UnknownSuggestion if there is none). Roles are the
    caller's business: `comment` below checks them for a logged-in person."""
    if not actor:
        raise UserError("a comment needs its author's name", hint="set ADAPT_USER or pass --as NAME")
    cleaned = check_text(text)
    resource_id = store.suggestion(suggestion_id).resource_id
    stamp = now()

    def insert(conn: Any) -> int:
        cur = conn.execute(
            "INSERT INTO suggestion_comments (suggestion_id, resource_id, actor, text, created_at) "
            "VALUES (?, ?, ?, ?, ?)", (suggestion_id, resource_id, actor, cleaned, stamp))
        return int(cur.lastrowid)

    new_id = store.write(insert, what=f"the comment on suggestion {suggestion_id}")
    return Comment(new_id, suggestion_id, actor, cleaned, stamp)


def comment(store: Store, who: User, suggestion_id: int, text: str) -> Comment:
    """A logged-in person comments: teachers (on their resources) and editors may, evaluators read only."""
    require_reviewable(who, store.resource(store.suggestion(suggestion_id).resource_id))
    return add_comment(store, suggestion_id, text, actor=who.name)


def check_cli_author(people: Any, name: str) -> None:
    """On the command line the author is a name: a registered evaluator may not comment."""
    try:
        person = people.get(name)
    except AdaptError:  # not a registered person: the CLI's usual trust in --as applies
        return
    if person is not None and not person.can_review:
        raise PermissionDenied(f"{name} is an {person.role} and can only read comments",
                               hint="ask a teacher or an editor to comment")


def comments(store: Store, suggestion_id: int) -> list[Comment]:
    """A suggestion's comments, oldest first."""
    rows = store.read(lambda c: c.execute(
        "SELECT * FROM suggestion_comments WHERE suggestion_id = ? ORDER BY id", (suggestion_id,)).fetchall())
    return [_comment(r) for r in rows]


def comments_by_suggestion(store: Store, resource_id: int, suggestion_ids: Sequence[int] | None = None
                           ) -> dict[int, list[Comment]]:
    """Comments of a resource's suggestions (of those listed), by suggestion id: one query for a page."""
    rows = store.read(lambda c: c.execute(
        "SELECT * FROM suggestion_comments WHERE resource_id = ? ORDER BY id", (resource_id,)).fetchall())
    wanted = set(suggestion_ids) if suggestion_ids is not None else None
    found: dict[int, list[Comment]] = {}
    for row in rows:
        if wanted is None or row["suggestion_id"] in wanted:
            found.setdefault(int(row["suggestion_id"]), []).append(_comment(row))
    return found
