"""Refuse free text (a checklist note) that looks like personal data, and say why, before anything stores it.

guidebot is not a record system (reliability.md §6): a note may say what was done or decided, never who someone
is. A few whole, readable patterns, each absolute (no scores, no word lists), checked in a fixed order; the
first that matches names its kind. The reason never repeats the text, so it is safe to log or post back.

Chosen trade-offs (false positives are cheap: the user rewords the note; false negatives store personal data):

- Names: a title (Mr, Mrs, Ms, Miss, Mx, Dr; first letter either case, optional full stop) followed by a
  capitalised word. "Mr Motivation module" or "Ms Teams" is refused too: a rule cannot tell a module from a
  surname, and "the motivation module" says the same. "MS Teams" (capitals) passes: titles are not written so.
  A name with no title ("saw John today") is not caught; no short rule can find it.
- Phone numbers: UK numbers from 01, 02, 03 or 07 (10 or 11 digits) or +44, with spaces, dashes or brackets.
  Any 10-11 digit run starting 01/02/03/07 is refused, reference numbers of that shape included.
- Dates of birth: (a) any numeric full date, day/month/year (12/03/1987, 12-3-87, 1987-03-12), whatever the
  year, and (b) a date or year within a few words after "born", "DOB", "d.o.b" or "date of birth". Rule (a)
  also refuses a due date written 12/03/2026: in a free-text note a numeric date cannot be told from a date of
  birth, the run already holds its own dates, and "due 12 March" says it in words. A date of birth written in
  words with no keyword ("12 March 1987") passes: accepted, since refusing every written date would refuse
  most harmless notes ("OASys due 12 March").
- Postcodes: the standard pattern (outward code, optional space, digit and two letters), any case. An
  ordinal after a short code ("M2 3rd", "B4 1st") matches it and is refused.
- National Insurance numbers: two letters, six digits, a final A-D, spaces allowed, any case; prefix rules
  (no D, F, I, Q, U, V...) are not applied, so a few impossible numbers are refused too.
- Email addresses: something@domain.tld, also inside Slack's <mailto:...> links.
"""

from __future__ import annotations

import re

_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"

# (kind, pattern), checked in this order; the kind completes "it looks like ...".
CHECKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an email address", re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")),
    (
        "a National Insurance number",
        re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D](?![A-Za-z0-9])", re.IGNORECASE),
    ),
    (
        "a phone number",
        # +44 (optionally "(0)") or 0, then 1/2/3/7, then 8-9 more digits with spaces, dashes or brackets between.
        re.compile(r"(?<![\w+])(?:\+44[\s-]?(?:\(0\)[\s-]?)?|\(?0)[1237](?:[\s()-]{0,2}\d){8,9}(?!\d)"),
    ),
    (
        "a date of birth",
        re.compile(
            rf"(?<![\d/.-]){_DAY}([/.-]){_MONTH}\1(?:\d{{4}}|\d{{2}})(?![\d/.-]*\d)"
            rf"|(?<![\d/.-])\d{{4}}([/.-]){_MONTH}\2{_DAY}(?![\d/.-]*\d)"
            r"|(?<!\w)(?:born|dob|d\.o\.b\.?|date\s+of\s+birth)(?!\w)[^\n\d]{0,25}\d",
            re.IGNORECASE,
        ),
    ),
    (
        "a postcode",
        re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}(?![A-Za-z0-9])", re.IGNORECASE),
    ),
    ("a name", re.compile(r"(?<![A-Za-z])(?:[Mm](?:rs|r|s|iss|x)|[Dd]r)\.?\s+[A-Z][A-Za-z'’-]*")),
)


def personal_data_problem(text: str) -> str | None:
    """Why `text` cannot be stored (it looks like personal data), or None when it may be; never quotes `text`."""
    for kind, pattern in CHECKS:
        if pattern.search(text):
            return (
                f"This note looks like it contains {kind}. guidebot does not keep personal details, "
                "so please leave that out and try again."
            )
    return None
