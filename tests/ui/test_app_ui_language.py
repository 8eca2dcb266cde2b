"""The UI in the teacher's language, in a real browser: a Brazilian browser (Accept-Language pt-BR) gets the
Portuguese UI, starts a job and accepts a row in it; the language menu switches to Spanish and it sticks
after a reload (a cookie); `?lang=es` works; English stays the default."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.ui.conftest import PASSWORD
from ui.strings import STRINGS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LESSON = Path(__file__).resolve().parent.parent / "fixtures" / "ui" / "lesson.md"


def login(browser, app, name: str, **context_options):
    """Log in whatever language Gradio's own login form is in (it follows the browser's locale)."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, **context_options)
    page = context.new_page()
    page.goto(app.url + context_options.pop("query", ""))
    page.locator("input[type=text]").first.fill(name)
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("input[type=password]").press("Enter")
    page.wait_for_selector("[data-testid=user]", timeout=30_000)
    return context, page


def test_a_brazilian_browser_gets_the_portuguese_ui_and_reviews_in_it(browser, live_app):
    context, page = login(browser, live_app, "tina", locale="pt-BR")
    expect(page.locator("html")).to_have_attribute("lang", "pt")
    expect(page.get_by_test_id("user")).to_contain_text("tina · professor")
    expect(page.get_by_role("tab", name="Revisão")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Executar")).to_be_visible()
    expect(page.get_by_label("Traduzir")).to_be_checked()
    expect(page.get_by_role("link", name="Sair")).to_be_visible()
    expect(page.get_by_label("Alertas de qualidade")).to_be_visible(timeout=30_000)
    # Every field's label is in Portuguese: none of the table's English labels is left on the page.
    areas = ("filter.", "side.", "preview.", "export.")
    english = {entry["en"] for key, entry in STRINGS.items() if key.startswith(areas) and entry["pt"] != entry["en"]}
    shown = set(page.locator("[data-testid=block-info]").all_inner_texts())
    assert not shown & english, shown & english
    # A chosen value never runs under its dropdown's arrow.
    for field in ("#resource", "#target", "#filter-lang"):
        box = page.locator(f"{field} input[role=combobox]")
        right = box.evaluate("e => e.getBoundingClientRect().right - parseFloat(getComputedStyle(e).paddingRight)")
        assert right <= page.locator(f"{field} .icon-wrap").bounding_box()["x"] + 1, field

    page.locator("#upload input[type=file]").set_input_files(str(LESSON))
    expect(page.get_by_text("importado como recurso")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("combobox", name="para", exact=True)).to_have_value("Português (pt) · bom rascunho")
    page.locator("#run").click()  # the lesson states no licence: the explanation is framed in Portuguese
    expect(page.locator("#sidebar .msg.error")).to_contain_text("Se souber a licença, escolha-a em «Licença»")
    page.get_by_label("Licença, se o ficheiro não indicar nenhuma").click()
    page.locator("[data-testid=dropdown-option]", has_text="CC BY 4.0").first.click()
    page.get_by_label("Verifiquei esta licença").check()
    page.locator("#run").click()
    expect(page.locator("#sidebar")).to_contain_text("Trabalho 1 em fila")
    expect(page.locator("#jobs .job.done")).to_have_count(1, timeout=120_000)
    expect(page.locator("#jobs")).to_contain_text("concluído")
    rows = page.locator("#review-table tr.row")
    expect(rows).to_have_count(5, timeout=30_000)
    expect(page.get_by_test_id("counts")).to_contain_text("0 / 5 revistas")
    rows.nth(1).get_by_role("button", name="Aceitar").click()
    expect(rows.nth(1).locator(".badge")).to_have_text("aceita")
    expect(page.get_by_test_id("counts")).to_contain_text("1 / 5 revistas")
    rows.nth(1).locator("td.src").click()
    detail = page.get_by_test_id("detail")
    expect(detail).to_contain_text("Histórico")
    expect(detail).to_contain_text("tina aceitou")
    expect(detail).to_contain_text(" UTC")
    page.screenshot(path=str(live_app.out / "ui-language-pt.png"), full_page=True)

    # The menu: Spanish, and it sticks after a reload and on the plain address (a cookie).
    page.get_by_test_id("ui-languages").get_by_role("link", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("tab", name="Revisión")).to_be_visible(timeout=30_000)
    expect(page.locator("#review-table tr.row").nth(1).locator(".badge")).to_have_text("aceptada")
    page.reload()
    expect(page.get_by_role("button", name="Ejecutar")).to_be_visible(timeout=30_000)
    page.goto(live_app.url)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("button", name="Ejecutar")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("counts")).to_contain_text("1 / 5 revisadas")
    context.close()


def test_lang_in_the_address_wins_and_english_stays_the_default(browser, live_app):
    context, page = login(browser, live_app, "ed")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Run")).to_be_visible(timeout=30_000)
    page.goto(live_app.url + "?lang=es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("button", name="Ejecutar")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("tab", name="Exportar")).to_be_visible()
    expect(page.get_by_test_id("ui-languages").get_by_role("link", name="Español")).to_have_attribute(
        "aria-current", "true")
    context.close()
