"""Stable pseudonyms from a keyed hash, and the secret key they need."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import unicodedata
from pathlib import Path

from coprod_analysis.errors import InputError

KEY_ENV = "COPROD_PSEUDONYM_KEY"
FACILITATOR = "Facilitator"
_ALPHABET = str.maketrans("ILOU", "1100")  # Crockford-ish: no I, L, O, U lookalikes


def normalise_name(name: str) -> str:
    """Fold a name for hashing: no accents, lower case, single spaces.

    Example:
        >>> normalise_name("  Zoë   O'Neil ")
        "zoe o'neil"
    """
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def pseudonym(identity: str, key: bytes) -> str:
    """Return the stable pseudonym of a person: ``P-`` and six characters.

    The same identity and key give the same pseudonym in every session and every run;
    without the key it cannot be reversed or recomputed.

    Example:
        >>> pseudonym("Jane Smith", b"k" * 32) == pseudonym("jane  smith", b"k" * 32)
        True
    """
    digest = hmac.new(key, normalise_name(identity).encode("utf-8"), hashlib.sha256).digest()
    code = base64.b32encode(digest).decode("ascii")[:6].translate(_ALPHABET)
    return f"P-{code}"


def load_key(path: str | Path, *, create: bool = True) -> tuple[bytes, bool]:
    """Return the pseudonym key, creating it on the first run.

    The environment variable ``COPROD_PSEUDONYM_KEY`` (hex) wins over the file.

    Args:
        path: the key file (kept out of git).
        create: make a new random key when the file does not exist.

    Returns:
        The key and whether it was just created.

    Raises:
        InputError: the key in the environment or the file is not valid hex.

    Example:
        >>> key, created = load_key("config/pseudonym.key")  # doctest: +SKIP
    """
    env = os.environ.get(KEY_ENV, "").strip()
    if env:
        return _parse(env, KEY_ENV), False
    path = Path(path)
    if path.is_file():
        return _parse(path.read_text(encoding="ascii", errors="replace").strip(), path), False
    if not create:
        raise InputError(path, None, "the pseudonym key does not exist", fix="run `coprod ingest`")
    key = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(key.hex() + "\n", encoding="ascii")
    tmp.chmod(0o600)
    tmp.replace(path)
    return key, True


def _parse(text: str, where: object) -> bytes:
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise InputError(
            str(where),
            None,
            "the pseudonym key is not at least 32 hex characters",
            fix="restore the key from your backup (a new key changes every pseudonym)",
        )
    return key
