"""quotecraft.io.dask on a real LocalCluster (2 worker processes, 1 thread each).

The fault tests use the cheap `dask_fakes.FakeExtractor` so they stay fast; one test runs the real
embedded model and compares its JSON with `Extractor.extract`, byte for byte.
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("dask")
pytest.importorskip("distributed")
pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")

import dask  # noqa: E402
import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402

import quotecraft.io.dask as qd  # noqa: E402
from quotecraft.io import cli  # noqa: E402
from quotecraft.io.cli import main  # noqa: E402
from quotecraft.io.table import COLUMNS  # noqa: E402

from dask_fakes import FakeExtractor, expected_quotes, worker_state  # noqa: E402

EXAMPLE = Path(__file__).parent / "data" / "kim-returns-from-russia.txt"


def _loopback_error() -> str | None:
    import socket

    try:
        with socket.socket() as server:
            server.bind(("127.0.0.1", 0))
            server.listen()
            socket.create_connection(server.getsockname(), timeout=2).close()
    except OSError as exc:
        return str(exc)
    return None


@pytest.fixture(scope="module")
def client():
    from distributed import Client

    # Dask's workers talk TCP even on one machine; in a bare network namespace (`unshare -rn`) the
    # loopback interface is down and the cluster would time out after 30 s instead
    problem = _loopback_error()
    if problem:
        pytest.skip(f"no loopback network for a local Dask cluster ({problem}); "
                    "offline, run `unshare -rn sh -c 'ip link set lo up && make test'`")
    cluster = qd.local_cluster(2, host="127.0.0.1")
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def _texts(n: int) -> list[tuple[str, str]]:
    # 0, 1 or 2 quotes per article, so a lost or doubled article changes the quote count
    return [(f"art-{i:03d}", f'Officials met on day {i}. ' + ' '.join(f'"Line {j} of {i}," she said.' for j in range(i % 3)))
            for i in range(n)]


def test_without_a_cluster(tmp_path, monkeypatch):
    """The same functions on Dask's in-process scheduler (no network): rows, Parquet, re-run."""
    items = [("x", 'He said "yes" and "no".'), ("y", None), ("z", "RAISE")]
    with dask.config.set(scheduler="sync"):
        result = qd.extract_bag(db.from_sequence(items, npartitions=2), factory=FakeExtractor)
        quotes, status = dask.compute(result.quotes, result.status)
        assert [(s["article_id"], s["status"], s["n_quotes"]) for s in status] == [
            ("x", "ok", 2), ("y", "error", 0), ("z", "error", 0)]
        assert [q["content"] for q in quotes] == ['"yes"', '"no"']
        for _ in range(2):  # twice into the same folder: the rows are there once
            summary = qd.extract_to_parquet(db.from_sequence(items, npartitions=2), tmp_path / "o", factory=FakeExtractor)
        # a list of files: a file gone since the listing is an error row, not a failed job
        (tmp_path / "a.txt").write_text('"Hi," he said.', encoding="utf-8")
        files = qd.extract_to_parquet([tmp_path / "a.txt", tmp_path / "gone.txt"], tmp_path / "f",
                                      factory=FakeExtractor, partition_size=1)
        monkeypatch.setattr(qd, "MAX_MESSAGES", 1)  # the summary keeps a bounded number of messages
        capped = qd.extract_to_parquet(db.from_sequence(items, npartitions=1), tmp_path / "c", factory=FakeExtractor)
    assert capped.messages == [("y", "error", "no text (None)")] and capped.more_messages == 1 and capped.errors == 2
    assert files.partitions == 2 and files.ok == 1 and files.quotes == 1
    assert files.messages == [(str(tmp_path / "gone.txt"), "error", "cannot read: No such file or directory")]
    quotes, status = qd.read_parquet(tmp_path / "o")
    assert list(status["article_id"]) == ["x", "y", "z"] and len(quotes) == 2
    assert summary == qd.Summary(articles=3, ok=1, errors=2, quotes=2, partitions=2, messages=[
        ("y", "error", "no text (None)"), ("z", "error", "RuntimeError: boom inside extraction")])


def test_local_cluster_workers(client):
    workers = client.scheduler_info()["workers"].values()
    assert len(workers) == 2 and all(w["nthreads"] == 1 for w in workers)
    assert set(client.run(lambda: dask.config.get("distributed.worker.profile.enabled")).values()) == {False}
    # the closed-stream heartbeat filter is in every worker (dask_setup, preloaded)
    names = client.run(lambda: [type(f).__name__ for f in logging.getLogger("distributed.worker").filters])
    assert all("_ClosedStreamHeartbeat" in n for n in names.values()), names


