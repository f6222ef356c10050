"""render() output as a real browser parses it (headless Chromium --dump-dom).

Runs the checks of examples/render_screenshot.py: the page text, labels left
out, is exactly the article text; a label per quote names its speaker; the
literal <script> in the article does not become an element.
"""
from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "examples" / "render_screenshot.py"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not any(shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")),
        reason="needs headless Chromium on PATH (apt-get install chromium)",
    ),
]


@pytest.fixture(scope="module")
def shot():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("render_screenshot", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_dom_text_and_labels_in_chromium(shot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    article = shot.example_article()
    page = tmp_path / "page.html"
    page.write_text(shot.page(article, "browser check"), encoding="utf-8")
    proc = shot.run_chromium(shot.find_chromium(), page.as_uri(), "--dump-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "<script>alert(1)</script>" in article.text  # the check below is about something
    results = shot.check_dom(proc.stdout, article)
    failed = [(name, detail) for name, ok, detail in results if not ok]
    assert not failed, failed
    assert len(results) == 5


def test_script_runs_end_to_end(shot, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert shot.main(["--out", str(tmp_path), "--no-screenshot"]) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out and out.count("OK") == 5
    assert (tmp_path / "article.dom.html").is_file()


def test_page_of_several_articles_in_chromium(shot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """render([...], page=True) as Chromium parses it: every article's text intact, one label per
    quote, also where quotes overlap."""
    from quotecraft.objects import Article, Quote, Span, Speaker

    text = 'Kim said the talks were "a waste of time" and "over", officials said.'
    overlap = Article(text, quotes=[
        Quote(content=[Span.of(text, 9, 52)], cue=Span.of(text, 4, 8), speaker=Speaker("Kim Jong Un", Span.of(text, 0, 3)), kind="mixed"),
        Quote(content=[Span.of(text, 46, 52)], cue=Span.of(text, 64, 68), speaker=Speaker("officials", Span.of(text, 54, 63)), kind="direct"),
    ])
    articles = [shot.example_article(), overlap]
    page = tmp_path / "page.html"
    page.write_text(shot.page(articles, ["example", "overlap"]), encoding="utf-8")
    proc = shot.run_chromium(shot.find_chromium(), page.as_uri(), "--dump-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = shot.check_dom(proc.stdout, articles)
    failed = [(name, detail) for name, ok, detail in results if not ok]
    assert not failed, failed
    assert proc.stdout.count('class="quotecraft"') == 2
