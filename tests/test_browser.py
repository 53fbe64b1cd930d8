"""In a real browser (headless Chromium): MathJax typesets every answer formula, mhchem
included, whether or not the project itself enables MyST's dollarmath; and in each
supported theme, a hidden answer opens by mouse, keyboard, the page's address and the
browser's find-in-page, nothing is wider than a phone's screen, and the colours stay
readable in light and dark mode.

MathJax is served from a local copy (npm packages installed by ``.ci/run``), since the
test machine has no CDN. Playwright drives Debian's Chromium (``executable_path``), whose
own browser builds are never downloaded. Screenshots land in ``build/screenshots/``."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, sync_playwright

from .conftest import THEMES

NODE_MODULES = Path(__file__).resolve().parents[1] / ".ci" / "mathjax" / "node_modules"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is installed by .ci/run"),
    pytest.mark.skipif(
        not (NODE_MODULES / "mathjax").is_dir(), reason="MathJax (npm) is installed by .ci/run"
    ),
]

LOCAL_MATHJAX = """
html_static_path = ['_static']
mathjax_path = 'mathjax/tex-mml-chtml.js'
mathjax3_config = mathjax4_config = {'loader': {'paths': {'fonts': './_static/mathjax-fonts'}}}
"""


def typeset(outdir: Path, page: str) -> BeautifulSoup:
    """The page's DOM after Chromium ran its scripts (served over HTTP on loopback)."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(outdir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        proc = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={outdir.parent / 'chromium-profile'}",
                "--virtual-time-budget=20000",
                "--dump-dom",
                f"http://127.0.0.1:{server.server_port}/{page}",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()
    assert proc.returncode == 0, proc.stderr[-2000:]
    return BeautifulSoup(proc.stdout, "lxml")


def add_local_mathjax(srcdir: Path) -> None:
    static = srcdir / "_static"
    shutil.copytree(NODE_MODULES / "mathjax", static / "mathjax")
    shutil.copytree(NODE_MODULES / "@mathjax", static / "mathjax-fonts")


@pytest.mark.parametrize("dollarmath", [False, True], ids=["rst-project", "myst-dollarmath"])
def test_answer_math_is_typeset(build, tmp_path: Path, dollarmath: bool) -> None:
    from .conftest import write_project

    srcdir = tmp_path / "src"
    if dollarmath:
        pages = {
            "index.md": "# Page\n\nHost math $x^2$.\n\n"
            "```{quicktake} questions/good/maxwell.md\n```\n\n"
            "```{quicktake} questions/good/water.md\n```\n"
        }
        conf = LOCAL_MATHJAX + "myst_enable_extensions = ['dollarmath']\n"
    else:
        pages = {
            "index.rst": "Page\n====\n\n.. quicktake:: questions/good/maxwell.md\n\n"
            ".. quicktake:: questions/good/water.md\n"
        }
        conf = LOCAL_MATHJAX
    write_project(srcdir, pages, conf, myst=dollarmath)
    add_local_mathjax(srcdir)
    result = build({}, srcdir=srcdir)
    assert result.warning_lines() == []
    formulas = len(result.html().select(".math"))
    dom = typeset(result.outdir, "index.html")
    assert formulas >= 10
    assert len(dom.find_all("mjx-container")) == formulas
    assert dom.find("mjx-merror") is None  # \ce and every command understood
    assert "\\ce{" not in dom.select_one("div.body").get_text()


# --- Hidden answers in each theme (Playwright, one browser and one server per module) ---

SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"
QUESTION = "quicktake-900001"  # osmosis: sub-headings, a table, a footnote and math
ANSWER_WORDS = "net movement of water"  # in its answer only


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site_url(theme_sites: Callable[[str], Path]) -> Iterator[Callable[[str], str]]:
    """The address of a theme project's questions page, served over HTTP on loopback with
    the npm MathJax linked into its ``_static``."""
    root = theme_sites(THEMES[0]).parent.parent  # every theme's project is a folder here
    handler = functools.partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def url(theme: str) -> str:
        static = theme_sites(theme) / "_static"
        for name, source in (("mathjax", "mathjax"), ("mathjax-fonts", "@mathjax")):
            if not (static / name).exists():
                (static / name).symlink_to(NODE_MODULES / source, target_is_directory=True)
        return f"http://127.0.0.1:{server.server_port}/{theme}/html/questions.html"

    yield url
    server.shutdown()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def opened(
    browser: Browser, url: str, *, width: int = 1280, scheme: str = "light"
) -> Iterator[Page]:
    """A page in a fresh browser context (no state between tests), once its document is
    parsed and its scripts have run (quicktakes.js, the theme's): the tests that need
    MathJax wait for it themselves."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, device_scale_factor=1
    )
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url, wait_until="domcontentloaded")
        yield page
        assert errors == []  # no script of the theme, MathJax or ours failed
    finally:
        context.close()


def wait_for_mathjax(page: Page) -> None:
    """Wait until MathJax has typeset the page."""
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("() => MathJax.startup.promise")


def shoot(page: Page, name: str, selector: str = f"#{QUESTION}", height: int = 420) -> None:
    """A screenshot of the top of an element (at most ``height`` pixels) as
    ``build/screenshots/<name>.png``; docs/_static has copies of a few of them."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    element = page.locator(selector)
    element.scroll_into_view_if_needed()
    page.mouse.move(0, 0)  # no hover styles
    box = element.bounding_box()
    assert box is not None
    pad = 8
    clip = {
        "x": max(box["x"] - pad, 0),
        "y": max(box["y"] - pad, 0),
        "width": box["width"] + 2 * pad,
        "height": min(box["height"], height) + 2 * pad,
    }
    page.screenshot(path=SCREENSHOTS / f"{name}.png", clip=clip)


def is_open(page: Page, question: str) -> bool:
    return page.eval_on_selector(f"#{question} details.quicktake-answer", "d => d.open")


@pytest.mark.parametrize("theme", THEMES)
def test_hidden_answer_opens_by_click_and_keyboard(browser: Browser, site_url, theme: str) -> None:
    with opened(browser, site_url(theme)) as page:
        summary = page.locator(f"#{QUESTION} details.quicktake-answer > summary")
        words = page.get_by_text(ANSWER_WORDS)
        assert summary.inner_text().strip() == "Show answer"
        assert not is_open(page, QUESTION) and not words.is_visible()
        shoot(page, f"{theme}-closed")
        summary.click()
        assert is_open(page, QUESTION) and words.is_visible()
        shoot(page, f"{theme}-open")
        summary.click()
        assert not is_open(page, QUESTION) and not words.is_visible()
        summary.focus()
        page.keyboard.press("Enter")
        assert is_open(page, QUESTION) and words.is_visible()
        page.keyboard.press("Enter")
        assert not is_open(page, QUESTION)
        page.keyboard.press(" ")
        assert is_open(page, QUESTION)
        assert not is_open(page, "quicktake-900004")  # each answer by itself


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("fragment", [QUESTION, "driving-force"], ids=["question", "in-answer"])
def test_address_opens_the_answer(browser: Browser, site_url, theme: str, fragment: str) -> None:
    """Loading ``#quicktake-<id>`` (the question, outside the <details>: quicktakes.js) or
    ``#<sub-section>`` (inside it) opens that answer, and only that one, and scrolls to the
    target; so does changing the address on the page (hashchange)."""
    with opened(browser, f"{site_url(theme)}#{fragment}") as page:
        assert is_open(page, QUESTION)
        assert not is_open(page, "quicktake-900004") and not is_open(page, "quicktake-900101")
        assert page.locator(f"#{fragment}").is_visible()
        page.wait_for_function(  # and scrolled to it
            """id => { const box = document.getElementById(id).getBoundingClientRect();
                       return box.top >= -1 && box.top < innerHeight / 2; }""",
            arg=fragment,
            timeout=5000,
        )
        page.evaluate("() => { location.hash = '#quicktake-900101'; }")
        page.wait_for_function(
            "() => document.querySelector('#quicktake-900101 details.quicktake-answer').open"
        )
        assert not is_open(page, "quicktake-900004")


@pytest.mark.parametrize("theme", THEMES)
def test_a_search_result_opens_the_answer(browser: Browser, site_url, theme: str) -> None:
    """Sphinx's search links to ``page.html?highlight=words``: a hidden answer with one of
    the words opens (the others stay closed), whether or not the theme marks the words."""
    with opened(browser, f"{site_url(theme)}?highlight=semipermeable") as page:
        page.wait_for_load_state("load")
        page.wait_for_function(
            f"() => document.querySelector('#{QUESTION} details.quicktake-answer').open",
            timeout=5000,
        )
        assert not is_open(page, "quicktake-900004")
    with opened(browser, site_url(theme)) as page:  # no search: nothing opens
        page.wait_for_load_state("load")
        assert not is_open(page, QUESTION)