def test_heartbeat_on_a_closed_stream_is_not_logged_but_other_failures_are():
    import sys

    from distributed.comm.core import CommClosedError

    def record(msg, exc):
        try:
            raise exc
        except Exception:
            info = sys.exc_info()
        return logging.LogRecord("distributed.worker", logging.ERROR, __file__, 1, msg, (), info)

    f = qd._ClosedStreamHeartbeat()
    heartbeat = "Failed to communicate with scheduler during heartbeat."
    assert not f.filter(record(heartbeat, CommClosedError("in <TCP (closed)>: Stream is closed")))
    assert f.filter(record(heartbeat, OSError("Connection refused")))  # a scheduler out of reach
    assert f.filter(record("Unexpected exception during heartbeat. Closing worker.", CommClosedError("x")))


def test_bad_rows_and_raising_article_give_status_rows(client):
    items = [
        ("good", 'The mayor said "we will build it" on Monday.'),
        ("none", None),
        ("latin1", "caf\xe9 \"ol\xe9\"".encode("latin-1")),
        ("utf8-bytes", 'She said "fine" twice.'.encode("utf-8")),
        ("raises", 'RAISE "this"'),
        ("number", 42),
        ("empty", ""),
    ]
    result = qd.extract_bag(db.from_sequence(items, npartitions=3), factory=FakeExtractor)
    quotes, status = dask.compute(result.quotes, result.status)
    by_id = {s["article_id"]: s for s in status}
    assert len(status) == len(items) and set(by_id) == {i for i, _ in items}
    assert {k for k, s in by_id.items() if s["status"] == "ok"} == {"good", "utf8-bytes", "empty"}
    assert by_id["none"]["message"] == "no text (None)"
    assert "not valid UTF-8 (byte 3)" in by_id["latin1"]["message"]
    assert by_id["raises"]["message"] == "RuntimeError: boom inside extraction"
    assert "not int" in by_id["number"]["message"]
    assert [q["content"] for q in quotes if q["article_id"] == "good"] == ['"we will build it"']
    assert by_id["utf8-bytes"]["n_quotes"] == 1 and by_id["raises"]["n_quotes"] == 0
    assert all(list(q) == list(COLUMNS) for q in quotes)


def test_plain_texts_get_partition_position_ids(client):
    result = qd.extract_bag(db.from_sequence(['"a"', 'b', '"c" "d"'], npartitions=2), factory=FakeExtractor)
    quotes, status = dask.compute(result.quotes, result.status)
    assert [s["article_id"] for s in status] == ["0:0", "0:1", "1:0"]
    assert sorted(q["article_id"] for q in quotes) == ["0:0", "1:0", "1:0"]


def test_dataframe_input(client):
    frame = pd.DataFrame({"doc": ["d1", "d2", "d3", "d4"],
                          "body": ['He said "yes".', None, 'RAISE', '"One" and "two" were said.']})
    result = qd.extract_dataframe(dd.from_pandas(frame, npartitions=2), text_column="body", id_column="doc",
                                  factory=FakeExtractor)
    quotes, status = dask.compute(result.quotes, result.status)
    assert list(quotes.columns) == list(COLUMNS) and list(status.columns) == list(qd.STATUS_COLUMNS)
    assert status.set_index("article_id")["status"].to_dict() == {"d1": "ok", "d2": "error", "d3": "error", "d4": "ok"}
    assert quotes.groupby("article_id").size().to_dict() == {"d1": 1, "d4": 2}
    with pytest.raises(KeyError, match="no column 'text'"):
        qd.extract_dataframe(dd.from_pandas(frame, npartitions=1))


def test_worker_killed_mid_job_loses_and_doubles_nothing(client, tmp_path):
    marker = tmp_path / "died"
    items = _texts(30)
    items[17] = ("art-017", f'"Last words," he said. DIE:{marker}')
    out = tmp_path / "run.parquet"
    summary = qd.extract_to_parquet(db.from_sequence(items, npartitions=10), out, factory=FakeExtractor,
                                    client=client)
    assert marker.exists(), "the task never killed its worker: the test did not test anything"
    quotes, status = qd.read_parquet(out)
    assert sorted(status["article_id"]) == [i for i, _ in items]  # each article exactly once
    assert (status["status"] == "ok").all()
    expected = {i: expected_quotes(t) for i, t in items}
    assert quotes.groupby("article_id").size().to_dict() == {i: n for i, n in expected.items() if n}
    assert status.set_index("article_id")["n_quotes"].to_dict() == expected
    assert summary.articles == 30 and summary.quotes == sum(expected.values())
    # every file is a finished part; no temporary left by the killed task
    assert sorted(p.name for p in (out / "status").iterdir()) == [f"part-{i:05d}.parquet" for i in range(10)]


