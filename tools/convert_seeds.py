"""Convert the five seed text files into knowledge/documents/<id>.md.

Usage:
    python tools/convert_seeds.py            # (re)write knowledge/documents/*.md
    python tools/convert_seeds.py --check    # verify the .md files against the seeds

The committed .md files are the real knowledge base; after the first conversion they are
edited by hand. Only re-run the conversion if you mean to throw those edits away.

Rules followed (see knowledge/README.md):
- the source words stay verbatim: nothing is reworded, reordered or corrected;
- structure is restored as markdown headings (## top sections, ### sub-sections);
- only PDF artefacts (running footers, logos, tables of contents, lone dots) and, in the
  BBR template, the template's guidance prompts are removed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path("/work/shared/seeds")
OUT = ROOT / "knowledge" / "documents"

NOT_ANSWERED = "_Not answered in the source._"

# --------------------------------------------------------------------------------------
# Front matter
# --------------------------------------------------------------------------------------
DOCS = {
    "kaizen-hmpps-2019": {
        "source_file": "000_f617449cf9ec7d94.txt",
        "title": "Kaizen: good-practice template for a custody perpetrator programme",
        "publisher": "HM Prison and Probation Service",
        "year": 2019,
        "kind": "programme_guidance",
        "programmes": ["Kaizen"],
        "names": ["HMPPS", "HMPPS template", "good-practice template"],
        "attribution": "Developed by Intervention Services, HM Prison and Probation Service for England and Wales; "
        "template completed for the 2019 expert group meeting on Domestic Violence; no copyright or licence statement in the source",
    },
    "bbr-hmpps-2019": {
        "source_file": "001_5f052d7ba61fe1f1.txt",
        "title": "Building Better Relationships (BBR): good-practice template for a perpetrator programme",
        "publisher": "HM Prison and Probation Service",
        "year": 2019,
        "kind": "programme_guidance",
        "programmes": ["BBR"],
        "names": ["HMPPS", "HMPPS template", "good-practice template"],
        "attribution": "HMPPS – Interventions Services; template completed for the 2019 expert group meeting on Domestic Violence; "
        "no copyright or licence statement in the source",
    },
    "moj-delivery-of-da-programmes-2010": {
        "source_file": "002_d115089750926813.txt",
        "title": "The delivery of domestic abuse programmes",
        "publisher": "Ministry of Justice",
        "year": 2010,
        "kind": "implementation_finding",
        "programmes": ["IDAP", "CDVP", "HRP"],
        "names": ["MoJ", "MoJ study", "MoJ research", "implementation study", "the 2010 study", "MoJ report"],
        "attribution": "Karen Bullock, Sophie Sarre, Roger Tarling and Mike Wilkinson; Ministry of Justice Research Series 15/10, July 2010; "
        "© Crown Copyright 2010, extracts may be reproduced for non-commercial purposes on condition that the source is acknowledged",
    },
    "up2u-lga-2018": {
        "source_file": "003_78c283aaacf1a3ff.txt",
        "title": "Up2U: Creating healthy relationships",
        "publisher": "Local Government Association",
        "year": 2018,
        "kind": "programme_guidance",
        "programmes": ["Up2U"],
        "names": ["LGA", "LGA case study", "Portsmouth case study"],
        "attribution": "Case study by Sarah Newman and Amy Ford, Portsmouth City Council; Local Government Association, August 2018; © Local Government Association",
    },
    "wwp-policy-recommendations": {
        "source_file": "004_93eb4897f45c505b.txt",
        "title": "Policy Recommendations: Collaboration between community-based perpetrator programmes, "
        "support services and prison & probation services for an effective victim-oriented response to domestic abuse",
        "publisher": "WWP European Network",
        "year": 2020,
        "kind": "policy_recommendation",
        "programmes": [],
        "names": [
            "WWP",
            "WWP EN",
            "Work With Perpetrators",
            "WWP recommendations",
            "policy recommendations",
            "European Network",
        ],
        "attribution": "Darren O'Connell, WWP European Network; produced with the financial support of the Rights, Equality and "
        "Citizenship Programme 2014-2020 of the European Union; contents the sole responsibility of the authors",
    },
}


def front_matter(doc_id: str) -> str:
    d = DOCS[doc_id]

    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "---",
        f"id: {doc_id}",
        f"title: {q(d['title'])}",
        f"publisher: {q(d['publisher'])}",
        f"year: {d['year']}",
        f"kind: {d['kind']}",
        f"programmes: [{', '.join(d['programmes'])}]",
        f"names: [{', '.join(d['names'])}]",
        f"source_file: {d['source_file']}",
        f"attribution: {q(d['attribution'])}",
        "---",
    ]
    return "\n".join(lines) + "\n"


def read_seed(doc_id: str) -> list[str]:
    text = (SEEDS / DOCS[doc_id]["source_file"]).read_text(encoding="utf-8")
    return text.split("\n")


def finish(blocks: list[str]) -> str:
    """Join blocks with one blank line, dropping empty blocks."""
    out = [b.strip("\n") for b in blocks if b and b.strip()]
    return "\n\n".join(out) + "\n"


def ends_open(text: str) -> bool:
    """True when a paragraph stops mid-sentence (no closing punctuation)."""
    return not re.search(r"[.:;?!'\")\]*]\s*$", text)


def join_broken_paragraphs(blocks: list[str]) -> list[str]:
    """Re-join a paragraph split by a page break: previous block stops mid-sentence
    and the next starts with a lower-case letter."""
    out: list[str] = []
    for b in blocks:
        if (
            out
            and not out[-1].startswith(("#", "|", "- "))
            and not b.startswith(("#", "|", "- "))
            and ends_open(out[-1])
            and b[:1].islower()
        ):
            out[-1] = out[-1].rstrip() + " " + b.lstrip()
        else:
            out.append(b)
    return out


# --------------------------------------------------------------------------------------
# 000 / 001: the two-column "collection of good practices" template
# --------------------------------------------------------------------------------------
ROW_LABELS = [
    "Name of the perpetrator programme",
    "Owner/developer Year",
    "Geographical scope",
    "Key features of the perpetrator programme",
    "Risk assessment",
    "Target group",
    "Theory/Methodology used",
    "Individual or group programme",
    "Duration of the perpetrator programme",
    "Victims safety",
    "Monitoring and training",
    "Evaluation",
    "Transferability",
    "Digitalisation",
    "Volume",
    "Lessons learnt",
    "Current status",
    "Other initiatives on Domestic violence?",
]

# The template's guidance prompts still present in the BBR file (001). They are questions
# to the person filling in the template, not BBR facts, so they are removed.
BBR_PROMPTS = [
    "Briefly describe the key elements of the treatment in order for an outsider to understand what it is about, "
    "without going into too many details. Please also include the following elements: Describe the problem that was "
    "addressed by the treatment Describe who delivers the programme (internal staff, external programme provider) "
    "Describe the /module (not too much detail) Describe the resources (human/financial/equipment/IT/other) needed for "
    "running or setting up the training practice.",
    "What is the theoretical background? What are the key underlying principles? Behavioural theories, sociology, "
    "pedagogy, psychology, of the treatment programme",
    "Is the programme delivered to a group, one to-one or combined?",
    "Describe the length and intensity of the programme",
    "SARA - Does the risk level effect the duration?",
    "What type of methods and cooperation with other stakeholders are used to safeguard victims and children?",
    "Describe the support system for the programme facilitators Basic level of education, basic training, monitoring, "
    "specialised training, follow-ups?",
    "Is the perpetrator programme evaluated? By who? Internally or externally? Main findings on the effectiveness and "
    "relevance? Is the effect evaluated by a long term recidivism evaluation or short term treatment results? Is the "
    "evaluation published?",
    "Is the perpetrator programme suitable for other countries or for other sectors? What is the language origin of "
    "manuals? Is the programme translated to other languages? Are there any obstacles that prevent it being used by others?",
    "Does the programme include any digital tools for example VR, e- learning, video conferences etc.?",
    "How many programmes are delivered so far? Number of perpetrators yearly?",
    "What were the key lessons learnt when setting up and running this? What went well? What went less well?",
    "Is the programme under more development? Is it replacing older programmes? Is the programme a short term project "
    "or running with long term financing?",
    "Are there any other initiatives/interventions that support the programme? Treatment for substance misuse? "
    "Treatment for mental health issues? Other supportive initiatives?",
]

# Lines dropped as artefacts of the flattened table ("Explanation" is the column header,
# "." a stray dot between table pages).
TEMPLATE_ARTEFACTS = {"Explanation", "."}

KAIZEN_TARGETS = """**Positive relationships**

