"""Which language a preview or export shows by default: the target of the resource's newest job that
translated it, else of its newest translation, else the only language it has suggestions in.

A translate + simplify job leaves suggestions in two languages (the simplified source and the
translation); a screen must not make the reader pick one before showing anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from adapt.export import ADAPTING_TASKS, target_languages
from adapt.store import Store


@dataclass(frozen=True)
class OutputLanguages:
    choices: list[str]  # every language the resource has adapting suggestions in, sorted
    default: str | None  # what a preview / export shows unless the reader picks another

    def pick(self, wanted: str | None) -> str | None:
        """`wanted` when the resource has suggestions in it, else the default."""
        return wanted if wanted and wanted in self.choices else self.default


def output_languages(store: Store, resource_id: int) -> OutputLanguages:
    from adapt.jobs import list_jobs

    choices = target_languages(store, resource_id)
    if len(choices) <= 1:
        return OutputLanguages(choices, choices[0] if choices else None)
    for job in list_jobs(store, resource_ids=[resource_id], limit=50):  # newest first
        for task in reversed(job.tasks):
            target = task.get("target")
            if task.get("task") == "translate" and target in choices:
                return OutputLanguages(choices, str(target))
    translations = [s for s in store.suggestions(resource_id, tasks=ADAPTING_TASKS)
                    if s.task == "translate" and s.target_language in choices]
    if translations:
        return OutputLanguages(choices, max(translations, key=lambda s: s.id).target_language)
    return OutputLanguages(choices, choices[0])
