"""The ingested corpus: the sessions, segments and responses tables of the data contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

NON_PARTICIPANTS = frozenset({"Facilitator"})
"""Speaker labels that are not participants: their words are never counted as a participant's."""

# Column order and dtypes of each table (see DESIGN.md, "The data contract").
SCHEMAS: dict[str, dict[str, str]] = {
    "sessions": {"session_id": "str", "date": "datetime64[ns]", "order": "int64", "title": "str"},
    "segments": {
        "segment_id": "str",
        "session_id": "str",
        "source_file": "str",
        "source_kind": "str",
        "speaker": "str",
        "question": "str",
        "text": "str",
        "char_start": "int64",
        "char_end": "int64",
        "n_words": "int64",
        "context": "str",
        "start_time": "float64",
        "timing": "str",
    },
    "responses": {
        "session_id": "str",
        "respondent": "str",
        "question": "str",
        "answer": "str",
        "value": "float64",
        "timing": "str",
    },
}


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """Build a contract table from row dicts, with its columns in order and typed.

    Extra keys (for ``sessions``, the manifest's other columns) are kept after the
    contract's columns.

    Example:
        >>> from coprod_analysis.corpus import frame
        >>> list(frame("responses", []).columns)
        ['session_id', 'respondent', 'question', 'answer', 'value', 'timing']
    """
    import pandas as pd

    schema = SCHEMAS[name]
    df = pd.DataFrame(rows)
    for col in schema:
        if col not in df.columns:
            df[col] = None
    extra = [c for c in df.columns if c not in schema]
    df = df[[*schema, *extra]]
    return df.astype(schema).reset_index(drop=True)


@dataclass
class Corpus:
    """What :func:`coprod_analysis.ingest` returns: three tables plus what the run noticed."""

    sessions: pd.DataFrame
    segments: pd.DataFrame
    responses: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    unmapped: dict[str, list[str]] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the three tables by name, in the order they are written."""
        return {"sessions": self.sessions, "segments": self.segments, "responses": self.responses}

    def counts(self) -> pd.DataFrame:
        """Return one row per session: date, segments per source kind, and respondents.

        Example:
            >>> corpus.counts().columns.tolist()  # doctest: +SKIP
            ['session_id', 'date', 'notes', 'transcript', 'survey', 'segments', 'respondents']
        """
        import pandas as pd

        kinds = ["notes", "transcript", "survey"]
        per_kind = (
            self.segments.groupby(["session_id", "source_kind"])
            .size()
            .unstack(fill_value=0)
            .reindex(columns=kinds, fill_value=0)
        )
        people = pd.concat(
            [
                self.responses[["session_id", "respondent"]],
                self.segments.loc[
                    self.segments.source_kind == "survey", ["session_id", "speaker"]
                ].rename(columns={"speaker": "respondent"}),
            ]
        )
        respondents = people.dropna().groupby("session_id")["respondent"].nunique()
        out = self.sessions[["session_id", "date"]].set_index("session_id")
        out = out.join(per_kind).fillna({k: 0 for k in kinds})
        out[kinds] = out[kinds].astype("int64")
        out["segments"] = out[kinds].sum(axis=1)
        out["respondents"] = respondents.reindex(out.index).fillna(0).astype("int64")
        return out.reset_index()


def require_text(segments: pd.DataFrame) -> None:
    """Check a table has ``segment_id`` and ``text``, the two columns analyses of text need.

    Raises:
        InputError: a column is missing.
    """
    from coprod_analysis.errors import InputError

    missing = [c for c in ("segment_id", "text") if c not in segments.columns]
    if missing:
        raise InputError(
            None,
            None,
            f"the segments table has no {' or '.join(missing)} column",
            fix="pass a table with segment_id and text",
        )


def read_table(folder: str | Path, name: str, *, stage: str) -> pd.DataFrame:
    """Read ``<folder>/<name>.parquet``, or say which command writes it.

    Raises:
        InputError: the table does not exist.
    """
    import pandas as pd

    from coprod_analysis.errors import InputError

    path = Path(folder) / f"{name}.parquet"
    if not path.is_file():
        raise InputError(
            path, None, "does not exist", fix=f"run `{stage}` (or `make report`) first"
        )
    return pd.read_parquet(path)


def read_corpus(processed: str | Path | None = None) -> Corpus:
    """Read the tables that ``coprod ingest`` wrote.

    Args:
        processed: the processed folder (default: ``data/processed`` under the project root).

    Raises:
        InputError: a table is missing; run ``coprod ingest`` first.

    Example:
        >>> corpus = read_corpus()  # doctest: +SKIP
    """
    import json

    from coprod_analysis.config import paths

    folder = Path(processed) if processed else paths().processed
    tables = {name: read_table(folder, name, stage="coprod ingest") for name in SCHEMAS}
    run = folder / "run.json"
    info = (
        json.loads(run.read_text(encoding="utf-8")).get("stages", {}).get("ingest", {})
        if run.is_file()
        else {}
    )
    return Corpus(
        sessions=tables["sessions"],
        segments=tables["segments"],
        responses=tables["responses"],
        warnings=info.get("warnings", []),
        unmapped=info.get("unmapped_columns", {}),
        inputs=info.get("inputs", {}),
    )


def session_order(segments: pd.DataFrame, sessions: pd.DataFrame | None) -> dict[str, int]:
    """Return each session's position: the manifest's ``order``, else order of appearance.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.corpus import session_order
        >>> session_order(pd.DataFrame({"session_id": ["b", "a", "b"]}), None)
        {'b': 1, 'a': 2}
    """
    if sessions is not None and "order" in sessions:
        return dict(zip(sessions["session_id"], sessions["order"], strict=True))
    return {s: i for i, s in enumerate(dict.fromkeys(segments["session_id"]), start=1)}


def contributions(segments: pd.DataFrame) -> pd.DataFrame:
    """Participants' own contributions: segments with a pseudonymised speaker, not a facilitator.

    Speaker turns in notes and transcripts and free-text survey answers count; notes with no
    speaker (a scribe's summary) and facilitators' words do not. The ``speaker`` column
    names the participant.

    Example:
        >>> import pandas as pd
        >>> from coprod_analysis.corpus import contributions
        >>> segments = pd.DataFrame({"segment_id": ["a", "b", "c"],
        ...     "speaker": ["P-1", "Facilitator", None]})
        >>> contributions(segments)["segment_id"].tolist()
        ['a']
    """
    if "speaker" not in segments:
        return segments.iloc[:0]
    speaker = segments["speaker"]
    return segments[speaker.notna() & ~speaker.isin(NON_PARTICIPANTS)]