- Feeling angry and suspicious all the time and wanting to get your own back
- Jealousy (for those convicted of IPV only)
- Not having a close relationship with an adult
- Feeling more comfortable with children than adults (for those with convictions of sexual offences only)
- Having close family or friends who commit crime

**Managing life's problems**

- Rushing into things without thinking them through
- Not dealing with life's problems
- Having big problems controlling feelings
- Having big problems with substances

**Healthy Thinking**

- Thinking violence is okay
- Thinking violence in a relationship is okay
- Thinking sexual offending is okay

**Sense of Purpose**

- Actively changing my life for the better by working on the things that led me to offend in the past
- Being a responsible member of society, sticking to the rules and getting on with the people who are supporting me
- Having a job, or being busy

**Healthy Sex (only relevant when sexual offences have been committed)**

- Thinking about sex a lot
- Liking sex with children
- Liking sex to involve violence
- Other sexual interests that are related to offending"""


def template_cells(lines: list[str]) -> list[tuple[str, str]]:
    """Return (kind, text) items: ('h2', label), ('h3', text) or ('p', text)."""
    items: list[tuple[str, str]] = []
    for raw in lines:
        line = raw.rstrip()
        if not line.strip():
            continue
        if line.startswith("\t"):
            text = line.strip()
            if text in TEMPLATE_ARTEFACTS:
                continue
            items.append(("p", text))
        elif "\t" in line:
            label, text = line.split("\t", 1)
            items.append(("h2", label.strip()))
            items.append(("p", text.strip()))
        elif line.strip() in TEMPLATE_ARTEFACTS:
            continue
        elif line.strip() in ROW_LABELS or line.strip() == "1 Introduction":
            items.append(("h2", line.strip()))
        elif line.startswith("Collection of good practices"):
            items.append(("p", f"**{line.strip()}**"))
        elif re.match(r"\(\d\) ", line):
            items.append(("h3", line.strip()))
        else:
            items.append(("p", line.strip()))
    return items


def render_template(items: list[tuple[str, str]]) -> list[str]:
    blocks: list[str] = []
    for kind, text in items:
        if kind == "h2":
            blocks.append("## " + text)
        elif kind == "h3":
            blocks.append("### " + text)
        else:
            blocks.append(text)
    return blocks


def convert_kaizen() -> str:
    items = template_cells(read_seed("kaizen-hmpps-2019"))
    blocks: list[str] = []
    skip_targets = False
    for kind, text in items:
        if kind == "p" and text.startswith("Positive relationships - "):
            blocks.append(KAIZEN_TARGETS)
            skip_targets = True
            continue
        if (
            skip_targets
            and kind == "p"
            and (
                text.startswith("- Having big problems")
                or text.startswith("Healthy Thinking - ")
                or text.startswith("Sense of Purpose ")
                or text.startswith("Healthy Sex (")
            )
        ):
            continue
        skip_targets = False
        if kind == "p" and "These include: - " in text:
            head, rest = text.split(" - ", 1)
            bullets = rest.split(" - ")
            last = bullets[-1]
            cut = last.index(" Following on from this")
            bullets[-1], tail = last[:cut], last[cut + 1 :]
            blocks.append(head)
            blocks.append("\n".join("- " + b for b in bullets))
            blocks.append(tail)
            continue
        blocks.extend(render_template([(kind, text)]))
    return finish(join_broken_paragraphs(blocks))


def remove_prompts(text: str) -> list[str]:
    """Split a BBR cell at the template prompts; return the remaining answer parts."""
    parts = [text]
    for prompt in BBR_PROMPTS:
        new: list[str] = []
        for p in parts:
            new.extend(p.split(prompt))
        parts = new
    return [p.strip() for p in parts if p.strip()]


def convert_bbr() -> str:
    items = template_cells(read_seed("bbr-hmpps-2019"))
    # Cells after removing the prompts, grouped under their row heading.
    sections: list[tuple[str, list[str]]] = [("", [])]
    for kind, text in items:
        if kind == "h2":
            sections.append((text, []))
        elif kind == "h3":
            sections[-1][1].append("### " + text)
        else:
            sections[-1][1].extend(remove_prompts(text))

    # The answer to "Evaluation" spilled into the next table cell ("Transferability") in the
    # extraction: move that one sentence back under its own heading.
    moved = "The BBR evaluation is ongoing."
    names = [name for name, _ in sections]
    transfer = sections[names.index("Transferability")][1]
    if transfer and transfer[0] == moved:
        transfer.pop(0)
        sections[names.index("Evaluation")][1].append(moved)

    blocks: list[str] = []
    for name, paras in sections:
        if name:
            blocks.append("## " + name)
        out: list[str] = []
        for p in paras:
            if p.startswith("Spousal Assault Risk Assessment (SARA) Medium"):
                # "SARA Medium or High Risk (Community) Medium Risk (Custody)": a two-item list
                out.append("Spousal Assault Risk Assessment (SARA)")
                out.append("- Medium or High Risk (Community)\n- Medium Risk (Custody)")
            elif "guidance.Partner Link workers" in p:
                first, second = p.split("guidance.Partner", 1)
                out.append(first + "guidance.")
                out.append("Partner" + second)
            else:
                out.append(p)
        if name and not out:
            out = [NOT_ANSWERED]
        blocks.extend(out)
    return finish(join_broken_paragraphs(blocks))


# --------------------------------------------------------------------------------------
# 002: MoJ implementation study (plain lines; headings and tables by line number)
# --------------------------------------------------------------------------------------
MOJ_HEADINGS = {
    33: "## Disclaimer",
    45: "## Acknowledgements",
    66: "## Key implications for decision makers",
    70: "## Probation Service implications",
    72: "### Offender manager role",
    76: "### Women's safety worker issues",
    82: "### Group delivery",
    86: "### Evaluation measures",
    90: "## Prison Service implications",
    92: "### Risk and the role of the women's safety service",
    96: "## Summary",
    98: "### Context",
    104: "### Approach",
    108: "## Summary – Results – Community programmes",  # lines 108 + 110 merged
    110: None,
    112: "### Referral and the waiting lists",
    117: "### The nature of group work delivery and monitoring of integrity",
    124: "### Managing risk",
    128: "### The role of the women's safety worker",
    133: "## Summary – Prison programmes",
    135: "### Referral and waiting lists",
    140: "### Group delivery and integrity",
    145: "### Risk management",
    149: "## Summary – Implications",
    153: "## 1. Context",
    180: "## 2. Aims",
    195: "## 3. Approach",
    242: "## 4. Results – Community programmes",  # lines 242 + 244 merged
    244: None,
    246: "### Referral to the programmes and waiting list management in IDAP and CDVP",
    266: "### Pre-group programme work in IDAP and CDVP",
    301: "### Group delivery, integrity and administration in IDAP and CDVP",
    326: "### Managing risk in IDAP and CDVP",
    330: "### Meeting with the offender",
    344: "### Reacting to emerging risk",
    388: "### Women's safety work",
    404: "### Enforcing the order",
    412: "### Men's engagement and views on the programme",
    450: "## The prison programmes (HRP)",
    454: "### Referral, suitability, waiting lists and assessment in HRP",
    464: "### Evaluation measures",
    470: "### Group delivery, administration and integrity",
    482: "### Monitoring, risk and breach",
    494: "## References",
    505: "## Ministry of Justice Research Series 15/10",
}
# Cover logo text and the table of contents / list of tables (page numbers only).
MOJ_DROP = set(range(5, 7)) | set(range(49, 65))
MOJ_TABLES = {201, 224, 280}  # caption lines; the tab-separated rows follow


def pipe_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.strip() for c in cells) + " |"


def convert_moj() -> str:
    lines = read_seed("moj-delivery-of-da-programmes-2010")
    blocks: list[str] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            if any(p.startswith(("- ", "1. ", "2. ", "3. ")) for p in para):
                blocks.append("\n".join(para))
            else:
                # separate bold cover lines ("**title** **subtitle**") into their own paragraphs
                blocks.extend(re.split(r"(?<=\*\*) (?=\*\*)", " ".join(para)))
            para.clear()

    n = 0
    while n < len(lines):
        lineno = n + 1
        line = lines[n].rstrip()
        n += 1
        if lineno in MOJ_DROP:
            continue
        if lineno in MOJ_HEADINGS:
            flush()
            if MOJ_HEADINGS[lineno]:
                blocks.append(MOJ_HEADINGS[lineno])
            continue
        if lineno in MOJ_TABLES:
            flush()
            blocks.append(f"**{line.strip()}**")
            rows = []
            while n < len(lines) and (not lines[n].strip() or "\t" in lines[n]):
                if lines[n].strip():
                    rows.append(lines[n].rstrip("\n").split("\t"))
                elif rows:
                    break
                n += 1
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            table = [pipe_row(rows[0]), "|" + "---|" * width]
            for r in rows[1:]:
                if all(not c.strip() for c in r[1:]):  # group row, e.g. "Probation area"
                    r = [f"**{r[0].strip()}**", *r[1:]]
                table.append(pipe_row(r))
            blocks.append("\n".join(table))
            continue
        if not line.strip():
            flush()
            continue
        if line.startswith("* "):  # "* With two interviewees." (table note, not a bullet)
            line = "\\" + line
        # References: "- Atkinson, D.** (2004)" has lost its opening "**".
        m = re.match(r"^- (.+?)\*\* (.*)$", line)
        if m and lineno > 494:
            line = f"- **{m.group(1)}** {m.group(2)}"
        para.append(line.strip() if not line.startswith("- ") else line)
    flush()
    return finish(join_broken_paragraphs(blocks))


# --------------------------------------------------------------------------------------
# 003: LGA Up2U case study (already markdown-ish; normalise heading levels)
# --------------------------------------------------------------------------------------
UP2U_HEADINGS = {
    7: "**Up2U: Creating healthy relationships**",
    9: "**Portsmouth City Council**",
    131: None,  # "### Structure" (empty; merged into the two headings below)
    133: "### Structure – Staffing",
    141: "### Structure – Resources",
    175: "### Work with service users",
    229: None,  # "### Performance indicators/target outcomes" (empty; merged below)
    231: "### Performance indicators/target outcomes – Measuring change",
    304: None,  # "# Appendix one" (merged below)
    306: "## Appendix one – Modules and sessions",
    424: None,  # "## Appendix two" (merged below)
    426: "## Appendix two – Domestic abuse perpetrator research review",
    503: "## Bibliography",
    635: "## Local Government Association",
}
# Appendix headings that are sub-sections of the appendix, whatever level the source used.
UP2U_SUBSECTIONS = set(range(307, 424)) | set(range(427, 503))


def convert_up2u() -> str:
    lines = read_seed("up2u-lga-2018")
    blocks: list[str] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append("\n".join(para))
            para.clear()

    for n, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        if n in UP2U_HEADINGS:
            flush()
            if UP2U_HEADINGS[n]:
                blocks.append(UP2U_HEADINGS[n])
            continue
        m = re.match(r"^(#+)\s+(.*)$", line)
        if m:
            flush()
            text = m.group(2).strip()
            text = re.sub(r"^\*\*(.*)\*\*$", r"\1", text)
            level = len(m.group(1))
            if level >= 3 or n in UP2U_SUBSECTIONS:
                blocks.append("### " + text)
            else:
                blocks.append("## " + text)
            continue
        if not line.strip():
            flush()
            continue
        strand = re.match(r"^- (Strand \d)\s{2,}(.*)$", line)
        if strand:
            line = f"- **{strand.group(1)}:** {strand.group(2)}"
        para.append(line if line.startswith((" ", "-")) else line.lstrip())
    flush()
    # bullets separated by blank lines in the source form one list
    merged: list[str] = []
    for b in blocks:
        if merged and b.startswith("- ") and merged[-1].startswith("- "):
            merged[-1] += "\n" + b
        else:
            merged.append(b)
    return finish(join_broken_paragraphs(merged))


# --------------------------------------------------------------------------------------
# 004: WWP EN policy recommendations (numbered headings, footnotes)
# --------------------------------------------------------------------------------------
WWP_HEADINGS = {
    37: "## 1. Introduction",
    78: "## 2. Multi-Agency Working",
    101: "### Maslow's Hierarchy of Need",
    111: "## 3. Information Sharing",
    123: "## 4. Partner Support Services",
    135: "## 5. Governance – Leadership",
    145: "## 6. Funding – Investment",
    162: "## 7. Staff Recruitment",
}
# Table of contents and the running footer "Funded by / the European Union" repeated on each page
WWP_DROP = set(range(22, 31)) | {34, 35, 75, 76, 201, 202}
WWP_FOOTNOTES = {51: 1, 95: 2, 107: 3, 154: 4, 156: 4, 158: 5}
WWP_FUNDING_STATEMENT = 197


def convert_wwp() -> str:
    lines = read_seed("wwp-policy-recommendations")
    blocks: list[str] = []
    para: list[str] = []
    notes: dict[int, list[str]] = {}

    def flush() -> None:
        if para:
            if para[0].startswith(("- ", " - ")) or para[0].endswith("  "):
                blocks.append("\n".join(para))
            else:
                blocks.append(" ".join(para))
            para.clear()

    for n, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if n in WWP_DROP:
            continue
        if n in WWP_HEADINGS:
            flush()
            blocks.append(WWP_HEADINGS[n])
            continue
        if n in WWP_FOOTNOTES:
            flush()
            text = re.sub(r"^[¹²³⁴⁵]\s*", "", line.strip())
            notes.setdefault(WWP_FOOTNOTES[n], []).append(text)
            continue
        if n == WWP_FUNDING_STATEMENT:
            flush()
            blocks.append("## Funded by the European Union")
            blocks.append(line.strip())
            continue
        if not line.strip():
            flush()
            continue
        if n == 183:  # "Recruiting the right people ..." is a new point, not one of the values above
            flush()
        if n < 37 and para:  # cover page: keep author and e-mail on their own lines
            para[-1] += "  "
        if line.startswith(" - "):
            # values list in section 7: items after the first carry a stray leading space;
            # line 184 is a sub-point of the bullet before it.
            line = ("  - " if n == 184 else "- ") + line[3:]
        elif para and para[0].startswith("- ") and not line.startswith("- "):
            line = line.strip()
        para.append(line if line.startswith(("- ", "  - ")) else line.strip())
    flush()
    blocks.append("## Notes")
    blocks.append("\n".join(f"{k}. {' '.join(v)}" for k, v in sorted(notes.items())))
    return finish(join_broken_paragraphs(blocks))


CONVERTERS = {
    "kaizen-hmpps-2019": convert_kaizen,
    "bbr-hmpps-2019": convert_bbr,
    "moj-delivery-of-da-programmes-2010": convert_moj,
    "up2u-lga-2018": convert_up2u,
    "wwp-policy-recommendations": convert_wwp,
}


# --------------------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------------------
# Source lines that are allowed to be missing from the converted body, with the reason.
ALLOWED_MISSING = {
    "kaizen-hmpps-2019": {"Explanation": "table column header"},
    "bbr-hmpps-2019": {"Explanation": "table column header", ".": "stray dot"},
    "moj-delivery-of-da-programmes-2010": {},
    "up2u-lga-2018": {},
    "wwp-policy-recommendations": {},
}
ALLOWED_LINES = {  # by line number: PDF artefacts dropped on purpose
    "moj-delivery-of-da-programmes-2010": {n: "cover logo / table of contents" for n in MOJ_DROP},
    "wwp-policy-recommendations": {n: "table of contents / running footer" for n in WWP_DROP},
}

DEV_EVIDENCE = [
    ("kaizen-hmpps-2019", "Risk Matrix 2000 (RM2000) is used for those whose primary risk"),
    ("bbr-hmpps-2019", "30 sessions including individual sessions Moderate intensity"),
    ("moj-delivery-of-da-programmes-2010", "based on nine themes, each one taught over a three-week period"),
    ("up2u-lga-2018", "Safe Lives DASH Perpetrator Version – identifies abusive behaviours"),
    ("wwp-policy-recommendations", "Workforce development days are very beneficial"),
    ("wwp-policy-recommendations", "should be 'contracted' in this before being allowed"),
]


TEMPLATE_DOCS = {"kaizen-hmpps-2019", "bbr-hmpps-2019"}


def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def body_of(md: str) -> str:
    parts = md.split("---\n", 2)
    return parts[2] if md.startswith("---\n") and len(parts) == 3 else md


def check() -> int:
    problems = 0
    for doc_id, _meta in DOCS.items():
        md = (OUT / f"{doc_id}.md").read_text(encoding="utf-8")
        body = " " + words(body_of(md)) + " "
        checked = skipped = removed_prompts = 0
        missing: list[str] = []
        for n, raw in enumerate(read_seed(doc_id), start=1):
            line = raw.strip()
            if not words(line):
                continue
            if n in ALLOWED_LINES.get(doc_id, {}) or line in ALLOWED_MISSING[doc_id]:
                skipped += 1
                continue
            # template rows: the label becomes a heading, the text its section
            fragments = raw.strip("\n").split("\t") if doc_id in TEMPLATE_DOCS else [line]
            if doc_id == "bbr-hmpps-2019":
                fragments = [part for f in fragments for part in remove_prompts(f)]
                removed_prompts += sum(line.count(p) for p in BBR_PROMPTS)
            checked += 1
            for frag in fragments:
                w = words(frag)
                if w and f" {w} " not in body:
                    missing.append(f"  line {n}: {line[:100]}")
                    break
            # BBR prompts must be gone
            if doc_id == "bbr-hmpps-2019":
                for p in BBR_PROMPTS:
                    if p in line and f" {words(p)} " in body:
                        missing.append(f"  line {n}: prompt still present: {p[:60]}")
        if "\n# " in "\n" + body_of(md):
            missing.append("  body uses a level-1 '#' heading")
        print(
            f"{doc_id}: {checked} lines checked, {len(missing)} missing, {skipped} artefact lines dropped"
            + (f", {removed_prompts} template prompts removed" if removed_prompts else "")
        )
        for m in missing:
            print(m)
        problems += len(missing)
    for doc_id, evidence in DEV_EVIDENCE:
        md = (OUT / f"{doc_id}.md").read_text(encoding="utf-8")
        ok = f" {words(evidence)} " in " " + words(body_of(md)) + " "
        print(f"evidence {'OK  ' if ok else 'MISSING'} {doc_id}: {evidence}")
        problems += 0 if ok else 1
    return 1 if problems else 0


def main() -> int:
    if "--check" in sys.argv:
        return check()
    OUT.mkdir(parents=True, exist_ok=True)
    for doc_id, convert in CONVERTERS.items():
        (OUT / f"{doc_id}.md").write_text(front_matter(doc_id) + "\n" + convert(), encoding="utf-8")
        print("wrote", OUT / f"{doc_id}.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
