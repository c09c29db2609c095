"""Measure name redaction: recall on planted names of people who never speak, and over-redaction.

Usage:
    .venv/bin/python benchmarks/bench_names.py
    .venv/bin/python benchmarks/bench_names.py --model ""     # known names only, for contrast

The sample in data/raw is ingested as `coprod ingest` does it, except that the recogniser is
off, so its segments are redacted for known people only. Then:

1. **Recall.** Into segments of each kind (notes, transcript, survey answers) one sentence is
   planted that mentions a person who never speaks: a full name, a title and surname, or a
   first name alone, from a list of 60 names of the many backgrounds found in Scotland (some
   of them ordinary words: Grant, Hope, Rose, Will). These templates are the development set:
   the rules were tuned on them. `--planted benchmarks/data/planted_names.csv` plants instead
   150 held-out sentences written independently (by a coder who never saw the rules): that is
   the test set. The recogniser runs over all segments at once, as ingest runs it; a planted
   name counts as caught only when none of its words is left (in any case). Recall is given
   by kind of mention and by kind of source, with a Wilson 95% interval.
2. **Over-redaction.** On the sample's own segments (nothing planted), every capitalised word
   that the recogniser turns into [NAME] is counted against all capitalised words, and listed.

3. **Real writing.** The labelled statements reworded from public pages (data/labelled train
   and dev) are redacted too, and every word that goes is listed: they name real people
   (authors, staff quoted) but also many places and organisations, the hard case.

Targets (issue 11): recall at least 95%; at most 1 in 200 capitalised words redacted.
"""

from __future__ import annotations

import argparse
import importlib
import random
import re
import time
from collections import Counter

NAMES = """Morag Campbell, Hamish Munro, Iain MacDonald, Kirsty Fraser, Eilidh Ross, Callum Stewart,
Fraser Gordon, Ailsa Murray, Catriona Mackenzie, Euan Sinclair, Mhairi Reid, Lachlan Grant,
Isla Robertson, Rory Paterson, Niamh Kelly, Siobhan O'Brien, Declan Byrne, Aoife Walsh,
Priya Nair, Anjali Sharma, Imran Hussain, Farah Ahmed, Bilal Khan, Sunita Patel, Rajesh Kumar,
Oluwaseun Adeyemi, Chiamaka Okafor, Kwame Mensah, Amara Diallo, Tendai Moyo,
Agnieszka Kowalska, Piotr Nowak, Katarzyna Wisniewska, Wei Chen, Mei Wong, Hiroshi Tanaka,
Yusuf Ali, Layla Hassan, Omar Farouk, Sean Murphy, Gareth Jones, Rhian Evans, Dafydd Williams,
Sophie Turner, James Wilson, Emma Thompson, David Brown, Sarah Mitchell, Helen Clark,
Margaret Watson, Graham Bell, Heather Black, Rose Hill, Will Hope, Jack Wood, Grace Hall,
Faith Young, Joy Baker, Dawn Taylor, Ross Mackay"""

FULL = [
    "Ask {full} at the council about the referral route.",
    "{full} from the housing association couldn't make it today.",
    "My support worker, {full}, really listened to us.",
    "We should invite {full} to the next roundtable.",
    "I was talking to {full} about the funding bid last week.",
    "Thanks to {full} for sorting out the venue and the lunch.",
    "The young people's panel was set up by {full} years ago.",
    "Apparently {full} has already written to the funder about it.",
]
TITLED = [
    "{title} {last} from the health board ran something similar.",
    "We could ask {title} {last} whether the trust would share power.",
    "It was {title} {last} who pushed for the lived experience panel.",
]
FIRST = [
    "{first} said the same thing at the last network meeting.",
    "Maybe {first} could share the slides with everyone?",
    "I think {first} is right that the money comes with strings.",
]
TITLES = ["Dr", "Cllr", "Mrs", "Prof", "Mr", "Ms"]
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CAPITAL = re.compile(r"(?<![\w\[])[A-Z][\w'’-]*")
_LOWER = re.compile(r"(?<![\w\[])[a-z][\w'’-]*")
_ANYWORD = re.compile(r"(?<![\w\[])[^\W\d_][\w'’-]*")


def wilson(k: int, n: int) -> tuple[float, float]:
    if n == 0:
        return 0.0, 1.0
    z, p = 1.96, k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def plant(text: str, sentence: str, rng: random.Random) -> str:
    cuts = [m.end() for m in re.finditer(r"[.!?]\s+", text)]
    at = rng.choice([0, len(text), *cuts])
    return f"{text[:at].rstrip()} {sentence} {text[at:].lstrip()}".strip()


def caught(name_words: list[str], text: str) -> bool:
    """No word of the name is left as a whole word ("Morag's" still leaves "Morag")."""
    return not any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.I) for w in name_words if w)


