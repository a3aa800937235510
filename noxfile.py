"""Every way to build or check dlnotes: ``nox -l`` lists the sessions.

Plain ``nox`` runs the checks a change must pass: lint, tests, doctest, docs
(both languages, zero warnings) and i18n-check (English 100 % translated).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
LOCALE = DOCS / "locale"
CATALOGS = LOCALE / "en" / "LC_MESSAGES"  # the English translation, one .po per page
LANGUAGES = ("zh_CN", "en")  # zh_CN is the source; en is translated from it
GENERATED = ("docs/auto_examples", "docs/_build", "docs/locale")  # never watched, never edited

nox.options.sessions = ["lint", "tests", "doctest", "docs", "i18n-check"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True


# The examples multiply small matrices: one BLAS thread is faster than several fighting over
# two cores, and makes every printed number the same from build to build.
ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
# The suites that check a build (tests/site, browser, books) fail, rather than skip, when it is
# missing.
REQUIRE_BUILD = {"DLNOTES_REQUIRE_BUILD": "1"}


def _sphinx(session: nox.Session, builder: str, lang: str, out: Path, *extra: str) -> None:
    """One Sphinx build; any warning is an error; each language keeps its own doctrees."""
    session.run(
        "sphinx-build", "-n", "-W", "--keep-going", "-q",
        "-b", builder,
        "-D", f"language={lang}",
        "-d", str(BUILD / "doctrees" / f"{builder}-{lang}"),
        *extra, str(DOCS), str(out),
        env=ONE_THREAD,
    )  # fmt: skip


@nox.session
def lint(session: nox.Session) -> None:
    """ruff on the code; mypy on the package's types (configured in pyproject.toml); the text
    lint on the book (terms, spellings, Chinese typography)."""
    session.install("ruff==0.17.6", "mypy==2.4.1", "-e", ".")  # mypy reads NumPy's types
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
    session.run("python", "tests/textlint.py")  # standard library only


@nox.session
def tests(session: nox.Session) -> None:
    """Unit, property and gradient tests, and every docstring example (no torch needed).

    A plain pytest collects the unit tests only: tests/conftest.py leaves out the suites that
    need torch or a build (oracle, site, browser, books) unless they are named.
    """
    session.install("-e", ".[test]")
    session.run("pytest", "--doctest-modules", "dlnotes", "tests", *session.posargs)


@nox.session
def oracle(session: nox.Session) -> None:
    """dlnotes against PyTorch (float64): forward and backward of every component."""
    session.install("-e", ".[test,oracle]")
    session.run(
        "pytest",
        "-m",
        "oracle",
        "tests/oracle",
        *session.posargs,
        env={"DLNOTES_REQUIRE_TORCH": "1"},
    )


@nox.session
def mindspore(session: nox.Session) -> None:
    """dlnotes beside MindSpore, the framework of the Ascend track (its CPU wheel: about 800 MB).

    Runs every MindSpore snippet the chapters show (docs/mindspore/) and compares its numbers,
    forward and backward, with dlnotes; checks every default the chapters' tables state
    against the installed MindSpore, PyTorch and dlnotes signatures; then trains the digits CNN
    and the LSTM example in both and prints the two accuracies side by side.
    """
    session.install("-e", ".[test,oracle,mindspore]")
    env = {**ONE_THREAD, "DLNOTES_REQUIRE_MINDSPORE": "1", "GLOG_v": "3"}  # GLOG_v: errors only
    session.run("pytest", "-m", "mindspore", "tests/mindspore", *session.posargs, env=env)
    session.run("python", "docs/mindspore/trainings.py", env=env)


@nox.session
def bench(session: nox.Session) -> None:
    """dlnotes vs PyTorch (float64, one thread): one table of times per family.

    Conv2d forward + backward (median times, their ratio, the GFLOP/s reached next to
    NumPy's own matrix-multiply rate), then RNN and LSTM forward + BPTT (median times and
    their ratio); asserts nothing (times depend on the machine).
    """
    session.install("-e", ".[oracle]", "threadpoolctl")
    for script in ("bench_conv.py", "bench_rnn.py"):
        session.run("python", f"tests/bench/{script}", *session.posargs)


def _build_html(session: nox.Session) -> None:
    """Both languages' HTML in docs/_build/html/{zh_CN,en}/, the language chooser and its icon.

    The session must have installed the docs extra.
    """
    timings = []
    for lang in LANGUAGES:  # one after the other: the gallery writes into docs/
        start = time.perf_counter()
        _sphinx(session, "html", lang, BUILD / "html" / lang)
        timings.append(f"{lang} {time.perf_counter() - start:.0f} s")
    shutil.copy(DOCS / "_templates" / "landing.html", BUILD / "html" / "index.html")
    for icon in ("favicon.svg", "favicon.ico"):  # the chooser's icon; /favicon.ico for browsers
        shutil.copy(DOCS / "_static" / icon, BUILD / "html" / icon)
    session.log(f"built {BUILD / 'html' / 'index.html'}: {', '.join(timings)}")


@nox.session
def docs(session: nox.Session) -> None:
    """HTML for both languages in docs/_build/html/{zh_CN,en}/, plus the language chooser.

    Then tests/site checks the result: complete, offline, bilingual, searchable.
    """
    session.install("-e", ".[docs]")
    _build_html(session)
    session.run("pytest", "-q", "tests/site", env=REQUIRE_BUILD)


@nox.session(name="docs-live")
def docs_live(session: nox.Session) -> None:
    """Rebuild the Chinese site on every save and serve it (pass --language=en for English).

    Other arguments go to sphinx-autobuild, e.g. ``nox -s docs-live -- --port 8001``.
    """
    session.install("-e", ".[docs]", "sphinx-autobuild==2025.8.25")
    langs = [a.split("=", 1)[1] for a in session.posargs if a.startswith("--language=")]
    lang = langs[-1] if langs else "zh_CN"
    passed_on = [a for a in session.posargs if not a.startswith("--language=")]
    ignores = [arg for path in GENERATED for arg in ("--ignore", str(ROOT / path))]
    session.run(
        "sphinx-autobuild", "-D", f"language={lang}", "--watch", str(ROOT / "dlnotes"),
        "--watch", str(ROOT / "gallery"), *ignores, *passed_on, str(DOCS),
        str(BUILD / "live" / lang), env=ONE_THREAD,
    )  # fmt: skip


@nox.session
def doctest(session: nox.Session) -> None:
    """The chapters' {doctest} blocks: every number a reader could check by hand."""
    session.install("-e", ".[docs]")
    _sphinx(session, "doctest", "zh_CN", BUILD / "doctest")


