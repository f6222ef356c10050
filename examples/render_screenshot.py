"""Check `quotecraft.render` in a real browser: screenshot plus DOM text check.

    python examples/render_screenshot.py              # a hand-built example article
    python examples/render_screenshot.py --real       # extract tests/data/kim-returns-from-russia.txt
    python examples/render_screenshot.py --page       # a page of several articles (render(list, page=True))
    python examples/render_screenshot.py --out DIR --no-screenshot

Writes DIR/article.html, DIR/article.png (headless Chromium screenshot) and
DIR/article.dom.html (the DOM as Chromium parsed it), then checks that the
page's text, labels removed, is exactly the article text, that every quote's
speaker label is there and that no <script> element came out of the article
text. Prints OK or FAIL per check; exits 0 when all pass, 1 when one fails, 2
when it cannot run (no Chromium, no extractor).

The README's screenshots are ``--real --height 1360`` and ``--page --height 940``,
copied to examples/kim-returns-from-russia.png and examples/several-articles.png.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Optional, Sequence

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # run from a checkout without installing the package

from quotecraft.objects import Agency, Article, Quote, Span, Speaker  # noqa: E402
from quotecraft.render import render  # noqa: E402

REAL_ARTICLE = REPO / "tests" / "data" / "kim-returns-from-russia.txt"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# A made-up local story with each kind of quote, a split quote, an addressee,
# a relaying agency, credits and a literal <script> that must stay text.
EXAMPLE_TEXT = (
    "Riverton (Northwind Press) -- The city of Riverton will close the old Mill Street bridge for six months "
    "starting in March, Mayor Ana Ortiz announced on Tuesday.\n"
    '"The bridge has served us for ninety years," Ortiz told reporters at City Hall. '
    '"It deserves a careful repair, not another patch."\n'
    "Council member Tom Becker said the closure would hurt shops on both banks of the river, "
    "according to the Riverton Ledger.\n"
    'Becker also called the repair plan "rushed and expensive", but said he would not block it.\n'
    "A comment posted under the city's announcement read <script>alert(1)</script>, which the moderators removed.\n"
    "Photo: Harbor Wire / Lena Park"
)


def _sp(needle: str, nth: int = 0, text: str = EXAMPLE_TEXT) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span.of(text, start, start + len(needle))


def example_article() -> Article:
    """The hand-built example, offsets found in `EXAMPLE_TEXT`."""
    ortiz, becker = "Ana Ortiz", "Tom Becker"
    return Article(
        EXAMPLE_TEXT,
        quotes=[
            Quote(
                content=[_sp("The city of Riverton will close the old Mill Street bridge for six months starting in March")],
                cue=_sp("announced"),
                speaker=Speaker(ortiz, _sp("Mayor Ana Ortiz"), "person"),
                kind="indirect",
                confidence=0.91,
            ),
            Quote(
                content=[_sp('"The bridge has served us for ninety years,"'), _sp('"It deserves a careful repair, not another patch."')],
                cue=_sp("told"),
                speaker=Speaker(ortiz, _sp("Ortiz", 1), "person"),
                addressee=Speaker("reporters", _sp("reporters"), "unknown"),
                kind="direct",
                confidence=0.97,
            ),
            Quote(
                content=[_sp("the closure would hurt shops on both banks of the river")],
                cue=_sp("said"),
                speaker=Speaker(becker, _sp("Council member Tom Becker"), "person"),
                reported_by=[Agency("Riverton Ledger", _sp("Riverton Ledger"), "relay")],
                kind="indirect",
                confidence=0.74,
            ),
            Quote(
                content=[_sp('the repair plan "rushed and expensive"')],
                cue=_sp("called"),
                speaker=Speaker(becker, _sp("Becker", 1), "person"),
                kind="mixed",
                confidence=0.88,
            ),
            Quote(
                content=[_sp("he would not block it")],
                cue=_sp("said", 1),
                speaker=Speaker(becker, None, "person"),
                kind="indirect",
                confidence=0.45,
            ),
        ],
        credits=[Agency("Northwind Press", _sp("Northwind Press"), "credit"), Agency("Harbor Wire", _sp("Harbor Wire"), "photo")],
    )


def real_article() -> Article:
    """The test article run through the real extractor (needs the model)."""
    import quotecraft

    text = REAL_ARTICLE.read_text(encoding="utf-8")
    extract = getattr(quotecraft, "extract", None)
    if extract is None:
        from quotecraft.extractor import Extractor  # before the lead exports quotecraft.extract

        extract = Extractor().extract
    return extract(text)


# Short made-up news items for the page of several articles (extracted with the real model).
PAGE_TEXTS = {
    "harbour.txt": (
        "Lakeside (Tidewire) -- The harbour will reopen to ferries on Friday after a week of storms, "
        "harbour master Ines Mora said on Wednesday.\n"
        '"The pier took a beating, but the ferries can dock safely again," Mora told reporters. '
        '"We checked every mooring twice."\n'
        "Fishermen said the closure had cost them a week of catches."
    ),
    "school.txt": (
        "The Riverton school board voted on Monday to keep the old library open for another year.\n"
        'Board chair Sam Whitfield called the vote "a relief for the whole town" and said the board '
        "would look for money to repair the roof.\n"
        "According to the district, the building needs about 400,000 dollars of work."
    ),
}


def page_articles() -> list[tuple[str, Article]]:
    """The hand-built example and the PAGE_TEXTS run through the real extractor (needs the model)."""
    import quotecraft

    ex = quotecraft.Extractor()
    return [("Example: Mill Street bridge", example_article())] + [(name, ex.extract(text)) for name, text in PAGE_TEXTS.items()]


def page(article: Article | Sequence[Article], title: str | Sequence[str]) -> str:
    """A whole HTML page of one article or several (`render(..., page=True)`)."""
    return render(article, title=title, page=True)


class PageText(HTMLParser):
    """What a reader sees in a rendered page: the article text (labels left
    out), the label texts, any <script> elements and any mis-nested tags."""

    VOID = {"meta", "link", "br", "img", "hr", "input", "base", "col", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, set[str]]] = []
        self.text: list[str] = []
        self.labels: list[str] = []
        self.scripts = 0
        self.errors: list[str] = []

    def _inside(self, cls: str) -> bool:
        return any(cls in classes for _, classes in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        if tag == "script":
            self.scripts += 1
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if "qc-label" in classes and not self._inside("qc-label"):
            self.labels.append("")
        self.stack.append((tag, classes))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"unexpected </{tag}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._inside("qc-label"):
            self.labels[-1] += data
        elif self._inside("qc-text"):
            self.text.append(data)


def find_chromium() -> Optional[str]:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(chromium: str, url: str, *extra: str, timeout: float = 120,
                 size: str = "1200,900") -> subprocess.CompletedProcess[str]:
    # a throwaway profile and no background services: quick, quiet, offline
    with tempfile.TemporaryDirectory(prefix="qc-chromium-") as profile:
        cmd = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
            f"--user-data-dir={profile}", f"--window-size={size}", *extra, url,
        ]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


def check_dom(dom: str, article: Article | Sequence[Article]) -> list[tuple[str, bool, str]]:
    """(check, passed, detail) for a DOM dump of `page(article)` (one article or several)."""
    articles = [article] if isinstance(article, Article) else list(article)
    parsed = PageText()
    parsed.feed(dom)
    parsed.close()
    seen = "".join(parsed.text)
    results = [("tags nest", not parsed.errors, "; ".join(parsed.errors[:3]))]
    # browsers turn \r\n into \n when parsing, so compare the text they could show
    expected = "".join(a.text for a in articles).replace("\r\n", "\n").replace("\r", "\n")
    if seen == expected:
        results.append(("page text == article text", True, f"{len(seen)} characters"))
    else:
        at = next((i for i, (a, b) in enumerate(zip(seen, expected)) if a != b), min(len(seen), len(expected)))
        results.append(("page text == article text", False, f"first difference at {at}: {seen[at:at + 30]!r} vs {expected[at:at + 30]!r}"))
    results.append(("no <script> element", parsed.scripts == 0, f"{parsed.scripts} found"))
    quotes = [q for a in articles for q in a.quotes]
    results.append(("one label per quote", len(parsed.labels) == len(quotes), f"{len(parsed.labels)} labels, {len(quotes)} quotes"))
    # a label sits inside the end of its quote, so labels come in order of quote ends (ties: inner first)
    named = sorted(q.speaker.name for q in quotes if q.speaker is not None)
    missing = [name for name in named if not any(name in label for label in parsed.labels)]
    results.append(("speaker names in labels", not missing, f"missing: {missing}" if missing else ", ".join(parsed.labels)))
    return results


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--real", action="store_true", help=f"extract {REAL_ARTICLE.relative_to(REPO)} with the real model")
    ap.add_argument("--page", action="store_true", help="a page of several articles (the example and made-up ones, extracted)")
    ap.add_argument("--height", type=int, default=900, help="height of the browser window, i.e. of the screenshot (pixels)")
    ap.add_argument("--out", type=Path, default=REPO / "build" / "render-screenshot", help="output folder")
    ap.add_argument("--chromium", help="browser binary (default: first of %s on PATH)" % ", ".join(CHROMIUM_NAMES))
    ap.add_argument("--no-screenshot", action="store_true", help="only the DOM check")
    args = ap.parse_args(argv)

    chromium = args.chromium or find_chromium()
    if not chromium:
        print("FAIL: no Chromium found (apt-get install chromium)", file=sys.stderr)
        return 2
    try:
        if args.page:
            titled = page_articles()
            article: Article | list[Article] = [a for _, a in titled]
            titles: str | list[str] = [t for t, _ in titled]
        else:
            article = real_article() if args.real else example_article()
            titles = REAL_ARTICLE.name if args.real else "Example: Mill Street bridge"
    except ImportError as exc:
        print(f"FAIL: cannot run the extractor: {exc}", file=sys.stderr)
        return 2

    args.out.mkdir(parents=True, exist_ok=True)
    html_path = (args.out / "article.html").resolve()
    html_path.write_text(page(article, titles), encoding="utf-8")
    url = html_path.as_uri()
    print(f"page: {html_path}")

    failed = False
    if not args.no_screenshot:
        png = (args.out / "article.png").resolve()
        png.unlink(missing_ok=True)
        proc = run_chromium(chromium, url, f"--screenshot={png}", size=f"1100,{args.height}")
        ok = png.is_file() and png.stat().st_size > 0
        print(f"{'OK  ' if ok else 'FAIL'} screenshot: {png if ok else proc.stderr.strip()[-500:]}")
        failed |= not ok

    proc = run_chromium(chromium, url, "--dump-dom")
    if proc.returncode != 0 or "quotecraft" not in proc.stdout:
        print(f"FAIL dump-dom: exit {proc.returncode}: {proc.stderr.strip()[-500:]}")
        return 1
    (args.out / "article.dom.html").write_text(proc.stdout, encoding="utf-8")
    for name, ok, detail in check_dom(proc.stdout, article):
        print(f"{'OK  ' if ok else 'FAIL'} {name}: {detail}")
        failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
