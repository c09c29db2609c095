"""Read hand-coding back from a REFI-QDA project (.qdpx) made by NVivo, ATLAS.ti, MAXQDA or QualCoder."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coprod_analysis.errors import InputError, Problems
from coprod_analysis.refi.codebook import walk_codes
from coprod_analysis.refi.guids import norm_guid
from coprod_analysis.refi.project import TAGGER_USERS, source_layout
from coprod_analysis.refi.xml import child, children, local, parse

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    import pandas as pd

    from coprod_analysis.themes.codebook import Codebook

CODE_COLUMNS = [
    "source",
    "start",
    "end",
    "code",
    "category",
    "theme",
    "coder",
    "segment_id",
    "text",
]
_FIX = "export the project again from your QDA tool as a REFI-QDA project (.qdpx)"
_UNSUPPORTED = {"PictureSource", "PDFSource", "AudioSource", "VideoSource"}


def _norm(text: str | None) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (text or "").lower()).split())


def _members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Zip member names by lower-cased path, so ``Sources/`` and ``sources/`` both work."""
    return {
        name.lower().replace("\\", "/"): name
        for name in archive.namelist()
        if not name.endswith("/")
    }


def _open(path: Path) -> tuple[zipfile.ZipFile, bytes]:
    if not path.is_file():
        raise InputError(path, None, "the file does not exist", fix="check the path")
    try:
        archive = zipfile.ZipFile(path)
        bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(
            path, None, f"is not a readable .qdpx (zip) file ({exc})", fix=_FIX
        ) from None
    if bad is not None:
        raise InputError(path, bad, "this part of the zip is corrupt", fix=_FIX)
    members = _members(archive)
    qde = sorted(
        (n for n in members if n.rsplit("/", 1)[-1] == "project.qde"), key=lambda n: n.count("/")
    )
    if not qde:
        raise InputError(
            path, None, "has no project.qde inside, so it is not a REFI-QDA project", fix=_FIX
        )
    return archive, archive.read(members[qde[0]])


def _source_text(
    source: Element, archive: zipfile.ZipFile, members: dict[str, str], *, problems: Problems
) -> str | None:
    """A text source's plain text: inline, an internal .txt, or (approximately) an internal .docx."""
    name = source.get("name") or source.get("guid")
    content = child(source, "PlainTextContent")
    if content is not None:
        return content.text or ""
    for attribute in ("plainTextPath", "richTextPath"):
        where = (source.get(attribute) or "").strip()
        if not where:
            continue
        if not where.lower().startswith("internal://"):
            problems.warn(
                None,
                f"source {name!r}",
                f"{attribute} {where!r} is outside the project file; its text was not read",
                fix="export the project with its sources embedded",
            )
            continue
        file = where[len("internal://") :].lower()
        member = members.get(f"sources/{file}") or members.get(file)
        if member is None:
            problems.warn(None, f"source {name!r}", f"{where} is missing from the zip", fix=_FIX)
            continue
        data = archive.read(member)
        if file.endswith(".docx"):
            from docx import Document

            problems.warn(
                None,
                f"source {name!r}",
                "only a .docx copy, so its text is rebuilt from paragraphs and codes are matched by text",
                fix="export the project with plain-text sources if codes go unmatched",
            )
            return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
        if file.endswith((".txt", ".text")) or attribute == "plainTextPath":
            return data.decode("utf-8-sig", errors="replace")
        problems.warn(
            None,
            f"source {name!r}",
            f"{file.rsplit('.', 1)[-1]} files are not supported; its text was not read",
            fix="export the project with plain-text sources",
        )
    return None


def _theme_lookup(codebook: Codebook | None) -> dict[str, str]:
    if codebook is None:
        return {}
    lookup: dict[str, str] = {}
    for theme in codebook.themes:
        lookup[_norm(theme.id.replace("_", " "))] = theme.id
        lookup[_norm(theme.label)] = theme.id
    return lookup


def _align_offsets(start: int, end: int, spans: pd.DataFrame) -> list[str]:
    hits: list[str] = []
    # Column by column rather than itertuples(), whose fields pandas-stubs types as any scalar.
    for span_start, span_end, segment_id in zip(
        spans["start"], spans["end"], spans["segment_id"], strict=True
    ):
        overlap = min(end, span_end) - max(start, span_start)
        if overlap > 0 and overlap * 2 >= min(end - start, span_end - span_start):
            hits.append(segment_id)
    return hits