def _gettext(session: nox.Session) -> Path:
    pot_dir = BUILD / "gettext"
    shutil.rmtree(pot_dir, ignore_errors=True)
    _sphinx(session, "gettext", "zh_CN", pot_dir)
    return pot_dir


def _catalogs(session: nox.Session, command: str) -> None:
    """Extract fresh templates, then run docs/_ext/catalogs.py (polib) on the English catalogs."""
    session.install("-e", ".[docs]")
    pot_dir = _gettext(session)
    script = DOCS / "_ext" / "catalogs.py"
    session.run("python", str(script), command, str(pot_dir), str(CATALOGS))


@nox.session
def i18n(session: nox.Session) -> None:
    """Bring docs/locale/en/LC_MESSAGES/*.po up to date with the pages; list what is left.

    A new or changed message gets an empty translation (nothing is guessed); a message that
    is only a link gets itself; the files keep their committed format, so a changed
    sentence is a few-line diff. Succeeds whenever the update does.
    """
    _catalogs(session, "update")


@nox.session(name="i18n-check")
def i18n_check(session: nox.Session) -> None:
    """Fail unless every current message has an English translation that is not fuzzy.

    The catalogs are compared with freshly extracted templates, so a page changed without
    running ``nox -s i18n`` fails too; so does a fuzzy header. Needs no GNU gettext.
    """
    _catalogs(session, "check")


def _publish(session: nox.Session, book: Path) -> None:
    """Put a book where every page of its language links to it: html/<lang>/downloads/."""
    lang = book.stem.removeprefix("dlnotes-")
    downloads = BUILD / "html" / lang / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    shutil.copy(book, downloads / book.name)
    session.log(f"wrote {book} ({book.stat().st_size / 1e6:.1f} MB), linked from the {lang} site")