def test_rerun_into_same_folder_replaces_rows(client, tmp_path):
    items = _texts(12)
    out = tmp_path / "again.parquet"
    qd.extract_to_parquet(db.from_sequence(items, npartitions=6), out, factory=FakeExtractor, client=client)
    first_quotes, first_status = qd.read_parquet(out)
    # same input again, cut into fewer partitions: no part of the first run may survive beside it
    qd.extract_to_parquet(db.from_sequence(items, npartitions=4), out, factory=FakeExtractor, client=client)
    quotes, status = qd.read_parquet(out)
    assert len(list((out / "quotes").glob("*.parquet"))) == 4
    pd.testing.assert_frame_equal(status, first_status)
    pd.testing.assert_frame_equal(quotes, first_quotes)
    # and pandas reads the folder as one table, with the documented types
    whole = pd.read_parquet(out / "quotes")
    assert len(whole) == len(quotes) and whole["start"].dtype == "int64" and whole["confidence"].dtype == "float64"


@pytest.mark.model
def test_real_model_same_json_as_extract(client, extractor):
    texts = [
        EXAMPLE.read_text(encoding="utf-8"),
        'The council approved the budget on Tuesday. "This is a good day for the city," Mayor Ana Ruiz '
        'told reporters. Her deputy said the plan would cut waiting times.',
        "No quotes here, only a short note about the weather.",
    ]
    items = [(f"t{i}", t) for i, t in enumerate(texts)]
    result = qd.extract_bag(db.from_sequence(items, npartitions=3), with_json=True)
    # all three partitions on one worker: it must build the model once, not once per partition
    worker = sorted(client.scheduler_info()["workers"])[0]
    futures = client.compute([result.quotes, result.status], workers=[worker], allow_other_workers=False)
    expected = [extractor.extract(text).to_json() for _, text in items]  # meanwhile, here
    quotes, status = client.gather(futures)
    assert [s["status"] for s in status] == ["ok"] * 3
    assert [s["article_id"] for s in status] == [i for i, _ in items]
    assert [s["json"] for s in status] == expected
    assert sum(s["n_quotes"] for s in status) == len(quotes) > 5
    # the model is built once per worker process, and torch runs one thread there
    state = client.run(worker_state, workers=[worker])[worker]
    assert state["torch_threads"] == 1
    # the nanny started it with MALLOC_TRIM_THRESHOLD_ (30% slower torch); the worker undid it
    assert state["malloc_tuned"] is True
    # the real model, built once for three partitions
    assert state["loads"][qd._settings(None, None, 1, True).key()] == 1


def test_cli_scheduler_writes_parquet(client, tmp_path, capsys, monkeypatch):
    # the fake extractor keeps this about the command line's plumbing; the model is tested above
    monkeypatch.setattr(cli, "_dask_factory", FakeExtractor)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text('"We are ready," the coach said on Friday.', encoding="utf-8")
    (corpus / "b.txt").write_bytes(b'The minister said "caf\xe9 prices will fall".')  # not UTF-8
    out = tmp_path / "cli.parquet"
    code = main([str(corpus), "--scheduler", client.scheduler.address, "--out", str(out), "--no-progress"])
    assert code == 0
    quotes, status = qd.read_parquet(out)
    assert sorted(status["article_id"]) == [str(corpus / "a.txt"), str(corpus / "b.txt")]  # as the serial CLI names them
    b = status[status["article_id"].str.endswith("b.txt")].iloc[0]
    assert b["status"] == "ok" and "not valid UTF-8" in b["message"]
    assert len(quotes) == status["n_quotes"].sum() >= 2
    err = capsys.readouterr().err
    assert "warning:" in err and "2 articles" in err


def test_cli_scheduler_usage_errors(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text("text", encoding="utf-8")
    assert main([str(f), "--scheduler", "local"]) == 2
    assert "needs --out" in capsys.readouterr().err
    assert main([str(f), "--scheduler", "local", "--out", str(tmp_path / "o"), "--format", "csv"]) == 2
    assert "--format csv does not apply" in capsys.readouterr().err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
@pytest.mark.parametrize("env, expected", [({"MALLOC_TRIM_THRESHOLD_": "65536"}, "True"), ({}, "False")])
def test_malloc_trim_undone_only_where_dask_set_it(env, expected):
    code = "import quotecraft.io.dask as qd; print(qd._undo_dask_malloc_trim())"
    base = {k: v for k, v in os.environ.items() if k != "MALLOC_TRIM_THRESHOLD_"}
    out = subprocess.run([sys.executable, "-c", code], env=base | env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == expected