def _align_text(text: str | None, candidates: pd.DataFrame) -> list[str]:
    wanted = _norm(text)
    if len(wanted) < 3:
        return []
    norms = candidates["text"].map(_norm)
    inside = candidates.loc[
        norms.map(lambda t: wanted in t or (len(t) >= 3 and t in wanted)), "segment_id"
    ]
    return list(inside)


def _match_source(name: str, files: list[str]) -> str | None:
    if name in files:
        return name
    stem = Path(name).stem.lower()
    found = [
        f for f in files if Path(f).stem.lower() == stem or f.lower().endswith(f"/{name.lower()}")
    ]
    return found[0] if len(found) == 1 else None


def _code_table(root: Element, codebook: Codebook | None) -> dict[str, tuple[str, str, str | None]]:
    """Every code by normalised GUID: ``(name, category path, theme id or None)``."""
    themes = _theme_lookup(codebook)
    codes: dict[str, tuple[str, str, str | None]] = {}
    book = child(root, "CodeBook")
    if book is None or child(book, "Codes") is None:
        return codes
    for code, parents in walk_codes(child(book, "Codes")):
        name = " ".join((code.get("name") or "").split())
        theme = next(
            (themes[_norm(n)] for n in (name, *reversed(parents)) if _norm(n) in themes), None
        )
        codes[norm_guid(code.get("guid"))] = (name, " › ".join(parents), theme)
    return codes


def _codings(
    source: Element,
    name: str,
    text: str | None,
    codes: dict[str, tuple[str, str, str | None]],
    users: dict[str, str],
    skip: set[str],
    problems: Problems,
) -> Iterator[dict[str, Any]]:
    """Yield one row per coding of a text source's selections (skipping the users in ``skip``)."""
    if children(source, "Coding"):
        problems.warn(
            None,
            f"source {name!r}",
            "codes on the whole source are not supported; skipped",
            fix="code passages of the text rather than the whole document",
        )
    for selection in children(source, "PlainTextSelection"):
        try:
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        except (TypeError, ValueError):
            problems.warn(
                None,
                f"source {name!r}",
                "a selection without whole-number positions; skipped",
                fix=_FIX,
            )
            continue
        if start < 0 or end <= start or (text is not None and end > len(text)):
            size = "?" if text is None else len(text)
            problems.warn(
                None,
                f"source {name!r}",
                f"selection {start}–{end} is outside its text ({size} characters); skipped",
                fix=_FIX,
            )
            continue
        for coding in children(selection, "Coding"):
            ref = child(coding, "CodeRef")
            target = norm_guid(ref.get("targetGUID")) if ref is not None else ""
            if target not in codes:
                problems.warn(
                    None,
                    f"source {name!r}",
                    f"a coding refers to code {target or '(none)'} not in the codebook; skipped",
                    fix=_FIX,
                )
                continue
            user = norm_guid(coding.get("creatingUser") or selection.get("creatingUser"))
            if user in skip:
                continue
            code, category, theme = codes[target]
            yield {
                "source": name,
                "start": start,
                "end": end,
                "code": code,
                "category": category,
                "theme": theme,
                "coder": users.get(user, "unknown"),
                "text": text[start:end] if text is not None else None,
                "_text": text,
            }


