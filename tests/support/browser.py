"""A real browser for the Mini App: headless Chromium driven by Selenium.

Debian's `chromium` and `chromium-driver` (installed by `.ci/run`); Selenium's own
browser download does not work offline and is never used. Telegram's
`telegram-web-app.js` is blocked (no network in tests) and a small shim stands in
for it: `window.Telegram.WebApp` with the signed `initData`, the theme and the calls
the page makes — set before any of the page's scripts run.

Selenium's calls block, and the bot's web server runs on the test's event loop: every
browser call goes through a thread (`asyncio.to_thread`) so the loop keeps serving.
Without Chromium the browser tests are skipped, unless KEFU_REQUIRE_BROWSER is set
(CI sets it: there a missing browser is a failure).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.support.fakebot import Person
from tests.support.webapp import Web, init_data

CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
DRIVER = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
WAIT = 20.0  # seconds a page may take to show what is awaited

LIGHT = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#707579",
    "link_color": "#2481cc",
    "button_color": "#2481cc",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#f1f1f4",
}
DARK = {
    "bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "link_color": "#6ab3f3",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#232e3c",
}

SHIM = """
window.Telegram = {WebApp: {
  initData: %(data)s,
  initDataUnsafe: {user: %(user)s},
  themeParams: %(theme)s,
  colorScheme: %(scheme)s,
  platform: "test",
  ready() {}, expand() {}, onEvent() {}, offEvent() {},
  showAlert(text, done) {
    window.__alerts = (window.__alerts || []).concat([text]);
    if (done) done();
  },
  showConfirm(text, done) { done(true); },
  HapticFeedback: {notificationOccurred() {}, impactOccurred() {}},
}};
"""


def _found(paths: tuple[str, ...], name: str) -> str | None:
    return next((p for p in paths if Path(p).exists()), None) or shutil.which(name)


def chromium() -> tuple[str, str] | None:
    """Chromium and its driver, when installed."""
    browser, driver = _found(CHROMIUM, "chromium"), _found(DRIVER, "chromedriver")
    return None if browser is None or driver is None else (browser, driver)


def need_browser() -> tuple[str, str]:
    """Chromium and its driver, or skip (fail when KEFU_REQUIRE_BROWSER is set)."""
    found = chromium()
    if found is None:
        if os.environ.get("KEFU_REQUIRE_BROWSER"):
            pytest.fail("Chromium and chromium-driver are required (KEFU_REQUIRE_BROWSER)")
        pytest.skip("no Chromium: apt install chromium chromium-driver")
    return found


class Browser:
    """One headless Chromium window on the Mini App."""

    def __init__(self, web: Web, browser: str, driver: str) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in (
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--window-size=420,900",
            "--lang=en-US",
        ):
            options.add_argument(flag)
        self.web = web
        self.driver = webdriver.Chrome(service=Service(driver), options=options)
        self.driver.set_page_load_timeout(WAIT)
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*telegram.org*"]})
        self._shim: str | None = None

    def _open(self, person: Person, path: str, theme: dict[str, str], scheme: str) -> None:
        data = init_data(person)
        user = {"id": person.id, "first_name": person.first_name, "language_code": "en"}
        script = SHIM % {
            "data": json.dumps(data),
            "user": json.dumps(user),
            "theme": json.dumps(theme),
            "scheme": json.dumps(scheme),
        }
        if self._shim is not None:
            self.driver.execute_cdp_cmd(
                "Page.removeScriptToEvaluateOnNewDocument", {"identifier": self._shim}
            )
        added = self.driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": script}
        )
        self._shim = added["identifier"]
        self.driver.get("about:blank")  # a new page load, even when only the #part differs
        self.driver.get(f"{self.web.base}/app/{path}")

    async def open(self, person: Person, path: str = "", *, dark: bool = False) -> None:
        """Open the Mini App (at `#page?params` in `path`) as `person` would from Telegram."""
        theme, scheme = (DARK, "dark") if dark else (LIGHT, "light")
        await asyncio.to_thread(self._open, person, path, theme, scheme)

    async def open_outside(self) -> None:
        """Open the Mini App's address in a plain browser, not from Telegram (no initData)."""
        await asyncio.to_thread(self.driver.get, f"{self.web.base}/app/")

    async def text(self, css: str = "#view") -> str:
        """The visible text of the first element matching `css`."""
        return await asyncio.to_thread(self._text, css)

    def _text(self, css: str) -> str:
        from selenium.webdriver.common.by import By

        return str(self.driver.find_element(By.CSS_SELECTOR, css).text)

    async def wait_text(self, needle: str, css: str = "#view") -> str:
        """Wait until `needle` shows in `css`; its text then (the page's, in the failure)."""
        return await asyncio.to_thread(self._wait_text, needle, css)

    def _wait_text(self, needle: str, css: str) -> str:
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        def shown(driver: Any) -> str | bool:
            elements = driver.find_elements(By.CSS_SELECTOR, css)
            text = elements[0].text if elements else ""
            return text if needle in text else False

        try:
            return str(WebDriverWait(self.driver, WAIT, poll_frequency=0.1).until(shown))
        except TimeoutException:
            raise AssertionError(f"{needle!r} not shown in {css}: {self._page_text()!r}") from None

    def _page_text(self) -> str:
        from selenium.webdriver.common.by import By

        return str(self.driver.find_element(By.TAG_NAME, "body").text)

    async def click(self, css: str, *, text: str | None = None) -> None:
        """Click the first element matching `css` (whose text contains `text`)."""
        await asyncio.to_thread(self._click, css, text)

    def _click(self, css: str, text: str | None) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        def ready(driver: Any) -> Any:
            for element in driver.find_elements(By.CSS_SELECTOR, css):
                if (text is None or text in element.text) and element.is_enabled():
                    return element
            return False

        WebDriverWait(self.driver, WAIT, poll_frequency=0.1).until(ready).click()

    async def fill(self, css: str, value: str) -> None:
        """Type `value` into the field matching `css` (select: choose the option by value)."""
        await asyncio.to_thread(self._fill, css, value)

    def _fill(self, css: str, value: str) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import Select, WebDriverWait

        shown = expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
        element = WebDriverWait(self.driver, WAIT, poll_frequency=0.1).until(shown)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)

    async def run(self, script: str, *args: Any) -> Any:
        """Run JavaScript in the page; its return value."""
        return await asyncio.to_thread(self.driver.execute_script, script, *args)

    async def screenshot(self, path: Path) -> None:
        """A PNG of the window (the docs' pictures)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(self.driver.save_screenshot, str(path))

    def quit(self) -> None:
        self.driver.quit()


@asynccontextmanager
async def browsing(web: Web) -> AsyncIterator[Browser]:
    """A headless Chromium on the bot's web server; closed after."""
    browser, driver = need_browser()
    window = await asyncio.to_thread(Browser, web, browser, driver)
    try:
        yield window
    finally:
        await asyncio.to_thread(window.quit)
