"""Markdown and HTML reports of stored runs, with plots (matplotlib, Agg backend: no display needed).

A report is built from `RunResult`s only (loaded from the store), so any report can be rebuilt later:
a table of systems × metrics with the floor (baseline) in it, the signatures behind the numbers, the
paired bootstrap comparisons, and plots: score per system, readability before/after histogram
(simplification), edit rate per model (review).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluation.suites import RunResult


@dataclass
class Section:
    """A run's part of the report: blocks in reading order, each ("p", text), ("table", (header, rows))
    or ("image", (file name, caption))."""

    title: str
    blocks: list[tuple[str, Any]] = field(default_factory=list)

    def p(self, text: str) -> None:
        self.blocks.append(("p", text))

    def table(self, table: tuple[list[str], list[list[str]]]) -> None:
        self.blocks.append(("table", table))

    def image(self, name: str, caption: str) -> None:
        self.blocks.append(("image", (name, caption)))


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def score_table(run: RunResult) -> tuple[list[str], list[list[str]]]:
    metrics = run.metrics
    timed = run.task != "review"  # review groups are not systems that ran
    header = ["system", "role", *metrics] + (["seconds"] if timed else ["decided"])
    rows = []
    for system in run.systems:
        cells = [system.name, system.output.role]
        for metric in metrics:
            score = system.score(metric)
            cells.append(_fmt(score.value) if score else "")
        if timed:
            cells.append(f"{system.output.seconds:.1f}")
        else:
            cells.append(str(next((s.n for s in system.scores if s.metric == "Accepted"), 0)))
        rows.append(cells)
    return header, rows


def comparison_table(run: RunResult) -> tuple[list[str], list[list[str]]]:
    header = ["metric", "system", "vs", "Δ", "p", "system 95% CI", "significant (p<0.05)"]
    rows = [[c.metric, c.system, c.baseline, f"{c.delta:+.2f}", f"{c.p_value:.4f}",
             f"{c.system_ci[0]:.2f} ± {c.system_ci[1]:.2f}", "yes" if c.significant() else "no"]
            for c in run.comparisons]
    return header, rows


def signature_lines(run: RunResult) -> list[str]:
    lines = []
    for system in run.systems:
        for score in system.scores:
            lines.append(f"{system.name} · {score.metric}: {score.signature.format()}")
    return lines


# -- plots ----------------------------------------------------------------------------------------------------


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_scores(run: RunResult, path: Path) -> Path:
    """One bar group per metric, one bar per system; baselines hatched."""
    plt = _pyplot()
    metrics = [m for m in run.metrics if any(s.score(m) for s in run.systems)]
    fig, axes = plt.subplots(1, len(metrics), figsize=(max(4, 2.6 * len(metrics)), 3.2), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        names, values, hatches = [], [], []
        for system in run.systems:
            score = system.score(metric)
            if score is None:
                continue
            names.append(system.name)
            values.append(score.value)
            hatches.append("//" if system.output.role == "baseline" else "")
        bars = ax.bar(range(len(values)), values, color=["#bbbbbb" if h else "#3b73b9" for h in hatches])
        for bar, hatch in zip(bars, hatches):
            bar.set_hatch(hatch)
        ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=7)
        ax.set_title(metric, fontsize=9)
        ax.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_readability(run: RunResult, path: Path) -> Path | None:
    """Histogram of reading grades: the sources, and each system's outputs."""
    systems = [(s.name, s.score("FKGL")) for s in run.systems]
    found = [(name, score) for name, score in systems if score and score.details.get("grades_after")]
    if not found:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.4))
    before = found[0][1].details["grades_before"]
    top = max([max(before, default=0)] + [max(s.details["grades_after"], default=0) for _, s in found])
    bins = [x * 1.0 for x in range(0, int(min(top, 30)) + 2)]
    ax.hist([min(g, 30) for g in before], bins=bins, alpha=0.5, label="source", color="#888888")
    for name, score in found:
        if run.system(name).output.role == "baseline":
            continue
        ax.hist([min(g, 30) for g in score.details["grades_after"]], bins=bins, alpha=0.5, label=name,
                histtype="stepfilled")
    ax.set_xlabel("Flesch-Kincaid grade")
    ax.set_ylabel("segments")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_edit_rate(run: RunResult, path: Path) -> Path | None:
    """Edit rate (HTER-like) per model, from a review run."""
    scored = [(s.name.removeprefix("model="), s.score("Edit rate")) for s in run.systems if s.name.startswith("model=")]
    rows = [(name, score.value) for name, score in scored if score]
    if not rows:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(max(4, 1.2 * len(rows) + 2), 3.2))
    ax.bar(range(len(rows)), [v for _, v in rows], color="#c0504d")
    ax.set_xticks(range(len(rows)), [n for n, _ in rows], rotation=20, ha="right", fontsize=7)
    ax.set_ylabel("edit rate (% of final words)")
    ax.set_title("Edit rate per model", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# -- assembling ------------------------------------------------------------------------------------------------


def build_sections(runs: Sequence[RunResult], out_dir: Path) -> list[Section]:
    sections: list[Section] = []
    for run in runs:
        label = f"run{run.id}" if run.id is not None else f"run-{len(sections) + 1}"
        section = Section(f"Run {run.id if run.id is not None else '(unsaved)'}: {run.suite} ({run.task})")
        settings = ", ".join(f"{k}={v}" for k, v in run.settings.items() if k != "files")
        section.p(f"{run.created_at} · {len(run.sources)} segments · {settings}")
        section.table(score_table(run))
        if run.comparisons:
            section.p("Paired bootstrap resampling (each system against the floor, and against the first system):")
            section.table(comparison_table(run))
        if run.systems and run.task != "review":
            section.image(plot_scores(run, out_dir / f"{label}-scores.png").name, "Score per system")
        if run.task == "simplify":
            image = plot_readability(run, out_dir / f"{label}-readability.png")
            if image:
                section.image(image.name, "Reading grade before and after")
        if run.task == "review":
            image = plot_edit_rate(run, out_dir / f"{label}-edit-rate.png")
            if image:
                section.image(image.name, "Edit rate per model")
        for f in run.settings.get("files", []):
            section.p(f"input {f.get('path')} (sha256 {str(f.get('sha256'))[:16]}…, "
                      f"{f.get('used')} of {f.get('lines')} lines)")
        for note in run.notes:
            section.p(note)
        section.p("Signatures:")
        section.table((["signature"], [[line] for line in signature_lines(run)]))
        sections.append(section)
    return sections


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(sections: Sequence[Section]) -> str:
    parts = ["# OER Adapt evaluation report", ""]
    for section in sections:
        parts += [f"## {section.title}", ""]
        for kind, payload in section.blocks:
            if kind == "p":
                parts += [payload, ""]
            elif kind == "table":
                parts += [_md_table(*payload), ""]
            else:
                parts += [f"![{payload[1]}]({payload[0]})", ""]
    return "\n".join(parts)


def render_html(sections: Sequence[Section], out_dir: Path) -> str:
    esc = html.escape
    body = []
    for section in sections:
        body.append(f"<h2>{esc(section.title)}</h2>")
        for kind, payload in section.blocks:
            if kind == "p":
                body.append(f"<p>{esc(payload)}</p>")
            elif kind == "table":
                header, rows = payload
                body.append("<table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in header)
                            + "</tr></thead><tbody>")
                body += ["<tr>" + "".join(f"<td>{esc(str(c))}</td>" for c in row) + "</tr>" for row in rows]
                body.append("</tbody></table>")
            else:
                name, caption = payload
                data = base64.b64encode((out_dir / name).read_bytes()).decode("ascii")
                body.append(f'<figure><img alt="{esc(caption)}" src="data:image/png;base64,{data}">'
                            f"<figcaption>{esc(caption)}</figcaption></figure>")
    style = ("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse;margin:1em 0;font-size:0.9em}td,th{border:1px solid #ccc;"
             "padding:3px 8px;text-align:left}th{background:#f3f3f3}img{max-width:100%}")
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>OER Adapt evaluation report"
            f"</title><style>{style}</style></head><body><h1>OER Adapt evaluation report</h1>"
            + "\n".join(body) + "</body></html>\n")


def write_report(runs: Sequence[RunResult], out_dir: Path) -> tuple[Path, Path]:
    """Write report.md and report.html (plots beside them; the HTML embeds its plots)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sections = build_sections(runs, out_dir)
    md, page = out_dir / "report.md", out_dir / "report.html"
    md.write_text(render_markdown(sections), encoding="utf-8")
    page.write_text(render_html(sections, out_dir), encoding="utf-8")
    return md, page
