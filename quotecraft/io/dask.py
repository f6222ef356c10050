"""Run quotecraft on a Dask cluster: many articles, one status row each, Parquet out.

Needs the optional extra ``pip install 'quotecraft[dask]'`` (dask[distributed], pyarrow, pandas).

    >>> import dask, dask.bag as db
    >>> import quotecraft.io.dask as qd
    >>> bag = db.from_sequence([("a1", text1), ("a2", text2)], npartitions=2)
    >>> result = qd.extract_bag(bag)                  # lazy: result.quotes, result.status
    >>> quotes, status = dask.compute(result.quotes, result.status)
    >>> qd.extract_to_parquet(bag, "out.parquet")      # runs the job, writes Parquet, returns a Summary

Input: a `dask.bag.Bag` of texts or ``(id, text)`` pairs, or a `dask.dataframe.DataFrame` with a text
column (and optionally an id column; otherwise the index is the id).  Every article gives exactly one
**status row**, so nothing disappears silently: an article whose extraction raises, a ``None`` item,
bytes that are not UTF-8 all become ``status="error"`` rows with a message, and the job goes on.

Schemas (also the Parquet schemas; every column may be read back with pandas):

``quotes`` -- one row per quote, the columns of `quotecraft.io.table.COLUMNS` (as `to_dataframe`):
    article_id string, speaker string?, speaker_kind string?, speaker_mention string?,
    addressee string?, cue string?, kind string, type string, reported_by string, content string,
    start int64, end int64, confidence float64, decided_by string, fragments string
                                                        (? = may be null)
``status`` -- one row per article:
    article_id string, status string ("ok" | "error"), message string?, n_quotes int64
    [, json string?  -- `Article.to_json()` of the article, with ``with_json=True``]

Ids are strings: the id of an ``(id, text)`` pair (``str(id)``), the id column or index of a
dataframe, or ``"<partition>:<position>"`` for a bag of plain texts.

The model is loaded once per worker process (a per-process cache keyed by the extractor settings),
not per partition or article; torch gets ``threads`` intra-op threads in each worker (1 by default,
so that one worker process is one core).

`extract_to_parquet` writes ``OUT/quotes/part-NNNNN.parquet`` and ``OUT/status/part-NNNNN.parquet``,
one pair per input partition, named by the partition's position and written by the task itself
(to a hidden temporary name, then renamed), so a task that is retried after its worker died
rewrites the same files instead of adding rows, and running the job again over the same input
into the same folder replaces the files (parts left from an earlier run with more partitions are
removed at the end).  Read them back with ``pandas.read_parquet("OUT/quotes")`` or `read_parquet`.
"""
from __future__ import annotations

import logging
import os
import re
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple, Optional, Sequence, Union

from ..objects import Article
from .table import COLUMNS, to_records

try:
    import dask
    import dask.bag as db
    import dask.dataframe as dd
except ImportError as exc:  # an optional extra: say how to get it instead of a bare ModuleNotFoundError
    raise ImportError("quotecraft.io.dask needs Dask: pip install 'quotecraft[dask]'") from exc

if TYPE_CHECKING:
    import pandas

__all__ = ["QUOTE_COLUMNS", "STATUS_COLUMNS", "Extraction", "Summary", "extract_bag", "extract_dataframe",
           "extract_to_parquet", "local_cluster", "read_parquet"]

QUOTE_COLUMNS = COLUMNS
STATUS_COLUMNS = ("article_id", "status", "message", "n_quotes")
OK, ERROR = "ok", "error"

#: articles per task when the input is a list of files (CLI); big enough that the scheduler's
#: per-task cost is small next to the extraction, small enough for an even spread and progress
PARTITION_SIZE = 8

#: messages kept in a `Summary` (the driver's memory stays bounded however many articles fail)
MAX_MESSAGES = 1000

_PART = re.compile(r"^part-(\d{5,})\.parquet$")


