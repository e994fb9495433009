"""End to end in headless Chromium: an officer uploads the seed and reads the result."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
OUTPUT = ROOT / "test-output"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def live_server(static_analyzer):
    import uvicorn

    from analysis.settings import Settings
    from service.app import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(), analyzer=static_analyzer), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("Debian chromium and chromium-driver are not installed (make browser-deps)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,2400"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def test_officer_uploads_the_seed(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live_server + "/")
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#region option"))
    browser.find_element(By.ID, "file").send_keys(str(SEED))
    browser.find_element(By.ID, "submit").click()
    WebDriverWait(browser, 30).until(ready.visibility_of_element_located((By.ID, "results")))

    top_rus = browser.find_element(By.CSS_SELECTOR, "#alignments .card .item")
    assert top_rus.get_attribute("data-item") == "naringsliv-och-entreprenorskap"
    assert "Näringsliv och entreprenörskap" in top_rus.text
    rows = {row.get_attribute("data-perspective"): row.text
            for row in browser.find_elements(By.CSS_SELECTOR, "#perspectives tbody tr")}
    assert "finns" in rows["jamstalldhet"] and "tunt" in rows["barn"] and "tunt" in rows["miljo"]
    assert browser.find_elements(By.CSS_SELECTOR, "#document-text mark")
    assert "1 493 000" in browser.find_element(By.ID, "facts").text.replace("\u00a0", " ")
    OUTPUT.mkdir(exist_ok=True)
    browser.save_screenshot(str(OUTPUT / "officer-page-seed.png"))


def test_error_is_shown_not_thrown(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live_server + "/")
    browser.find_element(By.ID, "text").send_keys("The project strengthens small firms in the county through advice and training.")
    browser.find_element(By.ID, "submit").click()
    error = WebDriverWait(browser, 20).until(ready.visibility_of_element_located((By.ID, "error")))
    assert "Language not supported" in error.text or "språk" in error.text.lower()