def read_planted(path: str) -> list[dict[str, str]]:
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="spaCy model (default: project.yml's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-lists", action="store_true", help="without the name lists")
    parser.add_argument(
        "--planted",
        default=None,
        help="a CSV of held-out sentences (source_kind, mention, sentence, name_words) to plant "
        "instead of the built-in templates, e.g. benchmarks/data/planted_names.csv",
    )
    args = parser.parse_args()

    from coprod_analysis.config import load_project
    from coprod_analysis.privacy.entities import load_recogniser, ordinary_words, redact_people
    from coprod_analysis.privacy.gazetteer import gazetteer

    ingest = importlib.import_module("coprod_analysis.ingest").ingest
    project = load_project()
    model = project.privacy.names_model if args.model is None else args.model
    off = project.model_copy(
        update={"privacy": project.privacy.model_copy(update={"names_model": ""})}
    )
    segments = ingest("data/raw", project=off, key=b"bench" * 8).segments
    texts = list(segments["text"])
    kinds = list(segments["source_kind"])
    rng = random.Random(args.seed)
    names = [n.strip() for n in NAMES.replace("\n", " ").split(",")]

    start = time.perf_counter()
    nlp = load_recogniser(model) if model else None
    load_s = time.perf_counter() - start

    def run(batch: list[str]) -> list[str]:
        if nlp is None:
            return batch
        return redact_people(
            batch,
            nlp=nlp,
            ordinary=ordinary_words(batch),
            not_names=project.privacy.not_names,
            names=gazetteer() if project.privacy.name_lists and not args.no_lists else None,
        )

    # 1. Recall on planted names.
    planted = list(texts)
    plants: list[tuple[int, str, str, list[str]]] = []  # index, mention kind, source kind, words
    by_kind = {k: [i for i, x in enumerate(kinds) if x == k] for k in sorted(set(kinds))}

    def pick(indices: list[int]) -> int:
        """A segment of this kind with nothing planted yet, while there are any."""
        used = {p[0] for p in plants}
        return rng.choice([j for j in indices if j not in used] or indices)

    for row in read_planted(args.planted) if args.planted else []:
        i = pick(by_kind[row["source_kind"]])
        planted[i] = plant(planted[i], row["sentence"], rng)
        plants.append((i, row["mention"], row["source_kind"], row["name_words"].split(";")))
    for n, name in enumerate([] if args.planted else names):
        first, last = name.split()[0], name.split()[-1]
        for mention, templates in (("full name", FULL), ("title + surname", TITLED)):
            kind = sorted(by_kind)[(n + len(plants)) % len(by_kind)]
            i = pick(by_kind[kind])
            sentence = rng.choice(templates).format(
                full=name, first=first, last=last, title=rng.choice(TITLES)
            )
            planted[i] = plant(planted[i], sentence, rng)
            words = name.split() if mention == "full name" else [last]
            plants.append((i, mention, kind, words))
        kind = sorted(by_kind)[n % len(by_kind)]
        i = pick(by_kind[kind])
        planted[i] = plant(planted[i], rng.choice(FIRST).format(first=first), rng)
        plants.append((i, "first name alone", kind, [first]))
    start = time.perf_counter()
    out = run(planted)
    recall_s = time.perf_counter() - start
    hits: Counter = Counter()
    totals: Counter = Counter()
    missed = []
    for i, mention, kind, words in plants:
        ok = caught(words, out[i])
        for key in (("all", "all"), ("mention", mention), ("source", kind)):
            totals[key] += 1
            hits[key] += ok
        if not ok:
            missed.append((mention, " ".join(words), out[i][:110]))

    # 2. Over-redaction on the sample itself.
    start = time.perf_counter()
    plain = run(texts)
    plain_s = time.perf_counter() - start
    capitals = sum(len(_CAPITAL.findall(t)) for t in texts)
    words = sum(len(_LOWER.findall(t)) for t in texts)
    lost: Counter = Counter()
    lost_lower: Counter = Counter()
    for before, after in zip(texts, plain, strict=True):
        lost.update(Counter(_CAPITAL.findall(before)) - Counter(_CAPITAL.findall(after)))
        lost_lower.update(Counter(_LOWER.findall(before)) - Counter(_LOWER.findall(after)))

    print(f"model: {model or '(none: known names only)'}, loaded in {load_s:.1f} s")
    print(f"segments: {len(texts)} ({', '.join(f'{k} {len(v)}' for k, v in by_kind.items())})")
    where = args.planted or f"the built-in templates, {len(names)} people"
    print(f"planted mentions: {len(plants)} from {where}")
    for key in sorted(totals):
        k, n = hits[key], totals[key]
        lo, hi = wilson(k, n)
        print(
            f"  recall {key[0]:>8} {key[1]:<18} {k:>4}/{n:<4} = {k / n:6.1%}  [{lo:.1%}, {hi:.1%}]"
        )
    print(f"  recogniser over {len(planted)} planted segments: {recall_s:.2f} s")
    for mention, name, text in missed:
        print(f"  missed ({mention}): {name!r} in {text!r}")
    n_lost = sum(lost.values())
    print(
        f"over-redaction on the sample: {n_lost} of {capitals} capitalised words "
        f"= {n_lost / capitals:.2%} (1 in {capitals // max(n_lost, 1)}), in {plain_s:.2f} s"
    )
    for word, count in lost.most_common():
        print(f"  redacted: {word!r} x{count}")
    # 3. Redaction on real writing: the labelled statements reworded from public pages (train
    # and dev). They name real people (authors, staff quoted) as well as places and
    # organisations, so what is redacted there is listed for a person to judge.
    import csv

    real = [
        r["text"]
        for split in ("train", "dev")
        for r in csv.DictReader(
            open(f"data/labelled/{split}.csv", encoding="utf-8", newline="")  # noqa: SIM115
        )
    ]
    real_out = run(real)
    real_caps = sum(len(_CAPITAL.findall(t)) for t in real)
    real_lost: Counter = Counter()
    for before, after in zip(real, real_out, strict=True):
        real_lost.update(Counter(_ANYWORD.findall(before)) - Counter(_ANYWORD.findall(after)))
    n_lower = sum(lost_lower.values())
    print(f"lower-case words redacted on the sample: {n_lower} of {words} = {n_lower / words:.2%}")
    for word, count in lost_lower.most_common():
        print(f"  redacted: {word!r} x{count}")
    n_real = sum(real_lost.values())
    print(
        f"redacted in real writing (data/labelled train+dev, {len(real)} statements): "
        f"{n_real} words; {real_caps} capitalised words in all"
    )
    print("  " + ", ".join(f"{w} x{n}" for w, n in real_lost.most_common()))


if __name__ == "__main__":
    main()