class Extraction(NamedTuple):
    """The lazy results of `extract_bag` / `extract_dataframe`."""

    quotes: object  #: bag of quote dicts, or dataframe (QUOTE_COLUMNS)
    status: object  #: bag of status dicts, or dataframe (STATUS_COLUMNS [+ json]), one per article


class Summary(NamedTuple):
    """What `extract_to_parquet` did."""

    articles: int
    ok: int
    errors: int
    quotes: int
    partitions: int
    #: ``(article_id, status, message)`` of the error rows, and of ok rows with a warning (undecodable
    #: bytes replaced), the first `MAX_MESSAGES` of them: the status files hold them all
    messages: list[tuple[str, str, str]]
    #: how many more there were
    more_messages: int = 0


# ---------------------------------------------------------------------------- worker side
class _Settings(NamedTuple):
    """What a worker needs to build (and cache) its extractor; small and picklable."""

    options: tuple[tuple[str, Any], ...]
    factory: Optional[Callable[..., Any]]
    threads: Optional[int]
    with_json: bool
    decode_errors: str

    def key(self) -> str:
        name = "" if self.factory is None else f"{self.factory.__module__}.{getattr(self.factory, '__qualname__', '')}"
        return f"{name}|{self.options!r}"


def _settings(options: Optional[dict[str, Any]], factory: Optional[Callable[..., Any]], threads: Optional[int],
              with_json: bool, decode_errors: str = "strict") -> _Settings:
    if threads is not None and threads < 1:
        raise ValueError(f"threads must be >= 1 (or None to leave torch alone), got {threads}")
    if decode_errors not in ("strict", "replace"):
        raise ValueError(f"decode_errors must be 'strict' or 'replace', got {decode_errors!r}")
    return _Settings(tuple(sorted((options or {}).items())), factory, threads, with_json, decode_errors)


_cache: dict[str, Any] = {}
_cache_lock = threading.Lock()
#: seconds each cached extractor took to build in this process (read by benchmarks/scale.py)
load_seconds: dict[str, float] = {}
#: how many times this process built an extractor for each settings key (1 each, unless evicted)
loads: dict[str, int] = {}
#: whether this process undid the Dask nanny's malloc setting (`_undo_dask_malloc_trim`)
malloc_tuned = False


_WARM_UP = 'Officials met on Monday. "We will talk again," the minister said.'


def _set_threads(n: Optional[int]) -> None:
    if n is None:
        return
    import torch

    torch.set_num_threads(n)


#: glibc mallopt parameters and the values set in Dask workers (see `_undo_dask_malloc_trim`)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_TRIM_BYTES, _MMAP_BYTES = 128 << 20, 32 << 20


def _undo_dask_malloc_trim() -> bool:
    """Give glibc's allocator back the room torch needs, in a process started by a Dask nanny.

    Dask's nanny starts every worker with ``MALLOC_TRIM_THRESHOLD_=65536`` (its config
    ``distributed.nanny.pre-spawn-environ``) so that freed memory goes back to the system.  Setting
    it also switches off glibc's sliding mmap threshold, so every tensor above 128 KB is a fresh
    ``mmap`` whose pages fault in and are zeroed again on every use: extraction ran 30% slower per
    article in a worker (measured: 60 generated articles, 23.1 s plain against 31.4 s with the
    variable set, one thread).  Large fixed thresholds (32 MB mmap, 128 MB trim) restore the speed
    (23.3 s) and still hand back memory beyond 128 MB.  Returns whether it changed anything.
    """
    if not os.environ.get("MALLOC_TRIM_THRESHOLD_") or not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (e.g. musl): its allocator ignores the variable anyway
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_BYTES)) and bool(libc.mallopt(_M_TRIM_THRESHOLD, _TRIM_BYTES))


