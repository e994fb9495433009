"""End to end in headless Chromium: what an officer sees, does and gets, on desktop and phone width.

Screenshots go to test-output/. axe-core (npm, installed by `make browser-deps`) is read from local disk
and injected into the page; nothing is fetched from the network.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.chromium import start_chromium
from tests.conftest import ROOT, SEED

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT = ROOT / "test-output"
KEY = "s3cret-key"
EXPLICIT = (
    "Projektet ligger inom det prioriterade området Kompetensförsörjning och matchning. Syftet är att fler små företag i "
    "Örebro län ska börja exportera genom rådgivning, affärsutveckling och nya kundkontakter i andra länder."
)
EMOJI = ("🚀🌍 Exportlyft 👩‍💻\n\nSyfte 🎯\nSyftet är att fler små företag i Örebro län ska börja exportera 📦. "
         "Andelen kvinnor bland deltagarna följs upp varje kvartal med könsuppdelad statistik 👩‍🔬. "
         "Vi söker 400 000 kr från Region Örebro län, vilket är 40 procent av kostnaderna 💰.")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


STRICT_CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"


def _serve(analyzer, csp: bool = False, **settings):
    import uvicorn

    from analysis.settings import Settings
    from service.app import create_app

    port = _free_port()
    app = create_app(Settings(**settings), analyzer=analyzer)
    if csp:  # the strictest policy a deployment may add, unless a route sets its own
        @app.middleware("http")
        async def strict_policy(request, call_next):
            response = await call_next(request)
            response.headers.setdefault("Content-Security-Policy", STRICT_CSP)
            return response
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def live_server(static_analyzer):
    server, thread, url = _serve(static_analyzer)
    yield url
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def keyed_server(static_analyzer):
    server, thread, url = _serve(static_analyzer, api_keys=[KEY])
    yield url
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def strict_server(static_analyzer):
    server, thread, url = _serve(static_analyzer, csp=True)
    yield url
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    driver = start_chromium("1366,900", capture_logs=True)
    yield driver
    driver.quit()


@pytest.fixture()
def page(browser, live_server):
    browser.set_window_size(1366, 900)
    return _open(browser, live_server)


def _open(browser, url: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url + "/")
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#region option"))
    return browser


def _by(selector: str):
    from selenium.webdriver.common.by import By

    return By.CSS_SELECTOR, selector


def _analyze_text(browser, text: str, expect: str = "#results") -> None:
    area = browser.find_element(*_by("#text"))
    area.clear()
    browser.execute_script("const t = document.getElementById('text'); t.value = arguments[0];"
                           "t.dispatchEvent(new Event('input'));", text)
    _submit(browser, expect)


def _submit(browser, expect: str = "#results") -> None:
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    browser.find_element(*_by("#submit")).click()
    WebDriverWait(browser, 30).until(ready.visibility_of_element_located(_by(expect)))


def _shot(browser, name: str) -> None:
    OUTPUT.mkdir(exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    width = browser.get_window_size()["width"]
    browser.set_window_size(width, min(max(height, 600), 6000))
    browser.save_screenshot(str(OUTPUT / f"{name}.png"))


def _axe(browser) -> list[dict]:
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make browser-deps runs npm install in tests/service)")
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[0]; axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', "
        "'best-practice']}).then((r) => done(r.violations.map((v) => ({id: v.id, impact: v.impact, "
        "nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3)}))));")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_officer_uploads_the_seed(page):
    assert not page.find_element(*_by("#remove-file")).is_displayed()  # nothing to remove yet
    page.find_element(*_by("#file")).send_keys(str(SEED))
    assert page.find_element(*_by("#text")).get_attribute("disabled") == "true"  # one input at a time, visibly
    assert SEED.name in page.find_element(*_by("#chosen-file")).text
    _submit(page)
    top_rus = page.find_element(*_by("#alignments .card .item"))
    assert top_rus.get_attribute("data-item") == "naringsliv-och-entreprenorskap"
    assert "Näringsliv och entreprenörskap" in top_rus.text
    label = page.find_element(*_by("#result-label")).text
    assert SEED.name in label and "Region Örebro län" in label and "analyserad" in label
    cards = {c.get_attribute("data-framework"): c for c in page.find_elements(*_by("#alignments .card"))}
    assert "Regional utvecklingsstrategi för Örebro län" in cards["orebro-rus-2022-2030"].text  # a title, not a slug
    rows = {row.get_attribute("data-perspective"): row.text for row in page.find_elements(*_by("#perspectives .perspective"))}
    assert "finns" in rows["jamstalldhet"] and "tunt" in rows["barn"] and "tunt" in rows["miljo"]
    assert "(redovisas)" not in " ".join(rows.values())
    assert "1 493 000" in page.find_element(*_by("#facts")).text.replace("\u00a0", " ")
    # focus lands on the result, and the result is announced
    assert page.switch_to.active_element.get_attribute("id") == "results-heading"
    assert "Analysen är klar" in page.find_element(*_by("#status")).text
    _shot(page, "officer-page-seed")


def test_all_items_on_demand_swedish_numbers_and_no_english(page):
    _analyze_text(page, SEED.read_text(encoding="utf-8"))
    rus = page.find_element(*_by('.card[data-framework="orebro-rus-2022-2030"]'))
    rus.find_element(*_by("details.more summary")).click()
    assert len(rus.find_elements(*_by(".item"))) == 8
    assert "två saknas" in rus.find_element(*_by("details.more")).text  # the missing RUS areas are said
    scores = [s.text for s in page.find_elements(*_by(".score .muted")) if s.text]
    assert scores and all("," in s and "." not in s for s in scores)  # "sannolikhet 0,95"
    assert "namnges i texten" in page.find_element(*_by(".explain")).get_attribute("textContent").lower()
    text = page.find_element(*_by("#results")).text
    for leak in ("(granted)", "(requested)", "embedder ", "calibrator ", "share-above-limit", "→ syfte", "poäng 0."):
        assert leak not in text
    status_words = page.find_elements(*_by('.card[data-framework="orebro-rus-2022-2030"] .status-badge'))
    assert {"arbetsnamn", "angiven i källan, ej kontrollerad"} <= {s.get_attribute("textContent") for s in status_words}


def test_error_clears_the_previous_result(page, tmp_path):
    _analyze_text(page, SEED.read_text(encoding="utf-8"))
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"this is not a pdf")
    page.find_element(*_by("#file")).send_keys(str(fake))
    assert not page.find_element(*_by("#results")).is_displayed()  # a new input clears the old result
    _submit(page, "#error")
    error = page.find_element(*_by("#error")).text
    assert "fake.pdf: Dokumentet går inte att läsa" in error and "not a PDF" not in error
    assert not page.find_element(*_by("#results")).is_displayed()
    _shot(page, "officer-page-error")
    page.find_element(*_by("#remove-file")).click()
    assert page.find_element(*_by("#text")).get_attribute("disabled") is None
    assert not page.find_element(*_by("#error")).is_displayed()  # the error was about the removed file


def test_network_failure_clears_the_result(page):
    _analyze_text(page, SEED.read_text(encoding="utf-8"))
    page.execute_cdp_cmd("Network.enable", {})
    page.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": True, "latency": 0, "downloadThroughput": -1,
                                                              "uploadThroughput": -1})
    try:
        _submit(page, "#error")
        assert "Tjänsten svarade inte" in page.find_element(*_by("#error")).text
        assert not page.find_element(*_by("#results")).is_displayed()
    finally:
        page.execute_cdp_cmd("Network.emulateNetworkConditions", {"offline": False, "latency": 0,
                                                                  "downloadThroughput": -1, "uploadThroughput": -1})


def test_too_long_text_gets_a_swedish_error_and_no_old_result(page):
    _analyze_text(page, SEED.read_text(encoding="utf-8"))
    _analyze_text(page, "Ett ord. " * 50_000, "#error")
    error = page.find_element(*_by("#error")).text
    assert "Texten är för lång" in error and "too long" not in error and "characters" not in error
    assert not page.find_element(*_by("#results")).is_displayed()


def test_english_text_gets_a_swedish_error(page):
    _analyze_text(page, "The project strengthens small firms in the county through advice and training.", "#error")
    error = page.find_element(*_by("#error"))
    assert "Texten är inte på svenska" in error.text and "Language" not in error.text


def test_region_change_marks_the_result_stale(page):
    _analyze_text(page, SEED.read_text(encoding="utf-8"))
    from selenium.webdriver.support.ui import Select

    Select(page.find_element(*_by("#region"))).select_by_value("varmland")
    stale = page.find_element(*_by("#stale"))
    assert stale.is_displayed() and "Region Örebro län" in stale.text
    assert "demonstration" in page.find_element(*_by("#region-note")).text
    Select(page.find_element(*_by("#region"))).select_by_value("orebro")
    assert not page.find_element(*_by("#stale")).is_displayed()  # back to the region it was computed for
    Select(page.find_element(*_by("#region"))).select_by_value("varmland")
    _submit(page)
    assert not page.find_element(*_by("#stale")).is_displayed()
    assert "Region Värmland" in page.find_element(*_by("#result-label")).text
    assert page.find_element(*_by("#region-warning")).is_displayed()
    _shot(page, "officer-page-varmland")


def test_one_word_is_too_short_to_assess(page):
    _analyze_text(page, "Projekt")
    cards = page.find_elements(*_by("#alignments .card"))
    assert cards and all("För kort eller för allmän text för att bedöma" in c.text for c in cards)
    assert not page.find_elements(*_by("#alignments .tick"))
    _shot(page, "officer-page-one-word")


def test_explicit_flag_is_shown(page):
    _analyze_text(page, EXPLICIT)
    first = page.find_element(*_by('.card[data-framework="orebro-rus-2022-2030"] .item'))
    assert first.get_attribute("data-explicit") == "true" and "namnges i texten" in first.text


def test_highlights_are_right_with_emoji_and_reachable_by_keyboard(page, live_server):
    import httpx

    result = httpx.post(live_server + "/v1/analyses", json={"text": EMOJI, "include_text": True}).json()
    text = result["document"]["text"]
    expected = {e["start"]: e["text"] for p in result["perspectives"] for e in p["evidence"]}
    expected.update({e["start"]: e["text"] for e in result["facts"]["evidence"]})
    assert any(ord(c) > 0xFFFF for c in text)  # astral characters before the quotes
    _analyze_text(page, EMOJI)
    marks = page.find_elements(*_by("#document-text mark"))
    spans = [(int(m.get_attribute("data-start")), int(m.get_attribute("data-end")), m.get_attribute("textContent"))
             for m in marks]
    assert spans and all(text[start:end] == shown for start, end, shown in spans)  # Python slices code points
    for quote in expected.values():
        assert any(quote in shown for _, _, shown in spans), quote
    assert all(m.get_attribute("tabindex") == "0" and m.get_attribute("aria-label").startswith("Belägg för") for m in marks)
    jumps = page.find_elements(*_by(".quote[role=button]"))
    assert all(page.execute_script(  # every quote that offers a jump has a highlight to jump to
        "const s = Number(arguments[0].dataset.start); return [...document.querySelectorAll('#document-text mark')]"
        ".some((m) => Number(m.dataset.start) <= s && s < Number(m.dataset.end))", q) for q in jumps)
    quotes = page.find_elements(*_by("#perspectives .quote"))
    assert quotes and all(q.get_attribute("tabindex") == "0" for q in quotes)
    quotes[0].send_keys("\n")  # Enter on a quote moves focus to its highlight
    assert page.switch_to.active_element.tag_name == "mark"


def test_selecting_a_quote_does_not_jump(page):
    _analyze_text(page, SEED.read_text(encoding="utf-8"))
    page.execute_script("window.scrollTo(0, 0)")
    quote = page.find_element(*_by("#perspectives .quote"))
    before = page.execute_script(
        "const q = arguments[0]; const r = document.createRange(); r.selectNodeContents(q);"
        "getSelection().removeAllRanges(); getSelection().addRange(r); q.click(); return window.scrollY;", quote)
    assert not page.find_elements(*_by("mark.focus"))
    assert page.execute_script("return window.scrollY") == before
    page.execute_script("getSelection().removeAllRanges(); arguments[0].click();", quote)
    assert page.find_elements(*_by("mark.focus"))


def test_copy_gives_full_swedish_sentences_with_the_quote(page, live_server):
    page.execute_cdp_cmd("Browser.grantPermissions", {"origin": live_server,
                                                      "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    _analyze_text(page, SEED.read_text(encoding="utf-8"))
    copied = {}
    for section in ("alignments", "perspectives", "facts", "findings"):
        page.find_element(*_by(f'button[data-copy="{section}"]')).click()
        copied[section] = page.execute_async_script("navigator.clipboard.readText().then(arguments[0])")
    assert all(t.startswith("Analys av inklistrad text för Region Örebro län, ") for t in copied.values())
    assert "projektet bedöms stämma med Näringsliv och entreprenörskap" in copied["alignments"]
    assert "Stöd i texten: ”" in copied["alignments"]
    assert "Jämställdhetsperspektiv: finns." in copied["perspectives"]
    assert "Belopp: 1 493 000 kr" in copied["facts"].replace("\u00a0", " ")
    assert "Kopierat" in page.find_element(*_by("#status")).text


def test_phone_width_has_no_horizontal_scroll(browser, live_server):
    browser.set_window_size(390, 844)
    _open(browser, live_server)
    assert browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
    browser.save_screenshot(str(OUTPUT / "officer-page-phone-empty.png"))
    _analyze_text(browser, SEED.read_text(encoding="utf-8"))
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    _shot(browser, "officer-page-phone")


def test_api_key_mode_loads_regions_and_titles_after_the_key(browser, keyed_server):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_window_size(1366, 900)
    browser.get(keyed_server + "/")
    WebDriverWait(browser, 20).until(lambda d: d.find_element(*_by("#region-note")).text)
    assert "API-nyckel" in browser.find_element(*_by("#region-note")).text
    key = browser.find_element(*_by("#api-key"))
    key.send_keys(KEY)
    key.send_keys("\t")
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(*_by("#region option")))
    _analyze_text(browser, SEED.read_text(encoding="utf-8"))
    titles = [h.text for h in browser.find_elements(*_by("#alignments .card h3"))]
    assert titles and not any("-" in t.split()[0] for t in titles)
    assert "Regional utvecklingsstrategi för Örebro län" in titles[0]
    _shot(browser, "officer-page-api-key")


def _foreign_requests(browser, origin: str) -> list[str]:
    """URLs off this server that the browser really sent since the last call (CSP-blocked ones never leave)."""
    sent, blocked = {}, set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            sent[params["requestId"]] = params["request"]["url"]
        elif message["method"] == "Network.loadingFailed" and params.get("blockedReason"):
            blocked.add(params["requestId"])
    return [url for key, url in sent.items() if key not in blocked and not url.startswith((origin, "data:", "blob:"))]


def test_page_loads_nothing_from_elsewhere(page, live_server):
    _foreign_requests(page, live_server)
    page.refresh()
    _analyze_text(page, SEED.read_text(encoding="utf-8"))
    assert _foreign_requests(page, live_server) == []


def test_axe_finds_no_serious_violation(page):
    assert _axe(page) == []
    _analyze_text(page, SEED.read_text(encoding="utf-8"))
    assert _axe(page) == []


CONTRAST = """
const lum = (c) => { const [r, g, b] = c.match(/[0-9.]+/g).slice(0, 3).map((v) => { v = v / 255;
  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
return [...document.querySelectorAll(arguments[0])].map((n) => {
  const s = getComputedStyle(n); const parent = getComputedStyle(n.parentElement);
  const color = s[arguments[1]]; return [n.className || n.tagName, ratio(color, 'rgb(255, 255, 255)')]; });
"""


@pytest.mark.parametrize(("selector", "prop"), [
    (".card", "borderTopColor"), (".quote", "borderLeftColor"), ("mark", "borderBottomColor"),
    ("#text", "borderTopColor"), (".bar", "borderTopColor"), ("button.copy", "borderTopColor"),
    (".perspective", "borderTopColor")])
def test_borders_and_highlights_have_3_to_1_contrast(page, selector, prop):
    _analyze_text(page, SEED.read_text(encoding="utf-8"))
    ratios = page.execute_script(CONTRAST, selector, prop)
    assert ratios and all(r >= 3 for _, r in ratios), ratios


def test_print_view_keeps_region_date_versions_and_whole_text(page):
    _analyze_text(page, SEED.read_text(encoding="utf-8"))
    page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not page.find_element(*_by("#analysis-form")).is_displayed()
        assert "Region Örebro län" in page.find_element(*_by("#result-label")).text
        assert "policykorpus" in page.find_element(*_by("#versions")).text
        overflow = page.execute_script("const d = document.getElementById('document-text');"
                                       "return getComputedStyle(d).overflow + ' ' + getComputedStyle(d).maxHeight")
        assert overflow == "visible none"
    finally:
        page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_docs_render_offline(browser, live_server):
    """Swagger UI draws the operations from locally served assets (the browser has no network here)."""
    from selenium.webdriver.support.ui import WebDriverWait

    _foreign_requests(browser, live_server)  # drop earlier events
    browser.get(live_server + "/docs")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(*_by(".opblock")))
    assert "/v1/analyses" in browser.find_element(*_by("#swagger-ui")).text
    assert _foreign_requests(browser, live_server) == []
    browser.get(live_server + "/redoc")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(*_by("h1")))
    assert "policyalign" in browser.find_element(*_by("h1")).text
    assert _foreign_requests(browser, live_server) == []
    assert json.loads(browser.execute_async_script(
        "fetch('/openapi.json').then(r => r.text()).then(arguments[0])"))["info"]["title"] == "policyalign"


def test_page_and_docs_work_under_a_strict_content_security_policy(browser, strict_server):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_window_size(1366, 900)
    browser.get_log("browser")
    _open(browser, strict_server)
    _analyze_text(browser, EXPLICIT)
    browser.get(strict_server + "/docs")
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(*_by(".opblock")))
    browser.get(strict_server + "/redoc")
    WebDriverWait(browser, 30).until(lambda d: "policyalign" in " ".join(h.text for h in d.find_elements(*_by("h1"))))
    violations = [entry["message"] for entry in browser.get_log("browser")
                  if "Content Security Policy" in entry["message"] and "logo-mini.svg" not in entry["message"]]
    assert violations == []


def test_an_empty_fact_shows_what_the_tool_considered(page):
    """Amount left empty (only a total budget is given): the candidate is shown as uncertain, with its quote."""
    _analyze_text(page, "Syfte\nFler små företag ska exportera.\n\nBudget\n"
                        "Projektets totala budget är 2 000 000 kronor, som delas mellan flera finansiärer.")
    facts = page.find_element(*_by("#facts"))
    unsure = facts.find_element(*_by('.unsure[data-fact="amount"]')).text.replace("\u00a0", " ")
    assert "Osäkert belopp: 2 000 000 kr" in unsure and "sannolikhet" in unsure and "totala budget" in unsure
    assert "Belopp" in facts.text and "–" in facts.text  # the fact itself stays empty
