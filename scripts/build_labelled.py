"""Build the real-text labelled corpus in data/labelled/ from gathered statements and coders' codes.

Usage:
    .venv/bin/python scripts/build_labelled.py sheet        # gathered/*.csv -> statements.csv + coding sheet
    .venv/bin/python scripts/build_labelled.py disagreements  # coder_a + coder_b -> kappa, to_adjudicate.csv
    .venv/bin/python scripts/build_labelled.py final        # + adjudicated.csv -> train/dev/test.csv

Steps, each reading only what the one before wrote:

1. `sheet`: every gathered file (`data/labelled/gathered/*.csv`: text, source_url, source_title)
   is merged; exact duplicate texts are dropped; each statement gets a stable id (`r` and a
   hash of its text). Pages are split into train, dev and test (60/20/20 of the statements),
   whole pages at a time, by a seeded shuffle of the page URLs: no page is in two splits.
   `coding/to_code.csv` (id, text, and the page's source_url, which the coders were not shown)
   is what each coder codes, with the codebook's descriptions.
2. `disagreements`: the two coders' files (`coding/coder_a.csv`, `coding/coder_b.csv`: id,
   themes separated by `;`, empty for none) are compared. Cohen's kappa per theme (before
   adjudication) goes to `coding/kappa.md`; statements whose theme sets differ go to
   `coding/to_adjudicate.csv` with both codings.
3. `final`: the adjudicator's file (`coding/adjudicated.csv`: id, themes) settles those; the
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
SEED = 20261128


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
    for path in sorted((LABELLED / "gathered").glob("*.csv")):
        for row in read(path):
            text = " ".join(row["text"].split())
            url = row["source_url"].strip()
            if not text or not url or text.casefold() in seen:
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
                }
            )
    pages: dict[str, int] = {}
    for row in rows:
        pages[row["source_url"]] = pages.get(row["source_url"], 0) + 1
    order = sorted(pages)
    random.Random(SEED).shuffle(order)
    split_of, filled = {}, dict.fromkeys(SPLITS, 0)
    for url in order:  # each page to the split furthest below its share
        name = min(SPLITS, key=lambda s: filled[s] / (SPLITS[s] * len(rows)))
        split_of[url] = name
        filled[name] += pages[url]
    for row in rows:
        row["split"] = split_of[row["source_url"]]
    rows.sort(key=lambda r: r["id"])
    fields = ["id", "text", "source_url", "source_title", "gathered", "split"]
    write(LABELLED / "statements.csv", rows, fields)
    shuffled = rows[:]
    random.Random(SEED + 1).shuffle(shuffled)  # coders see no order by page or split
    # The coders were given id and text; source_url is kept in every file here all the same.
    write(CODING / "to_code.csv", shuffled, ["id", "text", "source_url"])
    counts = {s: sum(r["split"] == s for r in rows) for s in SPLITS}
    page_counts = {s: sum(v == s for v in split_of.values()) for s in SPLITS}
    print(
        f"{len(rows)} statements from {len(pages)} pages; statements {counts}; pages {page_counts}"
    )


def kappa(a: list[bool], b: list[bool]) -> float:
    n = len(a)
    agree = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    return float("nan") if expected == 1 else (agree - expected) / (1 - expected)


def disagreements() -> None:
    statements = {r["id"]: r for r in read(LABELLED / "statements.csv")}
    a = {r["id"]: themes_of(r["themes"]) for r in read(CODING / "coder_a.csv")}
    b = {r["id"]: themes_of(r["themes"]) for r in read(CODING / "coder_b.csv")}
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
    (CODING / "kappa.md").write_text(
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
        write(CODING / f"{name}.csv", coded, ["id", "themes", "source_url"])
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
    write(CODING / "to_adjudicate.csv", differ, ["id", "text", "coder_a", "coder_b", "source_url"])
    for row in rows:
        print(
            f"  {row['theme']:<11} a={row['coder_a']:<4} b={row['coder_b']:<4} kappa={row['kappa']}"
        )
    print(
        f"no theme: coder a {none_a}, coder b {none_b} of {len(ids)}; {len(differ)} to adjudicate"
    )


def final() -> None:
    statements = read(LABELLED / "statements.csv")
    a = {r["id"]: themes_of(r["themes"]) for r in read(CODING / "coder_a.csv")}
    b = {r["id"]: themes_of(r["themes"]) for r in read(CODING / "coder_b.csv")}
    settled = {r["id"]: themes_of(r["themes"]) for r in read(CODING / "adjudicated.csv")}
    url = {r["id"]: r["source_url"] for r in statements}
    write(  # the adjudicator's file keeps each row's page too
        CODING / "adjudicated.csv",
        [
            {"id": i, "themes": ";".join(sorted(t)), "source_url": url[i]}
            for i, t in settled.items()
        ],
        ["id", "themes", "source_url"],
    )
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
    {"sheet": sheet, "disagreements": disagreements, "final": final}[sys.argv[1]]()