def _extractor(settings: _Settings) -> Any:
    """This process's extractor for ``settings``, built on first use (one model per process)."""
    key = settings.key()
    with _cache_lock:
        ex = _cache.get(key)
        if ex is None:
            t0 = time.perf_counter()
            real = settings.factory is None
            if real or "torch" in sys.modules:
                _set_threads(settings.threads)
            if real:
                from ..extractor import Extractor

                global malloc_tuned
                malloc_tuned = _undo_dask_malloc_trim() or malloc_tuned
                ex = Extractor(**dict(settings.options))
                # Stanza loads on the first parse: load it here, so a worker's first article is not
                # slower than the rest and the load is timed apart
                ex.extract(_WARM_UP)
                # set again: loading may apply its own default, and ours is the explicit choice
                _set_threads(settings.threads)
            else:
                ex = settings.factory(**dict(settings.options))
            _cache[key] = ex
            load_seconds[key] = time.perf_counter() - t0
            loads[key] = loads.get(key, 0) + 1
    return ex


def _as_text(value: Any, decode_errors: str) -> tuple[Optional[str], Optional[str]]:
    """(text, None), (text, warning) or (None, error message) for one input value."""
    if isinstance(value, str):
        return value, None
    if value is None:
        return None, "no text (None)"
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        try:
            # utf-8-sig: a BOM is not article text and would shift every offset (as in the CLI)
            return data.decode("utf-8-sig"), None
        except UnicodeDecodeError as exc:
            if decode_errors == "replace":
                return (data.decode("utf-8-sig", errors="replace"),
                        f"not valid UTF-8 (byte {exc.start}); undecodable bytes replaced with U+FFFD")
            return None, f"not valid UTF-8 (byte {exc.start})"
    return None, f"text must be str or UTF-8 bytes, not {type(value).__name__}"


def _extract_one(article_id: str, value: Any, settings: _Settings) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The status row and quote rows of one article; never raises for a bad article."""
    text, message = _as_text(value, settings.decode_errors)
    article: Optional[Article] = None
    if text is not None:
        try:
            article = _extractor(settings).extract(text)
        except Exception as exc:  # one odd article must not end the job
            message = f"{exc.__class__.__name__}: {exc}"
    quotes = to_records([article], ids=[article_id]) if article is not None else []
    status: dict[str, Any] = {"article_id": article_id, "status": OK if article is not None else ERROR,
                              "message": message, "n_quotes": len(quotes)}
    if settings.with_json:
        status["json"] = article.to_json() if article is not None else None
    return status, quotes


def _split_item(item: Any, partition: int, position: int) -> tuple[str, Any]:
    if isinstance(item, (tuple, list)) and len(item) == 2:
        return str(item[0]), item[1]
    return f"{partition}:{position}", item


def _bag_partition(items: Iterable[Any], partition: int, settings: _Settings) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    return [_extract_one(*_split_item(item, partition, i), settings) for i, item in enumerate(items)]


def _frame_items(pdf: "pandas.DataFrame", text_column: str, id_column: Optional[str]) -> list[tuple[str, Any]]:
    ids = pdf[id_column] if id_column is not None else pdf.index
    return [(str(i), _missing_to_none(t)) for i, t in zip(ids, pdf[text_column])]


def _missing_to_none(value: Any) -> Any:
    # pandas writes a missing text as NaN or pd.NA; both mean "no text"
    if value is None or isinstance(value, float) and value != value:
        return None
    try:
        import pandas as pd

        if value is pd.NA:
            return None
    except ImportError:
        pass
    return value


def _frame_partition(pdf: "pandas.DataFrame", text_column: str, id_column: Optional[str],
                     settings: _Settings) -> tuple["pandas.DataFrame", "pandas.DataFrame"]:
    results = [_extract_one(i, t, settings) for i, t in _frame_items(pdf, text_column, id_column)]
    return _quote_frame([q for _, qs in results for q in qs]), _status_frame([s for s, _ in results], settings.with_json)


def _read_file(path: str) -> Any:
    try:
        return Path(path).read_bytes()
    except OSError as exc:  # removed or unreadable since the start: an error row, not a failed task
        return _ReadError(f"cannot read: {exc.strerror or exc}")


class _ReadError(str):
    """A file that could not be read: its message, told apart from article text by its type."""


def _file_partition(files: Sequence[tuple[str, str]], settings: _Settings) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Extract ``(id, path)`` pairs: the worker reads the file, so only its path travels."""
    out = []
    for article_id, path in files:
        data = _read_file(path)
        if isinstance(data, _ReadError):
            status = {"article_id": article_id, "status": ERROR, "message": str(data), "n_quotes": 0}
            if settings.with_json:
                status["json"] = None
            out.append((status, []))
        else:
            out.append(_extract_one(article_id, data, settings))
    return out


