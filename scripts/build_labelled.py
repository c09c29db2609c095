"""Build the real-text labelled corpus in data/labelled/ from gathered statements and coders' codes.

Usage:
    .venv/bin/python scripts/build_labelled.py sheet            # gathered/*.csv -> statements.csv + coding sheets
    .venv/bin/python scripts/build_labelled.py disagreements 2  # a batch's coder_a + coder_b -> kappa, to_adjudicate.csv
    .venv/bin/python scripts/build_labelled.py final            # + each batch's adjudicated.csv -> train/dev/test.csv

The corpus was gathered in batches, each coded on its own: batch 1 (`gathered/gather_*.csv`,
coded in `coding/`), batch 2 (`gathered/b2_*.csv`, coded in `coding/b2/`) and batch 3
(`gathered/b3_*.csv`, coded in `coding/b3/`).

Steps, each reading only what the one before wrote:

1. `sheet`: every gathered file (text, source_url, source_title) is merged; empty rows and
   texts said before (ignoring case) are dropped and counted; each statement gets a stable id
   (`r` and a hash of its text). A page gathered in two batches stops the build. Each batch's
   pages are split into train, dev and test (`SHARES`: batch 1 60/20/20 of its statements,
   batch 2 50/10/40, batch 3 50/0/50), whole pages at a time, by a seeded shuffle of the page
   URLs: no page is in two splits. A test split once looked at is part of dev after
   (`RETIRED`): batch 1's (2026-11-28) and batch 2's (2026-11-29); test is batch 3's.
   Each batch's `to_code.csv` (id, text, and the page's source_url, which the coders were not
   shown) is what each coder codes, with the codebook's descriptions.
2. `disagreements BATCH`: the batch's two coders' files (`coder_a.csv`, `coder_b.csv`: id,
   themes separated by `;`, empty for none) are compared. Cohen's kappa per theme (before
   adjudication) goes to `kappa.md`; statements whose theme sets differ go to
   `to_adjudicate.csv` with both codings.
3. `final`: each batch's adjudicator's file (`adjudicated.csv`: id, themes) settles those; the
   others keep the codes both coders gave. `train.csv`, `dev.csv` and `test.csv` have id, text,
   themes, source_url, source_title, coder_a, coder_b.
"""

from __future__ import annotations

import csv
import hashlib
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "data" / "labelled"
CODING = LABELLED / "coding"
SPLITS = {"train": 0.6, "dev": 0.2, "test": 0.2}
# Batch 2 gives test a larger share: dev already holds batch 1's dev and its spent test split,
# and at 20% batch 2's test would hold about 200 statements, 5 of them on unlearning.
SHARES = {
    "1": SPLITS,
    "2": {"train": 0.5, "dev": 0.1, "test": 0.4},
    # Batch 3: dev already holds batches 1 and 2's dev and spent test splits.
    "3": {"train": 0.5, "test": 0.5},
}
SEED = 20261128
SEEDS = {"1": SEED, "2": SEED + 100, "3": SEED + 200}  # the shuffle of each batch's pages
BATCHES = {"1": "gather_", "2": "b2_", "3": "b3_"}  # batch → the prefix of its gathered files
# A test split once looked at is development data after: batch 1's on 2026-11-28, batch 2's on
# 2026-11-29.
RETIRED = {("1", "test"): "dev", ("2", "test"): "dev"}


def coding_folder(batch: str) -> Path:
    return CODING if batch == "1" else CODING / f"b{batch}"


def batch_of(stem: str) -> str:
    batch = next((b for b, prefix in BATCHES.items() if stem.startswith(prefix)), None)
    if batch is None:
        sys.exit(
            f"gathered/{stem}.csv: no batch's prefix ({', '.join(BATCHES.values())}); rename it"
        )
    return batch


def page_key(url: str) -> str:
    """A page's address without scheme, ``www.`` or trailing slash, for matching."""
    bare = url.strip().lower().split("://", 1)[-1].removeprefix("www.")
    return bare.rstrip("/")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write(path: Path, rows: list[dict], fields: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)


def themes_of(value: str) -> frozenset[str]:
    return frozenset(t.strip() for t in (value or "").replace(",", ";").split(";") if t.strip())


