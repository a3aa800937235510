"""Sphinx configuration: one file for both languages.

The source language is Simplified Chinese; ``-D language=en`` builds the
English translation from ``locale/en/LC_MESSAGES``. Settings that differ by
language are made in :func:`_per_language`, after command-line overrides.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(ROOT))  # the examples import the dlnotes of this checkout

import dlnotes  # noqa: E402

project = "dlnotes"
author = "dlnotes authors"
copyright = "2026, dlnotes authors"
release = version = dlnotes.__version__

language = "zh_CN"
locale_dirs = ["locale/"]
gettext_compact = False
gettext_uuid = False
gettext_location = False  # keep catalogs stable when text only moves

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.imgmath",  # the EPUB's math (see epub_math_renderer)
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # serves MathJax from _static: no CDN
    "sphinx_gallery.gen_gallery",
    "sphinx_design",
    "gallery_l10n",
    "gallery_links",
    "language_switch",
    "numpydoc",
    "api_docs",
    "verification",  # the {verification-report} table of appendix/verification.md
    "quiz",  # the chapters' self-test, the mock exam and the answers appendix
    "sphinx_copybutton",  # a copy button on every code block: the code, no prompts, no output
    "term_links",  # a glossary term is a link at its first use in a section only
    "sphinx_tippy",  # ... and shows its definition in a popup (scripts served from _static)
    "search_terms",  # search sends a glossary term to the section that teaches it
]

root_doc = "index"
exclude_patterns = [
    "_build",
    "Thumbs.db",
    ".DS_Store",
    # sphinx-gallery writes a notebook beside every example page; those are
    # downloads, not sources (myst-nb would otherwise build them a second time).
    "auto_examples/**/*.ipynb",
    "auto_examples/**/*.py",
    "auto_examples/**/*.zip",
    "auto_examples/**/*.md5",
    "auto_examples/**/*.pickle",
    "auto_examples/**/*.codeobj.json",
    "locale",
    "_templates",
]
templates_path = ["_templates"]
nitpicky = True

# -- MyST and MyST-NB --------------------------------------------------------
myst_enable_extensions = ["colon_fence", "dollarmath", "amsmath", "deflist"]
myst_heading_anchors = 0  # every link goes to an explicit ASCII label
nb_execution_mode = "cache"
nb_execution_cache_path = str(DOCS / "_build" / ".jupyter_cache")
nb_execution_raise_on_error = True  # an error in a chapter cell fails the build
nb_execution_timeout = 300
nb_execution_excludepatterns = ["auto_examples/*"]
nb_merge_streams = True
# An error a cell is expected to raise (TrainingDiverged, chapters 3 and 5) is shown as plain
# text: its message is prose, which the traceback lexer would colour as code.
nb_render_error_lexer = "text"

# -- sphinx-gallery -----------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": [str(ROOT / "gallery")],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r"/plot_",
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "download_all_examples": False,  # its interface strings cannot be translated
    "show_signature": False,
    "min_reported_time": 10**9,  # no "Total running time" line: it changes every run
    "write_computation_times": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    # gallery sections in chapter order (a new chapter's folder goes in its place)
    "subsection_order": [
        f"../gallery/{name}"  # relative to docs/, as sphinx-gallery compares them
        for name in (
            "introduction",
            "perceptron",
            "training",
            "activations",
            "vanishing",
            "regularisation",
            "generalisation",
            "optimisers",
            "cnn",
            "rnn",
            "lstm",
        )
    ]
    + ["*"],
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "reset_modules": ("matplotlib",),
    "capture_repr": ("_repr_html_", "__repr__"),
    "thumbnail_size": (320, 224),
    # which examples use which dlnotes objects: the API pages list them
    "doc_module": ("dlnotes",),
    "backreferences_dir": "_build/backreferences",
    "reference_url": {"dlnotes": None},  # names in example code link to the API pages
}

# -- Copy buttons (sphinx-copybutton) ------------------------------------------------------
# The code only: the >>> and ... prompts of doctests and the lines they print are left out,
# and the outputs of chapter cells and gallery scripts get no button of their own.
copybutton_prompt_text = r">>> |\.\.\. "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
copybutton_exclude = ".linenos"  # the prompts are taken off by the pattern above
# every code block except what a chapter cell or a gallery script prints
copybutton_selector = "div.highlight pre:not(:is(.cell_output, .sphx-glr-script-out) *)"

# -- Glossary popups (sphinx-tippy) ----------------------------------------------------------
# Only term links get a popup (the definition from the glossary of the page's language);
# nothing is fetched: no Wikipedia or DOI tips, Popper and tippy.js are served from _static.
tippy_skip_urls = [r"^(?!.*#term-)"]
tippy_enable_wikitips = False
tippy_enable_doitips = False
# Definitions with formulas are typeset when shown, by term-tips.js, on the pages that load
# MathJax anyway (every page with a term link has math): sphinx-tippy's own option would load
# MathJax on every page.
tippy_enable_mathjax = False
tippy_js = ("vendor/popper-2.11.8.min.js", "vendor/tippy-6.3.7.min.js")
tippy_props = {"placement": "auto-start", "maxWidth": 420, "theme": "dlnotes"}

# -- API reference (autodoc + numpydoc) ---------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # the numpydoc sections give every type in words
# members in the order of the source (the order the module explains them), not of __all__
autodoc_default_options = {"members": True, "ignore-module-all": True}
numpydoc_show_class_members = False  # autodoc documents the members themselves
numpydoc_xref_param_type = False
# Types from outside the package are named, not linked: nothing is fetched
# from another site, so there is no inventory of NumPy's objects to link to.
nitpick_ignore_regex = [("py:.*", r"(numpy|np)\..*")]

# -- doctest -----------------------------------------------------------------
doctest_global_setup = "import numpy as np\nimport dlnotes"
# Only the chapters' {doctest} blocks: the API pages' docstring examples run under
# pytest --doctest-modules (nox -s tests), each docstring in a namespace of its own.
doctest_test_doctest_blocks = ""

# -- HTML --------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
html_css_files = ["dlnotes.css"]
html_js_files = [
    "term-tips.js",  # how the glossary popups behave (hover, focus, tap)
    "scroll-hints.js",  # a box that scrolls sideways (wide formula, table, code) fades at its edge
]
# The book's icon; _static/favicon.ico is the same drawing at 16-64 px. Both are copied to html/
# beside the language chooser when the site is built (browsers ask for /favicon.ico).
html_favicon = "_static/favicon.svg"
html_last_updated_fmt = None
html_copy_source = True
html_show_sourcelink = False
html_math_renderer = "mathjax"
# chapters rank above the glossary and the API reference in search results
html_search_scorer = str(DOCS / "_static" / "search-scorer.js")
# every page offers the book of its language (written by `nox -s pdf` and `nox -s epub`)
html_sidebars = {
    "**": [
        "navbar-logo.html",
        "icon-links.html",
        "search-button-field.html",
        "sbt-sidebar-nav.html",
        "book-downloads.html",
    ]
}
html_theme_options = {
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "article_header_end": ["lang-switch.html", "article-header-buttons.html"],
    "navigation_with_keys": False,
    # One search field, in the sidebar under the title, where this theme puts it (Ctrl+K
    # opens it). Unset, pydata-sphinx-theme adds a second one in a bar above the page.
    "navbar_persistent": [],
}
# pydata-sphinx-theme logs "Got invalid theme mode" in a fresh browser without it.
html_context = {"default_mode": "auto"}
# Chinese search: jieba splits text into words; the glossary's terms must stay whole.
# Its user dictionary is written from the glossary at build time (_ext/search_dict.py).
GLOSSARY = DOCS / "appendix" / "glossary.md"
JIEBA_DICT = DOCS / "_build" / "search-dict.zh.txt"

TITLES = {
    "zh_CN": "深度学习基础：可执行手册",
    "en": "Deep-Learning Fundamentals: an Executable Handbook",
}

# -- LaTeX / PDF ---------------------------------------------------------------
latex_engine = "xelatex"
_CJK_FONTS = r"""
\setCJKmainfont{Noto Serif CJK SC}
\setCJKsansfont{Noto Sans CJK SC}
\setCJKmonofont{Noto Sans Mono CJK SC}
"""
# A code line too long for the page would wrap with a red hook at the start of its next line;
# each such mark also writes a line to the LaTeX log when its page is shipped out, which
# tests/books/test_pdf.py looks for (every code block must fit the text width).
# Code is set in DejaVu Sans Mono (Greek and mathematical signs included, legible when small),
# scaled to 0.88 at \footnotesize: 88 columns fit the text width, the limit tests/textlint.py
# sets on the code the books show.
_MONO = (
    r"\setmonofont{DejaVuSansMono}[Extension=.ttf,UprightFont=*,BoldFont=*-Bold,"
    r"ItalicFont=*-Oblique,BoldItalicFont=*-BoldOblique,Scale=0.88]"
)
_CODE = {
    "fvset": r"\fvset{fontsize=\footnotesize,formatcom=\xeCJKVerbAddon}",
    "sphinxsetup": r"verbatimcontinued={\write-1{dlnotes: a code line wraps (page \thepage)}"
    r"\makebox[2\fontcharwd\font`\x][r]{\textcolor{red}{\tiny$\hookrightarrow$}}}",
}
# The cover: title, edition (the language) and version, between two rules of the book's blue.
EDITIONS = {"zh_CN": ("简体中文版", "版本"), "en": ("English edition", "Version")}
_COVER = r"""
\begin{titlepage}
  \centering
  {\color{dlnotesblue}\rule{\linewidth}{3pt}}\par
  \vspace*{0.2\textheight}
  {\fontsize{36}{46}\selectfont\bfseries %(title)s\par}
  \vspace{1.4em}
  {\fontsize{22}{30}\selectfont %(subtitle)s\par}
  \vspace{4em}
  {\LARGE\color{dlnotesblue} %(edition)s\par}
  \vspace{1em}
  {\Large %(version)s\par}
  \vfill
  {\large\ttfamily dlnotes\par}
  \vspace{1em}
  {\color{dlnotesblue}\rule{\linewidth}{3pt}}\par