# ---------------------------------------------------------------------------- frames and Parquet
def _quote_frame(rows: list[dict[str, Any]]) -> "pandas.DataFrame":
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=list(QUOTE_COLUMNS))
    return frame.astype(_QUOTE_DTYPES)


def _status_frame(rows: list[dict[str, Any]], with_json: bool) -> "pandas.DataFrame":
    import pandas as pd

    columns = list(STATUS_COLUMNS) + (["json"] if with_json else [])
    frame = pd.DataFrame.from_records(rows, columns=columns)
    return frame.astype({c: _STATUS_DTYPES[c] for c in columns})


# object dtype for strings: a nullable column of Python str/None, the same under pandas 2 and 3
_QUOTE_DTYPES = {c: "object" for c in QUOTE_COLUMNS} | {"start": "int64", "end": "int64", "confidence": "float64"}
_STATUS_DTYPES = {"article_id": "object", "status": "object", "message": "object", "n_quotes": "int64", "json": "object"}


def _arrow_schemas(with_json: bool) -> tuple[Any, Any]:
    import pyarrow as pa

    quotes = pa.schema([(c, pa.int64() if c in ("start", "end") else pa.float64() if c == "confidence" else pa.string())
                        for c in QUOTE_COLUMNS])
    status = pa.schema([("article_id", pa.string()), ("status", pa.string()), ("message", pa.string()),
                        ("n_quotes", pa.int64())] + ([("json", pa.string())] if with_json else []))
    return quotes, status


def _part_name(partition: int) -> str:
    return f"part-{partition:05d}.parquet"


def _write_atomic(table: Any, path: Path) -> None:
    import pyarrow.parquet as pq

    # a hidden temporary name: pyarrow and pandas skip files starting with "." when reading a folder,
    # and a worker killed mid-write leaves at most such a file, removed at the end of the run
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _write_partition(results: list[tuple[dict[str, Any], list[dict[str, Any]]]], partition: int, out: str,
                     with_json: bool) -> dict[str, Any]:
    import pyarrow as pa

    quote_schema, status_schema = _arrow_schemas(with_json)
    statuses = [s for s, _ in results]
    quotes = [q for _, qs in results for q in qs]
    root = Path(out)
    _write_atomic(pa.Table.from_pylist(quotes, schema=quote_schema), root / "quotes" / _part_name(partition))
    _write_atomic(pa.Table.from_pylist(statuses, schema=status_schema), root / "status" / _part_name(partition))
    return {"articles": len(statuses), "ok": sum(s["status"] == OK for s in statuses), "quotes": len(quotes),
            "messages": [(s["article_id"], s["status"], s["message"]) for s in statuses if s["message"]]}


def _timed_write(items: Any, partition: int, out: str, settings: _Settings, files: bool) -> dict[str, Any]:
    """One task of `extract_to_parquet`: extract a partition and write its two files."""
    t0 = time.perf_counter()
    loads_before = sum(load_seconds.values())
    results = _file_partition(items, settings) if files else _bag_partition(items, partition, settings)
    t1 = time.perf_counter()
    info = _write_partition(results, partition, out, settings.with_json)
    t2 = time.perf_counter()
    load = sum(load_seconds.values()) - loads_before
    info["seconds"] = {"extract": t1 - t0 - load, "load": load, "write": t2 - t1}
    info["pid"] = os.getpid()
    return info


