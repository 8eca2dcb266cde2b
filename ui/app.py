"""The review app: `build_app(service) -> gr.Blocks`. Callbacks are short and call `adapt/` only.

Layout: a side bar to pick or upload a resource and start a job (with live progress), and tabs to
review suggestions (a paginated table with accept / edit / reject / undo in each row, filters, a bulk
accept, a side-by-side view with the catalogue items related to the clicked segment), preview the
adapted document, review tags the same way, see related resources, and export the file and its
metadata (LRMI JSON-LD).

Who is acting comes from the login (Gradio's `auth`, checked against adapt.people): every callback
looks the person up again, so a changed role takes effect at once.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from adapt.errors import AdaptError, ConflictError, LicenseError
from adapt.metadata import missing_keys
from adapt.review import FLAG_ANY, FLAG_FLAGGED, FLAG_NONE, REFUSED, STATUS_FILTERS, ReviewFilter
from ui import i18n, render
from ui.i18n import t, tn
from ui.strings import STRINGS

if TYPE_CHECKING:
    from adapt.service import AdaptService

PAGE_SIZE = 25
LANGUAGE_CODES = ("pt", "en", "es", "fr", "de", "it", "nl", "pl", "uk", "ca")  # the "from" menu, named by i18n
UPLOAD_TYPES = [".md", ".markdown", ".txt", ".text", ".html", ".htm", ".xhtml", ".cnxml", ".xml", ".docx",
                ".imscc", ".zip"]
CSS_PATH = Path(__file__).with_name("style.css")
log = logging.getLogger(__name__)

# Row actions: clicks inside the table are delegated to one listener; editing happens in the browser
# until "Save edit", then one `act` event carries {id, version, action, text} to the server.
TABLE_JS = """
// Unsaved edits live here, so that a refresh of the table (another action, a finished job) never
// loses what a reviewer is typing: after each re-render the open editors come back with their text.
// A draft remembers the version it was started on: saving it after someone else changed the row (the
// table is redrawn live) is then refused as a conflict, with the text shown, never applied blindly.
const drafts = new Map();
let commentDraft = null;  // {id, text}: a comment being written in the open detail
const rowOf = (node) => node.closest('tr.row');
element.addEventListener('input', (event) => {
  const target = event.target;
  if (target.tagName !== 'TEXTAREA') return;
  if (target.dataset.commentFor) { commentDraft = {id: target.dataset.commentFor, text: target.value}; return; }
  const row = rowOf(target);
  if (!row) return;
  const started = drafts.get(row.dataset.id);
  drafts.set(row.dataset.id, {text: target.value, version: started ? started.version : row.dataset.version});
});
// Where the focus was, so that a live redraw puts it back (keyboard review goes on undisturbed).
let focused = null;  // {id, box, caret}
element.addEventListener('focusin', (event) => {
  const row = rowOf(event.target);
  const box = event.target.tagName === 'TEXTAREA';
  focused = row || event.target.dataset.commentFor ? {id: row ? row.dataset.id : null, box,
    comment: event.target.dataset.commentFor || null} : null;
});
document.addEventListener('mousedown', (event) => { if (!element.contains(event.target)) focused = null; });
element.addEventListener('change', (event) => {  // "Licence-compatible only" in a row's detail
  const id = event.target.dataset && event.target.dataset.relatedCompatible;
  if (id) trigger('act', {action: 'compatible', id: Number(id), text: event.target.checked ? '1' : ''});
});
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-act]');
  if (button && button.dataset.act === 'comment') {
    const detail = event.target.closest('tr.detail-row');
    const box = detail && detail.querySelector('textarea[data-comment-for]');
    if (!box || !box.value.trim()) return;
    commentDraft = null;
    trigger('act', {action: 'comment', id: Number(detail.dataset.for), text: box.value});
    return;
  }
  const row = rowOf(event.target);
  if (!row) return;
  const id = Number(row.dataset.id), version = Number(row.dataset.version);
  if (!button) {
    if (!row.classList.contains('editing')) trigger('act', {action: 'select', id, version});
    return;
  }
  const action = button.dataset.act;
  if (action === 'edit') {
    row.classList.add('editing');
    const box = row.querySelector('textarea');
    if (box) { drafts.set(row.dataset.id, {text: box.value, version: row.dataset.version}); box.focus(); }
    return;
  }
  if (action === 'cancel') { drafts.delete(row.dataset.id); row.classList.remove('editing'); return; }
  const payload = {action, id, version};
  const draft = drafts.get(row.dataset.id);
  if (draft) payload.version = Number(draft.version);
  if (action === 'save') {
    payload.action = 'edit';
    payload.text = row.querySelector('textarea').value;
    drafts.delete(row.dataset.id);
  } else if (action === 'accept' && row.classList.contains('editing')) {
    // Accept with the edit box open accepts what the box says: a reviewer's text is never dropped.
    payload.text = row.querySelector('textarea').value;
    drafts.delete(row.dataset.id);
  }
  row.classList.add('busy');
  trigger('act', payload);
});
// Keyboard review: rows are focusable; j/k or Alt+Down/Up go to the next/previous pending row,
// Down/Up to the next/previous row, a/e/r/u accept/edit/reject/undo the focused row, Enter opens it
// side by side, ? shows the shortcuts; in the edit box Ctrl+Enter saves and goes to the next pending.
let focusAfter = null;  // {id, next}: where the focus goes once the table is drawn again
const allRows = () => [...element.querySelectorAll('tr.row')];
const moveFrom = (from, step, pendingOnly) => {
  const rows = allRows();
  for (let j = rows.indexOf(from) + step; j >= 0 && j < rows.length; j += step) {
    if (!pendingOnly || rows[j].classList.contains('status-pending')) {
      rows[j].focus();
      rows[j].scrollIntoView({block: 'nearest'});
      return true;
    }
  }
  return false;
};
const press = (row, act) => {
  const button = row.querySelector(`button[data-act="${act}"]`);
  if (!button) return;
  if (act !== 'edit') focusAfter = {id: row.dataset.id, next: true};
  button.click();
};
element.addEventListener('keydown', (event) => {
  if (event.target.tagName !== 'TEXTAREA') {
    if (event.ctrlKey || event.metaKey || ['INPUT', 'SELECT'].includes(event.target.tagName)) return;
    const row = rowOf(event.target);
    const key = event.key, alt = event.altKey;
    let handled = true;
    if (key === '?') {
      const help = element.querySelector('.shortcuts');
      if (help) help.hidden = !help.hidden;
    } else if (key === 'j' || (alt && key === 'ArrowDown')) {
      moveFrom(row, +1, true);
    } else if (key === 'k' || (alt && key === 'ArrowUp')) {
      moveFrom(row, -1, true);
    } else if (key === 'ArrowDown' && row) {
      moveFrom(row, +1, false);
    } else if (key === 'ArrowUp' && row) {
      moveFrom(row, -1, false);
    } else if (row && event.target === row && ({a: 'accept', e: 'edit', r: 'reject', u: 'undo'})[key]) {
      press(row, ({a: 'accept', e: 'edit', r: 'reject', u: 'undo'})[key]);
    } else if (row && event.target === row && key === 'Enter') {
      focusAfter = {id: row.dataset.id, next: false};
      row.querySelector('td.src').click();
    } else {
      handled = false;
    }
    if (handled) event.preventDefault();
    return;
  }
  const row = rowOf(event.target);
  if (!row) {  // the comment box of the open detail: Ctrl+Enter adds the comment
    const add = event.target.closest('tr.detail-row') && event.target.closest('tr.detail-row')
      .querySelector('button[data-act="comment"]');
    if (add && event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); add.click(); }
    return;
  }
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    focusAfter = {id: row.dataset.id, next: true};
    row.querySelector('button[data-act="save"]').click();
  } else if (event.key === 'Escape') {
    drafts.delete(row.dataset.id);
    row.classList.remove('editing');
    row.focus();
  }
});
watch('value', () => {
  for (const [id, draft] of drafts) {
    const row = element.querySelector(`tr.row[data-id="${id}"]`);
    const box = row && row.querySelector('textarea');
    if (!box) continue;
    row.classList.add('editing');
    box.value = draft.text;
    if (String(draft.version) !== row.dataset.version && !row.querySelector('.row-msg.changed')) {
      const note = document.createElement('div');
      note.className = 'row-msg warning changed';
      note.setAttribute('role', 'status');
      const table = element.querySelector('table.review');  // the message in the page's language
      note.textContent = table && table.dataset.changedMsg ? table.dataset.changedMsg
        : 'Someone else changed this row while you were editing: your text is kept here; '
          + 'saving it will show both texts so that you can decide again.';
      box.parentElement.before(note);
    }
  }
  if (commentDraft) {
    const box = element.querySelector(`textarea[data-comment-for="${commentDraft.id}"]`);
    if (box) box.value = commentDraft.text;
  }
  if (!focusAfter && focused && !element.contains(document.activeElement)) {
    // A live redraw took the focus away: give it back to the same row, edit box or comment box.
    const target = focused.comment ? element.querySelector(`textarea[data-comment-for="${focused.comment}"]`)
      : element.querySelector(`tr.row[data-id="${focused.id}"]`);
    const box = target && !focused.comment && focused.box ? target.querySelector('textarea') : null;
    if (box || target) (box || target).focus({preventScroll: true});
  }
  if (focusAfter) {
    const row = element.querySelector(`tr.row[data-id="${focusAfter.id}"]`);
    const next = focusAfter.next;
    focusAfter = null;
    if (row && !(next && moveFrom(row, +1, true))) row.focus();
  }
});
"""


# The language menu in the header: plain links (`?lang=xx`, which ui.page_language turns into a cookie), so
# that it works without script; with script, the link keeps the rest of the address (the open resource).
LANGUAGE_MENU_JS = """
element.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-lang]');
  if (!link) return;
  event.preventDefault();
  const url = new URL(window.location.href);
  url.searchParams.set('lang', link.dataset.lang);
  window.location.assign(url);
});
"""


def menu_name(code: str) -> str:
    """A language's name for a menu: capitalised ("Português (pt)"), in the UI's language."""
    name = i18n.language_name(code)
    return f"{name[:1].upper()}{name[1:]} ({code})"


def language_menu_html() -> str:
    """Links to the UI in each language of the string table, each named in its own language."""
    here = i18n.current()
    links = "".join(
        f'<a href="?lang={code}" data-lang="{code}" lang="{code}" hreflang="{code}"'
        + (' aria-current="true" class="current"' if code == here else "")
        + f">{render.esc(name)}</a>" for code, name in i18n.MENU_NAMES.items())
    return (f'<nav class="ui-languages" aria-label="{render.esc(t("app.language"))}" data-testid="ui-languages">'
            f"{links}</nav>")


def header_html(user: Any) -> str:
    role = t(f"role.{user.role}") if f"role.{user.role}" in STRINGS else user.role
    header = (f'<div class="top"><span class="brand">OER Adapt</span><span class="muted">{t("app.review")}</span>'
              f'<span class="spacer"></span>{language_menu_html()}<span class="user" data-testid="user">'
              f'{render.esc(user.name)} · {render.esc(role)}</span><a class="logout" href="logout">'
              f'{render.esc(t("app.logout"))}</a></div>')
    if not user.can_review:
        header += f'<div class="msg info">{render.esc(t("app.evaluator"))}</div>'
    return header


def status_menu() -> list[tuple[str, str]]:
    """The status filter's choices, named in the UI's language (the values stay adapt.review's)."""
    keys = {"all": "status.all", "pending": "status.pending", "reviewed": "status.reviewed",
            "accepted": "status.accepted", "edited": "status.edited", "rejected": "status.rejected",
            REFUSED: "status.refused"}
    return [(t(keys[value]) if value in keys else value, value) for value in STATUS_FILTERS]


def flag_menu() -> list[tuple[str, str]]:
    return [(t("flag.any"), FLAG_ANY), (t("flag.flagged"), FLAG_FLAGGED), (t("flag.none"), FLAG_NONE)]


def source_menu() -> list[tuple[str, str]]:
    return [(t("side.detect"), ""), *[(menu_name(code), code) for code in LANGUAGE_CODES]]


def licence_choices() -> list[tuple[str, str]]:
    """The licences a teacher can confirm, by name (adapt.licenses.COMMON_LICENSES), value their id."""
    from adapt.licenses import COMMON_LICENSES

    return [(lic.name if lic.short.casefold() == lic.name.casefold() else f"{lic.short} — {lic.name}", lic.id)
            for lic in COMMON_LICENSES]


def reopened_resource(request: Any, choices: list[tuple[str, int]]) -> int | None:
    """The resource a page opens on: the one in its address (`?resource=N`, kept there as the reviewer
    switches resources, so a reload reopens it) when this person may see it, else the newest."""
    if not choices:
        return None
    wanted = str((getattr(request, "query_params", None) or {}).get("resource") or "")
    ids = [rid for _, rid in choices]
    return int(wanted) if wanted.isdigit() and int(wanted) in ids else ids[0]


# The address keeps the resource being worked on, so that a reload reopens it (reopened_resource).
REMEMBER_RESOURCE_JS = """(resource) => {
  const url = new URL(window.location.href);
  if (resource) url.searchParams.set('resource', String(resource)); else url.searchParams.delete('resource');
  window.history.replaceState(window.history.state, '', url);
}"""


def build_app(service: AdaptService, *, max_upload_bytes: int = 20 * 1024 * 1024, job_poll_seconds: float = 1.0,
              record_export: Callable[[Path, int], None] | None = None, live_poll_seconds: float = 2.0) -> gr.Blocks:
    """The Gradio app over an AdaptService. Serve it with `ui.server.serve` (which adds the login).
    `record_export(file, resource id)` is told of every file offered for download (ui.security lets only
    people who may read that resource fetch it)."""
    tasks = service.job_tasks()
    exports_dir = Path(tempfile.mkdtemp(prefix="adapt-exports-"))
    offered = record_export or (lambda path, resource_id: None)

    def who(request: gr.Request):
        i18n.use_request(request)  # this callback answers in the reader's language (ui.i18n)
        if request is None or not getattr(request, "username", None):
            raise gr.Error(t("app.login_again"))
        drawing_for.set(str(getattr(request, "session_hash", "") or ""))  # for review(): see `drawn`
        return service.people.get(str(request.username))

    # The view each page last drew (resource, filters, page, open row), by Gradio session: a live poll
    # that was sent before the reviewer changed the view must not draw the old view over the new one.
    drawn: dict[str, list[str]] = {}
    draws: dict[str, int] = {}  # how many times each page was drawn (a poll drawing meanwhile gives way)
    drawing_for: ContextVar[str] = ContextVar("drawing_for", default="")

    def view_key(resource_id, status, flag, language, search, page, selected) -> list[str]:
        return [str(v) if v not in (None, "") else "" for v in (resource_id, status, flag, language, search, page,
                                                                 selected)]

    target_menus: dict[str, list[tuple[str, str]]] = {}  # by UI language: measured once per process

    def targets() -> list[tuple[str, str]]:
        from adapt.target_languages import NAMES, QUALITY_WORDS, target_options

        language = i18n.current()
        if language not in target_menus:
            names = {code: menu_name(code)[: -len(f" ({code})")] for code in {*NAMES, *LANGUAGE_CODES}}
            words = {k: t(f"target.{k}") for k in QUALITY_WORDS}
            in_text = {code: i18n.language_name(code) for code in {*NAMES, *LANGUAGE_CODES}}
            target_menus[language] = target_options(service, names=names, words=words,  # each route's quality
                                                    pivot_names=in_text)
        return target_menus[language]

    def prepare_related(resource_id: Any) -> None:
        """Embed the opened resource's segments in the background, so that the related items of a
        clicked row are a search only. Nothing to search in an empty catalogue: then it waits."""
        def work() -> None:
            try:
                if service.catalogue().stats()["items"]:
                    service.prepare_related(int(resource_id))
            except Exception:  # a background nicety: a failure here must not reach the reviewer
                log.exception("preparing related resources for resource %s failed", resource_id)

        if resource_id:
            threading.Thread(target=work, name=f"prepare-related-{resource_id}", daemon=True).start()

    def resource_choices(user: Any) -> list[tuple[str, int]]:
        return [
            (f"#{r.id} · {r.title or r.source_name} ({', '.join(v for v in (r.format, r.language, r.license) if v)})",
             r.id)
            for r in reversed(service.session(user).resources())
        ]

    # -- review view --------------------------------------------------------------------------------
    # Related open resources of a clicked segment, by (suggestion, licence-compatible, catalogue generation,
    # licence in force): found once, after the row is drawn (on_related_fill), then drawn from here.
    related_found: dict[tuple, str] = {}
    compatible_only: dict[str, bool] = {}  # the "Licence-compatible only" toggle, by Gradio session
    # Feedback about a row (a refused conflict, an error), by Gradio session and suggestion: it stays on
    # the row through live redraws until the reviewer acts on that row again.
    row_feedback: dict[str, dict[int, str]] = {}

    def related_key(user: Any, sid: int) -> tuple:
        licence = service.session(user).suggestion_license(sid)
        return (sid, compatible_only.get(drawing_for.get(), False), service.catalogue().stats()["generation"],
                licence)

    def related_block(user: Any, sid: int, *, find: bool) -> str | None:
        """The related-resources part of a row's detail; None when it is not found yet and `find` is off."""
        key = related_key(user, sid)
        if key in related_found:
            return related_found[key]
        compatible = key[1]
        if not find and service.catalogue().stats()["items"]:
            return None
        try:
            found = service.session(user).segment_related(sid, license_compatible=compatible)
            body = render.related_html(found, empty=t("review.nothing_close_compatible" if compatible
                                                      else "review.nothing_close"))
        except AdaptError as exc:
            body = render.message_html(render.esc(exc.one_line()), "error")
        if len(related_found) > 500:
            related_found.clear()
        related_found[key] = render.segment_related_html(sid, body, compatible=compatible)
        return related_found[key]

    def beside(user: Any, chosen: Any) -> str:
        """What the detail shows beside the text: memory and glossary matches, related open resources."""
        try:
            help_part = render.help_html(service.session(user).segment_help(chosen.id))
        except AdaptError as exc:
            help_part = render.message_html(render.esc(exc.one_line()), "error")
        related = related_block(user, chosen.id, find=False)
        if related is None:
            related = render.segment_related_html(
                chosen.id, f'<div class="muted" data-testid="related-wait">{render.esc(t("review.looking"))}</div>',
                compatible=compatible_only.get(drawing_for.get(), False))
        return help_part + related

    def review(user: Any, resource_id: Any, status: str, flag: str, language: Any, search: Any, page: int,
               selected: int | None, message: str = "", kind: str = "info", record: bool = True,
               row_note: tuple[int, str] | None = None) -> tuple:
        """Everything the review tab shows, in REVIEW_OUTPUTS order. `row_note` (suggestion id, HTML) is
        feedback about one row: shown on that row, or as the page's message when the row is not shown."""
        if not resource_id:
            empty = render.table_html([], can_review=False, empty=t("review.start"))
            return ("", empty, "", render.detail_html(None, []), render.message_html(message, kind),
                    gr.Dropdown(label=t("filter.flags"), choices=flag_menu(), value=FLAG_ANY),
                    gr.Dropdown(label=t("filter.language"), choices=[(t("filter.all_languages"), "")], value=""),
                    1, None)
        flt = ReviewFilter(status=status or "all", flag=flag or FLAG_ANY, target_language=language or None,
                           search=str(search or ""))
        view = service.session(user).review_page(int(resource_id), flt, page=page, page_size=PAGE_SIZE)
        if record:
            session = drawing_for.get()
            drawn[session] = view_key(resource_id, status, flag, language, search, view.page, selected)
            draws[session] = draws.get(session, 0) + 1
        chosen = next((s for s in view.rows if s.id == selected), None)
        # The side-by-side view opens under the clicked row; below the table only a hint remains.
        inline = (render.detail_html(chosen, service.session(user).history(chosen.id),
                                     comments=service.session(user).comments(chosen.id), can_comment=user.can_review,
                                     beside=beside(user, chosen))
                  if chosen else "")
        notes = {sid: render.overruled_note(o, user.name) for sid, o in view.overruled.items()}
        kept = row_feedback.get(drawing_for.get(), {})
        for sid, note in kept.items():
            notes[sid] = notes.get(sid, "") + note
        if row_note is not None and not any(s.id == row_note[0] for s in view.rows):
            message = message or row_note[1]  # the row is not in this view: say it at the top
        detail = "" if chosen else render.detail_html(None, [])
        flag_choices = [*flag_menu(), *[(render.flag_name(code), code) for code in view.flag_codes]]
        flag_values = [value for _, value in flag_choices]
        empty = t("review.no_suggestions") if not view.counts.total else t("review.no_match")
        return (
            render.counts_html(view.counts, matching=view.matching),
            render.table_html(view.rows, can_review=user.can_review, selected=selected, empty=empty, detail=inline,
                              notes=notes),
            t("pager.page", page=view.page, pages=view.pages),
            detail,
            render.message_html(message, kind),
            gr.Dropdown(label=t("filter.flags"), choices=flag_choices, value=flag if flag in flag_values else FLAG_ANY),
            gr.Dropdown(label=t("filter.language"),
                        choices=[(t("filter.all_languages"), "")] + [(menu_name(c), c) for c in view.languages],
                        value=language if language in view.languages else ""),
            view.page,
            selected,
        )

    def on_act(resource_id, status, flag, language, search, page, selected, evt: gr.EventData, request: gr.Request):
        """A row action. Only what a decision changes goes back (no menus): it keeps the round trip short."""
        full = act(resource_id, status, flag, language, search, page, selected, evt, request)
        return tuple(gr.skip() if i in (5, 6) else value for i, value in enumerate(full))

    def act(resource_id, status, flag, language, search, page, selected, evt: gr.EventData, request: gr.Request):
        user = who(request)
        data = evt._data or {}
        action, sid = data.get("action"), int(data.get("id", 0))
        if action == "select":
            return review(user, resource_id, status, flag, language, search, page, sid)
        if action == "comment":
            return comment_on(user, resource_id, status, flag, language, search, page, sid, str(data.get("text") or ""))
        if action == "compatible":  # the "Licence-compatible only" toggle in the row's detail
            compatible_only[drawing_for.get()] = bool(data.get("text"))
            return review(user, resource_id, status, flag, language, search, page, sid)
        # Feedback about the row goes on the row (render.table_html notes), where the reviewer is looking.
        feedback = row_feedback.setdefault(drawing_for.get(), {})
        feedback.pop(sid, None)  # acting on the row again: the earlier feedback about it is answered
        note = ""
        try:
            service.session(user).decide(sid, str(action), expected_version=data.get("version"),
                                         text=data.get("text"))
            # (What a saved edit lost is shown on the row from the stored text: render.row_html.)
        except ConflictError as exc:
            current = service.review.suggestion(sid)
            lost = ""
            if action == "edit" or data.get("text"):
                lost = (f"<div>{render.esc(t('review.yours'))} <q class='yours'>{render.esc(data.get('text', ''))}"
                        f"</q> {render.esc(t('review.kept'))}</div>")
            now = t("review.now_reads", text=render.esc(current.current_text),
                    status=render.esc(render.status_label(current.status)))
            note = (f'<div class="row-msg conflict" role="alert" data-testid="row-conflict"><b>'
                    f"{render.esc(t('review.changed'))}</b> {render.esc(exc.message)}. {now} {lost}"
                    f"<div>{render.esc(t('review.decide_again'))}</div></div>")
            selected = sid
        except AdaptError as exc:
            note = (f'<div class="row-msg error" role="alert" data-testid="row-error">'
                    f"{t('review.not_done', reason=render.esc(exc.one_line()))}</div>")
        if note:
            feedback[sid] = note
        return review(user, resource_id, status, flag, language, search, page, selected,
                      row_note=(sid, note) if note else None)

    def on_filter(resource_id, status, flag, language, search, request: gr.Request):
        return review(who(request), resource_id, status, flag, language, search, 1, None)

    def on_page(resource_id, status, flag, language, search, page, delta, request: gr.Request):
        return review(who(request), resource_id, status, flag, language, search, int(page) + delta, None)

    def on_bulk_ask(resource_id, status, flag, language, search, request: gr.Request):
        """First step of a bulk accept: count what it would change on every page of the view, and ask."""
        user = who(request)
        hidden = gr.Group(visible=False)
        if not resource_id:
            return hidden, "", [], gr.Button()
        flt = ReviewFilter(status=status or "all", flag=flag or FLAG_ANY, target_language=language or None,
                           search=str(search or ""))
        try:
            ids = service.session(user).review_page(int(resource_id), flt, page=1, page_size=1).matching_ids
            rows = service.session(user).bulk_accept_candidates(int(resource_id), ids)
        except AdaptError as exc:
            return hidden, render.message_html(render.esc(exc.one_line()), "error"), [], gr.Button()
        if not rows:
            return hidden, render.message_html(render.esc(t("bulk.nothing"))), [], gr.Button()
        text = f"<b>{render.esc(tn('bulk.ask', len(rows)))}</b> {render.esc(t('bulk.ask_more'))}"
        return (gr.Group(visible=True), render.message_html(text, "warning"), rows,
                gr.Button(value=t("bulk.accept_n", n=len(rows))))

    def on_bulk_confirm(resource_id, status, flag, language, search, page, rows, request: gr.Request):
        """Second step: accept the rows counted (those still pending), as one group one undo takes back."""
        user = who(request)
        batch_id, message, kind = None, "", "info"
        try:
            batch = service.session(user).bulk_accept(int(resource_id), rows or [])
            batch_id = batch.id
            message = render.esc(t("bulk.done", n=len(batch.suggestion_ids)))
        except AdaptError as exc:
            message, kind = render.esc(exc.one_line()), "error"
        return (gr.Group(visible=False), gr.Button(visible=batch_id is not None), batch_id,
                *review(user, resource_id, status, flag, language, search, page, None, message, kind))

    def on_bulk_undo(resource_id, status, flag, language, search, page, batch_id, request: gr.Request):
        user = who(request)
        message, kind = "", "info"
        try:
            if batch_id is None:
                raise AdaptError(t("bulk.none_to_undo"))
            done = service.session(user).undo_bulk(int(batch_id))
            message = render.esc(t("bulk.undone", n=len(done.undone)))
            if done.kept:
                message += render.esc(t("bulk.kept", n=len(done.kept), ids="#" + ", #".join(map(str, done.kept))))
        except AdaptError as exc:
            message, kind = render.esc(exc.one_line()), "error"
        return (gr.Button(visible=False), None,
                *review(user, resource_id, status, flag, language, search, page, None, message, kind))

    # -- comments and live state (issue 14) ---------------------------------------------------------
    def comment_on(user: Any, resource_id, status, flag, language, search, page, sid: int, text: str) -> tuple:
        """A comment from the row's detail: stored with who and when; the detail stays open to show it."""
        message, kind = "", "info"
        try:
            service.session(user).comment(sid, text)
            message = render.esc(t("review.comment_added", id=sid))
        except AdaptError as exc:
            message, kind = render.esc(exc.one_line()), "error"
        return review(user, resource_id, status, flag, language, search, page, sid, message, kind)

    def on_live(resource_id, status, flag, language, search, page, selected, seen, request: gr.Request):
        """Every few seconds: redraw the table only when the resource's stamp moved (adapt.live: rows a job
        stored, another reviewer's decision or comment), and the job list only when it changed. The page's
        message, menus being used and open edit boxes are left alone (the browser keeps unsaved text)."""
        user = who(request)
        nothing = [gr.skip()] * len(review_outputs)
        seen = dict(seen or {})
        jobs, _ = jobs_view(user)
        jobs_out = gr.skip() if jobs == seen.get("jobs") else jobs
        seen["jobs"] = jobs
        if not resource_id:
            return (*nothing, jobs_out, seen)
        try:
            key = [int(resource_id), *service.session(user).review_stamp(int(resource_id))]
        except AdaptError:
            return (*nothing, jobs_out, seen)
        before, seen["rows"] = seen.get("rows"), key
        if key == before:
            return (*nothing, jobs_out, seen)
        session = drawing_for.get()
        last, count = drawn.get(session), draws.get(session, 0)
        differs = last is not None and last != view_key(resource_id, status, flag, language, search, page, selected)
        if differs and seen.get("waited", 0) < 2:  # sent before a view change: a later poll draws
            return (*nothing, jobs_out, {**seen, "rows": before, "waited": seen.get("waited", 0) + 1})
        # (Still different after three polls: the page's own values are the current ones; draw them.)
        full = review(user, resource_id, status, flag, language, search, page, selected, record=differs)
        if not differs and draws.get(session, 0) != count:  # the reviewer's own action drew meanwhile: newer
            return (*nothing, jobs_out, {**seen, "rows": before, "waited": 0})
        seen["waited"] = 0
        # New rows (or another resource) may bring new languages or flag codes for the menus.
        grew = before is None or before[0] != key[0] or before[1] != key[1]
        keep = {0, 1, 2, 3} | ({5, 6} if grew else set())
        return (*[value if i in keep else gr.skip() for i, value in enumerate(full)], jobs_out, seen)

    # -- resources and jobs -------------------------------------------------------------------------
    def jobs_view(user: Any) -> tuple[str, bool]:
        jobs = service.session(user).jobs(limit=5)
        active = any(not j.finished for j in jobs)
        return render.jobs_html(jobs, lambda t: tasks[t["task"]].describe(t) if t.get("task") in tasks
                                else str(t.get("task"))), active

    def on_load(request: gr.Request):
        user = who(request)
        choices = resource_choices(user)
        jobs, active = jobs_view(user)
        resource_id = reopened_resource(request, choices)
        prepare_related(resource_id)
        return (
            header_html(user),
            gr.Dropdown(choices=choices, value=resource_id),
            jobs,
            gr.Timer(active=active),
            active,
            gr.File(interactive=user.can_review, visible=user.can_review),
            gr.Button(interactive=user.can_review, visible=user.can_review),
            gr.Button(interactive=user.can_review, visible=user.can_review),
            *review(user, resource_id, "all", FLAG_ANY, "", "", 1, None),
            *[gr.update(visible=user.can_review) for _ in job_controls],
            "" if user.can_review else render.message_html(render.esc(t("app.reader_note")), "info"),
        )

    def on_labels(request: gr.Request):
        who(request)
        return labels()

    def on_upload(path, request: gr.Request):
        user = who(request)
        if not path:
            return gr.Dropdown(), render.message_html("")
        try:
            result = service.session(user).import_upload(Path(path), max_bytes=max_upload_bytes)
        except AdaptError as exc:
            return gr.Dropdown(), render.message_html(render.esc(exc.one_line()), "error")
        text = render.esc(t("upload.imported" if result.created else "upload.again",
                            name=Path(result.document.source_name).name, id=result.resource_id,
                            n=len(result.document.translatable_segments())))
        return (gr.Dropdown(choices=resource_choices(user), value=result.resource_id),
                render.message_html(text, "info"))

    def on_run(resource_id, do_translate, source, target, do_simplify, grade, do_tag, licence, confirmed,
               request: gr.Request):
        user = who(request)
        requests = []
        licence = (licence or "").strip()
        source_note = ""
        if do_translate:
            requests.append({"task": "translate", "target": target, **({"source": source} if source else {}),
                             **({"assume_license": licence} if licence and confirmed else {})})
        if do_simplify:
            # The confirmed licence goes with every adapting task (a simplification alone needs it too).
            requests.append({"task": "simplify", "level": int(grade),
                             **({"assume_license": licence} if licence and confirmed else {})})
        if do_tag:
            requests.append({"task": "tag"})
        try:
            if not resource_id:
                raise AdaptError(t("run.pick_first"))
            if licence and not confirmed:
                raise AdaptError(t("run.tick", licence=licence))
            if do_translate:
                source_note = " " + service.session(user).source_language(int(resource_id), source or None).note
            job = service.session(user).start_job(int(resource_id), requests)
            message = render.message_html(render.esc(t("run.queued", id=job.id) + source_note))
        except LicenseError as exc:
            # The licence panel is opened for it, so that what the message points to is in view.
            message = render.message_html(
                render.esc(exc.message) + ". " + render.esc(t("run.licence_help")),
                "error")
            jobs, active = jobs_view(user)
            return jobs, gr.Timer(active=active), message, active, gr.Accordion(open=True)
        except AdaptError as exc:
            message = render.message_html(render.esc(exc.one_line()), "error")
        jobs, active = jobs_view(user)
        return jobs, gr.Timer(active=active), message, active, gr.Accordion()

    def on_tick(resource_id, status, flag, language, search, page, selected, was_active, request: gr.Request):
        user = who(request)
        jobs, active = jobs_view(user)
        if was_active and not active:  # a job just finished: show its suggestions
            return (jobs, gr.Timer(active=False), False,
                    *review(user, resource_id, status, flag, language, search, page, selected))
        return (jobs, gr.Timer(active=active), active, *[gr.skip()] * len(review_outputs))

    # -- preview, tags, export ----------------------------------------------------------------------
    def picked_language(resource_id, current, request: gr.Request) -> tuple[list[tuple[str, str]], str | None]:
        """The preview / export languages of a resource, and the one shown (the newest job's target)."""
        if not resource_id:
            return [], None
        try:
            langs = service.session(who(request)).output_languages(int(resource_id))
        except AdaptError:
            return [], None
        return [(menu_name(c), c) for c in langs.choices], langs.pick(current)

    def language_menu(resource_id, current, request: gr.Request):
        choices, value = picked_language(resource_id, current, request)
        return gr.Dropdown(choices=choices, value=value)

    def on_preview_tab(resource_id, language, include_unreviewed, request: gr.Request):
        choices, value = picked_language(resource_id, language, request)
        return gr.Dropdown(choices=choices, value=value), on_preview(resource_id, value, include_unreviewed, request)

    def on_preview(resource_id, language, include_unreviewed, request: gr.Request):
        user = who(request)
        if not resource_id:
            return f'<div class="muted">{render.esc(t("pick.resource"))}</div>'
        try:
            body = service.session(user).preview_html(int(resource_id), target_language=language or None,
                                        include_unreviewed=bool(include_unreviewed))
        except AdaptError as exc:
            return render.message_html(render.esc(exc.one_line()), "error")
        return f'<article class="preview" data-testid="preview">{body}</article>'

    def on_tags(resource_id, request: gr.Request):
        return tags_table(who(request), resource_id)

    def tags_table(user: Any, resource_id: Any, notes: dict[int, str] | None = None) -> str:
        if not resource_id:
            return ""
        rows = service.session(user).resource_suggestions(int(resource_id))
        return render.tags_html(rows, can_review=user.can_review, notes=notes)

    def _decide_then(view, noun: str, resource_id, evt: gr.EventData, request: gr.Request):
        """Apply a row's decision (conflict-safe), then re-render `view(user, resource, notes)`; when it
        was refused, the reason is shown on the row it is about (or above the table if the row is gone)."""
        user = who(request)
        data = evt._data or {}
        if data.get("action") not in (None, "select"):
            sid = int(data["id"])
            try:
                service.session(user).decide(sid, data["action"], expected_version=data.get("version"),
                               text=data.get("text"))
            except ConflictError as exc:
                current = service.review.suggestion(sid)
                now = t("review.now_reads", text=render.esc(current.current_text),
                        status=render.esc(render.status_label(current.status)))
                note = (f'<div class="row-msg conflict" role="alert" data-testid="row-conflict"><b>'
                        f"{render.esc(t('review.thing_changed', noun=t(noun), id=sid))}</b> "
                        f"{render.esc(exc.message)}. {now} {render.esc(t('review.decide_again'))}</div>")
                return _with_note(view(user, resource_id, {sid: note}), sid, note)
            except AdaptError as exc:
                note = (f'<div class="row-msg error" role="alert" data-testid="row-error">'
                        f"{t('review.not_done', reason=render.esc(exc.one_line()))}</div>")
                return _with_note(view(user, resource_id, {sid: note}), sid, note)
        return view(user, resource_id, None)

    def _with_note(html: str, sid: int, note: str) -> str:
        return html if f'data-id="{sid}"' in html else note + html

    def on_tag_act(resource_id, evt: gr.EventData, request: gr.Request):
        return _decide_then(tags_table, "review.noun_tag", resource_id, evt, request)

    def on_related_fill(resource_id, status, flag, language, search, page, selected, request: gr.Request):
        """After a row action: find the open row's related resources when they are not known yet, and draw
        the table again with them in the row's detail (nothing is sent when they were already shown)."""
        user = who(request)
        if not selected or related_block(user, int(selected), find=False) is not None:
            return tuple(gr.skip() for _ in review_outputs)
        related_block(user, int(selected), find=True)
        full = review(user, resource_id, status, flag, language, search, page, selected)
        return tuple(gr.skip() if i in (4, 5, 6) else value for i, value in enumerate(full))

    def on_related(resource_id, request: gr.Request):
        return related_view_html(who(request), resource_id)

    def related_view_html(user: Any, resource_id: Any, notes: dict[int, str] | None = None) -> str:
        if not resource_id:
            return f'<div class="muted">{render.esc(t("pick.resource"))}</div>'
        try:
            rows = service.session(user).review_related(int(resource_id))
            items = service.catalogue().stats()["items"]
            return render.related_review_html(rows, can_review=user.can_review, catalogue_items=items, notes=notes)
        except AdaptError as exc:
            return render.message_html(render.esc(exc.one_line()), "error")

    def on_related_act(resource_id, evt: gr.EventData, request: gr.Request):
        return _decide_then(related_view_html, "review.noun_related", resource_id, evt, request)

    def on_export(resource_id, language, include_unreviewed, request: gr.Request):
        """The adapted file and its metadata (LRMI JSON-LD) for the same target language; each is
        offered on its own, so that a resource that was only tagged still gets its metadata."""
        user = who(request)
        hidden = gr.DownloadButton(visible=False)
        if not resource_id:
            return render.message_html(render.esc(t("pick.resource_first")), "error"), hidden, hidden
        rid, folder = int(resource_id), Path(tempfile.mkdtemp(dir=exports_dir))
        lines, kind, file_button, meta_button = [], "info", hidden, hidden
        try:  # one plan for the file and its metadata (adapt.session.UserSession.export_bundle)
            bundle = service.session(user).export_bundle(rid, folder, target_language=language or None,
                                                         include_unreviewed=bool(include_unreviewed))
        except AdaptError as exc:
            return render.message_html(render.esc(exc.one_line()), "error"), hidden, hidden
        if bundle.file is not None:
            out, stats = bundle.file.path, bundle.file.export.stats
            lines.append(t("export.ready", name=render.esc(out.name), accepted=stats.accepted, edited=stats.edited,
                           unreviewed=stats.unreviewed, untouched=stats.untouched))
            if stats.undecided:  # only what no person has decided (accepted unchanged is a decision)
                kind = "warning"
                lines.insert(0, render.undecided_warning(stats, included=bool(include_unreviewed)))
            if stats.unreviewed:
                lines.append(render.esc(t("export.included")))
            if bundle.plan.notes_message:
                lines.append(t("export.note", note=render.esc(bundle.plan.notes_message)))
            offered(out, rid)
            file_button = gr.DownloadButton(label=t("export.download_file", name=out.name), value=str(out),
                                            visible=True)
        else:
            kind = "error"
            lines.append(t("export.no_file", reason=render.esc(bundle.file_error or "")))
        if bundle.metadata is not None and bundle.metadata_path is not None:
            meta_out, missing = bundle.metadata_path, missing_keys(bundle.metadata)
            lines.append(t("export.metadata", name=render.esc(meta_out.name),
                           missing=t("export.missing", keys=render.esc(render.metadata_gaps(missing)))
                           if missing else ""))
            offered(meta_out, rid)
            meta_button = gr.DownloadButton(label=t("export.download_file", name=meta_out.name), value=str(meta_out),
                                            visible=True)
        else:
            kind = "error"
            lines.append(t("export.no_metadata", reason=render.esc(bundle.metadata_error or "")))
        return render.message_html("<br>".join(lines), kind), file_button, meta_button

    # -- layout -------------------------------------------------------------------------------------
    with gr.Blocks(title="OER Adapt — review", analytics_enabled=False) as app:
        header = gr.HTML(elem_id="header", js_on_load=LANGUAGE_MENU_JS)
        page_state = gr.State(1)
        selected_state = gr.State(None)
        job_active = gr.State(False)
        timer = gr.Timer(job_poll_seconds, active=False)
        live_timer = gr.Timer(live_poll_seconds)  # other reviewers' decisions, a job's rows (on_live)
        live_seen = gr.State(None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=1, min_width=300, elem_id="sidebar"):
                resource_dd = gr.Dropdown(label="Resource", choices=[], value=None, elem_id="resource")
                upload = gr.File(label=t("side.upload", mb=max_upload_bytes // (1024 * 1024)),
                                 file_types=UPLOAD_TYPES, type="filepath", elem_id="upload", height=120)
                upload_msg = gr.HTML()
                reader_note = gr.HTML(elem_id="reader-note")
                tasks_head = gr.Markdown(t("side.tasks"))
                translate_cb = gr.Checkbox(label="Translate", value=True, elem_id="task-translate")
                source_dd = gr.Dropdown(label="from", elem_id="source", choices=source_menu(), value="")
                target_choices = targets()
                target_dd = gr.Dropdown(label="to", choices=target_choices, elem_id="target",
                                        value="pt" if any(c == "pt" for _, c in target_choices) else
                                        (target_choices[0][1] if target_choices else None))
                simplify_cb = gr.Checkbox(label="Simplify", value=False, elem_id="task-simplify")
                grade = gr.Slider(2, 12, value=6, step=1, label="to reading grade")
                tag_cb = gr.Checkbox(label="Suggest tags", value=False, elem_id="task-tag")
                with gr.Accordion("Licence", open=False, elem_id="licence") as licence_box:
                    # A choice of the licences OER Adapt knows, by name; another one may still be typed.
                    licence_tb = gr.Dropdown(label="Licence, when the file states none", choices=licence_choices(),
                                             value=None, allow_custom_value=True, elem_id="licence-id",
                                             info="Pick one, or type another licence's id or link.")
                    licence_cb = gr.Checkbox(label="I have checked this licence", value=False,
                                             elem_id="licence-confirm")
                run_btn = gr.Button("Run", variant="primary", elem_id="run")
                run_msg = gr.HTML()
                jobs_head = gr.Markdown(t("side.jobs"))
                jobs_html = gr.HTML(elem_id="jobs")
            with gr.Column(scale=4, elem_id="main"):
                with gr.Tabs():
                    with gr.Tab("Review", id="review") as review_tab:
                        counts = gr.HTML(elem_id="counts")
                        with gr.Row(elem_id="filters"):
                            status_dd = gr.Dropdown(label="Status", choices=status_menu(), value="all",
                                                    elem_id="filter-status", scale=1)
                            flag_dd = gr.Dropdown(label="QA flags", choices=flag_menu(),
                                                  value=FLAG_ANY, elem_id="filter-flag", scale=1)
                            lang_dd = gr.Dropdown(label="Language", choices=[("all languages", "")], value="",
                                                  elem_id="filter-lang", scale=1)
                            search_tb = gr.Textbox(label="Search", placeholder="words in the source or the suggestion",
                                                   elem_id="filter-search", scale=1, max_lines=1)
                            bulk_btn = gr.Button("Accept all without flags in this view", elem_id="bulk", scale=1)
                        with gr.Group(visible=False, elem_id="bulk-confirm") as bulk_box:
                            bulk_question = gr.HTML(elem_id="bulk-question")
                            with gr.Row():
                                bulk_yes = gr.Button("Accept", variant="primary", elem_id="bulk-yes", scale=0,
                                                     min_width=140)
                                bulk_no = gr.Button("Cancel", elem_id="bulk-no", scale=0, min_width=110)
                        bulk_undo = gr.Button("Undo the bulk accept", visible=False, elem_id="bulk-undo", size="sm")
                        bulk_rows = gr.State([])
                        bulk_batch = gr.State(None)
                        message = gr.HTML(elem_id="message")
                        table = gr.HTML(elem_id="review-table", js_on_load=TABLE_JS)
                        with gr.Row(elem_id="pager"):
                            prev_btn = gr.Button("← Previous", size="sm", scale=0, min_width=110)
                            page_label = gr.Markdown("", elem_id="page-label")
                            next_btn = gr.Button("Next →", size="sm", scale=0, min_width=110)
                        detail = gr.HTML(elem_id="detail")
                    with gr.Tab("Preview", id="preview") as preview_tab:
                        with gr.Row():
                            preview_lang = gr.Dropdown(label="Language", choices=[], value=None,
                                                       elem_id="preview-lang", scale=0, min_width=200)
                            preview_unrev = gr.Checkbox(label="Show unreviewed suggestions (marked ⚠)", value=False)
                            preview_btn = gr.Button("Refresh preview", size="sm", scale=0)
                        preview = gr.HTML(elem_id="preview")
                    with gr.Tab("Tags", id="tags") as tags_tab:
                        tags_view = gr.HTML(elem_id="tags", js_on_load=TABLE_JS)
                    with gr.Tab("Related resources", id="related") as related_tab:
                        related_view = gr.HTML(elem_id="related", js_on_load=TABLE_JS)
                    with gr.Tab("Export", id="export") as export_tab:
                        export_intro = gr.Markdown(t("export.intro"))
                        export_lang = gr.Dropdown(label="Language", choices=[], value=None,
                                                  elem_id="export-lang")
                        export_unrev = gr.Checkbox(label="Also include unreviewed suggestions (marked ⚠ in the file)",
                                                   value=False, elem_id="export-unreviewed")
                        export_btn = gr.Button("Prepare export", variant="primary", elem_id="export")
                        export_msg = gr.HTML(elem_id="export-msg")
                        with gr.Row():
                            download = gr.DownloadButton("Download", visible=False, elem_id="download")
                            download_meta = gr.DownloadButton("Download metadata", visible=False,
                                                              elem_id="download-metadata")

        def labels() -> list[Any]:
            """The fixed labels of the page in the reader's language (built in English: nothing to send then)."""
            if i18n.current() == i18n.DEFAULT:
                return [gr.skip() for _ in labelled]
            language, download_label = gr.Dropdown(label=t("filter.language")), t("export.download")
            return [
                gr.Dropdown(label=t("side.resource")),
                gr.File(label=t("side.upload", mb=max_upload_bytes // (1024 * 1024))),
                gr.Markdown(t("side.tasks")),
                gr.Checkbox(label=t("side.translate")),
                gr.Dropdown(label=t("side.from"), choices=source_menu()),
                gr.Dropdown(label=t("side.to"), choices=targets()),
                gr.Checkbox(label=t("side.simplify")),
                gr.Slider(label=t("side.grade")),
                gr.Checkbox(label=t("side.tag")),
                gr.Accordion(label=t("side.licence")),
                gr.Dropdown(label=t("side.licence_pick"), info=t("side.licence_info")),
                gr.Checkbox(label=t("side.licence_checked")),
                gr.Button(value=t("side.run")),
                gr.Markdown(t("side.jobs")),
                gr.Tab(label=t("tab.review")),
                gr.Dropdown(label=t("filter.status"), choices=status_menu()),
                gr.Textbox(label=t("filter.search"), placeholder=t("filter.search_hint")),
                gr.Button(value=t("bulk.button")),
                gr.Button(value=t("bulk.accept")),
                gr.Button(value=t("bulk.cancel")),
                gr.Button(value=t("bulk.undo")),
                gr.Button(value=t("pager.prev")),
                gr.Button(value=t("pager.next")),
                gr.Tab(label=t("tab.preview")),
                language,
                gr.Checkbox(label=t("preview.show_unreviewed")),
                gr.Button(value=t("preview.refresh")),
                gr.Tab(label=t("tab.tags")),
                gr.Tab(label=t("tab.related")),
                gr.Tab(label=t("tab.export")),
                gr.Markdown(t("export.intro")),
                gr.Dropdown(label=t("filter.language")),
                gr.Checkbox(label=t("export.unreviewed")),
                gr.Button(value=t("export.prepare")),
                gr.DownloadButton(label=download_label),
                gr.DownloadButton(label=t("export.download_meta")),
            ]

        # In labels() order. (The QA-flag and language filters get theirs with their choices, from review(),
        # with or without a resource: here they would race its choices.)
        labelled = [resource_dd, upload, tasks_head, translate_cb, source_dd, target_dd, simplify_cb, grade, tag_cb,
                    licence_box, licence_tb, licence_cb, run_btn, jobs_head, review_tab, status_dd, search_tb,
                    bulk_btn, bulk_yes, bulk_no, bulk_undo, prev_btn, next_btn, preview_tab, preview_lang,
                    preview_unrev, preview_btn, tags_tab, related_tab, export_tab, export_intro, export_lang,
                    export_unrev, export_btn, download, download_meta]

        # What an evaluator does not get (hidden, with a note saying why).
        job_controls = [tasks_head, translate_cb, source_dd, target_dd, simplify_cb, grade, tag_cb, licence_box,
                        run_msg]
        review_outputs = [counts, table, page_label, detail, message, flag_dd, lang_dd, page_state, selected_state]
        filters = [resource_dd, status_dd, flag_dd, lang_dd, search_tb]

        def on_pick(resource_id, request: gr.Request):
            prepare_related(resource_id)
            hidden = gr.DownloadButton(visible=False)
            return (*on_filter(resource_id, "all", FLAG_ANY, "", "", request), hidden, hidden, "", "")

        def on_prev(resource_id, status, flag, language, search, page, request: gr.Request):
            return on_page(resource_id, status, flag, language, search, page, -1, request)

        def on_next(resource_id, status, flag, language, search, page, request: gr.Request):
            return on_page(resource_id, status, flag, language, search, page, +1, request)

        def on_uploaded(resource_id, request: gr.Request):
            prepare_related(resource_id)
            return on_filter(resource_id, "all", FLAG_ANY, "", "", request)

        app.load(on_load, None, [header, resource_dd, jobs_html, timer, job_active, upload, run_btn, bulk_btn,
                                 *review_outputs, *job_controls, reader_note])
        app.load(on_labels, None, labelled, show_progress="hidden", queue=False)  # cheap: no queue round trips
        resource_dd.change(None, [resource_dd], None, js=REMEMBER_RESOURCE_JS)
        live_timer.tick(on_live, [*filters, page_state, selected_state, live_seen],
                        [*review_outputs, jobs_html, live_seen], queue=False, trigger_mode="once")
        resource_dd.input(on_pick, [resource_dd],
                          [*review_outputs, download, download_meta, export_msg, search_tb])
        for dd in (status_dd, flag_dd, lang_dd):
            dd.input(on_filter, filters, review_outputs)
        # Search as the reviewer types (the last keystroke wins), and on Enter.
        search_tb.input(on_filter, filters, review_outputs, trigger_mode="always_last", show_progress="hidden")
        search_tb.submit(on_filter, filters, review_outputs, show_progress="hidden")
        # Off the queue: a row action is a few milliseconds of work, and the queue's extra round trips
        # would be most of the latency.
        # The clicked row's related open resources are searched after the row is drawn (the search may
        # take a moment), then drawn in its detail.
        table.act(on_act, [*filters, page_state, selected_state], review_outputs, queue=False,
                  show_progress="hidden").then(on_related_fill, [*filters, page_state, selected_state],
                                               review_outputs, show_progress="hidden")
        prev_btn.click(on_prev, [*filters, page_state], review_outputs)
        next_btn.click(on_next, [*filters, page_state], review_outputs)
        bulk_btn.click(on_bulk_ask, filters, [bulk_box, bulk_question, bulk_rows, bulk_yes])
        bulk_no.click(lambda: (gr.Group(visible=False), []), None, [bulk_box, bulk_rows])
        bulk_yes.click(on_bulk_confirm, [*filters, page_state, bulk_rows],
                       [bulk_box, bulk_undo, bulk_batch, *review_outputs])
        bulk_undo.click(on_bulk_undo, [*filters, page_state, bulk_batch], [bulk_undo, bulk_batch, *review_outputs])
        upload.upload(on_upload, [upload], [resource_dd, upload_msg]).then(on_uploaded, [resource_dd], review_outputs)
        run_btn.click(on_run, [resource_dd, translate_cb, source_dd, target_dd, simplify_cb, grade, tag_cb, licence_tb,
                               licence_cb], [jobs_html, timer, run_msg, job_active, licence_box])
        timer.tick(on_tick, [*filters, page_state, selected_state, job_active],
                   [jobs_html, timer, job_active, *review_outputs], show_progress="hidden")
        preview_inputs = [resource_dd, preview_lang, preview_unrev]
        preview_tab.select(on_preview_tab, preview_inputs, [preview_lang, preview])
        preview_lang.input(on_preview, preview_inputs, preview)
        preview_btn.click(on_preview, preview_inputs, preview)
        preview_unrev.change(on_preview, preview_inputs, preview)
        tags_tab.select(on_tags, [resource_dd], tags_view)
        tags_view.act(on_tag_act, [resource_dd], tags_view)
        related_tab.select(on_related, [resource_dd], related_view)
        related_view.act(on_related_act, [resource_dd], related_view)
        export_tab.select(language_menu, [resource_dd, export_lang], export_lang)
        export_btn.click(on_export, [resource_dd, export_lang, export_unrev], [export_msg, download, download_meta])
    return app


def css() -> str:
    return CSS_PATH.read_text(encoding="utf-8")
