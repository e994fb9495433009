"""The portfolio page in headless Chromium: filter, follow a link to an analysis, fit 1366 px, legible charts."""

from __future__ import annotations

import pytest

from analysis.batch.portfolio import build_portfolio
from analysis.settings import Settings
from tests.service.test_browser import OUTPUT, browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report_file(scored):
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / "portfolio-report.html"
    path.write_text(build_portfolio(scored.parquet, settings=Settings(embedder="fake")).html, encoding="utf-8")
    return path


def _visible_rows(driver):
    from selenium.webdriver.common.by import By

    return [row for row in driver.find_elements(By.CSS_SELECTOR, "#attention tbody tr") if row.is_displayed()]


def test_analyst_filters_and_opens_an_analysis(report_file, browser):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.set_window_size(1366, 900)
    browser.get(report_file.as_uri())
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#attention tbody tr"))
    total = len(_visible_rows(browser))
    assert browser.execute_script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    smallest = browser.execute_script("""
        let least = 1e9;
        for (const svg of document.querySelectorAll('figure svg')) {
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          for (const text of svg.querySelectorAll('text'))
            least = Math.min(least, parseFloat(getComputedStyle(text).fontSize) * scale);
        }
        return least;""")
    assert smallest >= 11, f"chart text is {smallest:.1f} px at 100 % zoom"

    rule = Select(browser.find_element(By.ID, "f-rule"))
    value = rule.options[1].get_attribute("value")
    rule.select_by_value(value)
    rows = _visible_rows(browser)
    assert 0 < len(rows) < total
    assert all(value in row.get_attribute("data-rules").split() for row in rows)
    assert browser.find_element(By.ID, "count").text == f"Visar {len(rows)} av {total} dokument."

    browser.execute_script("URL.createObjectURL = b => { window.__csv = b; return '#'; };"
                           "HTMLAnchorElement.prototype.click = function () {};")  # keep the download in the page
    browser.find_element(By.ID, "csv").click()
    csv = browser.execute_async_script("window.__csv.text().then(arguments[arguments.length - 1]);")
    assert csv.lstrip("\ufeff").startswith("Prioritet;Grupp;Dokument")
    assert len(csv.strip().splitlines()) == len(rows) + 1

    link = rows[0].find_element(By.CSS_SELECTOR, "a")
    title = link.text
    link.click()
    anchor = browser.execute_script("return location.hash").lstrip("#")
    section = browser.find_element(By.ID, anchor)
    assert section.find_element(By.TAG_NAME, "h3").text.endswith(title)
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", section)
    assert -2 <= top < 900  # scrolled to the analysis (sub-pixel rounding)
    assert "Horisontella perspektiv" in section.text
    browser.save_screenshot(str(OUTPUT / "portfolio-analysis.png"))

    browser.find_element(By.ID, "reset").click()
    assert len(_visible_rows(browser)) == total
    browser.get(report_file.as_uri())
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1366, min(height, 7000))
    browser.save_screenshot(str(OUTPUT / "portfolio-report.png"))
    browser.set_window_size(1366, 900)