def _build_pdf(session: nox.Session) -> None:
    for tool in ("xelatex", "latexmk"):
        if not shutil.which(tool):
            session.error(f"{tool} is missing: see the README's system prerequisites")
    out = BUILD / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        tex_dir = BUILD / "latex" / lang
        _sphinx(session, "latex", lang, tex_dir)
        session.run(
            "make", "-C", str(tex_dir), "all-pdf", external=True,
            env={"LATEXMKOPTS": "-interaction=nonstopmode -halt-on-error -silent"},
        )  # fmt: skip
        missing = [
            f"{log.name}: {line.strip()}"
            for log in tex_dir.glob("*.log")
            for line in log.read_text(errors="replace").splitlines()
            if "Missing character" in line
        ]
        if missing:
            session.error("glyphs dropped from the PDF:\n  " + "\n  ".join(missing[:20]))
        shutil.copy(tex_dir / f"dlnotes-{lang}.pdf", out / f"dlnotes-{lang}.pdf")
        _publish(session, out / f"dlnotes-{lang}.pdf")
    session.run("pytest", "-q", "tests/books/test_pdf.py", env=REQUIRE_BUILD)  # code fits, cover


def _build_epub(session: nox.Session) -> None:
    for tool in ("latex", "dvisvgm"):  # math is drawn as SVG images
        if not shutil.which(tool):
            session.error(f"{tool} is missing: see the README's system prerequisites")
    out = BUILD / "epub"
    out.mkdir(parents=True, exist_ok=True)
    math = BUILD / "epub-math"  # both languages have the same formulas: draw each once
    for lang in LANGUAGES:
        epub_dir = BUILD / "epub-src" / lang
        shutil.rmtree(epub_dir, ignore_errors=True)  # the EPUB packs every file found there
        if math.is_dir():
            shutil.copytree(math, epub_dir / "_images" / "math", dirs_exist_ok=True)
        _sphinx(session, "epub", lang, epub_dir)
        shutil.copytree(epub_dir / "_images" / "math", math, dirs_exist_ok=True)
        shutil.copy(epub_dir / f"dlnotes-{lang}.epub", out / f"dlnotes-{lang}.epub")
        _publish(session, out / f"dlnotes-{lang}.epub")
    session.run("pytest", "-q", "tests/books/test_epub.py", env=REQUIRE_BUILD)


@nox.session
def pdf(session: nox.Session) -> None:
    """docs/_build/pdf/dlnotes-{zh_CN,en}.pdf via xelatex; fails on any missing glyph.

    Then tests/books/test_pdf.py checks that every code line fits the page, and the cover.
    Each PDF is also copied into its language's site (downloads/), where every page links to it.
    """
    session.install("-e", ".[docs]")
    _build_pdf(session)


@nox.session
def epub(session: nox.Session) -> None:
    """docs/_build/epub/dlnotes-{zh_CN,en}.epub: the book for e-readers, math as SVG.

    Then tests/books checks each file (container, manifest, XHTML, images); each EPUB is
    also copied into its language's site (downloads/).
    """
    session.install("-e", ".[docs]")
    _build_epub(session)


@nox.session
def site(session: nox.Session) -> None:
    """The website as a reader uses it, in headless Chromium, and every link of both trees.

    Builds what is missing first (HTML, PDF, EPUB). ``nox -s site -- --screenshots`` also saves
    a desktop and a phone screenshot of every chapter to docs/_build/screenshots/{zh_CN,en}/.
    The pages are shared by two pytest-xdist workers, each driving its own Chromium
    (``-- -n 0`` runs them in one process).
    """
    chromium = os.environ.get("DLNOTES_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        session.error(f"{chromium} is missing: apt-get install chromium")
    no_download = {"PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"}  # Playwright uses the system Chromium
    session.install("-e", ".[site]", env=no_download)
    html = BUILD / "html"

    def missing(ext: str) -> bool:  # the books every page offers as downloads
        return not all(
            (html / lang / "downloads" / f"dlnotes-{lang}.{ext}").exists() for lang in LANGUAGES
        )

    pages = ("index.html", "zh_CN/index.html", "en/index.html")
    no_site = not all((html / page).exists() for page in pages)
    if no_site or missing("pdf") or missing("epub"):
        session.install("-e", ".[docs]")
    if no_site:
        _build_html(session)
    if missing("pdf"):
        _build_pdf(session)
    if missing("epub"):
        _build_epub(session)
    # tests/browser serves docs/_build/html itself (or opens DLNOTES_SITE_URL when it is set);
    # two workers, each with its own server and browser, share the pages (pytest-xdist)
    session.run(
        "pytest", "-q", "-n", "2", "tests/browser", *session.posargs,
        env={**no_download, **REQUIRE_BUILD, "DLNOTES_CHROMIUM": chromium},
    )  # fmt: skip
