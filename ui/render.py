"""HTML for the review page, built on the server from escaped text.

Every piece of text that came from a file, a model or a person goes through `esc` (or, for the
document preview, through nh3 in adapt.preview): the browser never sees markup it did not come from
us. `{`, `}` and `$` are escaped too, so that no template syntax can hide in content.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from adapt.document import PLACEHOLDER_RE
from adapt.review import edit_warnings, refused_by_checks
from adapt.textdiff import word_diff

STATUS_LABELS = {"pending": "pending", "accepted": "accepted", "edited": "edited", "rejected": "rejected"}


def esc(text: Any) -> str:
    return (
        html.escape(str(text), quote=True)
        .replace("{", "&#123;")
        .replace("}", "&#125;")
        .replace("$", "&#36;")
    )


def with_placeholders(text: str) -> str:
    """Escaped text with the `[N]` markup markers shown as small chips."""
    out, last = [], 0
    for m in PLACEHOLDER_RE.finditer(text):
        out.append(esc(text[last : m.start()]))
        out.append('<span class="ph" title="protected markup (formatting, code, math or a link)">'
                   f'{esc(m.group(0))}</span>')
        last = m.end()
    out.append(esc(text[last:]))
    return "".join(out)


def diff_html(before: str, after: str) -> tuple[str, str]:
    """(before, after) as HTML with deleted words marked in `before` and inserted words in `after`."""
    left, right = [], []
    for piece in word_diff(before, after):
        if piece.op == "equal":
            left.append(with_placeholders(piece.text))
            right.append(with_placeholders(piece.text))
        elif piece.op == "delete":
            left.append(f"<del>{with_placeholders(piece.text)}</del>")
        else:
            right.append(f"<ins>{with_placeholders(piece.text)}</ins>")
    return "".join(left), "".join(right)


def edited_html(before: str, after: str, *, all_deletions: bool = False) -> str:
    """`after` with inserted words marked, and the markup markers the edit removed shown struck through
    where they were (with every deleted word too when `all_deletions`): a removed marker is never just absent."""
    out = []
    for piece in word_diff(before, after):
        if piece.op == "equal":
            out.append(with_placeholders(piece.text))
        elif piece.op == "insert":
            out.append(f"<ins>{with_placeholders(piece.text)}</ins>")
        elif all_deletions:
            out.append(f"<del>{_removed_markers(piece.text, all_text=True)}</del>")
        elif PLACEHOLDER_RE.search(piece.text):
            out.append(_removed_markers(piece.text))
    return "".join(out)


def _removed_markers(text: str, *, all_text: bool = False) -> str:
    """The markers in deleted text as struck chips that say so (and the words between them if `all_text`)."""
    out, last = [], 0
    for m in PLACEHOLDER_RE.finditer(text):
        if all_text:
            out.append(esc(text[last : m.start()]))
        out.append(f'<del class="ph removed" title="markup marker removed by the edit" data-testid="removed-marker">'
                   f'{esc(m.group(0))}</del>')
        last = m.end()
    if all_text:
        out.append(esc(text[last:]))
    return "".join(out)


def _flags(flags: Sequence[dict[str, str]]) -> str:
    if not flags:
        return '<span class="noflag">—</span>'
    return "".join(f'<span class="flag" title="{esc(f["message"])}">{esc(f["code"])}</span>' for f in flags)


def _scores(scores: dict[str, Any]) -> str:
    if not scores:
        return '<span class="noflag">—</span>'
    parts: list[str] = []
    for name, value in scores.items():
        if len(parts) >= 4:
            break
        if name == "engine_notes":  # a chained route: show the text it went through (the Portuguese...)
            from adapt.target_languages import pivot_texts

            parts += [f'<span class="score pivot">via {esc(lang)}: {esc(text)}</span>' for lang, text in
                      pivot_texts(value)]
            continue
        if isinstance(value, (dict, list, tuple)) or value is None:
            # Structured records (placeholder repairs, a memory match) are for the detail and the JSON, not
            # a table cell: dumped here they read as program data (found by the teacher-journey test).
            continue
        shown = f"{value:.2f}" if isinstance(value, float) else esc(value)
        parts.append(f'<span class="score">{esc(name)} {shown}</span>')
    return "".join(parts)


def row_html(s: Any, *, can_review: bool, selected: int | None, note: str = "") -> str:
    """One suggestion; `note` is feedback about this row (a conflict, a refusal, a replaced decision),
    shown on the row itself rather than at the top of the page."""
    status = esc(s.status)
    refused = refused_by_checks(s)
    if s.final_text is not None:  # edited, or an edit accepted: show what the reviewer changed
        shown = edited_html(s.text, s.current_text)
    else:
        shown = with_placeholders(s.current_text)
    actions = ""
    if can_review:
        buttons = []
        if s.status != "accepted":
            buttons.append('<button class="act ok" data-act="accept" title="Accept">Accept</button>')
        buttons.append('<button class="act" data-act="edit" title="Edit the text">Edit</button>')
        if s.status != "rejected" or refused:  # a person may confirm what the checks refused
            buttons.append('<button class="act no" data-act="reject" title="Reject: keep the source">Reject</button>')
        if s.status != "pending":
            buttons.append('<button class="act" data-act="undo" title="Undo the last decision">Undo</button>')
        actions = "".join(buttons)
    editor = (
        f'<div class="editor"><textarea rows="3" aria-label="Edit suggestion {s.id}">{esc(s.current_text)}</textarea>'
        '<div class="editor-buttons"><button class="act ok" data-act="save">Save edit</button>'
        '<button class="act" data-act="cancel">Cancel</button></div></div>'
        if can_review
        else ""
    )
    warnings = edit_warnings(s) if s.final_text is not None else []
    notes = (f'<div class="row-msg warning" role="status">Check this edit: {"; ".join(map(esc, warnings))}. '
             "Keep the [N] markers to keep formatting, code and links.</div>" if warnings else "")
    notes += note
    selected_class = " selected" if selected == s.id else ""
    position = "" if s.position is None else s.position + 1
    flagged = " flagged" if s.qa_flags else ""
    return (
        f'<tr class="row status-{status}{selected_class}{flagged}" data-id="{s.id}" data-version="{s.version}" '
        f'data-testid="row-{s.id}" tabindex="0">'
        f'<td class="num">{position}</td>'
        f'<td class="src">{with_placeholders(s.source_text)}</td>'
        f'<td class="sug" lang="{esc(s.target_language or "")}"><div class="shown">{shown}</div>{notes}{editor}</td>'
        f'<td class="st">{_badge(s, refused)}</td>'
        f'<td class="flags">{_flags(s.qa_flags)}</td>'
        f'<td class="scores">{_scores(s.scores)}</td>'
        f'<td class="actions">{actions}</td>'
        "</tr>"
    )


def _badge(s: Any, refused: bool) -> str:
    """The status, and who decided; what the checks refused is said apart from people's decisions."""
    if refused:
        return ('<span class="badge refused" title="an automatic check refused this suggestion; no reviewer has '
                'decided on it yet">refused by the checks</span>')
    who = f"<div class=who>{esc(s.decided_by)}</div>" if s.decided_by and s.status != "pending" else ""
    return f'<span class="badge {esc(s.status)}">{esc(STATUS_LABELS.get(s.status, s.status))}</span>{who}'