def _frame_write(pdf: "pandas.DataFrame", partition: int, out: str, text_column: str, id_column: Optional[str],
                 settings: _Settings) -> dict[str, Any]:
    return _timed_write(_frame_items(pdf, text_column, id_column), partition, out, settings, files=False)


# ---------------------------------------------------------------------------- public API
def extract_bag(bag: "db.Bag", *, options: Optional[dict[str, Any]] = None, threads: Optional[int] = 1,
                with_json: bool = False, factory: Optional[Callable[..., Any]] = None,
                decode_errors: str = "strict") -> Extraction:
    """Quote rows and status rows (lazy bags of dicts) for a bag of texts or ``(id, text)`` pairs.

    ``options`` are `quotecraft.Extractor` keyword arguments; ``threads`` is torch's thread count
    in each worker process (``None`` leaves it alone); ``with_json`` adds the article's
    `Article.to_json()` to its status row; ``factory`` builds the extractor instead of
    `quotecraft.Extractor` (called with ``options``; it must be importable on the workers, and its
    result needs an ``extract(text) -> Article`` method); ``decode_errors="replace"`` extracts from
    bytes that are not UTF-8 after replacing the bad bytes (with a warning in ``message``) instead
    of giving an error row.  Compute both bags in one ``dask.compute`` so each article is
    extracted once.
    """
    settings = _settings(options, factory, threads, with_json, decode_errors)
    parts = bag.to_delayed()
    results = db.from_delayed([dask.delayed(_bag_partition, pure=True)(p, i, settings) for i, p in enumerate(parts)])
    return Extraction(results.map_partitions(_flat_quotes), results.map(_first))


