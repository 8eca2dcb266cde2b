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
from adapt.review import counted_status, edit_warnings, refused_by_checks
from adapt.textdiff import word_diff
from ui.i18n import language_name, t, tn, when
from ui.strings import STRINGS

STATUS_KEYS = {"pending": "status.pending", "accepted": "status.accepted", "edited": "status.edited",
               "rejected": "status.rejected"}


def decision_label(s: Any) -> str:
    """A row's status in words; an edit then accepted says so ("accepted with edits"): the reviewer's text
    stands, as the counts and the export's attribution say."""
    if s.status == "accepted" and counted_status(s) == "edited":
        return t("status.accepted_edit")
    return status_label(s.status)


def status_label(status: str) -> str:
    """A suggestion's status in the UI's language ("aceita"); an unknown one as it is."""
    return t(STATUS_KEYS[status]) if status in STATUS_KEYS else status


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
        out.append(f'<span class="ph" title="{esc(t("row.marker"))}">{esc(m.group(0))}</span>')
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
        out.append(f'<del class="ph removed" title="{esc(t("row.marker_removed"))}" data-testid="removed-marker">'
                   f'{esc(m.group(0))}</del>')
        last = m.end()
    if all_text:
        out.append(esc(text[last:]))
    return "".join(out)


def flag_name(code: str) -> str:
    """A QA flag in words in the UI's language ("formatting lost" for placeholder-missing); an unknown
    code as it is."""
    key = f"qa.{code}"
    return t(key) if key in STRINGS else code


def _flags(flags: Sequence[dict[str, str]]) -> str:
    if not flags:
        return '<span class="noflag">—</span>'
    return "".join(f'<span class="flag" title="{esc(f["message"])}" data-code="{esc(f["code"])}">'
                   f'{esc(flag_name(f["code"]))}</span>' for f in flags)


def _scores(scores: dict[str, Any]) -> str:
    if not scores:
        return '<span class="noflag">—</span>'
    parts: list[str] = []
    for name, value in scores.items():
        if len(parts) >= 4:
            break
        if name == "engine_notes":  # a chained route: show the text it went through (the Portuguese...)
            from adapt.target_languages import pivot_texts

            parts += [f'<span class="score pivot">{esc(t("row.via", language=lang, text=text))}</span>'
                      for lang, text in pivot_texts(value)]
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
            buttons.append(_button("accept", "ok", "act.accept", "act.accept"))
        buttons.append(_button("edit", "", "act.edit", "act.edit_title"))
        if s.status != "rejected" or refused:  # a person may confirm what the checks refused
            buttons.append(_button("reject", "no", "act.reject", "act.reject_title"))
        if s.status != "pending":
            buttons.append(_button("undo", "", "act.undo", "act.undo_title"))
        actions = "".join(buttons)
    editor = _editor(3, t("act.edit_box", id=s.id), s.current_text) if can_review else ""
    warnings = edit_warnings(s) if s.final_text is not None else []
    notes = (f'<div class="row-msg warning" role="status">{t("row.check_edit", warnings="; ".join(map(esc, warnings)))}'
             "</div>" if warnings else "")
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


def _button(act: str, kind: str, label: str, title: str) -> str:
    return (f'<button class="act{" " + kind if kind else ""}" data-act="{act}" title="{esc(t(title))}">'
            f"{esc(t(label))}</button>")


def _editor(rows: int, label: str, text: str) -> str:
    return (f'<div class="editor"><textarea rows="{rows}" aria-label="{esc(label)}">{esc(text)}</textarea>'
            f'<div class="editor-buttons">{_button("save", "ok", "act.save", "act.save")}'
            f'{_button("cancel", "", "act.cancel", "act.cancel")}</div></div>')


def _badge(s: Any, refused: bool) -> str:
    """The status, and who decided; what the checks refused is said apart from people's decisions."""
    if refused:
        return (f'<span class="badge refused" title="{esc(t("row.refused_title"))}">{esc(t("status.refused"))}'
                "</span>")
    who = f"<div class=who>{esc(s.decided_by)}</div>" if s.decided_by and s.status != "pending" else ""
    return f'<span class="badge {esc(s.status)}">{esc(decision_label(s))}</span>{who}'