\end{titlepage}
"""
# Inline code (the tables of names and defaults are full of it) may also break after "(" and
# "=", besides Sphinx's . , ; ? ! /: a call such as nn.BCEWithLogitsLoss(weight=None, ...)
# fits a table's column.
_BREAKS = r"\renewcommand*\sphinxbreaksafteractivelist{\do\.\do\,\do\;\do\?\do\!\do\/\do\(\do\=}"
_PREAMBLE = r"\definecolor{dlnotesblue}{HTML}{1F5FA8}" + _MONO + _BREAKS
# In the English book, curly quotes, dashes, the ellipsis and the middle dot are English
# punctuation, set in the text font; xeCJK (loaded for the Chinese names) would otherwise set
# them as Chinese punctuation, a full character wide ("the batch’ s loss").
_ENGLISH_PUNCTUATION = (
    r'\xeCJKDeclareCharClass{Default}{"2018,"2019,"201C,"201D,"2013,"2014,"2026,"00B7}'
)
LATEX_ELEMENTS = {
    "zh_CN": {
        "papersize": "a4paper",
        "pointsize": "11pt",
        "babel": "",
        "polyglossia": "",
        "fncychap": "",
        # ctex gives 目录, 第 N 章 and Chinese typesetting rules; fonts are explicit.
        "fontenc": r"\usepackage[fontset=none,heading=true,linespread=1.3]{ctex}" + _CJK_FONTS,
        **_CODE,
        # 第 1 章, as in textbooks
        "preamble": r"\ctexset{chapter/number=\arabic{chapter}}" + _PREAMBLE,
        "figure_align": "htbp",
    },
    "en": {
        "papersize": "a4paper",
        "pointsize": "11pt",
        # stray Chinese (names in the glossary, say) must not vanish
        "fontenc": r"\usepackage{fontspec}\usepackage{xeCJK}" + _CJK_FONTS + _ENGLISH_PUNCTUATION,
        **_CODE,
        "preamble": _PREAMBLE,
        "figure_align": "htbp",
    },
}
# The PDF starts from book.md: the chapters without the website's welcome page
# and gallery (whose figures the chapters already show).
BOOK = "book"
latex_show_urls = "no"
latex_show_pagerefs = False

# -- EPUB ----------------------------------------------------------------------
# The same book as the PDF. E-readers run no JavaScript: math becomes SVG images
# drawn by LaTeX and dvisvgm at build time.
epub_math_renderer = "imgmath"
imgmath_image_format = "svg"
imgmath_font_size = 14
imgmath_use_preview = True  # images sit on the text's baseline
epub_show_urls = "no"
epub_use_index = False  # the glossary is the book's index of terms
epub_css_files = ["epub-code.css"]  # long code lines wrap inside their block
epub_copyright = copyright
# Web-only pages: the welcome page, the gallery (the chapters show its figures), the
# API reference and the build report.
WEB_ONLY = [
    "index.md", "auto_examples/**", "api/**", "appendix/verification.md",
    "mock-exam.md",  # needs JavaScript; the books have the answers appendix
]  # fmt: skip
# The theme's fonts and scripts have no EPUB media type; the book does not need them.
suppress_warnings = ["epub.unknown_project_files"]


def _per_language(app, config) -> None:
    """Settings that depend on the language chosen on the command line."""
    lang = config.language
    if lang not in TITLES:
        raise ValueError(f"dlnotes is written for {sorted(TITLES)}, not language={lang!r}")
    title = TITLES[lang]
    config.html_title = title
    if lang == "zh_CN":
        import jieba  # only the Chinese build needs it
        from search_dict import write_search_dict

        jieba.setLogLevel(logging.WARNING)  # it logs its dictionary loading to stderr
        config.html_search_options = {"dict": str(write_search_dict(GLOSSARY, JIEBA_DICT))}
        config.html_js_files = [*config.html_js_files, ("zh-search-messages.js", {"priority": 800})]
    edition, version_word = EDITIONS[lang]
    main, subtitle = title.replace("：", ": ").split(": ", 1)
    cover = _COVER % {
        "title": main, "subtitle": subtitle[:1].upper() + subtitle[1:],
        "edition": edition, "version": f"{version_word} {release}",
    }  # fmt: skip
    config.latex_elements = {**LATEX_ELEMENTS[lang], "maketitle": cover}
    config.latex_documents = [(BOOK, f"dlnotes-{lang}.tex", title, author, "manual")]
    config.epub_basename = f"dlnotes-{lang}"
    config.epub_title = title
    config.epub_language = lang.replace("_", "-")
    config.epub_uid = f"dlnotes-{lang}"
    config.epub_identifier = f"dlnotes-{lang}-{release}"
    config.html_context = {**config.html_context, "dlnotes_book": f"dlnotes-{lang}"}
    config.exclude_patterns = [*config.exclude_patterns, f"{BOOK}.md"]  # see _book_or_website


def _book_or_website(app) -> None:
    """The books (PDF, EPUB) start from book.md; the website does not show it.

    book.md is excluded when the configuration is read (see :func:`_per_language`), so
    that the website's configuration is the same from build to build and an unchanged
    source rebuilds in seconds; the builders of the books and of the catalogs bring it back.
    """
    if app.builder.format == "html" and app.builder.name != "epub":
        return
    app.config.exclude_patterns.remove(f"{BOOK}.md")
    if app.builder.name == "epub":
        app.config.root_doc = BOOK
        app.config.exclude_patterns.extend(WEB_ONLY)


# The verification page reports on the package and its tests: read it again when they change.
REPORTED_ON = [ROOT / "dlnotes", ROOT / "tests", DOCS / "_ext" / "verification.py"]


def _verification_follows_the_code(app, env, added, changed, removed) -> list[str]:
    page = "appendix/verification"
    if page not in env.all_docs or page in added | changed:
        return []
    last_read = env.all_docs[page]  # microseconds since the epoch
    files = [p for root in REPORTED_ON for p in ([root] if root.is_file() else root.rglob("*.py"))]
    newer = any(f.stat().st_mtime_ns // 1000 > last_read for f in files)
    return [page] if newer else []


def setup(app) -> None:
    app.add_config_value("epub_math_renderer", None, "env")  # read by Sphinx's HTML builders
    app.connect("config-inited", _per_language, priority=100)
    app.connect("builder-inited", _book_or_website)
    app.connect("env-get-outdated", _verification_follows_the_code)


os.environ.setdefault("MPLBACKEND", "Agg")