def overruled_note(o: Any, viewer: str | None = None) -> str:
    """A decision someone else replaced (adapt.review.Overruled), said on the row: kept after a reload.
    The person looking is "you"."""
    did = {"accept": "accepted", "edit": "edited", "reject": "rejected"}.get(o.earlier_action, o.earlier_action)
    now = {"accept": "accepted it", "edit": "edited it", "reject": "rejected it", "undo": "undid that decision"}.get(
        o.later_action, o.later_action)
    text = f" as <q>{esc(o.earlier_text)}</q>" if o.earlier_text else ""
    earlier = "You" if o.earlier_actor == viewer else f"<b>{esc(o.earlier_actor)}</b>"
    later = "you" if o.later_actor == viewer else f"<b>{esc(o.later_actor)}</b>"
    return (f'<div class="row-msg conflict" role="status" data-testid="overruled">{earlier} '
            f'had {esc(did)} this{text}; then {later} {esc(now)} '
            f'({esc(o.later_at[:16].replace("T", " "))}). Check that you agree.</div>')


# The keyboard shortcuts of a review table (ui.app.TABLE_JS); "?" on the table shows them.
SHORTCUTS_HTML = (
    '<p class="kbd-hint muted">Keyboard: focus a row, press <kbd>?</kbd> for shortcuts.</p>'
    '<div class="shortcuts" role="note" aria-label="Keyboard shortcuts" hidden><b>Keyboard shortcuts</b><ul>'
    "<li><kbd>j</kbd> / <kbd>Alt</kbd>+<kbd>↓</kbd>: next pending row · <kbd>k</kbd> / <kbd>Alt</kbd>+<kbd>↑</kbd>: "
    "previous pending row · <kbd>↓</kbd> / <kbd>↑</kbd>: next / previous row</li>"
    "<li><kbd>a</kbd> accept · <kbd>e</kbd> edit · <kbd>r</kbd> reject · <kbd>u</kbd> undo · <kbd>Enter</kbd> "
    "side by side with its history</li>"
    "<li>In the edit box: <kbd>Ctrl</kbd>+<kbd>Enter</kbd> save and go to the next pending row · <kbd>Esc</kbd> "
    "cancel</li></ul></div>"
)


