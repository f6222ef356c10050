"""quotecraft.io.cli: inputs, output formats, exit codes; with a fake extractor in place of the model."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Iterable, Iterator, Optional

import pytest

from quotecraft.io import cli
from quotecraft.objects import Article, Quote, Span, Speaker
from quotecraft.io.table import COLUMNS

REPO = Path(__file__).resolve().parent.parent

# '"...," Name said' is the only pattern the fake knows; enough to give every
# output format real quotes to show.
_PATTERN = re.compile(r'("[^"]+,") ([A-Z]\w+) (said)')


class FakeExtractor:
    """Stands in for quotecraft.extractor.Extractor (same extract/pipe contract)."""

    def __init__(self) -> None:
        self.pipe_kwargs: dict = {}

    def extract(self, text: str, progress: bool = False) -> Article:
        if progress:
            # as the real one does: a bar over the characters, on stderr
            from tqdm import tqdm

            with tqdm(total=len(text), unit="char", file=sys.stderr) as bar:
                bar.update(len(text))
        if "FAIL" in text:
            return Article(text, error="fake failure")
        quotes = [
            Quote(
                content=[Span.of(text, *m.span(1))],
                cue=Span.of(text, *m.span(3)),
                speaker=Speaker(m.group(2), Span.of(text, *m.span(2)), "person"),
                kind="direct",
                confidence=0.9,
            )
            for m in _PATTERN.finditer(text)
        ]
        return Article(text, quotes=quotes)

    def pipe(self, texts: Iterable[str], batch_size: int = 8, n_process: int = 1, progress: Optional[bool] = None) -> Iterator[Article]:
        self.pipe_kwargs = {"batch_size": batch_size, "n_process": n_process, "progress": progress}
        for text in texts:
            yield self.extract(text)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeExtractor:
    extractor = FakeExtractor()
    monkeypatch.setattr(cli, "_make_extractor", lambda **options: extractor)
    return extractor


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """a.txt, b.txt and sub/c.txt, plus a file that is not *.txt."""
    (tmp_path / "b.txt").write_text('"The road is open," Okafor said.\nTraffic was light.', encoding="utf-8")
    (tmp_path / "a.txt").write_text('"We expected more rain," Lindqvist said on Sunday.', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("No quotes in this one.", encoding="utf-8")
    (tmp_path / "notes.md").write_text('"Ignore me," Nobody said.', encoding="utf-8")
    return tmp_path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_jsonl_from_files_bare_and_with_subcommand(fake: FakeExtractor, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(corpus / "a.txt"), str(corpus / "b.txt")]
    code, out, err = run(["--format", "jsonl", *files], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == files
    article = Article.from_dict(records[0])
    assert article.text == (corpus / "a.txt").read_text(encoding="utf-8")
    assert article.quotes[0].speaker.name == "Lindqvist"
    assert run(["extract", "--format", "jsonl", *files], capsys)[1] == out
    assert run([*files, "--json"], capsys)[1] == out  # alias, and options after the inputs


def test_directory_means_sorted_recursive_txt(fake: FakeExtractor, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["extract", str(corpus), "--json"], capsys)
    assert code == 0
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert ids == [str(corpus / "a.txt"), str(corpus / "b.txt"), str(corpus / "sub" / "c.txt")]


def test_csv_parses_back(fake: FakeExtractor, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([str(corpus), "--format", "csv"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(COLUMNS)
    assert [(r["article_id"], r["speaker"], r["cue"], r["content"]) for r in rows] == [
        (str(corpus / "a.txt"), "Lindqvist", "said", '"We expected more rain,"'),
        (str(corpus / "b.txt"), "Okafor", "said", '"The road is open,"'),
    ]
    assert rows[0]["start"] == "0" and rows[0]["addressee"] == ""


def test_table_is_readable_and_fits_width(fake: FakeExtractor, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "70")
    long = tmp_path / "long.txt"
    long.write_text('"' + "very " * 40 + 'long indeed," Haddad said.\n"Short one," Haddad said.', encoding="utf-8")
    none = tmp_path / "none.txt"
    none.write_text("Nothing quoted.", encoding="utf-8")
    code, out, _ = run([str(long), str(none)], capsys)  # table is the default
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"== {long} (2 quotes)"
    assert f"== {none} (0 quotes)" in lines
    header, rule, *rows = [line for line in lines[1:] if line and not line.startswith("==")]
    assert header.split(" | ")[:4] == [name.ljust(w) for name, w in zip(("speaker", "cue", "kind", "via"), cli._table_widths(70))]
    assert header.rstrip().endswith("| quote") and set(rule) == {"-", "+"}
    assert len(rows) == 2
    assert all(len(line) <= 70 for line in (header, rule, *rows))
    w_speaker, w_cue, _, w_via = cli._table_widths(70)
    assert rows[0].startswith("Haddad".ljust(w_speaker) + " | " + "said".ljust(w_cue) + " | direct   | " + "-".ljust(w_via) + ' | "very very')
    assert rows[0].endswith("\u2026")
    assert rows[1].endswith('"Short one,"')


def test_table_columns_line_up_across_articles(fake: FakeExtractor, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Widths do not depend on what an article holds: a long name in one article does not shift
    the columns of the next."""
    monkeypatch.setenv("COLUMNS", "100")
    (tmp_path / "a.txt").write_text('"Short," Li said.', encoding="utf-8")
    (tmp_path / "b.txt").write_text('"Long name," Wolfeschlegelsteinhausenbergerdorff said.', encoding="utf-8")
    code, out, _ = run([str(tmp_path)], capsys)
    assert code == 0
    rows = [line for line in out.splitlines() if " | " in line]
    assert len(rows) == 4  # a header and a row per article
    bars = {tuple(i for i, ch in enumerate(line) if ch == "|") for line in rows}
    assert len(bars) == 1, rows
    assert "Wolfeschlegelsteinhausenb\u2026"[:23] in rows[3]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import quotecraft

    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.strip() == f"quotecraft {quotecraft.__version__}"


