"""Command line: ``quotecraft [extract] FILE|DIR|- ... [--format table|jsonl|csv|html]``.

The extractor (and with it Stanza and torch) is imported only once there is
work to do, so ``--help`` and argument errors answer at once.
"""
from __future__ import annotations

import argparse
import codecs
import contextlib
import csv
import io
import json
import os
import shutil
import sys
import warnings
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional, Sequence, Union

from ..objects import Article

if TYPE_CHECKING:
    from ..extractor import Extractor

__all__ = ["main"]

PROG = "quotecraft"
STDIN = "-"
STDIN_ID = "<stdin>"
FORMATS = ("table", "jsonl", "csv", "html")
#: a single input at least this long (characters) gets a progress bar of its own while it is parsed
LONG_TEXT = 100_000
#: how much of a file is searched for NUL bytes to tell a binary file from text
BINARY_SNIFF = 8192
#: widths of the table format's columns (the quote takes the rest of the line) on a terminal of 100
#: columns or more; they depend on the terminal's width only, never on the articles, so the
#: columns line up across articles and runs
TABLE_WIDTHS = {"speaker": 24, "cue": 12, "kind": 8, "via": 12}


def _table_widths(width: int) -> tuple[int, int, int, int]:
    """Speaker, cue, kind and via widths for a terminal *width* columns wide."""
    if width >= 100:
        return tuple(TABLE_WIDTHS.values())  # type: ignore[return-value]
    # narrow terminal: shrink the name columns, keep "indirect" whole, leave the quote ~20 columns
    return max(8, width // 5), max(5, width // 10), 8, max(5, width // 10)

# exit codes
OK, FAILED, USAGE = 0, 1, 2


def _make_extractor(**options: Any) -> "Extractor":
    """The extractor to run, with the ``--model`` / ``--attribution`` options given; a seam so
    tests can put a fake in its place."""
    from ..extractor import Extractor

    return Extractor(**options)


def _extractor_options(args: argparse.Namespace) -> dict[str, Any]:
    """`Extractor` options from the command line: only those given, so the defaults stay the library's."""
    return {k: v for k, v in (("model", args.model), ("attribution", args.attribution)) if v is not None}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        usage=f"{PROG} [extract] [options] INPUT [INPUT ...]",
        description=(
            "Find quotations in English news articles and say who said them and which agencies relayed them. "
            "INPUT is a text file (UTF-8 unless --encoding says otherwise), a directory (all its *.txt files, "
            "recursively) or - for stdin. "
            "'extract' is the (optional) explicit subcommand."
        ),
    )
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="text file, directory of *.txt files, or -")
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    p.add_argument("--encoding", type=_encoding, default="utf-8", metavar="ENC",
                   help="encoding of the input files (default utf-8; e.g. latin-1, cp1252, utf-16)")
    p.add_argument("--errors", choices=("strict", "replace"), default="strict",
                   help="bytes that are not valid in the encoding: strict = report the file as failed "
                   "(default), replace = read them as U+FFFD and go on")
    p.add_argument(
        "-f", "--format", choices=FORMATS, default="table",
        help="table: readable summary (default); jsonl: one JSON article per line; "
        "csv: one row per quote; html: a page with every article highlighted",
    )
    p.add_argument("--json", dest="format", action="store_const", const="jsonl", help="same as --format jsonl")
    p.add_argument("-o", "--out", metavar="PATH", help="write here instead of stdout")
    p.add_argument("-j", "--jobs", type=_positive_int, default=1, metavar="N", help="worker processes (default 1)")
    progress = p.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress", dest="progress", action="store_true", default=None,
        help="show a progress bar on stderr (default: when stderr is a terminal and there are several inputs)",
    )
    progress.add_argument("--no-progress", dest="progress", action="store_false", help="never show a progress bar")
    which = p.add_argument_group("which path (README, 'Which path')")
    from ..nlp.loading import KNOWN_MODELS

    which.add_argument("--model", choices=KNOWN_MODELS, default=None,
                       help="the parse: minilm (default: the rule tokenizer and one pass of the encoder shipped "
                       "in the package, for the parse and the learned spans), embedded (the compact Stanza model), "
                       "fast (the fast path: with the rules, about twice the default's speed), stanza "
                       "(STANZA_RESOURCES_DIR)")
    which.add_argument("--attribution", choices=("learned", "rules"), default=None,
                       help="the spans' source: learned (default; not with --model fast) or rules")
    dist = p.add_argument_group("distributed run on Dask (pip install 'quotecraft[dask]')")
    dist.add_argument("--scheduler", metavar="ADDRESS|local",
                      help="run on the Dask scheduler at ADDRESS (tcp://host:8786), or on a local cluster; "
                      "writes Parquet to --out DIR.parquet (DIR/quotes, DIR/status), one status row per article")
    dist.add_argument("--workers", type=_positive_int, default=2, metavar="N",
                      help="worker processes of --scheduler local (default 2)")
    dist.add_argument("--partition-size", type=_positive_int, default=8, metavar="N",
                      help="articles per Dask task (default 8)")
    return p