def theme_ids() -> list[str]:
    import yaml

    codebook = yaml.safe_load((ROOT / "config" / "codebook.yml").read_text(encoding="utf-8"))
    return [t["id"] for t in codebook["themes"]]


def sheet() -> None:
    rows, seen = [], set()
    dropped = {batch: 0 for batch in BATCHES}
    paths = sorted((LABELLED / "gathered").glob("*.csv"), key=lambda p: (batch_of(p.stem), p.name))
    for path in paths:
        batch = batch_of(path.stem)
        for row in read(path):
            text = " ".join(row["text"].split())
            url = row["source_url"].strip()
            if not text or not url or text.casefold() in seen:  # empty, or said before
                dropped[batch] += 1
                continue
            seen.add(text.casefold())
            digest = hashlib.blake2b(text.encode(), digest_size=5).hexdigest()
            rows.append(
                {
                    "id": f"r{digest}",
                    "text": text,
                    "source_url": url,
                    "source_title": row.get("source_title", "").strip(),
                    "gathered": path.stem,
                    "batch": batch,
                }
            )
    first_batch: dict[str, str] = {}
    for row in rows:  # a batch's pages must be new: else one page could sit in two splits
        first = first_batch.setdefault(page_key(row["source_url"]), row["batch"])
        if first != row["batch"]:
            sys.exit(
                f"gathered/{row['gathered']}.csv: {row['source_url']} was gathered in batch "
                f"{first} already; drop its rows from batch {row['batch']}"
            )
    for batch in BATCHES:
        mine = [r for r in rows if r["batch"] == batch]
        deal(mine, shares=SHARES[batch], seed=SEEDS[batch])
    rows.sort(key=lambda r: r["id"])
    fields = ["id", "text", "source_url", "source_title", "gathered", "batch", "split"]
    write(LABELLED / "statements.csv", rows, fields)
    for batch in BATCHES:
        mine = [r for r in rows if r["batch"] == batch]
        shuffled = mine[:]
        random.Random(SEED + int(batch)).shuffle(shuffled)  # no order by page or split
        # The coders were given id and text; source_url is kept in every file all the same.
        write(coding_folder(batch) / "to_code.csv", shuffled, ["id", "text", "source_url"])
        counts = {s: sum(r["split"] == s for r in mine) for s in ("train", "dev", "test")}
        pages = {s: len({r["source_url"] for r in mine if r["split"] == s}) for s in counts}
        print(
            f"batch {batch}: {len(mine)} statements ({dropped[batch]} empty or repeated rows "
            f"dropped); statements {counts}; pages {pages}"
        )


def deal(rows: list[dict[str, str]], *, shares: dict[str, float], seed: int) -> None:
    """Deal a batch's pages to the splits, each to the one furthest below its share."""
    pages: dict[str, int] = {}
    for row in rows:
        pages[row["source_url"]] = pages.get(row["source_url"], 0) + 1
    order = sorted(pages)
    random.Random(seed).shuffle(order)
    split_of, filled = {}, dict.fromkeys(shares, 0)
    for url in order:
        name = min(shares, key=lambda s: filled[s] / (shares[s] * len(rows)))
        split_of[url] = name
        filled[name] += pages[url]
    for row in rows:
        split = split_of[row["source_url"]]
        row["split"] = RETIRED.get((row["batch"], split), split)


def kappa(a: list[bool], b: list[bool]) -> float:
    n = len(a)
    agree = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    return float("nan") if expected == 1 else (agree - expected) / (1 - expected)


