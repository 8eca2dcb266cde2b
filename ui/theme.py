"""The app's Gradio theme: the default teal and slate, darkened where Gradio's defaults fall below
WCAG AA contrast (4.5:1) — the primary button (white on teal-500 is 2.5:1), the accent (selected
tab, brand, bars) and subdued text (slate-400 on white is 2.6:1). The axe-core browser test checks it."""

from __future__ import annotations

from typing import Any

# Shown on the login page too, which has no title of its own otherwise. The script keeps <html lang> on the
# UI's language (ui.page_language marks it data-ui-lang): Gradio's front end sets it to the browser's locale.
HEAD = ("<title>OER Adapt — review</title><script>(() => { const html = document.documentElement;"
        " const want = html.dataset.uiLang; if (!want) return;"
        " const keep = () => { if (html.lang !== want) html.lang = want; };"
        " new MutationObserver(keep).observe(html, {attributes: true, attributeFilter: ['lang']}); keep(); })();"
        "</script>")


def review_theme() -> Any:
    import gradio as gr

    return gr.themes.Default(primary_hue="teal", neutral_hue="slate").set(
        color_accent="*primary_700",
        border_color_accent="*primary_700",
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_border_color="*primary_700",
        button_primary_text_color="white",
        button_primary_text_color_hover="white",
        body_text_color_subdued="*neutral_600",
    )
