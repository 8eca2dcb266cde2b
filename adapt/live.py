"""Live review state: a cheap stamp of what a review page shows, so that pages can poll it every few
seconds and draw the table again only when something changed (rows a job stored, another reviewer's
decision, a comment).

The stamp is one aggregate query over the suggestions' index (count, sum of versions: every decision
bumps a version, max id: new rows) plus the newest comment of the resource; it never reads texts.
"""

from __future__ import annotations

from dataclasses import dataclass

from adapt.errors import UnknownResource
from adapt.people import User
from adapt.store import Store


@dataclass(frozen=True)
class ReviewStamp:
    suggestions: int  # how many suggestions the resource has
    versions: int  # the sum of their versions: moves with every decision, undo included
    newest: int  # the largest suggestion id
    comments: int  # the newest comment id (0: none)

    def key(self) -> list[int]:
        """JSON-able, for a page's state."""
        return [self.suggestions, self.versions, self.newest, self.comments]


def review_stamp(store: Store, who: User, resource_id: int) -> ReviewStamp:
    """The stamp of a resource's review state, for someone who may see it (else UnknownResource)."""
    row = store.read(lambda c: c.execute("SELECT owner FROM resources WHERE id = ?", (resource_id,)).fetchone())
    if row is None or not (who.sees_everything or row["owner"] == who.name):
        raise UnknownResource(f"there is no resource {resource_id} for {who.name}",
                              hint="pick one of your own resources")
    counts = store.read(lambda c: c.execute(
        "SELECT COUNT(*), COALESCE(SUM(version), 0), COALESCE(MAX(id), 0) FROM suggestions WHERE resource_id = ?",
        (resource_id,)).fetchone())
    comments = store.read(lambda c: c.execute(
        "SELECT COALESCE(MAX(id), 0) FROM suggestion_comments WHERE resource_id = ?", (resource_id,)).fetchone())
    return ReviewStamp(int(counts[0]), int(counts[1]), int(counts[2]), int(comments[0]))