def disagreements(batch: str) -> None:
    folder = coding_folder(batch)
    statements = {r["id"]: r for r in read(LABELLED / "statements.csv") if r["batch"] == batch}
    a = {r["id"]: themes_of(r["themes"]) for r in read(folder / "coder_a.csv")}
    b = {r["id"]: themes_of(r["themes"]) for r in read(folder / "coder_b.csv")}
    known = set(theme_ids())
    for name, codes in (("coder_a", a), ("coder_b", b)):
        missing = set(statements) - set(codes)
        unknown = {t for ts in codes.values() for t in ts} - known
        if missing or unknown:
            sys.exit(f"{name}: {len(missing)} statements not coded; unknown themes {unknown}")
    ids = sorted(statements)
    rows = []
    for theme in theme_ids():
        xa = [theme in a[i] for i in ids]
        xb = [theme in b[i] for i in ids]
        rows.append(
            {
                "theme": theme,
                "n": len(ids),
                "coder_a": sum(xa),
                "coder_b": sum(xb),
                "both": sum(x and y for x, y in zip(xa, xb, strict=True)),
                "kappa": f"{kappa(xa, xb):.3f}",
            }
        )
    none_a = sum(not a[i] for i in ids)
    none_b = sum(not b[i] for i in ids)
    table = ["| theme | n | coder_a | coder_b | both | kappa |", "|---|---|---|---|---|---|"]
    table += [
        f"| {r['theme']} | {r['n']} | {r['coder_a']} | {r['coder_b']} | {r['both']} | {r['kappa']} |"
        for r in rows
    ]
    (folder / "kappa.md").write_text(
        "# Cohen's kappa between the two coders, per theme, before adjudication\n\n"
        + "\n".join(table)
        + "\n",
        encoding="utf-8",
    )
    for name, codes in (("coder_a", a), ("coder_b", b)):  # each row keeps its page
        coded = [
            {
                "id": i,
                "themes": ";".join(sorted(codes[i])),
                "source_url": statements[i]["source_url"],
            }
            for i in ids
        ]
        write(folder / f"{name}.csv", coded, ["id", "themes", "source_url"])
    differ = [
        {
            "id": i,
            "text": statements[i]["text"],
            "coder_a": ";".join(sorted(a[i])),
            "coder_b": ";".join(sorted(b[i])),
            "source_url": statements[i]["source_url"],
        }
        for i in ids
        if a[i] != b[i]
    ]
    write(folder / "to_adjudicate.csv", differ, ["id", "text", "coder_a", "coder_b", "source_url"])
    for row in rows:
        print(
            f"  {row['theme']:<11} a={row['coder_a']:<4} b={row['coder_b']:<4} kappa={row['kappa']}"
        )
    print(
        f"no theme: coder a {none_a}, coder b {none_b} of {len(ids)}; {len(differ)} to adjudicate"
    )


def final() -> None:
    statements = read(LABELLED / "statements.csv")
    url = {r["id"]: r["source_url"] for r in statements}
    a, b, settled = {}, {}, {}
    for batch in BATCHES:
        folder = coding_folder(batch)
        a |= {r["id"]: themes_of(r["themes"]) for r in read(folder / "coder_a.csv")}
        b |= {r["id"]: themes_of(r["themes"]) for r in read(folder / "coder_b.csv")}
        mine = {r["id"]: themes_of(r["themes"]) for r in read(folder / "adjudicated.csv")}
        write(  # the adjudicator's file keeps each row's page too
            folder / "adjudicated.csv",
            [
                {"id": i, "themes": ";".join(sorted(t)), "source_url": url[i]}
                for i, t in mine.items()
            ],
            ["id", "themes", "source_url"],
        )
        settled |= mine
    known = set(theme_ids())
    out: dict[str, list[dict]] = {s: [] for s in SPLITS}
    for row in statements:
        i = row["id"]
        if a[i] == b[i]:
            themes = a[i]
        elif i in settled:
            themes = settled[i]
        else:
            sys.exit(f"{i}: the coders disagree and the adjudicator has not settled it")
        if themes - known:
            sys.exit(f"{i}: unknown themes {themes - known}")
        order = [t for t in theme_ids() if t in themes]
        out[row["split"]].append(
            {
                **row,
                "themes": ";".join(order),
                "coder_a": ";".join(sorted(a[i])),
                "coder_b": ";".join(sorted(b[i])),
            }
        )
    fields = ["id", "text", "themes", "source_url", "source_title", "coder_a", "coder_b"]
    for name, rows in out.items():
        write(LABELLED / f"{name}.csv", rows, fields)
        none = sum(not r["themes"] for r in rows)
        pages = len({r["source_url"] for r in rows})
        print(f"{name}: {len(rows)} statements, {pages} pages, {none} with no theme")


if __name__ == "__main__":
    {"sheet": sheet, "disagreements": disagreements, "final": final}[sys.argv[1]](*sys.argv[2:])
