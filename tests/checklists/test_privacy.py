"""The note screen: each kind of personal data is refused with its kind named, ordinary notes pass."""

from __future__ import annotations

import pytest

from guidebot.checklists.privacy import personal_data_problem

CAUGHT = [
    # (kind named in the reason, a realistic note)
    ("a name", "Spoke to Mr Hughes about the waiting list"),
    ("a name", "Partner (Mrs O'Neill) referred to WSS"),
    ("a name", "Discussed with Dr. Patel at the GP surgery"),
    ("a name", "ms Kowalski declined the partner support offer"),
    ("a name", "Miss J attended"),
    # Accepted false positive: a rule cannot tell a module from a surname (see the module docstring).
    ("a name", "Completed the Mr Motivation module"),
    ("a phone number", "Call back on 07700 900123 after 5pm"),
    ("a phone number", "mobile 07700-900-123"),
    ("a phone number", "Contact +44 7700 900123 for the CAF"),
    ("a phone number", "Office: +44 (0)20 7946 0018"),
    ("a phone number", "landline (01632) 960 001"),
    ("a phone number", "Probation office 0300 123 4567"),
    ("an email address", "Sent the form to j.bloggs@example.org today"),
    ("an email address", "Reply went to <mailto:someone@example.co.uk|someone@example.co.uk>"),
    ("a date of birth", "DOB 12 March 1987, eligible on age"),
    ("a date of birth", "d.o.b: 3rd June 2001"),
    ("a date of birth", "Service user was born in 1999 so is over 18"),
    ("a date of birth", "date of birth 4/5/88"),
    ("a date of birth", "Checked age: 15/06/1987"),
    ("a date of birth", "Age confirmed from 1987-06-15"),
    ("a date of birth", "OASys review due 12/03/2026"),  # chosen: any numeric full date is refused
    ("a postcode", "Lives near SW1A 1AA"),
    ("a postcode", "moved to m1 1ae last month"),
    ("a postcode", "Address area is B338TH"),
    ("a National Insurance number", "NI QQ 12 34 56 C on the form"),
    ("a National Insurance number", "ni number ab123456d"),
]

HARMLESS = [
    "attended 3 of 4 sessions",
    "OASys due 12 March",
    "referred to WSS",
    "Case X123456 referred to Kaizen after E-SARA review",
    "Meeting held on MS Teams with the treatment manager",
    "Sentence plan updated; HRP priority 2, tariff expiry in 2027",
    "Scored 3/4 on the motivation scale; literacy support via the Shannon Trust",
    "Discussed with treatment manager; IDAP start week 12, capacity 8 of 10",
    "Version 10.1.10.5 of the pre-programme workbook",
    "DOB withheld until consent form signed",
    "Partner referral made without delay, consent and confidentiality form signed",
    "Dx of learning challenges: adapted programme considered",
    "Reference 123456789 on the waiting list",
    "",
]


@pytest.mark.parametrize(("kind", "note"), CAUGHT)
def test_personal_data_is_refused_and_the_reason_names_its_kind(kind: str, note: str) -> None:
    reason = personal_data_problem(note)
    assert reason is not None
    assert f"looks like it contains {kind}." in reason


@pytest.mark.parametrize("note", HARMLESS)
def test_ordinary_notes_pass(note: str) -> None:
    assert personal_data_problem(note) is None


def test_the_reason_never_echoes_the_note() -> None:
    """The reason may be logged or posted back: it is one fixed sentence per kind, whatever the note said."""
    reasons: dict[str, set[str]] = {}
    for kind, note in CAUGHT:
        reason = personal_data_problem(note)
        assert reason is not None
        reasons.setdefault(kind, set()).add(reason)
        for piece in note.split():
            piece = piece.strip(".,:;()<>|")
            if any(ch.isdigit() for ch in piece) or "@" in piece or piece[:1].isupper():
                assert piece not in reason.split(), (note, piece)
    assert all(len(found) == 1 for found in reasons.values())
    assert len(set().union(*reasons.values())) == len(reasons)


def test_the_first_kind_found_is_named_when_a_note_holds_several() -> None:
    reason = personal_data_problem("Mr Smith, 07700 900123, SW1A 1AA")
    assert reason is not None and "a phone number" in reason


def test_a_long_harmless_note_passes_and_a_late_phone_number_is_still_found() -> None:
    long = "attended 3 of 4 sessions; " * 2000
    assert personal_data_problem(long) is None
    assert personal_data_problem(long + "call 07700 900123") is not None