@pytest.mark.parametrize("theme", THEMES)
def test_printing_shows_hidden_answers(
    browser: Browser, site_url, theme: str, tmp_path: Path
) -> None:
    """Printed (here to PDF), every hidden answer is shown; on screen it stays closed."""
    with opened(browser, site_url(theme)) as page:
        page.wait_for_load_state("load")
        assert not is_open(page, QUESTION)
        page.pdf(path=tmp_path / "printed.pdf")
        assert not is_open(page, QUESTION)  # closed again after printing
    printed = subprocess.run(
        ["pdftotext", str(tmp_path / "printed.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert ANSWER_WORDS in " ".join(printed.split())
    assert "Show answer" not in printed


@pytest.mark.parametrize("theme", THEMES)
def test_find_in_page_opens_the_answer(browser: Browser, site_url, theme: str) -> None:
    """Find-in-page: Chromium opens a closed <details> when its search for text matches
    inside, which headless Chromium does for a text fragment (``#:~:text=``, the link form
    of a search, the same auto-expanding match). Its find bar cannot be driven headless, and
    ``window.find`` finds the words without opening the <details>, so the test loads a text
    fragment. The address keeps no hash (the directive is stripped), so the browser, not
    quicktakes.js, opened it."""
    words = ANSWER_WORDS.replace(" ", "%20")
    with opened(browser, f"{site_url(theme)}#:~:text={words}") as page:
        page.wait_for_function(f"() => document.querySelector('#{QUESTION} details').open")
        assert page.evaluate("() => location.hash") == ""
        assert page.get_by_text(ANSWER_WORDS).is_visible()
        assert not is_open(page, "quicktake-900004")


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("width", [375, 1280])
def test_math_is_typeset_and_nothing_overflows(
    browser: Browser, site_url, theme: str, width: int
) -> None:
    """MathJax typesets every formula of the page, hidden answers' included (mhchem too);
    with every answer open, the page is no wider than the window, though the wide
    question's table and formula are each wider than it; a screenshot per theme."""
    with opened(browser, site_url(theme), width=width) as page:
        wait_for_mathjax(page)
        counts = page.evaluate(
            """() => [document.querySelectorAll('.math').length,
                      document.querySelectorAll('.math > mjx-container').length,
                      document.querySelectorAll('mjx-merror').length,
                      [...document.querySelectorAll('section.quicktake')].some(
                          question => question.textContent.includes('\\ce{'))]"""
        )
        formulas, containers, errors, raw_chemistry = counts
        assert formulas >= 6 and containers == formulas, counts
        assert errors == 0 and not raw_chemistry, counts
        page.evaluate(
            "() => document.querySelectorAll('details.quicktake-answer')"
            ".forEach(d => { d.open = true; })"
        )
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        sizes = page.evaluate(
            """() => { const wide = document.getElementById('quicktake-900101');
              return {scroll: document.documentElement.scrollWidth,
                      client: document.documentElement.clientWidth,
                      table: wide.querySelector('table').scrollWidth,
                      formula: wide.querySelector('div.math mjx-container').scrollWidth}; }"""
        )
        assert sizes["table"] > width and sizes["formula"] > width, sizes  # really wide
        assert sizes["scroll"] <= sizes["client"], sizes
        if width == 1280:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.locator(f"#{QUESTION}").scroll_into_view_if_needed()
            page.evaluate(f"() => document.getElementById('{QUESTION}').scrollIntoView()")
            page.screenshot(path=SCREENSHOTS / f"{theme}.png")


LAYERS = """el => {
  // an element's text colour and the background colours under it, each as [r, g, b, a]
  // (0-255, alpha 0-1), read back from a canvas so any CSS colour syntax is understood
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const rgba = css => {
    ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = '#000'; ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return a ? [r * 255 / a, g * 255 / a, b * 255 / a, a / 255] : [0, 0, 0, 0];
  };
  const layers = [];
  for (let node = el; node; node = node.parentElement) {
    layers.push(rgba(getComputedStyle(node).backgroundColor));
  }
  return {color: rgba(getComputedStyle(el).color), layers: layers};
}"""

# the themes with colour variables, light and dark, and their variable for a surface
THEME_SURFACE = {
    "furo": "--color-background-secondary",
    "pydata_sphinx_theme": "--pst-color-surface",
    "sphinx_book_theme": "--pst-color-surface",
}

SURFACE = """(details, name) => {
  // the element's background colour and the theme's colour variable, both as computed
  const probe = document.createElement('span');
  probe.style.color = getComputedStyle(details).getPropertyValue(name);
  details.append(probe);
  const colours = [getComputedStyle(details).backgroundColor, getComputedStyle(probe).color];
  probe.remove();
  return colours;
}"""


def luminance(rgb: tuple[float, ...]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def over(top: list[float], bottom: tuple[float, ...]) -> tuple[float, ...]:
    """``top`` (r, g, b, a) composited over an opaque ``bottom``."""
    alpha = top[3]
    return tuple(top[i] * alpha + bottom[i] * (1 - alpha) for i in range(3))


def contrast(style: dict[str, Any]) -> tuple[float, float]:
    """The WCAG contrast ratio of the text on its effective background (the backgrounds of
    the element and its ancestors over white, the canvas), and that background's luminance."""
    background: tuple[float, ...] = (255.0, 255.0, 255.0)
    for layer in reversed(style["layers"]):
        background = over(layer, background)
    text = over(style["color"], background)
    lighter, darker = sorted((luminance(text), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05), luminance(background)


@pytest.mark.parametrize(
    ("theme", "scheme"),
    [*((theme, "light") for theme in THEMES), *((theme, "dark") for theme in THEME_SURFACE)],
)
def test_answer_colours_are_readable(browser: Browser, site_url, theme: str, scheme: str) -> None:
    """The summary and the answer's text against their effective background: contrast at
    least 4.5 (WCAG AA), light and dark; in the themes with colour variables the answer box
    has the theme's surface colour, and dark mode is really dark."""
    with opened(browser, site_url(theme), scheme=scheme) as page:
        page.locator(f"#{QUESTION} details > summary").click()
        summary = page.eval_on_selector(f"#{QUESTION} details > summary", LAYERS)
        answer = page.eval_on_selector(f"#{QUESTION} details > p", LAYERS)
        box = page.eval_on_selector(f"#{QUESTION} details", LAYERS)
        if theme in THEME_SURFACE:  # the box's background is the theme's surface colour
            box_colour, surface = page.eval_on_selector(
                f"#{QUESTION} details", SURFACE, THEME_SURFACE[theme]
            )
            assert box_colour == surface, theme
        for name, style in (("summary", summary), ("answer", answer)):
            ratio, background = contrast(style)
            assert ratio >= 4.5, (name, ratio, style)
            assert (background < 0.1) if scheme == "dark" else (background > 0.6), (name, style)
        assert box["layers"][0][3] > 0  # the box has a background of its own
        if scheme == "dark":  # light: the -open screenshot
            shoot(page, f"{theme}-dark")


DOCS_QUESTIONS = Path(__file__).resolve().parents[1] / "docs" / "questions"


@pytest.fixture(scope="module")
def course_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``quicktakes site docs/questions`` with its default theme, served on loopback."""
    root = tmp_path_factory.mktemp("course")
    out = root / "site"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinxext_quicktakes",
            "site",
            str(DOCS_QUESTIONS),
            "-o",
            str(out),
            "--page-size",
            "2",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "QUICKTAKES_CACHE_DIR": str(root / "cache")},
    )
    assert proc.returncode == 0, proc.stderr
    handler = functools.partial(QuietHandler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_course_site_home_subject_and_search(browser: Browser, course_site: str) -> None:
    """The home page lists the subjects, a subject page pages through its questions, and
    the search page finds a question by a word of its answer."""
    with opened(browser, f"{course_site}/index.html") as page:
        page.wait_for_load_state("load")
        subjects = page.locator("table a").all_inner_texts()
        assert "Physics" in subjects and "Biology" in subjects
        assert page.locator("table").is_visible()
        page.screenshot(path=_shot("course-home"), full_page=False)
        page.locator("table a", has_text="Physics").click()
        page.wait_for_url("**/subjects/physics/index.html")
        assert page.locator(".quicktakes-pagination a", has_text="Next").first.is_visible()
        page.screenshot(path=_shot("course-subject"), full_page=False)
    with opened(browser, f"{course_site}/search.html?q=glycolysis") as page:
        page.wait_for_selector("#search-results li a", timeout=15000)
        found = page.locator("#search-results li a").first.get_attribute("href")
        assert found is not None and found.startswith("questions/")


def _shot(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
