"""Find identifiers by their shape: emails, UK phone numbers and postcodes, NHS and CHI numbers.

Names are matched against a list of known people in :mod:`coprod_analysis.privacy.redact`;
everything here needs no list, only the form of the identifier.
"""

from __future__ import annotations

import re
from datetime import date

_H = r"[^\S\r\n]"  # one horizontal space: an identifier is never split across lines

# --- Emails -------------------------------------------------------------------------------
# "@" and "[at]", "(at)", "{at}", "<at>" are strong signs of an address; " at " written out
# is an ordinary word, so after it the address must end in a well-known top-level domain
# ("look at example dot org" is redacted, "arrive at ten dot five" is not).
_WORD_TLDS = (
    "com|org|net|edu|gov|mil|int|info|biz|io|co|ac|uk|scot|wales|cymru|london|nhs|eu|ie|"
    "nz|au|ca|de|fr|nl|es"
)
_DOT_OBFUSCATED = rf"(?:{_H}*[\[({{<]{_H}*dot{_H}*[\])}}>]{_H}*|{_H}+dot{_H}+)"
_DOT = rf"(?:\.|{_DOT_OBFUSCATED})"
_ATOM = r"[\w+'’-](?:[\w.+'’-]*[\w+'’-])?"
_LOCAL = rf"(?<![\w.+'’-]){_ATOM}(?:{_DOT_OBFUSCATED}{_ATOM}){{0,3}}"  # "jane dot smith" too
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_TLD = r"[^\W\d_](?:[\w-]*[^\W_])?"
_AT_STRONG = rf"(?:{_H}*@{_H}*|{_H}*[\[({{<]{_H}*at{_H}*[\])}}>]{_H}*)"
_DOMAIN = rf"{_LABEL}(?:{_DOT}{_LABEL}){{0,16}}{_DOT}"  # bounded: the search stays linear
_END = r"(?![\w-]|\.[^\W_])"
EMAIL = re.compile(
    rf"{_LOCAL}(?:"
    rf"{_AT_STRONG}{_DOMAIN}{_TLD}{_END}"
    rf"|{_H}+at{_H}+(?!www\b){_DOMAIN}(?:{_WORD_TLDS}){_END})",
    re.I,
)

# --- UK phone numbers ---------------------------------------------------------------------
# +44, 0044 or (+44), then an optional 0 or (0); or a plain trunk 0, perhaps in brackets.
# Then the national number: 9 or 10 digits starting 1, 2, 3, 5, 7, 8 or 9, grouped by up to
# two spaces, a hyphen or a closing bracket. Digits that run straight on (up to 12 in all)
# are taken too, so a number is never cut short and its tail left behind.
_GAP = rf"(?:{_H}?[-)]{_H}?|{_H}{{0,2}})"
_PREFIX = rf"(?:\(?(?:\+|00){_H}?44\)?{_GAP}(?:\(0\){_H}?|0{_GAP})?|\(?0)"
PHONE = re.compile(rf"(?<![\w+£$€/]){_PREFIX}[1-35789](?:{_GAP}\d){{8,11}}(?!\w)")

# --- NHS and CHI numbers ------------------------------------------------------------------
# Ten digits as 3-3-4 (spaces or hyphens) or unbroken; CHI numbers also as DDMMYY-NNNN.
HEALTH_ID = re.compile(
    r"(?<![\w£$€])(?:\d{3}(?P<sep>[ -]?)\d{3}(?P=sep)\d{4}|(?P<chi>\d{6}[ -]\d{4}))(?!\w)"
)
_WEIGHTS = range(10, 1, -1)

# --- UK postcodes -------------------------------------------------------------------------
# Only real postcode areas, and an inward part of a digit and two of the letters postcodes
# use, so "g7 summit", "b2b" or "at 10am" are left alone in any case. Written in lower case,
# "b3 4th" is an ordinal rather than a postcode.
_AREAS = (  # the postcode areas, Crown dependencies and BF, BX included
    "AB|AL|B|BA|BB|BD|BF|BH|BL|BN|BR|BS|BT|BX|CA|CB|CF|CH|CM|CO|CR|CT|CV|CW|DA|DD|DE|DG|DH|"
    "DL|DN|DT|DY|E|EC|EH|EN|EX|FK|FY|G|GL|GU|GY|HA|HD|HG|HP|HR|HS|HU|HX|IG|IM|IP|IV|JE|KA|"
    "KT|KW|KY|L|LA|LD|LE|LL|LN|LS|LU|M|ME|MK|ML|N|NE|NG|NN|NP|NR|NW|OL|OX|PA|PE|PH|PL|PO|"
    "PR|RG|RH|RM|S|SA|SE|SG|SK|SL|SM|SN|SO|SP|SR|SS|ST|SW|SY|TA|TD|TF|TN|TQ|TR|TS|TW|UB|W|"
    "WA|WC|WD|WF|WN|WR|WS|WV|YO|ZE"
)
_ORDINAL = r"(?-i:1st|2nd|3rd|[04-9]th)(?!\w)"
POSTCODE = re.compile(
    rf"(?<!\w)(?:GIR{_H}?0AA|(?:{_AREAS})"
    rf"\d[A-Z\d]?{_H}?(?!{_ORDINAL})\d[ABD-HJLNP-UW-Z]{{2}})(?!\w)",
    re.I,
)