def _version() -> str:
    from .. import __version__

    return __version__


def _encoding(value: str) -> str:
    try:
        return codecs.lookup(value).name
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding: {value!r} (e.g. utf-8, latin-1, cp1252, utf-16)") from None


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def _warn(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


def _expand(inputs: Sequence[str]) -> tuple[list[str], list[str]]:
    """Input arguments to the list of sources (paths or ``-``), plus problems."""
    sources: list[str] = []
    problems: list[str] = []
    for item in inputs:
        if item == STDIN:
            sources.append(STDIN)
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(str(p) for p in path.glob("**/*.txt") if p.is_file())
            if not found:
                _warn(f"warning: no *.txt files in directory {item}")
            sources.extend(found)
        elif path.is_file():
            sources.append(item)
        elif path.exists():
            problems.append(f"not a regular file: {item}")
        else:
            problems.append(f"no such file or directory: {item}")
    return sources, problems


class InputError(Exception):
    """An input that cannot be read as text (binary, or not in the given encoding)."""


def _decode(data: bytes, name: str, encoding: str = "utf-8", errors: str = "strict") -> str:
    """The text of an input file, or `InputError` saying why there is none."""
    # NUL never occurs in text in the 8-bit encodings; in UTF-16/32 it is part of most characters
    if b"\x00" in data[:BINARY_SNIFF] and not encoding.startswith(("utf-16", "utf-32")):
        raise InputError("binary file (it contains NUL bytes), not text; give text files "
                         "(or --encoding utf-16 if it is UTF-16 text)")
    # utf-8-sig: a BOM is not article text and would shift every offset
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        where = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
        if errors == "strict":
            raise InputError(f"not valid {encoding} ({where}); name the file's encoding with --encoding "
                             "(e.g. --encoding latin-1) or read it anyway with --errors replace") from None
        _warn(f"warning: {name} is not valid {encoding} ({where}); undecodable bytes replaced with U+FFFD")
        return data.decode(codec, errors="replace")


class _Reader:
    """Reads the sources lazily, in order, so a large corpus is never all in memory.

    A file that cannot be read (removed or locked after the start) becomes an
    empty text, and its message is kept so the matching article is reported as
    failed instead of aborting the whole run.
    """

    def __init__(self, sources: Sequence[str], encoding: str = "utf-8", errors: str = "strict") -> None:
        self.sources = sources
        self.encoding = encoding
        self.errors = errors
        self.read_errors: dict[int, str] = {}
        self._stdin: Optional[str] = None

    def __iter__(self) -> Iterator[str]:
        for i, source in enumerate(self.sources):
            try:
                if source == STDIN:
                    if self._stdin is None:  # "-" given twice reads stdin once
                        buffer = getattr(sys.stdin, "buffer", None)
                        self._stdin = (self._decode(buffer.read(), STDIN_ID) if buffer is not None
                                       else sys.stdin.read())
                    yield self._stdin
                    continue
                try:
                    data = Path(source).read_bytes()
                except OSError as exc:
                    raise InputError(f"cannot read: {exc.strerror or exc}") from None
                yield self._decode(data, source)
            except InputError as exc:
                self.read_errors[i] = str(exc)
                yield ""

    def _decode(self, data: bytes, name: str) -> str:
        return _decode(data, name, self.encoding, self.errors)


def _source_id(source: str) -> str:
    return STDIN_ID if source == STDIN else source


class _Writer:
    """Streams one output format, article by article."""

    def __init__(self, fmt: str, out: IO[str]) -> None:
        self.fmt = fmt
        self.out = out
        self._csv: Any = None
        self.width = shutil.get_terminal_size((100, 24)).columns

    def begin(self) -> None:
        if self.fmt == "csv":
            from .table import COLUMNS

            self._csv = csv.DictWriter(self.out, fieldnames=list(COLUMNS), lineterminator="\n")
            self._csv.writeheader()
        elif self.fmt == "html":
            from .render import STYLE

            self.out.write(
                '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                f"<title>{PROG}</title>\n<style>{STYLE}\n"
                "body{margin:24px;background:#f6f8fa}.quotecraft{margin:0 auto 24px}</style>\n</head>\n<body>\n"
            )

    def article(self, source_id: str, article: Article) -> None:
        if self.fmt == "jsonl":
            self.out.write(json.dumps({"id": source_id, **article.to_dict()}, ensure_ascii=False) + "\n")
        elif self.fmt == "csv":
            from .table import to_records

            self._csv.writerows(to_records([article], ids=[source_id]))
        elif self.fmt == "html":
            from .render import render

            self.out.write(render(article, title=source_id, style=False) + "\n")
        else:
            self._table(source_id, article)

    def end(self) -> None:
        if self.fmt == "html":
            self.out.write("</body>\n</html>\n")
        self.out.flush()

    def _table(self, source_id: str, article: Article) -> None:
        if article.error:
            self.out.write(f"== {source_id}: FAILED: {article.error}\n\n")
            return
        n = len(article.quotes)
        self.out.write(f"== {source_id} ({n} quote{'s' if n != 1 else ''})\n")
        widths = _table_widths(self.width)
        # -1: a line exactly as wide as the terminal wraps on some of them; 12: the four " | "
        w_text = max(self.width - 1 - (sum(widths) + 12), 20)

        def line(cells: Sequence[str]) -> str:
            fitted = [_fit(c, w).ljust(w) for c, w in zip(cells, widths)]
            return " | ".join([*fitted, _fit(cells[-1], w_text)]).rstrip() + "\n"

        if n:
            self.out.write(line(("speaker", "cue", "kind", "via", "quote")))
            self.out.write("-+-".join("-" * w for w in (*widths, min(w_text, 40))) + "\n")
            rows = [
                (
                    q.speaker.name if q.speaker else "?",
                    q.cue.text if q.cue else "-",
                    # what a belief or a finding reports matters more than how it is quoted
                    q.kind if q.type == "speech" else q.type,
                    ", ".join(a.name for a in q.reported_by) or "-",
                    " ".join(q.text.split()),  # one line per quote even when it spans paragraphs
                )
                for q in article.quotes
            ]
            for row in rows:
                self.out.write(line(row))
        self.out.write("\n")


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "\u2026"


def _extract_with_progress(extractor: "Extractor", texts: Iterable[str], force: bool) -> Iterator[Article]:
    """Extract a single long input with a bar over its characters (`Extractor.extract(progress=True)`)."""
    for text in texts:
        try:
            if force or len(text) >= LONG_TEXT:
                yield extractor.extract(text, progress=True)  # type: ignore[call-arg]
            else:
                yield extractor.extract(text)
        except Exception as exc:  # reported like a failure in pipe(): message, exit status 1
            yield Article(text, error=f"{exc.__class__.__name__}: {exc}")


#: the extractor factory of ``--scheduler`` runs (None: quotecraft.Extractor); a seam for tests
_dask_factory: Optional[Callable[..., Any]] = None


def _run_on_dask(args: argparse.Namespace, sources: list[str]) -> int:
    """``quotecraft FILES --scheduler ADDRESS|local --out DIR.parquet``: returns the exit status."""
    from .dask import ERROR, extract_to_parquet, local_cluster

    if not args.out:
        _warn("error: --scheduler needs --out DIR.parquet (the results are written as Parquet)")
        return USAGE
    if args.format != "table":
        _warn(f"error: --scheduler writes Parquet; --format {args.format} does not apply")
        return USAGE
    if "-" in sources:
        _warn("error: --scheduler reads files, not standard input")
        return USAGE
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        _warn(f"error: {out} exists and is not a folder")
        return USAGE
    progress = args.progress if args.progress is not None else sys.stderr.isatty()
    from distributed import Client

    cluster = None
    try:
        if args.scheduler == "local":
            cluster = local_cluster(args.workers)
            client = Client(cluster)
        else:
            client = Client(args.scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        _warn(f"error: cannot reach the Dask scheduler at {args.scheduler}: {exc}")
        return FAILED
    try:
        summary = extract_to_parquet(sources, out, client=client, progress=progress,
                                     partition_size=args.partition_size, factory=_dask_factory,
                                     options=_extractor_options(args) or None)
    except KeyboardInterrupt:
        _warn("interrupted")
        return 130
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    for article_id, status, message in summary.messages:
        _warn(f"{'error' if status == ERROR else 'warning'}: {article_id}: {message}")
    if summary.more_messages:
        _warn(f"... and {summary.more_messages} more errors or warnings: see the message column of {out}/status")
    print(f"{summary.articles} articles, {summary.quotes} quotes, {summary.errors} failed -> "
          f"{out}/quotes, {out}/status ({summary.partitions} part{'s' if summary.partitions != 1 else ''} each)",
          file=sys.stderr)
    return FAILED if summary.errors else OK


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status.

    0: every article processed; 1: some article failed (reported on stderr);
    2: bad arguments or missing input files (nothing was processed).
    """
    parsed = _arguments(argv)
    if isinstance(parsed, int):
        return parsed
    args, sources = parsed
    if args.scheduler is not None:
        return _run_distributed(args, sources)
    extractor = _load_extractor(args)
    if extractor is None:
        return FAILED
    out = _open_output(args.out)
    if out is None:
        return USAGE
    return _run_local(args, sources, extractor, out)


def _arguments(argv: Optional[Sequence[str]]) -> Union[int, tuple[argparse.Namespace, list[str]]]:
    """The options and the sources to read, or the exit status when there is nothing to run.

    Every check here comes before the extractor (and Stanza, torch) is loaded, so a
    mistake in the command is answered at once.
    """
    parser = _parser()
    try:
        # intermixed: options may follow the inputs, as in `quotecraft a.txt --json`
        args = parser.parse_intermixed_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed by argparse
        return exc.code if isinstance(exc.code, int) else USAGE

    inputs = list(args.inputs)
    if inputs[:1] == ["extract"]:
        inputs = inputs[1:]  # the explicit subcommand; a file named "extract" can be given as ./extract
    if not inputs:
        parser.print_usage(sys.stderr)
        _warn("error: no input given (a file, a directory, or - for stdin)")
        return USAGE

    sources, problems = _expand(inputs)
    if problems:
        for problem in problems:
            _warn(f"error: {problem}")
        return USAGE
    if not sources:
        _warn("error: no input files found")
        return USAGE
    return args, sources


def _run_distributed(args: argparse.Namespace, sources: list[str]) -> int:
    """``--scheduler``: the run on Dask, once the 'dask' extra is known to be installed."""
    try:
        from . import dask  # noqa: F401  (its ImportError says what to install)
    except ImportError as exc:
        _warn(f"error: {exc}")
        return FAILED
    return _run_on_dask(args, sources)


def _load_extractor(args: argparse.Namespace) -> Optional["Extractor"]:
    """The extractor of ``--model`` / ``--attribution``, its load-time warnings reported on stderr;
    None, after saying why, when it cannot be loaded."""
    from ..errors import EncoderError
    from ..errors import HeadError

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            extractor = _make_extractor(**_extractor_options(args))
    except (ImportError, EncoderError, HeadError) as exc:
        # the learned attribution model (the default) with a missing or damaged file: the message names it
        _warn(f"error: cannot load the extractor: {exc}")
        return None
    for w in caught:
        # the learned model's extra not installed: one line, in the command line's words
        _warn(f"warning: {getattr(w.message, 'summary', w.message)}")
    return extractor


def _open_output(path: Optional[str]) -> Optional[IO[str]]:
    """Where the results go: the ``--out`` file, or stdout; None, after saying why, when the file
    cannot be opened for writing."""
    if not path:
        return sys.stdout
    try:
        # newline="": lines end in "\n" as written (what the csv writer expects), on every platform
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        _warn(f"error: cannot write {path}: {exc.strerror or exc}")
        return None


def _run_local(args: argparse.Namespace, sources: list[str], extractor: "Extractor", out: IO[str]) -> int:
    """Extract the sources here (with ``--jobs`` worker processes) and stream the results to *out*,
    which is closed at the end unless it is stdout; returns the exit status."""
    show_progress, one_long = _progress_bars(args.progress, len(sources))
    reader = _Reader(sources, args.encoding, args.errors)
    writer = _Writer(args.format, out)
    bar: Any = None
    try:
        # the CLI draws its own bar (it knows the total), so the extractor's is off
        articles: Iterator[Article] = (_extract_with_progress(extractor, reader, force=bool(args.progress)) if one_long
                                       else iter(extractor.pipe(reader, n_process=args.jobs, progress=False)))
        if show_progress:
            from tqdm import tqdm

            bar = tqdm(total=len(sources), unit="article", file=sys.stderr)
        failed = _write_articles(articles, sources, reader, writer, bar)
    except KeyboardInterrupt:
        _warn("interrupted")
        return 130
    except BrokenPipeError:
        _stdout_to_devnull()
        return FAILED
    finally:
        if bar is not None:
            bar.close()
        if out is not sys.stdout:
            out.close()
    if failed:
        _warn(f"{failed} of {len(sources)} article{'s' if len(sources) != 1 else ''} failed")
        return FAILED
    return OK


def _progress_bars(progress: Optional[bool], n_sources: int) -> tuple[bool, bool]:
    """Which bars to draw: (one over the articles, one over the text of a single long input).

    ``--progress`` / ``--no-progress`` decide; by default a bar is drawn when stderr is a terminal.
    """
    show_progress = progress if progress is not None else (n_sources > 1 and sys.stderr.isatty())
    # one input: no bar over articles (it would jump from 0 to 1) but, when it is long, one over its text
    one_long = n_sources == 1 and progress is not False and (progress or sys.stderr.isatty())
    if n_sources == 1:
        show_progress = False
    return show_progress, one_long


def _write_articles(articles: Iterator[Article], sources: list[str], reader: _Reader, writer: _Writer,
                    bar: Any) -> int:
    """Write each article as it comes (the one of an unreadable file as failed), report the failed
    ones on stderr and advance *bar* (None: no bar); returns how many failed."""
    failed = 0
    writer.begin()
    for i, article in enumerate(articles):
        source_id = _source_id(sources[i])
        if i in reader.read_errors:
            article = Article(text="", error=reader.read_errors[i])
        # lift the bar while writing, or lines printed to the same terminal tear it
        with bar.external_write_mode(file=sys.stderr) if bar is not None else contextlib.nullcontext():
            if article.error:
                failed += 1
                _warn(f"error: {source_id}: {article.error}")
            writer.article(source_id, article)
        if bar is not None:
            bar.update(1)
    writer.end()
    return failed


def _stdout_to_devnull() -> None:
    """The reader of stdout went away (`quotecraft dir | head`): stop quietly, and point stdout at
    devnull so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass
