"""The built website as a reader uses it: run by ``nox -s site``.

The tests open the site at DLNOTES_SITE_URL when it is given, and otherwise serve
docs/_build/html on 127.0.0.1 themselves for the session (:func:`site_url`); they drive the
system Chromium through Playwright (one browser, one context per viewport, pages one after
the other). ``nox -s site`` runs them in two pytest-xdist workers, each with its own server
and browser; what they count is summed in the report printed after pytest's summary
(:class:`Report`). Pages are discovered, never listed: every ``.html`` of
both languages except the theme's fragments under ``_static/``, plus the language chooser.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from artifacts import HTML, LANGUAGES, SCREENSHOTS, built

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


class Report:
    """What the run found, printed after pytest's summary (a reader of the CI log wants it).

    Lines are printed as they are; counts are summed over the xdist workers (each worker
    sees part of the pages) and printed as ``key: n``.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.counts: Counter[str] = Counter()

    def add(self, line: str) -> None:
        self.lines.append(line)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def dump(self) -> dict:
        return {"lines": self.lines, "counts": dict(self.counts)}

    def merge(self, data: dict) -> None:
        self.lines += data["lines"]
        self.counts.update(data["counts"])

    def write(self, terminal) -> None:
        for line in self.lines:
            terminal.write_line(line)
        for key, n in sorted(self.counts.items()):
            terminal.write_line(f"{key}: {n}")


_REPORT = pytest.StashKey[Report]()


def site_pages() -> list[str]:
    """Every page of the site, relative to html/: the chooser, then each language's pages."""
    pages = ["index.html"] if (HTML / "index.html").exists() else []
    for lang in LANGUAGES:
        base = HTML / lang
        pages += sorted(
            path.relative_to(HTML).as_posix()
            for path in base.rglob("*.html")
            if not path.relative_to(base).parts[0].startswith("_")  # _static/ fragments
        )
    return pages


def chapter_pages() -> list[str]:
    return [page for page in site_pages() if page.split("/")[1:2] == ["chapters"]]


def phone_pages() -> list[str]:
    """The pages checked at phone width: every chapter and every language's index."""
    pages = site_pages()
    return [
        page for page in pages if page.split("/")[-1] == "index.html" and page.count("/") <= 1
    ] + [page for page in pages if page.split("/")[1:2] == ["chapters"]]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    for name, pages in (
        ("page_path", site_pages),
        ("chapter_path", chapter_pages),
        ("phone_path", phone_pages),
    ):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, pages())


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_REPORT] = Report()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An xdist worker hands its report to the controller (sent after this hook)."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["dlnotes_report"] = session.config.stash[_REPORT].dump()


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: called on the controller
def pytest_testnodedown(node, error) -> None:
    data = getattr(node, "workeroutput", {}).get("dlnotes_report")
    if data:
        node.config.stash[_REPORT].merge(data)


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    report = config.stash.get(_REPORT, None)
    if report and (report.lines or report.counts):
        terminalreporter.section("dlnotes site")
        report.write(terminalreporter)


@pytest.fixture(scope="session")
def report(request: pytest.FixtureRequest) -> Report:
    """What the run found, printed after the test summary."""
    return request.config.stash[_REPORT]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="save a desktop and a phone screenshot of every chapter to docs/_build/screenshots",
    )


@pytest.fixture(scope="session")
def screenshot_path(request: pytest.FixtureRequest):
    """("zh_CN/chapters/04-x.html", "phone") -> screenshots/zh_CN/chapters-04-x-phone.jpg, or
    None without ``--screenshots`` (they take a third of the run, and a check needs none)."""

    def path_for(page_path: str, kind: str) -> Path | None:
        if not request.config.getoption("--screenshots"):
            return None
        lang, rest = page_path.split("/", 1)
        path = SCREENSHOTS / lang / f"{rest.removesuffix('.html').replace('/', '-')}-{kind}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    return path_for


@pytest.fixture(scope="session")
def html_root() -> Path:
    return built(HTML / "index.html", "nox -s site").parent


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # one line per request would bury pytest's report
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser left a page early
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a directory on 127.0.0.1 (a free port) in a thread; yields its URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site_url(html_root: Path) -> Iterator[str]:
    """DLNOTES_SITE_URL if it is given, else the built site served here for the session."""
    url = os.environ.get("DLNOTES_SITE_URL")
    if url:
        yield url.rstrip("/")
        return
    with serve(html_root) as local:
        yield local