def test_html_page(fake: FakeExtractor, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evil = tmp_path / "evil.txt"
    evil.write_text('"Hello <script>alert(1)</script>," Vale said.', encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text("Plain.", encoding="utf-8")
    code, out, _ = run([str(evil), str(plain), "--format", "html"], capsys)
    assert code == 0
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert out.count('<div class="quotecraft">') == 2
    assert out.count("<style>") == 1  # one stylesheet for the page, not one per article
    assert f'<div class="qc-title">{evil}</div>' in out
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert '<span class="qc-who">Vale</span>' in out


def test_stdin(fake: FakeExtractor, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO('"It works," Ngata said.'.encode())))
    code, out, _ = run(["-", "--json"], capsys)
    assert code == 0
    record = json.loads(out)
    assert record["id"] == "<stdin>" and record["quotes"][0]["speaker"]["name"] == "Ngata"


def test_out_file(fake: FakeExtractor, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "result.jsonl"
    code, out, _ = run([str(corpus / "a.txt"), "--json", "--out", str(target)], capsys)
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["id"] == str(corpus / "a.txt")


def test_failed_article_exit_1_others_still_written(fake: FakeExtractor, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("FAIL please", encoding="utf-8")
    code, out, err = run([str(corpus / "a.txt"), str(bad), "--json"], capsys)
    assert code == 1
    assert f"{bad}: fake failure" in err and "1 of 2 articles failed" in err
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["error"] for r in records] == [None, "fake failure"]


def test_missing_file_exit_2_before_loading_model(corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def no_model(**options) -> None:
        raise AssertionError("the extractor must not be loaded when inputs are missing")

    monkeypatch.setattr(cli, "_make_extractor", no_model)
    missing = corpus / "nope.txt"
    code, out, err = run([str(corpus / "a.txt"), str(missing)], capsys)
    assert code == 2 and out == ""
    assert f"no such file or directory: {missing}" in err
    assert "Traceback" not in err


def test_damaged_model_file_is_named_not_a_traceback(corpus: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from quotecraft.errors import EncoderError

    def damaged(**options) -> None:
        raise EncoderError("encoder file /x/model.zip is missing; reinstall it")

    monkeypatch.setattr(cli, "_make_extractor", damaged)
    code, out, err = run([str(corpus / "a.txt")], capsys)
    assert code == 1 and out == ""
    assert "cannot load the extractor: encoder file /x/model.zip is missing" in err
    assert "Traceback" not in err


def test_learned_extra_missing_is_one_warning_line(corpus: Path, fake: FakeExtractor, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import warnings

    from quotecraft.errors import LearnedExtraMissing

    def without_extra(**options) -> FakeExtractor:
        warnings.warn(LearnedExtraMissing("the learned attribution model (the default, more accurate) is not "
                                          "installed, so the rules are used; to install it: pip install "
                                          "'quotecraft[learned]'"))
        return fake

    monkeypatch.setattr(cli, "_make_extractor", without_extra)
    code, out, err = run([str(corpus / "a.txt")], capsys)
    assert code == 0 and out
    lines = [line for line in err.splitlines() if "learned attribution model" in line]
    assert len(lines) == 1 and "pip install 'quotecraft[learned]'" in lines[0]
    assert "Extractor(" not in err and "UserWarning" not in err


def test_model_and_attribution_options_reach_the_extractor(corpus: Path, fake: FakeExtractor,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[dict] = []

    def make(**options) -> FakeExtractor:
        seen.append(options)
        return fake

    monkeypatch.setattr(cli, "_make_extractor", make)
    assert run([str(corpus / "a.txt")], capsys)[0] == 0
    assert run([str(corpus / "a.txt"), "--model", "fast"], capsys)[0] == 0
    assert run([str(corpus / "a.txt"), "--attribution", "rules", "--model", "minilm"], capsys)[0] == 0
    # only what was given: the library's defaults stay in charge of the rest
    assert seen == [{}, {"model": "fast"}, {"model": "minilm", "attribution": "rules"}]
    code, _, err = run([str(corpus / "a.txt"), "--attribution", "neural"], capsys)
    assert code == 2 and "invalid choice" in err


@pytest.mark.parametrize("argv", [[], ["extract"], ["--format", "xml", "a.txt"], ["--jobs", "0", "a.txt"]])
def test_usage_errors_exit_2(argv: list[str], fake: FakeExtractor, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2
    assert "usage:" in err


def test_empty_directory_exit_2(fake: FakeExtractor, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([str(tmp_path)], capsys)
    assert code == 2 and "no *.txt files" in err


def test_non_utf8_is_an_error_that_names_the_fix(fake: FakeExtractor, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    latin = tmp_path / "latin1.txt"
    latin.write_bytes('"Caf\u00e9 is open," Dubois said.'.encode("latin-1"))
    code, out, err = run([str(corpus / "a.txt"), str(latin), "--json"], capsys)
    assert code == 1
    assert f"{latin}: not valid utf-8 (byte 0xe9 at offset 4)" in err
    assert "--encoding" in err and "--errors replace" in err and "Traceback" not in err
    records = [json.loads(line) for line in out.splitlines()]
    assert records[0]["error"] is None and records[1]["error"].startswith("not valid utf-8")


def test_errors_replace_reads_on_with_a_warning(fake: FakeExtractor, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    latin = tmp_path / "latin1.txt"
    latin.write_bytes('"Caf\u00e9 is open," Dubois said.'.encode("latin-1"))
    code, out, err = run([str(latin), "--json", "--errors", "replace"], capsys)
    assert code == 0
    assert f"{latin} is not valid utf-8" in err
    record = json.loads(out)
    assert record["text"] == '"Caf\ufffd is open," Dubois said.'
    assert record["quotes"][0]["speaker"]["name"] == "Dubois"


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16"])
def test_encoding_option(encoding: str, fake: FakeExtractor, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "article.txt"
    text = '"Caf\u00e9 is open," Dubois said.'
    path.write_bytes(text.encode(encoding))
    code, out, err = run([str(path), "--json", "--encoding", encoding], capsys)
    assert code == 0, err
    assert json.loads(out)["text"] == text


def test_unknown_encoding_is_a_usage_error(fake: FakeExtractor, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([str(corpus / "a.txt"), "--encoding", "klingon"], capsys)
    assert code == 2 and "unknown encoding: 'klingon'" in err


def test_utf8_bom_is_not_text(fake: FakeExtractor, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + '"Fine," Ito said.'.encode())
    code, out, _ = run([str(path), "--json"], capsys)
    assert code == 0 and json.loads(out)["text"] == '"Fine," Ito said.'


def test_binary_file_rejected(fake: FakeExtractor, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    code, out, err = run([str(binary), str(corpus / "a.txt")], capsys)
    assert code == 1
    assert f"{binary}: binary file" in err and "1 of 2 articles failed" in err
    assert "Lindqvist" in out  # the text file is still done


def test_long_single_file_shows_progress_over_its_text(fake: FakeExtractor, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "long.txt"
    path.write_text('"Fine," Ito said.\n' * (cli.LONG_TEXT // 17 + 1), encoding="utf-8")
    code, _, err = run([str(path), "--json", "--progress"], capsys)
    assert code == 0
    n = len(path.read_text(encoding="utf-8"))
    assert f"{n}/{n}" in err and "char" in err  # a bar over characters, not over one article
    code, _, err = run([str(path), "--json", "--no-progress"], capsys)
    assert code == 0 and "char" not in err


def test_unreadable_file_reported_as_failed(fake: FakeExtractor, corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    locked = str(corpus / "b.txt")
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if str(self) == locked:
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, out, err = run([str(corpus / "a.txt"), locked, "--json"], capsys)
    assert code == 1
    assert f"{locked}: cannot read: Permission denied" in err
    assert len(out.splitlines()) == 2


def test_jobs_and_progress(fake: FakeExtractor, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(corpus / "a.txt"), str(corpus / "b.txt")]
    code, _, err = run([*files, "--jobs", "3", "--progress", "--json"], capsys)
    assert code == 0
    # the CLI draws the bar itself, so the extractor is asked not to
    assert fake.pipe_kwargs["n_process"] == 3 and fake.pipe_kwargs["progress"] is False
    assert "2/2" in err
    code, _, err = run([*files, "--no-progress", "--json"], capsys)
    assert code == 0 and "2/2" not in err
    code, _, err = run([*files, "--json"], capsys)  # stderr is not a terminal under pytest
    assert code == 0 and "2/2" not in err


def test_help_is_fast_and_does_not_load_the_model() -> None:
    probe = (
        "import sys\n"
        "from quotecraft.io.cli import main\n"
        "code = main(['--help'])\n"
        "heavy = [m for m in ('quotecraft.extractor', 'stanza', 'torch', 'pandas', 'tqdm') if m in sys.modules]\n"
        "print('EXIT', code, 'HEAVY', heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "usage: quotecraft" in proc.stdout
    assert "EXIT 0 HEAVY []" in proc.stdout


def test_python_dash_m(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "quotecraft", str(tmp_path / "missing.txt")], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "no such file or directory" in proc.stderr and "Traceback" not in proc.stderr