def table_html(rows: Sequence[Any], *, can_review: bool, selected: int | None = None, empty: str = "",
               detail: str = "", notes: dict[int, str] | None = None) -> str:
    """The review table. `detail` (the selected row's side-by-side view) opens right under that row;
    `notes` (HTML by suggestion id) is feedback shown on the row it is about."""
    if not rows:
        return f'<div class="empty">{esc(empty or "Nothing to review here.")}</div>'
    parts = []
    for s in rows:
        parts.append(row_html(s, can_review=can_review, selected=selected, note=(notes or {}).get(s.id, "")))
        if detail and s.id == selected:
            parts.append(f'<tr class="detail-row" data-for="{s.id}"><td colspan="7">{detail}</td></tr>')
    body = "".join(parts)
    return (
        SHORTCUTS_HTML
        + '<table class="review"><thead><tr><th>#</th><th>Source</th><th>Suggestion</th><th>Status</th>'
        "<th>QA flags</th><th>Scores</th><th></th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def counts_html(counts: Any, *, matching: int) -> str:
    total = counts.total or 0
    reviewed = counts.reviewed
    share = reviewed / total * 100 if total else 0
    by = counts.by_status
    refused = getattr(counts, "refused_by_checks", 0)
    checks = (f' · <span data-testid="refused-count">{refused} refused by the checks, waiting for a reviewer</span>'
              if refused else "")
    return (
        f'<div class="counts" data-testid="counts"><div class="count-line"><b>{reviewed} / {total} reviewed</b> '
        f'<span class="muted">· {by.get("accepted", 0)} accepted · {by.get("edited", 0)} edited · '
        f'{by.get("rejected", 0)} rejected · {by.get("pending", 0)} pending{checks} · {counts.flagged} flagged · '
        f"{matching} in this view</span></div>"
        f'<div class="bar"><div class="fill" style="width:{share:.1f}%"></div></div></div>'
    )


def undecided_warning(stats: Any, *, included: bool) -> str:
    """The export's warning: the segments no reviewer has decided on (adapt.export.ExportStats.undecided)."""
    pending = stats.undecided - stats.refused_by_checks
    parts = [f"{pending} pending"] if pending else []
    parts += [f"{stats.refused_by_checks} refused by the checks"] if stats.refused_by_checks else []
    fate = ("the pending ones are in the file, marked ⚠" if included else "they keep the source text")
    n = stats.undecided
    return (f'<b data-testid="undecided">{n} of {stats.segments} segment{"s" if stats.segments != 1 else ""} '
            f'{"have" if n != 1 else "has"} no reviewer\'s decision yet</b> ({", ".join(parts)}): {fate}. '
            "You can still download it, or review them first.")


def message_html(text: str, kind: str = "info") -> str:
    if not text:
        return ""
    return f'<div class="msg {esc(kind)}" role="alert">{text}</div>'


def detail_html(s: Any, history: Sequence[Any], *, comments: Sequence[Any] = (), can_comment: bool = False,
                beside: str = "") -> str:
    """Side by side: source | machine suggestion (word differences for a simplification), then the
    reviewer's edit as one text with what it removed and added (each heading once); `beside` (memory,
    glossary, related resources) follows; the history lists decisions and comments in time order, and a
    reviewer can add a comment."""
    if s is None:
        return '<div class="muted">Click a row to see it side by side with its history.</div>'
    blocks = []
    machine = "Machine suggestion" + ("" if s.task == "translate" else f" ({esc(s.task)})")
    if s.task == "translate":
        blocks.append(_pair("Source", with_placeholders(s.source_text), machine, with_placeholders(s.text)))
    else:
        left, right = diff_html(s.source_text, s.text)
        blocks.append(_pair("Source", left, machine, right))
    if s.final_text is not None:
        blocks.append('<div class="edit-diff" data-testid="edit-diff"><div class="pair-title">Reviewer\'s edit '
                      '<span class="muted">(struck: removed from the machine suggestion; marked: added)</span></div>'
                      f'<div class="pair-text">{edited_html(s.text, s.final_text, all_deletions=True)}</div></div>')
    flags = "".join(f"<li><b>{esc(f['code'])}</b>: {esc(f['message'])}</li>" for f in s.qa_flags)
    model = s.model_signature.get("model") or s.model_signature.get("name") or s.model_signature.get("engine") or ""
    timeline = sorted([(d.created_at, 0, d) for d in history] + [(c.created_at, 1, c) for c in comments],
                      key=lambda item: (item[0], item[1]))
    events = "".join(
        (f'<li class="comment" data-testid="comment">{esc(e.created_at[:19].replace("T", " "))} · '
         f'<b>{esc(e.actor)}</b> commented: <q>{esc(e.text)}</q></li>') if is_comment else
        (f"<li>{esc(e.created_at[:19].replace('T', ' '))} · <b>{esc(e.actor)}</b> {esc(e.action)}"
         f"{': ' + esc(e.text) if e.text else ''}</li>")
        for _, is_comment, e in timeline
    ) or "<li>no decisions yet</li>"
    form = (f'<div class="comment-form"><label for="comment-{s.id}">Comment for the other reviewers (not a '
            f'decision)</label><textarea id="comment-{s.id}" rows="2" data-comment-for="{s.id}"></textarea>'
            '<button class="act" data-act="comment">Add comment</button></div>' if can_comment else "")
    return (
        f'<div class="detail" data-testid="detail"><div class="detail-head">Suggestion #{s.id} · {esc(s.task)}'
        f'{" → " + esc(s.target_language) if s.target_language else ""} · <span class="badge {esc(s.status)}">'
        f'{esc(s.status)}</span> <span class="muted">{esc(model)}</span></div>'
        + "".join(blocks)
        + (f'<ul class="flaglist">{flags}</ul>' if flags else "")
        + _operations((s.scores or {}).get("operations"))
        + beside
        + f'<div class="history"><b>History</b><ul>{events}</ul>{form}</div></div>'
    )


def help_html(found: Any) -> str:
    """Translation memory matches and glossary terms for the segment (adapt.beside.SegmentHelp)."""
    if not found.applies:
        return ""
    if found.memory:
        items = "".join(
            f'<li><span class="score-inline">{m.similarity:.0f}%</span> <q>{with_placeholders(m.text)}</q> '
            f'<span class="muted">· for <q>{with_placeholders(m.unit.source_text)}</q> · {esc(m.unit.describe())}'
            "</span></li>" for m in found.memory)
        memory = f'<ul>{items}</ul>'
    else:
        memory = '<div class="muted">No similar segment was translated before.</div>'
    if found.terms:
        items = "".join(
            f'<li><b>{esc(t.term)}</b> → '
            + ("keep as is (do not translate)" if t.kind == "dnt" else f"<q>{esc(t.translation or '')}</q>")
            + (f' <span class="muted">· {esc(t.note)}</span>' if t.note else "") + "</li>" for t in found.terms)
        terms = f'<ul>{items}</ul>'
    else:
        terms = '<div class="muted">No glossary term in this segment.</div>'
    return ('<div class="beside pair"><div class="memory" data-testid="memory"><div class="pair-title">Translation '
            f'memory</div>{memory}</div><div class="glossary" data-testid="glossary"><div class="pair-title">Glossary'
            f"</div>{terms}</div></div>")


def segment_related_html(suggestion_id: int, body: str, *, compatible: bool) -> str:
    """The related open resources of the segment, in its detail, with the licence toggle."""
    checked = " checked" if compatible else ""
    return (f'<div class="beside-related" id="segment-related" data-testid="segment-related">'
            f'<div class="pair-title">Related open resources for this segment</div>'
            f'<label class="related-toggle"><input type="checkbox" id="related-compatible-{suggestion_id}" '
            f'data-related-compatible="{suggestion_id}"{checked}> Licence-compatible only</label>{body}</div>')


def _operations(operations: Any) -> str:
    """What a simplifier did (replaced "x" -> "y", split at "which"), so the reviewer sees why."""
    from adapt.simplify import describe_operations

    items = "".join(f"<li>{esc(line)}</li>" for line in describe_operations(operations))
    return f'<div class="operations" data-testid="operations"><b>Why</b><ul>{items}</ul></div>' if items else ""


def _pair(left_title: str, left: str, right_title: str, right: str) -> str:
    return (
        f'<div class="pair"><div><div class="pair-title">{left_title}</div><div class="pair-text">{left}</div></div>'
        f'<div><div class="pair-title">{right_title}</div><div class="pair-text">{right}</div></div></div>'
    )


def running_detail(job: Any) -> str:
    """A running job in words: its phase, the segments done so far, and which task of several."""
    phase = getattr(job, "phase", None) or "starting"
    parts = [phase]
    if job.total > 1 or (job.total == 1 and phase in ("translating", "simplifying")):
        parts.append(f"{job.done} / {job.total} segments")
    if len(job.tasks) > 1:
        parts.append(f"step {job.step + 1} of {len(job.tasks)}")
    return " · ".join(parts)


def jobs_html(jobs: Sequence[Any], describe: Any) -> str:
    if not jobs:
        return '<div class="muted">No jobs yet.</div>'
    items = []
    for job in jobs:
        what = ", ".join(describe(t) for t in job.tasks)
        pct = job.fraction * 100
        detail = {"queued": "waiting", "running": running_detail(job), "done": "done", "failed": "failed"}[job.status]
        error = f'<div class="job-error">{esc(job.error)}</div>' if job.error else ""
        items.append(
            f'<div class="job {esc(job.status)}" data-testid="job-{job.id}"><div class="job-line">'
            f"<b>Job {job.id}</b> · resource {job.resource_id} · {esc(what)} "
            f'<span class="muted">· {esc(detail)}</span></div>'
            f'<progress max="100" value="{pct:.0f}" aria-label="job {job.id} progress"></progress>{error}</div>'
        )
    return "".join(items)


TAG_KINDS = {  # task -> (heading, what the evidence column shows)
    "tag:subject": "Subject (ISCED-F)",
    "tag:keyword": "Keyword",
    "tag:language": "Language",
    "tag:reading_level": "Reading level",
    "tag:educational_level": "Educational level",
    "tag:resource_type": "Resource type",
    "related": "Related resource",
}


def _tag_evidence(s: Any) -> str:
    """The model's evidence for a tag, in a few words: a score, a confidence, a share."""
    sc = s.scores or {}
    parts: list[str] = []
    if s.task == "tag:subject":
        if sc.get("code"):
            parts.append(f"ISCED-F {sc['code']} {sc.get('label') or ''}".strip())
        if sc.get("broad_label"):
            parts.append(f"field: {sc['broad_label']}")
        if isinstance(sc.get("score"), (int, float)):
            parts.append(f"score {sc['score']:.2f}")
    elif s.task == "tag:keyword":
        parts += [f"score {sc['score']:.2f}"] if isinstance(sc.get("score"), (int, float)) else []
        parts += [f"{sc['count']}×"] if sc.get("count") else []
    elif s.task == "tag:language":
        parts += [f"confidence {sc['confidence']:.2f}"] if isinstance(sc.get("confidence"), (int, float)) else []
        parts += [str(sc["method"])] if sc.get("method") else []
    elif s.task in ("tag:reading_level", "tag:educational_level"):
        parts += [str(sc.get("formula") or sc.get("grade_formula") or "")] if sc.get("formula") or sc.get(
            "grade_formula") else []
        parts += [f"ease {sc['ease']:.0f}"] if isinstance(sc.get("ease"), (int, float)) else []
        parts += [f"{sc['words']} words"] if sc.get("words") else []
        parts += [f"confidence {sc['confidence']:.2f}"] if isinstance(sc.get("confidence"), (int, float)) else []
    elif s.task == "tag:resource_type":
        parts += [f"{sc['share']:.0%} of segments"] if isinstance(sc.get("share"), (int, float)) else []
    elif s.task == "related":
        parts += [relatedness_words(sc)]
        parts += [str(v) for v in (sc.get("language"), sc.get("license") or "licence unknown") if v]
        parts += [f"best match: “{sc['why']}”"] if sc.get("why") else []
    return " · ".join(esc(p) for p in parts) or '<span class="noflag">—</span>'


def tag_row_html(s: Any, *, can_review: bool, note: str = "") -> str:
    """One tag as a review row: the same data attributes and buttons as a segment row, so that the
    same browser code (TABLE_JS) and the same conflict-safe decisions work on it."""
    status = esc(s.status)
    actions, editor = "", ""
    if can_review:
        buttons = []
        if s.status != "accepted":
            buttons.append('<button class="act ok" data-act="accept" title="Accept">Accept</button>')
        buttons.append('<button class="act" data-act="edit" title="Edit the tag">Edit</button>')
        if s.status != "rejected":
            buttons.append('<button class="act no" data-act="reject" title="Reject this tag">Reject</button>')
        if s.status != "pending":
            buttons.append('<button class="act" data-act="undo" title="Undo the last decision">Undo</button>')
        actions = "".join(buttons)
        editor = (f'<div class="editor"><textarea rows="1" aria-label="Edit tag {s.id}">'
                  f'{esc(s.current_text)}</textarea>'
                  '<div class="editor-buttons"><button class="act ok" data-act="save">Save edit</button>'
                  '<button class="act" data-act="cancel">Cancel</button></div></div>')
    who = f"<div class=who>{esc(s.decided_by)}</div>" if s.decided_by and s.status != "pending" else ""
    edited = f' <span class="muted">(model: {esc(s.text)})</span>' if s.status == "edited" else ""
    return (
        f'<tr class="row tag status-{status}" data-id="{s.id}" data-version="{s.version}" data-testid="tag-{s.id}" '
        f'data-task="{esc(s.task)}">'
        f'<td class="kind">{esc(TAG_KINDS.get(s.task, s.task))}</td>'
        f'<td class="sug"><div class="shown">{_tag_text(s)}{edited}</div>{note}{editor}</td>'
        f'<td class="evidence">{_tag_evidence(s)}</td>'
        f'<td class="st"><span class="badge {status}">{esc(STATUS_LABELS.get(s.status, s.status))}</span>{who}</td>'
        f'<td class="actions">{actions}</td></tr>'
    )


# What each LRMI key means for a teacher: the export message names what has no accepted tag yet in
# these words, not as JSON-LD keys ("educationalLevel").
METADATA_WORDS = {"name": "title", "inLanguage": "language", "about": "subject", "keywords": "keywords",
                  "educationalLevel": "educational level", "learningResourceType": "resource type",
                  "license": "licence", "isBasedOn": "source"}


def metadata_gaps(missing: Sequence[str]) -> str:
    """'keywords, educational level and resource type' for the keys a JSON-LD document lacks."""
    words = [METADATA_WORDS.get(key, key) for key in missing if not key.startswith("@")]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1] if words else ""