# What every email holds ("@", a bracketed "at" or " at "), and every other identifier (a
# digit): most texts have neither, and are spared the patterns that would find nothing.
_MAY_EMAIL = re.compile(rf"@|[\[({{<]{_H}*(?i:at)|{_H}(?i:at){_H}")
_DIGIT = re.compile(r"\d")


def nhs_valid(digits: str) -> bool:
    """Return whether ten digits pass the NHS number's modulus 11 check.

    Each of the first nine digits is weighted 10, 9, …, 2; the check digit is 11 minus
    the sum modulo 11 (11 becomes 0; 10 means the number cannot be valid).

    Args:
        digits: The number, digits only.

    Returns:
        True if it is ten digits with the right check digit.

    Example:
        >>> nhs_valid("9434765919"), nhs_valid("9434765918"), nhs_valid("943 476 5919")
        (True, False, False)
    """
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    check = 11 - sum(w * int(d) for w, d in zip(_WEIGHTS, digits[:9], strict=True)) % 11
    return (0 if check == 11 else check) == int(digits[9])


def chi_valid(digits: str) -> bool:
    """Return whether ten digits are a well-formed Scottish CHI number.

    A CHI number is a date of birth as DDMMYY, two more digits, a ninth digit for sex (odd
    male, even female, so any digit) and a check digit computed exactly as for NHS numbers
    (see :func:`nhs_valid`). The date must exist: month 01-12 and a day that month has.
    The century is not recorded, so 29 February is accepted in any year divisible by four
    (00 may be 2000). These are the checks of ``chi_check`` in Public Health Scotland's
    phsmethods: ten digits, a real date, the right check digit. Every valid CHI number is
    also a valid NHS number by the check digit alone; the date matters for ``DDMMYY-NNNN``.

    Args:
        digits: The number, digits only.

    Returns:
        True if the first six digits are a real date and the check digit is right.

    Example:
        >>> chi_valid("0101001231"), chi_valid("0101001232"), chi_valid("3104031231")
        (True, False, False)
    """
    if not nhs_valid(digits):
        return False
    day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    try:
        date(2000 + year, month, day)  # a leap year when year % 4 == 0, as 2000 was
    except ValueError:
        return False
    return True


def _health_id(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match[0])
    valid = chi_valid(digits) if match["chi"] else nhs_valid(digits)
    return "[ID]" if valid else match[0]


def redact_identifiers(text: str) -> str:
    """Replace emails, UK phone numbers, NHS and CHI numbers and UK postcodes in text.

    They become ``[EMAIL]``, ``[PHONE]``, ``[ID]`` and ``[POSTCODE]``. Emails go first, as
    an address may hold digits; then phone numbers, so ``+44 943 476 5919`` is one phone
    number, not ``+44`` and an NHS number. A ten-digit NHS or CHI number is redacted only
    when its check digit (and, for the CHI form ``DDMMYY-NNNN``, its date) is valid; one
    that starts with 0 and then 1, 2, 3, 5, 7, 8 or 9 is also a phone number: ``[PHONE]``.

    Args:
        text: Free text.

    Returns:
        The text with each identifier replaced by its placeholder.

    Example:
        >>> redact_identifiers("jo (at) example.org, 0044 1224 555 010, IV2 3HY in 2023")
        '[EMAIL], [PHONE], [POSTCODE] in 2023'
        >>> redact_identifiers("NHS 943 476 5919, not 943 476 5918")
        'NHS [ID], not 943 476 5918'
    """
    if _MAY_EMAIL.search(text):
        text = EMAIL.sub("[EMAIL]", text)
    if _DIGIT.search(text) is None:  # every phone number, id and postcode has a digit
        return text
    text = PHONE.sub("[PHONE]", text)
    text = HEALTH_ID.sub(_health_id, text)
    return POSTCODE.sub("[POSTCODE]", text)
