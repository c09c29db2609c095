import re

import pytest

from coprod_analysis.privacy.patterns import (
    EMAIL,
    HEALTH_ID,
    PHONE,
    POSTCODE,
    _health_id,
    chi_valid,
    nhs_valid,
    redact_identifiers,
)
from coprod_analysis.privacy.redact import Redactor


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("iv2 3hy", "[POSTCODE]"),
        ("IV2 3HY", "[POSTCODE]"),
        ("ab10 1xg", "[POSTCODE]"),
        ("AB101XG", "[POSTCODE]"),
        ("EC1A 1BB", "[POSTCODE]"),
        ("GIR 0AA", "[POSTCODE]"),
        ("gir 0aa", "[POSTCODE]"),
        ("Iv2 3Hy", "[POSTCODE]"),
        ("W1A 1AA, SW1A 2AA and M1 1AE", "[POSTCODE], [POSTCODE] and [POSTCODE]"),
        ("at AB10 1AQ and AB241AF", "at [POSTCODE] and [POSTCODE]"),
        ("from Inverness, iv2 3hy.", "from Inverness, [POSTCODE]."),
        ("B3 4TH", "[POSTCODE]"),  # upper case: a postcode, though "4th" in lower case is not
    ],
)
def test_postcodes(text, expected):
    assert redact_identifiers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0044 1224 555011", "[PHONE]"),
        ("0044 1224 555 010", "[PHONE]"),  # was "[PHONE] 010"
        ("+44 (0)1224 555 010", "[PHONE]"),
        ("+44 7700 900123", "[PHONE]"),
        ("+447700900123", "[PHONE]"),
        ("01224 555010", "[PHONE]"),
        ("(01224) 555010", "[PHONE]"),
        ("07700-900-123", "[PHONE]"),
        ("0800 123 4567", "[PHONE]"),
        ("0800 123 456", "[PHONE]"),
        ("0131 496 0000", "[PHONE]"),
        ("(+44) 1224 555010", "[PHONE]"),
        ("+44 01224 555010", "[PHONE]"),
        ("tel:01224555010.", "tel:[PHONE]."),
        ("ring 07700 900123 or +44 7700 900456", "ring [PHONE] or [PHONE]"),
        ("(0131) 496 0018, 020 7946 0123", "[PHONE], [PHONE]"),
        ("+44 (0)20 7946 0321 and 01632-960-777", "[PHONE] and [PHONE]"),
        ("0044 1224 555 0100", "[PHONE]"),  # one digit too many: all of it, never a tail
        ("01224 555010 2023", "[PHONE] 2023"),
    ],
)
def test_phone_numbers(text, expected):
    assert redact_identifiers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NHS number 943 476 5919.", "NHS number [ID]."),
        ("943-476-5919", "[ID]"),
        ("9434765919", "[ID]"),
        # CHI numbers (valid examples computed with chi_valid), plain or DDMMYY-NNNN.
        ("CHI 1503851230", "CHI [ID]"),
        ("150385-1230", "[ID]"),
        ("150385 1230", "[ID]"),
        ("2902004567", "[ID]"),
        ("311299 9878", "[ID]"),
        ("0401012344", "[ID]"),  # starts 04: no phone number does
        ("0101001231", "[PHONE]"),  # a CHI number that also reads as a phone number
        ("+44 943 476 5919", "[PHONE]"),  # the phone number takes its +44 with it
    ],
)
def test_health_numbers(text, expected):
    assert redact_identifiers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name at example dot org", "[EMAIL]"),
        ("name [at] example [dot] org", "[EMAIL]"),
        ("name(at)example(dot)org", "[EMAIL]"),
        ("name (at) example.org", "[EMAIL]"),
        ("tom @ example.org", "[EMAIL]"),
        ("tom@example.org", "[EMAIL]"),
        ("Tom.Smith@Example.CO.UK", "[EMAIL]"),
        ("mail tom@example.org.", "mail [EMAIL]."),
        ("Tom AT example DOT org", "[EMAIL]"),
        ("tom at example dot co dot uk", "[EMAIL]"),
        ("jane dot smith at nhs dot net", "[EMAIL]"),
        ("jane.smith{at}nhs<dot>scot", "[EMAIL]"),
        ("look at example dot org", "[EMAIL]"),  # ambiguous: redacted to be safe
        ("x.y@a-b.example.scot or jo@x.org", "[EMAIL] or [EMAIL]"),
        ("07700900123@sms.example.com", "[EMAIL]"),  # one address, not a phone number
    ],
)
def test_emails(text, expected):
    assert redact_identifiers(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # postcodes
        "in 2023 we",
        "a 1 to 1",
        "covid 19",
        "at 10am",
        "at10am",
        "g7 summit",
        "b2b",
        "room b3 4th floor",
        "Q3 4th floor, room B12",
        "A1 road, M8 motorway",
        # phone numbers
        "2023 2024",
        "12/03/2024",
        "01/03/2024",
        "01 03 2024",
        "£10,000",
        "at 10:30 or 10.30am",
        "call 999 or 111",
        "12 people for 90 minutes",
        "0 to 10",
        "01234",
        "0044 12",
        # NHS and CHI numbers with a wrong check digit or date
        "943 476 5918",
        "9434765918",
        "1503851231",
        "310403-1231",  # check digit right, but there is no 31 April
        "290201-4562",  # check digit right, but 2001 had no 29 February
        "1234567890",
        # emails
        "we met at the hub dot com event",
        "arrive at ten dot five",
        "meet @ 10.30",
        "@coprod on social media",
        "visit us at www.example.org",
        "look at st.andrews",
        "meet at 10.30",
        "at 3.5 hours",
        "We met at Tesco. Then",
    ],
)
def test_leaves_ordinary_text(text):
    assert redact_identifiers(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "0044 1224 555 010",
        "+44 (0)1224 555 010",
        "0800 123 456 7",
        "07700 900 123 4",
        "(01224) 555-010",
    ],
)
def test_no_phone_digits_left_behind(text):
    assert not re.search(r"\d", redact_identifiers(f"call {text} now"))