@pytest.fixture(scope="session")
def browser(site_url: str):
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = os.environ.get("DLNOTES_CHROMIUM", "/usr/bin/chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _context(browser, viewport: dict):
    context = browser.new_context(**viewport)
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture(scope="session")
def desktop(browser):
    yield from _context(browser, DESKTOP)


@pytest.fixture(scope="session")
def phone(browser):
    yield from _context(browser, PHONE)


@pytest.fixture(scope="session")
def blocked(report: Report) -> list[str]:
    """Every request that tried to leave 127.0.0.1, over the whole run."""
    requests: list[str] = []
    yield requests
    report.count("requests blocked (to another host)", len(requests))


# What the site's scripts ask of MathJax (scroll-hints.js, the glossary popups), done at once.
FAKE_MATHJAX = """window.MathJax = Object.assign(window.MathJax || {}, {
  startup: { promise: Promise.resolve() },
  typesetPromise: () => Promise.resolve(),
});"""


def _fake_mathjax(route) -> None:
    route.fulfill(status=200, content_type="text/javascript", body=FAKE_MATHJAX)


class Visit:
    """One page in a browser tab, with everything that went wrong while it loaded.

    Every request whose URL does not start with the local server's address is routed to a
    handler that records and aborts it (a pattern that excludes the server keeps the local
    requests out of Python: a catch-all route made every page a third slower). Console errors,
    uncaught exceptions, failed requests and HTTP errors are recorded.

    The tab is the context's own, reused from visit to visit (:func:`tab_of`): opening a new
    tab costs Chromium a new renderer, about twice the work of loading a page in it. A visit
    detaches its handlers when it is closed, so the next one starts with a clean record.
    """

    def __init__(self, context, url: str, blocked: list[str]) -> None:
        self.url = url
        self.host = urlsplit(url).netloc
        self.external: list[str] = []
        self.errors: list[str] = []
        self._blocked = blocked
        self.page = page = tab_of(context)
        origin = f"{urlsplit(url).scheme}://{self.host}/"
        self._routes = [(re.compile(f"^(?!{re.escape(origin)})"), self._route)]
        self._handlers = [
            ("console", self._console),
            ("pageerror", self._page_error),
            ("requestfailed", self._failed),
            ("response", self._response),
        ]
        for event, handler in self._handlers:
            page.on(event, handler)
        page.route(*self._routes[0])

    def _page_error(self, error) -> None:
        self.errors.append(f"page error: {error}")

    def _route(self, route) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in ("data", "blob") or parts.netloc == self.host:
            route.continue_()
        else:
            self.external.append(route.request.url)
            self._blocked.append(route.request.url)
            route.abort("blockedbyclient")

    def _console(self, message) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.errors.append(f"console error: {message.text}" + (f" ({where})" if where else ""))

    def _failed(self, request) -> None:
        # ERR_ABORTED: the page moved on (a redirect, a click) before the request finished
        if urlsplit(request.url).netloc == self.host and request.failure != "net::ERR_ABORTED":
            self.errors.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def without_mathjax(self) -> Visit:
        """Serve a stand-in for MathJax: the formulas stay TeX, and the page loads in a
        fraction of the time (typesetting a chapter's hundreds of formulas is most of the
        work of opening it). For the checks that do not look at math: test_pages.py sees
        every page with its math typeset."""
        self._routes.append((re.compile(r".*/_static/mathjax/tex-chtml\.js$"), _fake_mathjax))
        self.page.route(*self._routes[-1])
        return self

    def open(self, wait_for_math: bool = True) -> Visit:
        self.page.goto(self.url, wait_until="load")
        if wait_for_math:
            self.typeset()
        return self

    def typeset(self) -> None:
        """Wait until MathJax has typeset the page, when the page has math."""
        if self.page.locator(".math").count():
            self.page.wait_for_function("() => window.MathJax?.startup?.promise")
            self.page.evaluate("() => MathJax.startup.promise")
        self.page.evaluate("() => document.fonts.ready.then(() => true)")

    def problems(self) -> list[str]:
        hosts = sorted({urlsplit(url).netloc or url for url in self.external})
        out = [f"request to another host blocked: {url}" for url in self.external]
        if hosts:
            out.insert(0, f"hosts other than 127.0.0.1 requested: {', '.join(hosts)}")
        return out + self.errors

    def close(self) -> None:
        """Leave the tab to the next visit, without this one's handlers."""
        if self.page.is_closed():
            return
        for event, handler in self._handlers:
            self.page.remove_listener(event, handler)
        for pattern, handler in self._routes:
            self.page.unroute(pattern, handler)


def tab_of(context):
    """The context's tab: its last open page, or a new one."""
    open_pages = [page for page in context.pages if not page.is_closed()]
    return open_pages[-1] if open_pages else context.new_page()


@pytest.fixture
def visit(site_url: str, blocked: list[str]):
    """visit(context, path) opens a page of the site (math=False: without typesetting its
    formulas, see Visit.without_mathjax); tabs are closed after the test."""
    opened: list[Visit] = []

    def _visit(context, path: str, wait_for_math: bool = True, math: bool = True) -> Visit:
        tab = Visit(context, f"{site_url}/{path}", blocked)
        opened.append(tab)
        if not math:
            tab.without_mathjax()
        return tab.open(wait_for_math)

    yield _visit
    for tab in opened:
        tab.close()
