"""The cases page in headless Chromium: an officer creates a case, analyzes the seed, corrects it, reloads,
downloads the memo and compares with a komplettering; the feedback export of that review then scores."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.conftest import SEED
from tests.chromium import start_chromium
from tests.service.test_browser import OUTPUT, _axe, _free_port

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def cases_server(static_analyzer, tmp_path_factory):
    import uvicorn

    from analysis.settings import Settings
    from service.app import create_app

    settings = Settings(data_dir=tmp_path_factory.mktemp("cases-data"))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, analyzer=static_analyzer), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", settings
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def chrome(downloads):
    driver = start_chromium("1280,2600", prefs={"download.default_directory": str(downloads),
                                                "download.prompt_for_download": False})
    yield driver
    driver.quit()


def _wait(driver, condition, timeout=30):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _row(driver, target):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, f'#review tr[data-target="{target}"]')


def _review_rows(driver):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, "#review tbody tr")


def test_officer_reviews_a_case_and_gets_the_memo(cases_server, chrome, downloads, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    base, settings = cases_server
    chrome.get(base + "/cases")
    _wait(chrome, lambda d: d.find_elements(By.CSS_SELECTOR, "#case-region option"))
    chrome.find_element(By.ID, "case-dnr").send_keys("25RS0042")
    chrome.find_element(By.ID, "case-applicant").send_keys("Region Örebro Innovation AB")
    chrome.find_element(By.ID, "case-title").send_keys("Tech-kluster Örebro län", Keys.ENTER)  # keyboard submit
    _wait(chrome, lambda d: "Tech-kluster" in d.find_element(By.ID, "case-heading").text)

    chrome.find_element(By.ID, "file").send_keys(str(SEED))
    chrome.find_element(By.ID, "analyze").click()
    _wait(chrome, lambda d: len(_review_rows(d)) > 5)
    assert "Näringsliv och entreprenörskap" in _row(chrome, "rus").text

    Select(_row(chrome, "perspective:miljo").find_element(By.CSS_SELECTOR, ".decision")).select_by_value("reject")
    for target in ("rus", "national"):
        Select(_row(chrome, target).find_element(By.CSS_SELECTOR, ".decision")).select_by_value("accept")
    Select(_row(chrome, "amount_sek").find_element(By.CSS_SELECTOR, ".decision")).select_by_value("replace")
    amount = _row(chrome, "amount_sek").find_element(By.CSS_SELECTOR, ".value")
    amount.clear()
    amount.send_keys("1200000")
    chrome.find_element(By.ID, "save-review").click()
    _wait(chrome, lambda d: "sparad" in d.find_element(By.ID, "review-status").text)

    chrome.refresh()
    _wait(chrome, lambda d: len(_review_rows(d)) > 5)
    decision = Select(_row(chrome, "perspective:miljo").find_element(By.CSS_SELECTOR, ".decision"))
    assert decision.first_selected_option.get_attribute("value") == "reject"
    assert _row(chrome, "amount_sek").find_element(By.CSS_SELECTOR, ".value").get_attribute("value") == "1200000"
    assert "rejected" in _row(chrome, "perspective:miljo").get_attribute("class")
    assert "confirmed" in _row(chrome, "rus").get_attribute("class")

    chrome.find_element(By.ID, "memo").click()
    memo = _wait(chrome, lambda d: next((p for p in downloads.glob("*.docx")), None))
    from analysis.memo import memo_text

    text = memo_text(memo.read_bytes())
    assert "dock högst 1 200 000 kronor" in text and "Region Örebro Innovation AB" in text
    assert "beviljas 50 [kontrollera] procent" in text  # the share was not confirmed
    assert "prioriterade område Näringsliv och entreprenörskap.\n" in text  # confirmed: no mark
    assert "Miljö- och klimatperspektiv: förslaget har underkänts" in text

    komplettering = SEED.read_text(encoding="utf-8").replace("1 493 000", "1 100 000")
    chrome.find_element(By.ID, "text").send_keys(komplettering)
    chrome.find_element(By.ID, "analyze").click()
    _wait(chrome, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#history li")) == 2)
    _wait(chrome, lambda d: d.find_element(By.ID, "compare-form").is_displayed())
    chrome.find_element(By.ID, "compare").click()
    _wait(chrome, lambda d: d.find_element(By.ID, "comparison").is_displayed())
    changes = chrome.find_element(By.ID, "changes")
    assert "1 493 000 kr → 1 100 000 kr" in changes.text.replace("\u00a0", " ")
    OUTPUT.mkdir(exist_ok=True)
    chrome.save_screenshot(str(OUTPUT / "cases-page-review.png"))

    chrome.get(base + "/cases")
    _wait(chrome, lambda d: d.find_elements(By.CSS_SELECTOR, "#case-table tbody tr"))
    assert "25RS0042" in chrome.find_element(By.ID, "case-table").text
    chrome.save_screenshot(str(OUTPUT / "cases-page-list.png"))
    _feedback_round_trip(settings, tmp_path)


def _feedback_round_trip(settings, tmp_path):
    """The review just made, exported as labels, is scored by the evaluation."""
    from analysis.evaluation import evaluate, fit_shipped
    from analysis.feedback import export, write_labelled_dir
    from analysis.pipeline import Analyzer
    from analysis.review import DecisionIn
    from analysis.store import Store
    from analysis.store.repository import Repository

    store = Store.open(settings)
    repo = Repository(store)
    case = repo.case_by_dnr("25RS0042")  # a second officer confirms the komplettering too (two texts to evaluate)
    repo.save_review(case.latest_analysis_id, 0, [DecisionIn(target=t, decision="accept")
                                                  for t in ("rus", "national", "amount_sek")], "bertil")
    records = list(export(repo.reviewed_analyses()))
    store.close()
    assert len(records) == 2 and records[0]["facts"] == {"amount_sek": 1200000}
    assert records[1]["facts"] == {"amount_sek": 1100000}
    assert records[0]["rus"] == ["naringsliv-och-entreprenorskap"] and "miljo" not in records[0]["perspectives"]
    assert "perspective:miljo" in records[0]["unconfirmed"]
    write_labelled_dir(records, tmp_path / "feedback")
    analyzer = Analyzer.create(settings.model_copy(update={"embedder": "fake"}))
    report = evaluate(analyzer, [tmp_path / "feedback"], folds=2, in_sample=True)
    shipped = report["in_sample"][report["sets"][0]]  # the shipped models on the exported labels
    assert shipped["texts"] == 2 and shipped["rates"]["facts.amount_sek"]["n"] == 2
    assert shipped["rates"]["facts.amount_sek"]["value"] == 0.5  # the officer's 1 200 000 is not the text's 1 493 000
    models = fit_shipped(analyzer, [tmp_path / "feedback"], folds=2)  # what 'models calibrate DIR' fits
    assert models.calibrator.meta["trained_on"].startswith("2 labelled texts")


def _tab_to(driver, element_id, presses=8):
    """Presses Tab until the element has focus (keyboard reachability), then returns it."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    for _ in range(presses):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.switch_to.active_element.get_attribute("id") == element_id:
            return driver.switch_to.active_element
    raise AssertionError(f"#{element_id} is not reachable with Tab")


