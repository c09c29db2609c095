"""The codebook: themes with descriptions, colours, examples, patterns and exclusions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from coprod_analysis.errors import InputError

CODEBOOK_FILE = "codebook.yml"
THRESHOLDS_FILE = "thresholds.yml"
DEFAULT_THRESHOLD = 0.5


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PatternSet(_Strict):
    """Phrases (matched on lower-cased lemmas) and spaCy token patterns."""

    phrases: list[str] = []
    tokens: list[list[dict[str, Any]]] = []


class Theme(_Strict):
    """One theme of the codebook."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    description: str = ""
    colour: str = Field(default="#999999", pattern=r"^#[0-9A-Fa-f]{6}$")
    core: bool = False
    examples: list[str] = []
    patterns: PatternSet = PatternSet()
    exclude: PatternSet = PatternSet()

    @model_validator(mode="after")
    def _has_something_to_match(self) -> Theme:
        if not (
            self.patterns.phrases
            or self.patterns.tokens
            or self.examples
            or self.description.strip()
        ):
            raise ValueError(
                "has no patterns, examples or description, so nothing could ever match it"
            )
        return self


class Codebook(_Strict):
    """The validated codebook, plus the semantic thresholds kept beside it."""

    negations: list[str] = []
    default_threshold: float = Field(default=DEFAULT_THRESHOLD, ge=0, le=1)
    themes: list[Theme] = Field(min_length=1)
    thresholds: dict[str, float] = {}
    source: str | None = None
    sha256: str | None = None

    def theme(self, theme_id: str) -> Theme:
        """Return a theme by id."""
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    @property
    def ids(self) -> list[str]:
        """The theme ids, in codebook order."""
        return [t.id for t in self.themes]

    @property
    def colours(self) -> dict[str, str]:
        """The colour of each theme, by id."""
        return {t.id: t.colour for t in self.themes}

    def threshold(self, theme_id: str) -> float:
        """Return a theme's semantic-similarity threshold (calibrated, else the default)."""
        return self.thresholds.get(theme_id, self.default_threshold)


def _compact(pattern: Any) -> str:
    return json.dumps(pattern, ensure_ascii=False, separators=(",", ":"))


def _check_token_patterns(codebook: Codebook, path: Path) -> None:
    from spacy.schemas import validate_token_pattern

    for theme in codebook.themes:
        for part, patterns in (("patterns", theme.patterns), ("exclude", theme.exclude)):
            for pattern in patterns.tokens:
                errors = validate_token_pattern(pattern) if pattern else ["the pattern is empty"]
                if errors:
                    raise InputError(
                        path,
                        f"theme {theme.id!r}, {part}.tokens pattern {_compact(pattern)}",
                        f"malformed token pattern ({errors[0]})",
                        fix="see https://spacy.io/usage/rule-based-matching for the token attributes",
                    )
            for phrase in patterns.phrases:
                if not phrase.strip():
                    raise InputError(
                        path,
                        f"theme {theme.id!r}, {part}.phrases",
                        "an empty phrase",
                        fix="remove it",
                    )


def _validation_error(exc: ValidationError, data: dict, path: Path) -> InputError:
    err = exc.errors()[0]
    loc = list(err["loc"])
    where = "codebook"
    if len(loc) >= 2 and loc[0] == "themes" and isinstance(loc[1], int):
        themes = data.get("themes") or []
        raw = themes[loc[1]] if loc[1] < len(themes) else {}
        name = raw.get("id", f"#{loc[1] + 1}") if isinstance(raw, dict) else f"#{loc[1] + 1}"
        where = f"theme {name!r}"
        loc = loc[2:]
        if len(loc) >= 3 and loc[0] in ("patterns", "exclude") and loc[1] == "tokens":
            pattern = (
                raw.get(loc[0], {}).get("tokens", [])[loc[2]] if isinstance(raw, dict) else None
            )
            where += f", {loc[0]}.tokens pattern {_compact(pattern)}"
            loc = loc[3:]
    key = ".".join(str(p) for p in loc)
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = f"unknown key {key!r}"
    elif key:
        message = f"{key}: {message}"
    return InputError(
        path, where, message, fix="compare with the comments at the top of config/codebook.yml"
    )


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            path,
            f"line {mark.line + 1}" if mark else None,
            "is not valid YAML",
            fix="check the indentation and quote patterns that contain ':' or '#'",
        ) from None


def read_thresholds(path: Path) -> dict[str, float]:
    """Read ``thresholds.yml`` (written by ``coprod calibrate``): threshold per theme id."""
    if not path.is_file():
        return {}
    data = _read_yaml(path) or {}
    themes = data.get("themes", {}) if isinstance(data, dict) else {}
    try:
        return {str(k): float(v["threshold"]) for k, v in themes.items()}
    except (TypeError, KeyError, ValueError):
        raise InputError(
            path, None, "is not a thresholds file", fix="delete it and run `coprod calibrate`"
        ) from None


def codebook_from_yaml(path: Path) -> Codebook:
    """Read and validate a ``codebook.yml`` (ids unique, token patterns well-formed)."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise InputError(
            path, None, "must be a mapping with a `themes` list", fix="see config/codebook.yml"
        )
    try:
        codebook = Codebook.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(exc, data, path) from None
    seen: set[str] = set()
    for theme in codebook.themes:
        if theme.id in seen:
            raise InputError(
                path,
                f"theme {theme.id!r}",
                "the id is used twice",
                fix="give each theme its own id",
            )
        seen.add(theme.id)
    _check_token_patterns(codebook, path)
    return codebook