def overruled_note(o: Any, viewer: str | None = None) -> str:
    """A decision someone else replaced (adapt.review.Overruled), said on the row: kept after a reload.
    The person looking is "you"."""
    did = t(f"did.{o.earlier_action}") if o.earlier_action in ("accept", "edit", "reject") else o.earlier_action
    now = (t(f"now.{o.later_action}") if o.later_action in ("accept", "edit", "reject", "undo")
           else o.later_action)
    text = t("overruled.as", text=esc(o.earlier_text)) if o.earlier_text else ""
    earlier = esc(t("overruled.you")) if o.earlier_actor == viewer else f"<b>{esc(o.earlier_actor)}</b>"
    later = esc(t("overruled.you_later")) if o.later_actor == viewer else f"<b>{esc(o.later_actor)}</b>"
    note = t("overruled.note", earlier=earlier, did=esc(did), text=text, later=later, now=esc(now),
             when=esc(when(o.later_at)))
    return f'<div class="row-msg conflict" role="status" data-testid="overruled">{note}</div>'


def shortcuts_html() -> str:
    """The keyboard shortcuts of a review table (ui.app.TABLE_JS); "?" on the table shows them."""
    title = esc(t("keys.title"))
    moves = t("keys.move", k="<kbd>k</kbd> / <kbd>Alt</kbd>+<kbd>↑</kbd>", arrows="<kbd>↓</kbd> / <kbd>↑</kbd>")
    acts = t("keys.act", a="<kbd>a</kbd>", e="<kbd>e</kbd>", r="<kbd>r</kbd>", u="<kbd>u</kbd>",
             enter="<kbd>Enter</kbd>")
    box = t("keys.box", save="<kbd>Ctrl</kbd>+<kbd>Enter</kbd>", esc="<kbd>Esc</kbd>")
    return (f'<p class="kbd-hint muted">{t("keys.hint")}</p>'
            f'<div class="shortcuts" role="note" aria-label="{title}" hidden><b>{title}</b><ul>'
            f"<li><kbd>j</kbd> / <kbd>Alt</kbd>+<kbd>↓</kbd>: {moves}</li><li>{acts}</li><li>{box}</li></ul></div>")


def table_html(rows: Sequence[Any], *, can_review: bool, selected: int | None = None, empty: str = "",
               detail: str = "", notes: dict[int, str] | None = None) -> str:
    """The review table. `detail` (the selected row's side-by-side view) opens right under that row;
    `notes` (HTML by suggestion id) is feedback shown on the row it is about."""
    if not rows:
        return f'<div class="empty">{esc(empty or t("review.nothing"))}</div>'
    parts = []
    for s in rows:
        parts.append(row_html(s, can_review=can_review, selected=selected, note=(notes or {}).get(s.id, "")))
        if detail and s.id == selected:
            parts.append(f'<tr class="detail-row" data-for="{s.id}"><td colspan="7">{detail}</td></tr>')
    body = "".join(parts)
    # data-changed-msg: what TABLE_JS says when someone else changed a row being edited, in this language.
    head = "".join(f"<th>{esc(t(k))}</th>" for k in ("table.source", "table.suggestion", "table.status",
                                                       "table.flags", "table.scores"))
    return (
        shortcuts_html()
        + f'<table class="review" data-changed-msg="{esc(t("review.someone_changed"))}"><thead><tr><th>#</th>{head}'
        "<th></th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def counts_html(counts: Any, *, matching: int) -> str:
    total = counts.total or 0
    reviewed = counts.reviewed
    share = reviewed / total * 100 if total else 0
    by = counts.by_status
    refused = getattr(counts, "refused_by_checks", 0)
    checks = (f' · <span data-testid="refused-count">{esc(t("counts.refused", n=refused))}</span>'
              if refused else "")
    line = t("counts.line", accepted=by.get("accepted", 0), edited=by.get("edited", 0),
             rejected=by.get("rejected", 0), pending=by.get("pending", 0))
    return (
        f'<div class="counts" data-testid="counts"><div class="count-line"><b>'
        f'{esc(t("counts.reviewed", reviewed=reviewed, total=total))}</b> '
        f'<span class="muted">· {esc(line)}{checks} · {esc(t("counts.flagged", n=counts.flagged))} · '
        f'{esc(t("counts.view", n=matching))}</span></div>'
        f'<div class="bar"><div class="fill" style="width:{share:.1f}%"></div></div></div>'
    )


def undecided_warning(stats: Any, *, included: bool) -> str:
    """The export's warning: the segments no reviewer has decided on (adapt.export.ExportStats.undecided)."""
    pending = stats.undecided - stats.refused_by_checks
    parts = [t("export.undecided_pending", n=pending)] if pending else []
    parts += [t("export.undecided_refused", n=stats.refused_by_checks)] if stats.refused_by_checks else []
    fate = t("export.fate_included") if included else t("export.fate_source")
    n = stats.undecided
    return (f'<b data-testid="undecided">{tn("export.undecided", n, segments=stats.segments)}</b> '
            f'({", ".join(parts)}): {fate}. {t("export.still")}')


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
        return f'<div class="muted">{esc(t("detail.hint"))}</div>'
    blocks = []
    machine = esc(t("detail.machine") if s.task == "translate" else t("detail.machine_task", task=task_name(s.task)))
    source = esc(t("table.source"))
    if s.task == "translate":
        blocks.append(_pair(source, with_placeholders(s.source_text), machine, with_placeholders(s.text)))
    else:
        left, right = diff_html(s.source_text, s.text)
        blocks.append(_pair(source, left, machine, right))
    if s.final_text is not None:
        blocks.append(f'<div class="edit-diff" data-testid="edit-diff"><div class="pair-title">{t("detail.edit")} '
                      f'<span class="muted">{t("detail.edit_key")}</span></div>'
                      f'<div class="pair-text">{edited_html(s.text, s.final_text, all_deletions=True)}</div></div>')
    flags = "".join(f"<li><b>{esc(flag_name(f['code']))}</b> <code>{esc(f['code'])}</code>: {esc(f['message'])}</li>"
                    for f in s.qa_flags)
    model = s.model_signature.get("model") or s.model_signature.get("name") or s.model_signature.get("engine") or ""
    timeline = sorted([(d.created_at, 0, d) for d in history] + [(c.created_at, 1, c) for c in comments],
                      key=lambda item: (item[0], item[1]))
    events = "".join(
        (f'<li class="comment" data-testid="comment">{esc(when(e.created_at))} · '
         f'<b>{esc(e.actor)}</b> {esc(t("detail.commented"))}: <q>{esc(e.text)}</q></li>') if is_comment else
        (f"<li>{esc(when(e.created_at))} · <b>{esc(e.actor)}</b> {esc(_history_action(e.action))}"
         f"{': ' + esc(e.text) if e.text else ''}</li>")
        for _, is_comment, e in timeline
    ) or f"<li>{esc(t('detail.no_decisions'))}</li>"
    form = (f'<div class="comment-form"><label for="comment-{s.id}">{esc(t("detail.comment_label"))}'
            f'</label><textarea id="comment-{s.id}" rows="2" data-comment-for="{s.id}"></textarea>'
            f'<button class="act" data-act="comment">{esc(t("detail.comment_add"))}</button></div>'
            if can_comment else "")
    target = f" → {esc(language_name(s.target_language))}" if s.target_language else ""
    return (
        f'<div class="detail" data-testid="detail"><div class="detail-head">{esc(t("detail.head", id=s.id))} · '
        f'{esc(task_name(s.task))}{target} · <span class="badge {esc(s.status)}">'
        f'{esc(decision_label(s))}</span> <span class="muted">{esc(model)}</span></div>'
        + "".join(blocks)
        + (f'<ul class="flaglist">{flags}</ul>' if flags else "")
        + _operations((s.scores or {}).get("operations"))
        + beside
        + f'<div class="history"><b>{esc(t("detail.history"))}</b><ul>{events}</ul>{form}</div></div>'
    )


def task_name(task: str) -> str:
    """"translation", "simplification" in the UI's language; another task as it is."""
    return t(f"task.{task}") if task in ("translate", "simplify") else task


def _history_action(action: str) -> str:
    return t(f"history.{action}") if action in ("accept", "edit", "reject", "undo") else action


def help_html(found: Any) -> str:
    """Translation memory matches and glossary terms for the segment (adapt.beside.SegmentHelp)."""
    if not found.applies:
        return ""
    if found.memory:
        items = "".join(
            f'<li><span class="score-inline">{m.similarity:.0f}%</span> <q>{with_placeholders(m.text)}</q> '
            f'<span class="muted">· {esc(t("beside.for"))} <q>{with_placeholders(m.unit.source_text)}</q> · '
            f'{esc(m.unit.describe())}'
            "</span></li>" for m in found.memory)
        memory = f'<ul>{items}</ul>'
    else:
        memory = f'<div class="muted">{esc(t("beside.no_memory"))}</div>'
    if found.terms:
        items = "".join(
            f'<li><b>{esc(term.term)}</b> → '
            + (esc(t("beside.keep")) if term.kind == "dnt" else f"<q>{esc(term.translation or '')}</q>")
            + (f' <span class="muted">· {esc(term.note)}</span>' if term.note else "") + "</li>"
            for term in found.terms)
        terms = f'<ul>{items}</ul>'
    else:
        terms = f'<div class="muted">{esc(t("beside.no_terms"))}</div>'
    return ('<div class="beside pair"><div class="memory" data-testid="memory"><div class="pair-title">'
            f'{esc(t("beside.memory"))}</div>{memory}</div><div class="glossary" data-testid="glossary">'
            f'<div class="pair-title">{esc(t("beside.glossary"))}</div>{terms}</div></div>')


def segment_related_html(suggestion_id: int, body: str, *, compatible: bool) -> str:
    """The related open resources of the segment, in its detail, with the licence toggle."""
    checked = " checked" if compatible else ""
    return (f'<div class="beside-related" id="segment-related" data-testid="segment-related">'
            f'<div class="pair-title">{esc(t("beside.related"))}</div>'
            f'<label class="related-toggle"><input type="checkbox" id="related-compatible-{suggestion_id}" '
            f'data-related-compatible="{suggestion_id}"{checked}> {esc(t("beside.compatible"))}</label>{body}</div>')


def _operations(operations: Any) -> str:
    """What a simplifier did (replaced "x" -> "y", split at "which"), so the reviewer sees why."""
    from adapt.simplify import describe_operations

    items = "".join(f"<li>{esc(line)}</li>" for line in describe_operations(operations))
    return (f'<div class="operations" data-testid="operations"><b>{esc(t("detail.why"))}</b><ul>{items}</ul></div>'
            if items else "")


def _pair(left_title: str, left: str, right_title: str, right: str) -> str:
    return (
        f'<div class="pair"><div><div class="pair-title">{left_title}</div><div class="pair-text">{left}</div></div>'
        f'<div><div class="pair-title">{right_title}</div><div class="pair-text">{right}</div></div></div>'
    )


def running_detail(job: Any) -> str:
    """A running job in words: its phase, the segments done so far, and which task of several."""
    phase = getattr(job, "phase", None) or "starting"
    parts = [t(f"phase.{phase}") if f"phase.{phase}" in STRINGS else phase]
    if job.total > 1 or (job.total == 1 and phase in ("translating", "simplifying")):
        parts.append(t("jobs.segments", done=job.done, total=job.total))
    if len(job.tasks) > 1:
        parts.append(t("jobs.step", step=job.step + 1, steps=len(job.tasks)))
    return " · ".join(parts)


def jobs_html(jobs: Sequence[Any], describe: Any) -> str:
    if not jobs:
        return f'<div class="muted">{esc(t("jobs.none"))}</div>'
    items = []
    for job in jobs:
        what = ", ".join(describe(t) for t in job.tasks)
        pct = job.fraction * 100
        detail = running_detail(job) if job.status == "running" else t(f"jobs.{job.status}")
        error = f'<div class="job-error">{esc(job.error)}</div>' if job.error else ""
        items.append(
            f'<div class="job {esc(job.status)}" data-testid="job-{job.id}"><div class="job-line">'
            f"<b>{esc(t('jobs.job', id=job.id))}</b> · {esc(t('jobs.resource', id=job.resource_id))} · {esc(what)} "
            f'<span class="muted">· {esc(detail)}</span></div>'
            f'<progress max="100" value="{pct:.0f}" aria-label="{esc(t("jobs.progress", id=job.id))}"></progress>'
            f"{error}</div>"
        )
    return "".join(items)


TAG_KINDS = {  # task -> the string key of its heading, in the order tags are listed
    "tag:subject": "tag.subject",
    "tag:keyword": "tag.keyword",
    "tag:language": "tag.language",
    "tag:reading_level": "tag.reading_level",
    "tag:educational_level": "tag.educational_level",
    "tag:resource_type": "tag.resource_type",
    "related": "tag.related",
}


def _num(value: Any) -> bool:
    return isinstance(value, (int, float))


def _tag_evidence(s: Any) -> str:
    """The model's evidence for a tag, in a few words: a score, a confidence, a share."""
    sc = s.scores or {}
    parts: list[str] = []
    if s.task == "tag:subject":
        if sc.get("code"):
            parts.append(f"ISCED-F {sc['code']} {sc.get('label') or ''}".strip())
        if sc.get("broad_label"):
            parts.append(t("tag.field", label=sc["broad_label"]))
        if _num(sc.get("score")):
            parts.append(t("tag.score", value=f"{sc['score']:.2f}"))
    elif s.task == "tag:keyword":
        parts += [t("tag.score", value=f"{sc['score']:.2f}")] if _num(sc.get("score")) else []
        parts += [f"{sc['count']}×"] if sc.get("count") else []
    elif s.task == "tag:language":
        parts += [t("tag.confidence", value=f"{sc['confidence']:.2f}")] if _num(sc.get("confidence")) else []
        # How the language was told, in words ("from its common words"), not the detector's method name.
        method = f"tag.method.{sc.get('method')}"
        parts += [t(method) if method in STRINGS else str(sc["method"])] if sc.get("method") else []
    elif s.task in ("tag:reading_level", "tag:educational_level"):
        parts += [str(sc.get("formula") or sc.get("grade_formula") or "")] if sc.get("formula") or sc.get(
            "grade_formula") else []
        parts += [t("tag.ease", value=f"{sc['ease']:.0f}")] if _num(sc.get("ease")) else []
        parts += [t("tag.words", n=sc["words"])] if sc.get("words") else []
        parts += [t("tag.confidence", value=f"{sc['confidence']:.2f}")] if _num(sc.get("confidence")) else []
    elif s.task == "tag:resource_type":
        parts += [t("tag.share", share=f"{sc['share']:.0%}")] if _num(sc.get("share")) else []
    elif s.task == "related":
        parts += [relatedness_words(sc)]
        parts += [str(v) for v in (sc.get("language"), sc.get("license") or t("related.licence_unknown")) if v]
        parts += [t("tag.best_match", text=sc["why"])] if sc.get("why") else []
    return " · ".join(esc(p) for p in parts) or '<span class="noflag">—</span>'


def tag_row_html(s: Any, *, can_review: bool, note: str = "") -> str:
    """One tag as a review row: the same data attributes and buttons as a segment row, so that the
    same browser code (TABLE_JS) and the same conflict-safe decisions work on it."""
    status = esc(s.status)
    actions, editor = "", ""
    if can_review:
        buttons = []
        if s.status != "accepted":
            buttons.append(_button("accept", "ok", "act.accept", "act.accept"))
        buttons.append(_button("edit", "", "act.edit", "act.edit_tag_title"))
        if s.status != "rejected":
            buttons.append(_button("reject", "no", "act.reject", "act.reject_tag_title"))
        if s.status != "pending":
            buttons.append(_button("undo", "", "act.undo", "act.undo_title"))
        actions = "".join(buttons)
        editor = _editor(1, t("act.edit_tag_box", id=s.id), s.current_text)
    who = f"<div class=who>{esc(s.decided_by)}</div>" if s.decided_by and s.status != "pending" else ""
    edited = f' <span class="muted">{esc(t("tag.model", text=s.text))}</span>' if s.status == "edited" else ""
    return (
        f'<tr class="row tag status-{status}" data-id="{s.id}" data-version="{s.version}" data-testid="tag-{s.id}" '
        f'data-task="{esc(s.task)}">'
        f'<td class="kind">{esc(t(TAG_KINDS[s.task]) if s.task in TAG_KINDS else s.task)}</td>'
        f'<td class="sug"><div class="shown">{_tag_text(s)}{edited}</div>{note}{editor}</td>'
        f'<td class="evidence">{_tag_evidence(s)}</td>'
        f'<td class="st"><span class="badge {status}">{esc(status_label(s.status))}</span>{who}</td>'
        f'<td class="actions">{actions}</td></tr>'
    )


# What each LRMI key means for a teacher: the export message names what has no accepted tag yet in
# these words, not as JSON-LD keys ("educationalLevel").
METADATA_WORDS = {"name": "meta.name", "inLanguage": "meta.inLanguage", "about": "meta.about",
                  "keywords": "meta.keywords", "educationalLevel": "meta.educationalLevel",
                  "learningResourceType": "meta.learningResourceType", "license": "meta.license",
                  "isBasedOn": "meta.isBasedOn"}


def metadata_gaps(missing: Sequence[str]) -> str:
    """'keywords, educational level and resource type' (in the UI's language) for the keys a JSON-LD
    document lacks."""
    words = [t(METADATA_WORDS[key]) if key in METADATA_WORDS else key for key in missing if not key.startswith("@")]
    if len(words) <= 1:
        return "".join(words)
    return t("list.and", first=", ".join(words[:-1]), last=words[-1])


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
        return f'<div class="muted">{esc(t("tags.none"))}</div>'
    order = {task: i for i, task in enumerate(TAG_KINDS)}
    rows = "".join(tag_row_html(s, can_review=can_review, note=(notes or {}).get(s.id, ""))
                   for s in sorted(tags, key=lambda s: (order.get(s.task, len(order)), s.id)))
    accepted = sum(1 for s in tags if s.status in ("accepted", "edited"))
    return (
        f'<div class="counts" data-testid="tag-counts"><b>{esc(t("tags.counts", accepted=accepted, n=len(tags)))}'
        f'</b> <span class="muted">· {esc(t("tags.only_accepted"))}</span></div>'
        f'<table class="review tags"><thead><tr>{_heads("tags.kind", "tags.tag")}<th></th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def related_review_html(suggestions: Sequence[Any], *, can_review: bool, catalogue_items: int,
                        notes: dict[int, str] | None = None) -> str:
    """Related resources kept as suggestions: the same rows and buttons as tags."""
    if not catalogue_items:
        return related_html({"catalogue_items": 0})
    rows = [s for s in suggestions if s.task == "related"]
    if not rows:
        return f'<div class="muted" data-testid="related-none">{esc(t("related.none"))}</div>'
    rows.sort(key=lambda s: (-((s.scores or {}).get("similarity") or 0.0), s.id))
    accepted = sum(1 for s in rows if s.status in ("accepted", "edited"))
    body = "".join(tag_row_html(s, can_review=can_review, note=(notes or {}).get(s.id, "")) for s in rows)
    return (
        f'<div class="counts" data-testid="related-counts"><b>'
        f'{esc(t("related.counts", accepted=accepted, n=len(rows)))}</b> <span class="muted">· '
        f'{esc(t("related.advice"))}</span></div>'
        f'<table class="review tags related-review"><thead><tr>{_heads("tags.kind", "tags.resource")}'
        f"<th></th></tr></thead><tbody>{body}</tbody></table>"
    )


def _heads(*keys: str) -> str:
    """Table headings: the given ones, then Evidence and Status."""
    return "".join(f"<th>{esc(t(k))}</th>" for k in (*keys, "tags.evidence", "table.status"))


def related_html(found: dict[str, Any], *, empty: str = "") -> str:
    """Related catalogue items: title (a link when there is a URL), language, licence, similarity, why."""
    results = found.get("results") or []
    empty = empty or t("related.none")
    if found.get("catalogue_items") == 0:
        return f'<div class="muted" data-testid="related-empty">{esc(t("related.empty"))}</div>'
    if not results:
        hidden = found.get("hidden") or 0
        if hidden:
            empty = tn("related.not_close", hidden)
        return f'<div class="muted" data-testid="related-none">{esc(empty)}</div>'
    items = []
    for r in results:
        title = esc(r.get("title") or r.get("source") or t("related.item", id=r.get("item")))
        url = str(r.get("url") or "")
        if url.startswith(("http://", "https://")):
            title = f'<a href="{esc(url)}" rel="noopener noreferrer nofollow" target="_blank">{title}</a>'
        meta = " · ".join(esc(v) for v in (r.get("language"), r.get("license") or t("related.licence_unknown"),
                                           r.get("format")) if v)
        score = esc(relatedness_words(r))
        why = (f'<div class="why"><span class="muted">{esc(t("related.best_match"))}</span> <q>{esc(r.get("why"))}</q>'
               "</div>"
               if r.get("why") else "")
        items.append(f'<li><div><b>{title}</b> <span class="score-inline">{score}</span> '
                     f'<span class="muted">{meta}</span></div>{why}</li>')
    hidden = found.get("hidden") or 0
    more = (f'<div class="muted" data-testid="related-hidden">{esc(tn("related.hidden", hidden))}</div>'
            if hidden else "")
    return f'<ul class="related" data-testid="related">{"".join(items)}</ul>{more}'


def relatedness_words(result: dict[str, Any]) -> str:
    """"closely related (better than 98% of chance matches)" rather than a raw cosine nobody can read."""
    value = result.get("relatedness")
    if "relatedness" not in result:  # found before relatedness was calibrated: only the raw cosine is known
        similarity = result.get("similarity")
        return t("related.similarity", value=f"{similarity:.2f}") if _num(similarity) else ""
    if not _num(value):
        return t("related.too_small")
    label = str(result.get("relatedness_label") or "related")
    label = t(f"relatedness.{label}") if f"relatedness.{label}" in STRINGS else label
    return t("related.better_than", label=label, share=f"{value:.0%}")