def _tag_text(s: Any) -> str:
    """A tag's text; a related resource's "Title <where>" as its title, linked when <where> is a web
    address (the bare "<catalogue item 1>" read as program data; the editor keeps the stored form)."""
    if s.task != "related":
        return esc(s.current_text)
    from adapt.related import parse_suggestion_text

    title, url, _ = parse_suggestion_text(s.current_text)
    if url:
        return f'<a href="{esc(url)}" rel="noopener noreferrer nofollow" target="_blank">{esc(title)}</a>'
    return esc(title or s.current_text)


def tags_html(suggestions: Sequence[Any], *, can_review: bool, notes: dict[int, str] | None = None) -> str:
    """Tag suggestions (segment NULL) grouped by kind, in the order TAG_KINDS lists them."""
    tags = [s for s in suggestions if s.task.startswith("tag:")]
    if not tags:
        return ('<div class="muted">No tag suggestions for this resource yet: tick “Suggest tags” under Tasks '
                "and press Run.</div>")
    order = {task: i for i, task in enumerate(TAG_KINDS)}
    rows = "".join(tag_row_html(s, can_review=can_review, note=(notes or {}).get(s.id, ""))
                   for s in sorted(tags, key=lambda s: (order.get(s.task, len(order)), s.id)))
    accepted = sum(1 for s in tags if s.status in ("accepted", "edited"))
    return (
        f'<div class="counts" data-testid="tag-counts"><b>{accepted} / {len(tags)} tags accepted</b> '
        '<span class="muted">· only accepted and edited tags go into the metadata (JSON-LD) export</span></div>'
        '<table class="review tags"><thead><tr><th>Kind</th><th>Tag</th><th>Evidence</th><th>Status</th><th></th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def related_review_html(suggestions: Sequence[Any], *, can_review: bool, catalogue_items: int,
                        notes: dict[int, str] | None = None) -> str:
    """Related resources kept as suggestions: the same rows and buttons as tags."""
    if not catalogue_items:
        return related_html({"catalogue_items": 0})
    rows = [s for s in suggestions if s.task == "related"]
    if not rows:
        return '<div class="muted" data-testid="related-none">No related resources in the catalogue.</div>'
    rows.sort(key=lambda s: (-((s.scores or {}).get("similarity") or 0.0), s.id))
    accepted = sum(1 for s in rows if s.status in ("accepted", "edited"))
    body = "".join(tag_row_html(s, can_review=can_review, note=(notes or {}).get(s.id, "")) for s in rows)
    return (
        f'<div class="counts" data-testid="related-counts"><b>{accepted} / {len(rows)} related resources accepted'
        '</b> <span class="muted">· accept the ones worth pointing teachers to; reject the rest</span></div>'
        '<table class="review tags related-review"><thead><tr><th>Kind</th><th>Resource</th><th>Evidence</th>'
        f"<th>Status</th><th></th></tr></thead><tbody>{body}</tbody></table>"
    )


def related_html(found: dict[str, Any], *, empty: str = "No related resources in the catalogue.") -> str:
    """Related catalogue items: title (a link when there is a URL), language, licence, similarity, why."""
    results = found.get("results") or []
    if found.get("catalogue_items") == 0:
        # Said to a teacher, who has no command line: who can fill it, not the command (issue 14, defect 8).
        return ('<div class="muted" data-testid="related-empty">No open resources have been added to the '
                "related-resources catalogue yet, so there is nothing to suggest. The person who runs OER Adapt "
                "for your school can add them (files, folders or a list of records); then click the row again.</div>")
    if not results:
        hidden = found.get("hidden") or 0
        if hidden:
            empty = (f"Nothing in the catalogue is closely related to this segment ({hidden} "
                     f"item{'s' if hidden != 1 else ''} checked).")
        return f'<div class="muted" data-testid="related-none">{esc(empty)}</div>'
    items = []
    for r in results:
        title = esc(r.get("title") or r.get("source") or f"item {r.get('item')}")
        url = str(r.get("url") or "")
        if url.startswith(("http://", "https://")):
            title = f'<a href="{esc(url)}" rel="noopener noreferrer nofollow" target="_blank">{title}</a>'
        meta = " · ".join(esc(v) for v in (r.get("language"), r.get("license") or "licence unknown", r.get("format"))
                          if v)
        score = esc(relatedness_words(r))
        why = (f'<div class="why"><span class="muted">best match:</span> <q>{esc(r.get("why"))}</q></div>'
               if r.get("why") else "")
        items.append(f'<li><div><b>{title}</b> <span class="score-inline">{score}</span> '
                     f'<span class="muted">{meta}</span></div>{why}</li>')
    hidden = found.get("hidden") or 0
    more = (f'<div class="muted" data-testid="related-hidden">{hidden} more in the catalogue '
            f'{"is" if hidden == 1 else "are"} not related closely enough to show.</div>' if hidden else "")
    return f'<ul class="related" data-testid="related">{"".join(items)}</ul>{more}'


def relatedness_words(result: dict[str, Any]) -> str:
    """"closely related (better than 98% of chance matches)" rather than a raw cosine nobody can read."""
    value = result.get("relatedness")
    if "relatedness" not in result:  # found before relatedness was calibrated: only the raw cosine is known
        similarity = result.get("similarity")
        return f"similarity {similarity:.2f}" if isinstance(similarity, (int, float)) else ""
    if not isinstance(value, (int, float)):
        return "related (the catalogue is too small to say how closely)"
    return f"{result.get('relatedness_label') or 'related'} (better than {value:.0%} of chance matches)"