def _flat_quotes(results: Iterable[tuple[dict[str, Any], list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    return [q for _, qs in results for q in qs]


def _first(result: tuple[dict[str, Any], list[dict[str, Any]]]) -> dict[str, Any]:
    return result[0]


def extract_dataframe(df: "dd.DataFrame", text_column: str = "text", id_column: Optional[str] = None, *,
                      options: Optional[dict[str, Any]] = None, threads: Optional[int] = 1, with_json: bool = False,
                      factory: Optional[Callable[..., Any]] = None, decode_errors: str = "strict") -> Extraction:
    """Quote and status dataframes (lazy) for a dataframe with a text column.

    The article id is ``id_column`` when given, else the index (as a string); a missing text
    (None/NaN) gives an error row.  Other arguments as in `extract_bag`.
    """
    _check_columns(df, text_column, id_column)
    settings = _settings(options, factory, threads, with_json, decode_errors)
    results = [dask.delayed(_frame_partition, nout=2, pure=True)(p, text_column, id_column, settings)
               for p in df.to_delayed()]
    quotes = dd.from_delayed([r[0] for r in results], meta=_quote_frame([]), verify_meta=False)
    status = dd.from_delayed([r[1] for r in results], meta=_status_frame([], with_json), verify_meta=False)
    return Extraction(quotes, status)


def _check_columns(df: Any, text_column: str, id_column: Optional[str]) -> None:
    for name in (text_column, id_column):
        if name is not None and name not in df.columns:
            raise KeyError(f"no column {name!r} in the dataframe (columns: {', '.join(map(str, df.columns))})")


def extract_to_parquet(data: Union["db.Bag", "dd.DataFrame", Sequence[str]], out: Union[str, os.PathLike[str]], *,
                       text_column: str = "text", id_column: Optional[str] = None,
                       options: Optional[dict[str, Any]] = None, threads: Optional[int] = 1,
                       with_json: bool = False, factory: Optional[Callable[..., Any]] = None,
                       decode_errors: str = "strict", client: Any = None, progress: bool = False,
                       partition_size: int = PARTITION_SIZE) -> Summary:
    """Run the job and write Parquet under ``out`` (see the module docstring); returns a `Summary`.

    ``data`` is a bag, a dataframe, or a list of file paths (read by the workers, so they must
    see the same paths; undecodable bytes are replaced, with a warning, as in the command line).
    With ``client`` (a `distributed.Client`) the tasks go to its cluster, else to Dask's current
    scheduler.  ``progress`` draws a bar on stderr.  Each task writes its own files (output writes
    are spread over the workers), so ``out`` must be a folder every worker can write.
    """
    root = Path(out)
    if root.exists() and not root.is_dir():
        raise NotADirectoryError(f"output {root} exists and is not a folder")
    for sub in ("quotes", "status"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    if isinstance(data, (db.Bag, dd.DataFrame)):
        settings = _settings(options, factory, threads, with_json, decode_errors)
    else:
        settings = _settings(options, factory, threads, with_json, "replace")
    out_str = str(root.resolve())
    if isinstance(data, dd.DataFrame):
        _check_columns(data, text_column, id_column)
        tasks = [dask.delayed(_frame_write, pure=False)(p, i, out_str, text_column, id_column, settings)
                 for i, p in enumerate(data.to_delayed())]
        sizes = None
    elif isinstance(data, db.Bag):
        tasks = [dask.delayed(_timed_write, pure=False)(p, i, out_str, settings, False)
                 for i, p in enumerate(data.to_delayed())]
        sizes = None
    else:
        if isinstance(data, (str, bytes, os.PathLike)):
            raise TypeError("give a list of file paths, not a single path")
        # the id is the path as given; the workers read the absolute path, as they may run elsewhere
        files = [(os.fspath(p), str(Path(p).resolve())) for p in data]
        if not files:
            raise ValueError("no file paths given")
        if partition_size < 1:
            raise ValueError(f"partition_size must be >= 1, got {partition_size}")
        chunks = [files[i:i + partition_size] for i in range(0, len(files), partition_size)]
        tasks = [dask.delayed(_timed_write, pure=False)(c, i, out_str, settings, True) for i, c in enumerate(chunks)]
        sizes = [len(c) for c in chunks]
    infos = _compute(tasks, client, progress, sizes)
    _remove_stale(root, len(tasks))
    messages: list[tuple[str, str, str]] = []
    more = 0
    for info in infos:
        room = max(0, MAX_MESSAGES - len(messages))
        messages.extend(info["messages"][:room])
        more += max(0, len(info["messages"]) - room)
        info["messages"] = []  # last_task_info keeps the timings only
    return Summary(articles=sum(i["articles"] for i in infos), ok=sum(i["ok"] for i in infos),
                   errors=sum(i["articles"] - i["ok"] for i in infos), quotes=sum(i["quotes"] for i in infos),
                   partitions=len(tasks), messages=messages, more_messages=more)


#: the per-task records of the last `extract_to_parquet` call in this process (timings, worker pid);
#: benchmarks/scale.py reads them
last_task_info: list[dict[str, Any]] = []


def _compute(tasks: list[Any], client: Any, progress: bool, sizes: Optional[list[int]]) -> list[dict[str, Any]]:
    global last_task_info
    if client is None:
        try:
            from distributed import default_client

            client = default_client()
        except (ImportError, ValueError):
            client = None
    if client is None:
        if progress:
            from dask.diagnostics import ProgressBar

            with ProgressBar(out=sys.stderr):
                infos = list(dask.compute(*tasks))
        else:
            infos = list(dask.compute(*tasks))
    else:
        from distributed import as_completed

        futures = client.compute(tasks)
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=sum(sizes) if sizes else None, unit="article", file=sys.stderr, desc="quotecraft")
        try:
            for future in as_completed(futures):
                info = future.result()  # a task that failed as a whole (e.g. disk full) raises here
                if bar is not None:
                    bar.update(info["articles"])
        finally:
            if bar is not None:
                bar.close()
        infos = client.gather(futures)
    last_task_info = infos
    return infos


def _remove_stale(root: Path, n_parts: int) -> None:
    """Remove part files of an earlier run with more partitions, and temporaries of killed tasks."""
    for sub in ("quotes", "status"):
        for path in (root / sub).iterdir():
            m = _PART.match(path.name)
            if (m and int(m.group(1)) >= n_parts) or (path.name.startswith(".part-") and path.name.endswith(".tmp")):
                path.unlink(missing_ok=True)


def read_parquet(out: Union[str, os.PathLike[str]]) -> tuple["pandas.DataFrame", "pandas.DataFrame"]:
    """The ``(quotes, status)`` frames that `extract_to_parquet` wrote under ``out``, in input order."""
    import pandas as pd

    root = Path(out)
    frames = []
    for sub in ("quotes", "status"):
        # one file at a time, in part order: a folder read does not promise an order
        parts = sorted(p for p in (root / sub).glob("part-*.parquet") if _PART.match(p.name))
        if not parts:
            raise FileNotFoundError(f"no Parquet parts in {root / sub}")
        frames.append(pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True))
    return frames[0], frames[1]


def local_cluster(n_workers: int = 2, *, profiler: bool = False, **kwargs: Any) -> Any:
    """A `distributed.LocalCluster` set up for quotecraft: ``n_workers`` processes of one thread each
    (torch then runs one thread per worker: a worker is one core), no dashboard.

    Dask's statistical profiler is off in these workers unless ``profiler=True``: it samples every
    worker thread's stack every 10 ms from the event loop, and each sample takes the GIL from the
    extraction thread (``benchmarks/scale.py --dask-profiler`` measures the difference).  For a
    cluster started elsewhere, set ``DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False`` in the
    workers' environment for the same effect.  (The nanny's ``MALLOC_TRIM_THRESHOLD_``, which slowed
    extraction by 30%, is undone inside every worker that builds a model, on any cluster.)  Other
    keyword arguments go to `LocalCluster`.
    """
    from distributed import LocalCluster

    kwargs = {"threads_per_worker": 1, "processes": True, "dashboard_address": None} | kwargs
    # the workers take the configuration in force when they are started; the event loop's own
    # timers wake it 50+ times a second to take the GIL from the extraction thread: their defaults
    # serve the dashboard, which is off (measured: summed extraction 109.2 -> 104.9 s, 240 articles)
    with dask.config.set({"distributed.worker.profile.enabled": profiler,
                          # this module's dask_setup runs in each worker: see _ClosedStreamHeartbeat
                          "distributed.worker.preload": ["quotecraft.io.dask"],
                          "distributed.admin.tick.interval": "1s",
                          "distributed.admin.system-monitor.interval": "2s",
                          "distributed.worker.memory.monitor-interval": "1s"}):
        return LocalCluster(n_workers=n_workers, **kwargs)


class _ClosedStreamHeartbeat(logging.Filter):
    """Drops the worker's "Failed to communicate with scheduler during heartbeat" record when its
    cause is a closed comm (`CommClosedError`).

    Closing a `LocalCluster` can close the scheduler's stream to a worker while that worker's
    heartbeat is in flight; the worker logs the error with its traceback and does nothing else
    (the next heartbeat, or its own close, follows). Closing the cluster in a ``with`` block
    makes it rarer but not impossible (dask/distributed#7105, open). A heartbeat that fails for
    another reason (a scheduler that cannot be reached) is still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.getMessage().startswith("Failed to communicate with scheduler during heartbeat"):
            return True
        exc = record.exc_info[1] if record.exc_info else None
        from distributed.comm.core import CommClosedError

        return not isinstance(exc, CommClosedError)


def dask_setup(worker: Any) -> None:
    """Dask's preload hook, run in each worker of `local_cluster` (the worker's logging)."""
    logging.getLogger("distributed.worker").addFilter(_ClosedStreamHeartbeat())