def _duplicate_case(driver, base, dnr):
    """Creates a case through the API, then again on the page: the 409 problem shows in #error."""
    import json
    import urllib.request

    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    body = json.dumps({"dnr": dnr, "title": "Exportlyft för små företag"}).encode()
    request = urllib.request.Request(base + "/v1/cases", body, {"Content-Type": "application/json"})
    assert urllib.request.urlopen(request).status == 201
    driver.find_element(By.ID, "case-dnr").send_keys(dnr)
    driver.find_element(By.ID, "case-title").send_keys("Samma ärende igen", Keys.ENTER)
    return _wait(driver, lambda d: d.find_element(By.ID, "error") if d.find_element(By.ID, "error").is_displayed()
                 else None)


def test_pages_link_each_other_and_problems_are_swedish(cases_server, chrome):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base, _ = cases_server
    chrome.get(base + "/")
    link = _tab_to(chrome, "nav-cases")
    assert link.text == "Ärenden" and link.is_displayed()
    link.send_keys(Keys.ENTER)
    _wait(chrome, lambda d: d.find_elements(By.CSS_SELECTOR, "#case-region option"))
    back = _tab_to(chrome, "nav-analysis")
    assert back.text == "Enskild analys" and back.get_attribute("href") == base + "/"

    error = _duplicate_case(chrome, base, "RUN 2025-00123")
    assert error.find_element(By.TAG_NAME, "strong").text == "Ärendet finns redan."
    assert "Öppna det i stället" in error.text and "begärans id" in error.text
    assert "diarienummer exists" not in error.text  # the English title is for integrators, not officers


def test_cases_page_with_nav_and_an_error_passes_axe(cases_server, chrome):
    """WCAG 2.2 AA on the list view, with the page links and a Swedish problem on screen."""
    from selenium.webdriver.common.by import By

    base, _ = cases_server
    chrome.get(base + "/cases")
    _wait(chrome, lambda d: d.find_elements(By.CSS_SELECTOR, "#case-region option"))
    _duplicate_case(chrome, base, "RUN 2025-00124")
    assert _axe(chrome) == []