def read_qdpx(
    path: str | Path,
    *,
    segments: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
    tagger: bool = False,
    coded_none: bool = True,
    problems: Problems | None = None,
) -> pd.DataFrame:
    """Read the codes in a REFI-QDA project, aligned to the corpus's segments.

    Tolerant of what QDA tools write: ``sources/`` or ``Sources/``, ``.docx`` sources with or
    without plain-text copies, GUIDs in either case with or without braces, extra namespaces,
    and codes nested in categories. Unsupported parts (PDF, picture, audio and video sources,
    external files) are problems, not errors: they go to ``problems``, or are shown as
    :class:`~coprod_analysis.errors.CoprodWarning` when none is given.

    Args:
        path: the ``.qdpx`` file.
        segments: the segments table; when given, each coding is matched to the segments it
            covers: by character offsets when the source is one this package exported, else by
            its text. Unmatched codings keep an empty ``segment_id`` (a warning counts them).
        codebook: when given, each code is mapped to a theme id by name (theme id or label,
            ignoring case and punctuation); a code inside a matching category takes the
            category's theme.
        tagger: keep the codings this package's tagger made (default: only people's).
        coded_none: with ``segments``, a segment in a source the coder coded but left without
            a code is a row with an empty theme, so :func:`coprod_analysis.agreement` counts
            it as "no theme" rather than leaving it out.
        problems: where the parts that were skipped or read approximately are recorded
            (default: Python warnings).

    Returns:
        One row per coding and segment: ``source, start, end, code, category, theme, coder,
        segment_id, text``.

    Raises:
        InputError: the file is missing, not a zip, corrupt, has no ``project.qde``, or its
            XML is not well-formed.

    Example:
        >>> human = read_qdpx("coded.qdpx", segments=corpus.segments, codebook=codebook)  # doctest: +SKIP
        >>> cp.agreement(tags, human[human["coder"] == "Ana"])  # doctest: +SKIP
    """
    import pandas as pd

    path = Path(path)
    archive, qde = _open(path)
    with archive:  # closed when read, whatever happens
        members = _members(archive)
        root = parse(qde, path=f"{path.name}/project.qde", what="project.qde")
        if local(root.tag) != "Project":
            raise InputError(
                path,
                "project.qde",
                f"the root element is <{local(root.tag)}>, not <Project>",
                fix=_FIX,
            )
        found = Problems()

        users = {
            norm_guid(u.get("guid")): u.get("name") or u.get("id") or "unknown"
            for u in root.iter()
            if local(u.tag) == "User"
        }
        skip = set() if tagger else {g for g, n in users.items() if n in TAGGER_USERS.values()}
        codes = _code_table(root, codebook)
        rows: list[dict[str, Any]] = []
        holder = child(root, "Sources")
        for source in list(holder) if holder is not None else []:
            kind = local(source.tag)
            name = source.get("name") or norm_guid(source.get("guid"))
            if kind in _UNSUPPORTED:
                found.warn(
                    None,
                    f"source {name!r}",
                    f"{kind} is not supported; its codes were skipped",
                    fix="code text sources only",
                )
            elif kind != "TextSource":
                found.warn(
                    None,
                    "project.qde",
                    f"<{kind}> in <Sources> is not a REFI-QDA source; skipped",
                    fix=_FIX,
                )
            else:
                text = _source_text(source, archive, members, problems=found)
                rows.extend(_codings(source, name, text, codes, users, skip, found))

    table = pd.DataFrame(rows, columns=[*CODE_COLUMNS, "_text"])
    if segments is not None:
        table = _align(table, segments, coded_none=coded_none, problems=found)
    table = table.reindex(columns=CODE_COLUMNS)
    table[["start", "end"]] = table[["start", "end"]].astype("Int64")
    table["segment_id"] = table["segment_id"].astype(object)
    found.deliver(problems, path=path.name)
    return table


def _align(
    table: pd.DataFrame, segments: pd.DataFrame, *, coded_none: bool, problems: Problems
) -> pd.DataFrame:
    """Add ``segment_id`` to each coding (by offsets into our own layout, else by text)."""
    import pandas as pd

    files = sorted(segments["source_file"].dropna().unique())
    layouts: dict[str, tuple[str, pd.DataFrame]] = {}
    out: list[dict[Any, Any]] = []
    unmatched = 0
    for source, part in table.groupby("source", sort=False):
        file = _match_source(str(source), files)
        candidates = segments[segments["source_file"] == file] if file else segments
        if file and file not in layouts:
            layouts[file] = source_layout(candidates)
        # The spans of our own layout, when the coded text is exactly that layout's text.
        own = (
            layouts[file][1]
            if file is not None and part["_text"].iloc[0] == layouts[file][0]
            else None
        )
        coded: dict[str, set[str]] = {}
        for row in part.to_dict("records"):
            hits = (
                _align_offsets(row["start"], row["end"], own)
                if own is not None
                else _align_text(row["text"], candidates)
            )
            unmatched += not hits
            coded.setdefault(row["coder"], set()).update(hits)
            targets: list[str | None] = [*hits] if hits else [None]
            out.extend({**row, "segment_id": hit} for hit in targets)
        if coded_none and file:
            out.extend(
                {"source": source, "coder": coder, "segment_id": sid, "theme": None, "code": None}
                for coder, done in coded.items()
                for sid in candidates["segment_id"]
                if sid not in done
            )
    if unmatched:
        problems.warn(
            None,
            None,
            f"{unmatched} coding(s) could not be matched to a segment (segment_id left empty)",
            fix="code the redacted sources exported by coprod export-qdpx",
        )
    return pd.DataFrame(out, columns=[*CODE_COLUMNS, "_text"])