@pytest.mark.parametrize(
    ("digits", "nhs", "chi"),
    [
        ("9434765919", True, False),  # 94 is no day
        ("9434765918", False, False),
        ("0101001231", True, True),
        ("1503851230", True, True),
        ("2902004567", True, True),  # 29 February 2000
        ("3112999878", True, True),
        ("1207903450", True, True),
        ("2504667892", True, True),
        ("0101001232", False, False),
        ("3104031231", True, False),
        ("2902014562", True, False),
        ("943476591", False, False),
        ("94347659190", False, False),
        ("943 476 5919", False, False),
        ("", False, False),
    ],
)
def test_check_digits(digits, nhs, chi):
    assert nhs_valid(digits) is nhs
    assert chi_valid(digits) is chi


def test_redactor_uses_the_patterns():
    redact = Redactor.for_names(["Jane Smith"])
    text = "Jane Smith: 0044 1224 555 010, jane (at) example.org, IV2 3HY, 943 476 5919"
    assert redact(text) == "[NAME]: [PHONE], [EMAIL], [POSTCODE], [ID]"


@pytest.mark.parametrize(
    "text",
    [
        "name\tAT\texample.org",
        "name [ at ] example.org",
        "name <At> example dot org",
        "name@example.org",
        "jo @ example.org",
        "no digits and no address here",
        "at 10am in IV2 3HY",
        "ring ０７７００ ９００１２３",  # full-width digits
        "NHS ٩٤٣ ٤٧٦ ٥٩١٩",  # Arabic-Indic digits
        "room B12 at the hub",
        "0131 496 0018",
    ],
)
def test_the_quick_checks_change_nothing(text):
    # Texts without "@", "at" or a digit skip patterns: the result is what all four give.
    everything = POSTCODE.sub(
        "[POSTCODE]",
        HEALTH_ID.sub(_health_id, PHONE.sub("[PHONE]", EMAIL.sub("[EMAIL]", text))),
    )
    assert redact_identifiers(text) == everything
