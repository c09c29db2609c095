"""Build the binary files of the bundled FICTIONAL sample data in data/raw/.

This script writes:

* ``data/raw/<session_id>/table-notes.docx`` for the four sample sessions
  (Word table-discussion notes: headings, paragraphs with ``Name: text`` turns,
  and a summary table), built with python-docx;
* ``data/raw/s2-examples/survey.xlsx``, a Microsoft Forms-style export of the
  second session's before/after survey, built with openpyxl.

Everything in these files is FICTIONAL: the sessions, people, organisations,
email addresses, phone numbers (Ofcom drama ranges) and postcodes were invented
to demonstrate and test the software. Any resemblance to real people or
organisations is coincidental. The text files next to them (.md, .vtt, .srt,
.csv) are edited directly and are not generated here.

The output is deterministic: document metadata and the timestamps inside the
zip containers are fixed, so rebuilding produces byte-identical files. The
script needs python-docx and openpyxl and no network access.

Usage::

    python scripts/build_sample_data.py            # writes into data/raw/
    python scripts/build_sample_data.py --out DIR  # writes into DIR instead
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "data" / "raw"

# Fixed metadata so rebuilding gives the same bytes.
FIXED_ZIP_TIME = (2024, 7, 1, 9, 0, 0)
AUTHOR = "Rewire Collective (fictional sample data)"


# ---------------------------------------------------------------------------
# Table-discussion notes (.docx), one per session
# ---------------------------------------------------------------------------
# Each entry: title, intro paragraphs, table rows (Table, What we heard,
# Questions raised), quotes ("Name: text" paragraphs) and closing notes.

TABLE_NOTES = {
    "s1-what-is-coproduction": {
        "title": "Roundtable 1 – table discussion notes",
        "date": dt.datetime(2023, 11, 14, 13, 30),
        "intro": [
            "14 November 2023, Harbourside Community Centre. Typed up by Callum "
            "Reid from the three table sheets, so apologies for anything lost in "
            "the handwriting. Scribes: Table 1 Kirsty, Table 2 Ravi, Table 3 Hannah.",
            "Each table had roughly twenty-five minutes. We asked the scribes to "
            "write down what people actually said where they could, rather than "
            "tidy it into themes, so some of this is rough.",
        ],
        "rows": [
            (
                "Table 1 – what do we mean by it?",
                "Most people described co-production as asking, consulting or "
                "getting feedback. Shona said tenants are usually asked after the "
                "decision has been made. Euan said the council \u2018holds the "
                "pen\u2019 and decides what goes in the report. Kirsty noticed the "
                "partnership uses three different definitions in three strategies.",
                "Is there one agreed definition we should use? Is co-production "
                "just consultation done well? Who decides what gets written up "
                "afterwards?",
            ),
            (
                "Table 2 – the ladder",
                "Green dots (now) mostly sat at informing and consultation, with "
                "a few at engagement and one at educating. Nobody put their "
                "organisation at co-production. Orange dots (in a year) were "
                "almost all at co-design or co-production. Fiona felt awkward "
                "putting a low dot next to her employer\u2019s name; Hannah said "
                "the wall is only useful if people are honest.",
                "Is it OK to be at consultation? How long does it take to move up "
                "a rung? What would engagement even look like in a secondary "
                "school?",
            ),
            (
                "Table 3 – is it always possible?",
                "Mhairi raised crisis work, where there is no time to design "
                "anything together. Aisha answered that you can design crisis "
                "support beforehand with people who have been through it. Tariq "
                "said that for many refugees even being consulted by officials "
                "takes trust. Lewis said the men at the shed just decide things "
                "and nobody calls it anything.",
                "Is it always possible to do co-production? When is consultation "
                "the honest choice? Is the word itself putting people off?",
            ),
        ],
        "quotes_heading": "Things people said at the tables",
        "quotes": [
            "Sandy Grant: I came in thinking co-production was a posh word for "
            "consultation. I\u2019m leaving thinking it might not be, but I "
            "couldn\u2019t tell you the difference yet.",
            "Isla Gordon: We\u2019re a parents group, so we are the people. But "
            "nobody asks the people.",
            "Connor Wallace: The walls are purple now. The opening hours are the same.",
            "Elspeth Cowie: Older people get asked a lot, to be fair. They\u2019re "
            "tired of being asked and never hearing back.",
            "Ravi Sharma: Maybe consultation is a step on the way and not a "
            "failure. I don\u2019t know.",
        ],
        "closing": [
            "Hannah asked that future sessions have a hearing loop and easy-read "
            "materials, and is happy to advise: hannah.walker@example.org. Isla "
            "can bring two other parents next time if there is a crèche; she left "
            "her number for Amina (07700 900214). Lewis would like to bring men "
            "from the shed if there is parking near AB10 1AQ.",
            "Overall: low confidence, plenty of curiosity. The sticky note that "
            "just said \u2018buzzword?\u2019 stayed on the wall all morning and "
            "several people went back to look at it.",
        ],
    },
    "s2-examples": {
        "title": "Roundtable 2 – table discussion notes",
        "date": dt.datetime(2023, 12, 12, 13, 30),
        "intro": [
            "12 December 2023. Three short examples (housing youth panel, a "
            "recovery services \u2018consultation\u2019, a youth club football "
            "league) followed by table discussions. Scribes: Morag Sinclair, "
            "Olumide and Marek. Typed up by Amina.",
        ],
        "rows": [
            (
                "Table 1 – fit with policy",
                "Fiona described GIRFEC planning in practice as writing the plan "
                "and then checking it with the family. Jamie linked The Promise "
                "and article 12 of the UNCRC to being heard and to having a say "
                "over money. Euan doubted that most housing colleagues know what "
                "The Promise asks of them.",
                "Does The Promise apply to housing and leisure, or only social "
                "work? What will UNCRC incorporation mean day to day? Who checks "
                "that anyone is doing it?",
            ),
            (
                "Table 2 – conditions",
                "The housing panel took five months; most consultations run for "
                "two weeks. Conditions people named: paid time, control of a real "
                "budget, permission from senior managers to change policy, "
                "interpreters booked from the start, and honesty about what is "
                "already fixed.",
                "Can a small group with no budget do this? What happens when a "
                "senior manager says no? How do you pay people who are on "
                "benefits without causing them problems?",
            ),
            (
                "Table 3 – tick-boxes",
                "Declan\u2019s story: the survey about recovery services closed "
                "after the contract had already been awarded, and afterwards "
                "nobody came to feedback sessions. Shona said tenants are told "
                "\u2018but you were consulted\u2019. Mhairi thought it was worse "
                "than not asking at all, because now it is on paper that you "
                "agreed.",
                "What are the unintended consequences of calling something "
                "co-production when it is not? Who is accountable for "
                "consultation fatigue?",
            ),
        ],
        "quotes_heading": "Things people said at the tables",
        "quotes": [
            "Marek Nowak: In our community people are polite. They will fill in "
            "your survey and say everything is fine. That does not mean it is "
            "fine.",
            "Olumide Adeyemi: In public health we\u2019d probably call the housing "
            "panel engagement. But they controlled the budget. That\u2019s a "
            "different thing, isn\u2019t it.",
            "Ahmed Khalil: The boys did the fixtures and the food rota. We held "
            "the keys and the insurance.",
            "Aisha Bello: If it\u2019s co-production, why are the only unpaid "
            "people at the table the ones with lived experience?",
            "Tariq: None of this works if the interpreter is booked at the last minute.",
        ],
        "closing": [
            "Morag will circulate the Equality Forum\u2019s guidance on "
            "participation payments. For the Voices Out Loud panel, people should "
            "use the project line, 01632 960123 (office hours), rather than "
            "contacting individual young people. Declan asked that his example be "
            "written up without naming the service, which we have done.",
            "Note for next time: the funding question came up at all three "
            "tables. Several people asked, in different ways, \u2018who pays for "
            "the five months?\u2019",
        ],
    },
    "s3-power-and-funding": {
        "title": "Roundtable 3 – table discussion notes",
        "date": dt.datetime(2024, 3, 19, 13, 30),
        "intro": [
            "19 March 2024. Three funders took part as participants. The scribes "
            "wrote most of this by window light after the power cut at about "
            "10:20, so the sheets are messier than usual. Scribes: Aisha, Ravi "
            "and Callum.",
        ],
        "rows": [
            (
                "Table 1 – funding and reporting",
                "Gordon said The Cairn Trust\u2019s reporting template counts "
                "sessions, participants and hours, but not trust. Seán\u2019s "
                "twelve-month grant counted \u2018kinship carers supported\u2019 "
                "while the real work was eight months of building relationships "
                "with four families. Zoë described a £20,000 grants round that a "
                "youth panel will decide. Niamh is trying to turn \u2018value for "
                "money\u2019 into \u2018value for whom\u2019.",
                "Could funders co-produce their own application forms and "
                "reports? What would a report about relationships look like? Who "
                "pays the young people on a grants panel?",
            ),
            (
                "Table 2 – whose agenda is this?",
                "Mhairi asked whose agenda meetings really serve. Shona\u2019s forum "
                "now sends its own agenda to the council before the council sends "
                "theirs. Aisha said power is also who can afford to come on a "
                "Tuesday morning: childcare and bus fares. Kirsty admitted "
                "\u2018equal partnership\u2019 is written into three strategies "
                "but nobody has had an equal share of anything.",
                "Can a commissioner share power without breaking procurement "
                "rules? Who sets the agenda for these roundtables, come to that?",
            ),
            (
                "Table 3 – commissioning",
                "Rebecca described writing service specifications before anyone "
                "who uses the service has seen them. Craig\u2019s housing panel "
                "can shape a specification but not the contract award. Euan: "
                "\u2018it\u2019s not just the pen, it\u2019s the paper and the "
                "deadline too.\u2019",
                "What does procurement law actually allow? Could a panel sit on a "
                "tender evaluation? What about conflicts of interest?",
            ),
        ],
        "quotes_heading": "Things people said at the tables",
        "quotes": [
            "Jamie Robertson: Don\u2019t make us volunteer to give out your money.",
            "Niamh Doyle: Our board loves a case study. Maybe the case study "
            "should be written by the people who are in it.",
            "Seán Ó Briain: Twelve months is not long enough to be trusted by anybody.",
            "Ravi Sharma: Blank agendas terrify managers. That tells you something.",
            "Zoë Campbell: The trustees were nervous. I think nervous might be "
            "the right feeling, actually.",
        ],
        "closing": [
            "Rebecca will check with legal colleagues what role people who use "
            "services can play in a tender evaluation; contact "
            "rebecca.ogilvie@example.org. Gordon asked for grantees\u2019 views "
            "on the Cairn Trust reporting template before it is reviewed in May: "
            "grants@example.com or +44 20 7946 0321.",
            "Several people noticed that the funders sat at the tables as "
            "participants rather than as an audience, and that the conversation "
            "changed when they admitted their own templates were part of the "
            "problem.",
        ],
    },
    "s4-unlearning": {
        "title": "Roundtable 4 – table discussion notes",
        "date": dt.datetime(2024, 6, 11, 13, 30),
        "intro": [
            "11 June 2024. Table 2 was co-facilitated by Jamie Robertson, the "
            "first time a participant has co-facilitated. Scribes: Lorna, Ravi "
            "and Amina.",
        ],
        "rows": [
            (
                "Table 1 – what makes it hard to unlearn",
                "Performance frameworks that reward outputs; fear of losing "
                "control; professional identity built on having the answer "
                "(Kirsty); the urge to fix things for people (Mhairi); the "
                "language of risk in mental health (Bethany); funding that moves "
                "faster than trust (Tariq).",
                "Can risk be shared as well as decisions? How do you unlearn "
                "leading when your job description says \u2018lead on "
                "engagement\u2019?",
            ),
            (
                "Table 2 – The Promise and beyond (with Jamie)",
                "Jamie asked what The Promise asks of each organisation; several "
                "people did not know. Zoë\u2019s youth panel funded a bike repair "
                "project, a girls\u2019 boxing club and bus passes, and the "
                "trustees asked for the panel again. Craig\u2019s team now "
                "credits the panel instead of putting the council logo on top. "
                "Ravi argued that some business as usual, like safeguarding and "
                "data protection, is there for good reasons.",
                "Are we on track for 2030? Which bits of business as usual "
                "protect people and which bits protect us?",
            ),
            (
                "Table 3 – funding, again",
                "Gordon\u2019s trust has replaced its output table with a one-hour "
                "learning conversation, keeping one number for the trustees. "
                "Lorna described carers\u2019 involvement run on a shoestring, "
                "with no money for replacement care. Rebecca and Lorna will look "
                "at co-producing the carer support specification together.",
                "Will other funders follow? Who pays for replacement care so "
                "carers can take part? Can commissioners fund the time this "
                "takes?",
            ),
        ],
        "quotes_heading": "Things people said at the tables",
        "quotes": [
            "Fiona Mackenzie: GIRFEC always said it. We just got used to saying it.",
            "Bethany Hay: Risk is always ours to manage. I\u2019d like to know "
            "what it would even mean to share it.",
            "Euan MacLeod: My manager signed off the tenants\u2019 section without "
            "changing a word. I\u2019m still a bit annoyed about that, in a good "
            "way.",
            "Seán Ó Briain: Unlearning the way we write bids would be a start. We "
            "write what we think funders want to read.",
            "Lorna Bruce: I\u2019ve been doing \u2018involvement\u2019 for ten "
            "years. I think I\u2019ve mostly been doing consultation.",
        ],
        "closing": [
            "The guide working group (Priya, Jamie, Lorna and Ravi) meets in "
            "August. Lorna offered the Carers Hub at AB16 7SH for the September "
            "roundtable; the hub\u2019s number is 01632 960777.",
            "Across the tables, unlearning was described less as forgetting and "
            "more as noticing: noticing who wrote the agenda, who holds the "
            "budget, whose logo goes on top, and then deciding on purpose.",
        ],
    },
}


def build_table_notes(session_id: str, spec: dict, out_dir: Path) -> Path:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)

    doc.add_heading(spec["title"], level=1)
    for para in spec["intro"]:
        doc.add_paragraph(para)

    doc.add_heading("Summary by table", level=2)
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, label in zip(
        table.rows[0].cells, ("Table", "What we heard", "Questions raised"), strict=True
    ):
        cell.text = ""
        run = cell.paragraphs[0].add_run(label)
        run.bold = True
    for row in spec["rows"]:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text

    doc.add_heading(spec["quotes_heading"], level=2)
    for quote in spec["quotes"]:
        doc.add_paragraph(quote)

    doc.add_heading("Scribe\u2019s notes", level=2)
    for para in spec["closing"]:
        doc.add_paragraph(para)

    props = doc.core_properties
    props.title = spec["title"]
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.comments = "Fictional sample data for demonstration and testing."
    props.created = spec["date"]
    props.modified = spec["date"]
    props.revision = 1

    path = out_dir / session_id / "table-notes.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(normalise_zip(buf.getvalue(), spec["date"]))
    return path


# ---------------------------------------------------------------------------
# Session 2 survey (.xlsx), Microsoft Forms style
# ---------------------------------------------------------------------------

Q_ORG = "Organisation"
Q_SECTOR = "Sector"
Q_TIMING = "Before or after the roundtable?"
Q_NOW = "Where is your organisation on the ladder of participation now?"
Q_HOPE = "Where do you hope your organisation will be in a year?"
Q_CONF = "How confident do you feel explaining co-production to a colleague?"
Q_DEF = "What does co-production mean to you?"
Q_WISH = "What topics would you like future roundtables to explore?"

MS_FORMS_COLUMNS = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Last modified time",
    Q_ORG,
    Q_SECTOR,
    Q_TIMING,
    Q_NOW,
    Q_HOPE,
    Q_CONF,
    Q_DEF,
    Q_WISH,
]

# (name, email, organisation, sector, now, hope,
#  confidence before, definition before,
#  confidence after, definition after, wishlist)   -- after fields None = no POST row
S2_RESPONDENTS = [
    (
        "Priya Nair",
        "priya.nair@example.org",
        "Brightside Youth Trust",
        "Third sector",
        "Engagement",
        "Co-production",
        "Moderately confident",
        "Young people sharing decisions with us, not just being asked. Still working out what "
        "that looks like day to day.",
        "Moderately confident",
        "Jamie\u2019s example showed it \u2013 the panel had a budget and the council had to live "
        "with what they chose.",
        "How to get funders to understand this. Paying young people for their time.",
    ),
    (
        "Euan MacLeod",
        "euan.macleod@example.com",
        "Granite City Council",
        "Local authority",
        "consultation",
        "Co-design",
        "Slightly confident",
        "Involving communities earlier, before the decision is made.",
        "Moderately confident",
        "Involving people early enough that they can actually change the decision. Craig\u2019s "
        "team let the panel change the letters and the budget. We would have said no.",
        "Power \u2013 what do officers have to give up? How councils commission things.",
    ),
    (
        "Tariq Hussain",
        "tariq.h@example.org",
        "New Horizons Refugee Support",
        "Third sector",
        "Engagement",
        "co-design",
        "Moderately confident",
        "A real say for people with lived experience, built on trust.",
        None,
        None,
        None,
    ),
    (
        "Shona Fraser",
        "shona.fraser@example.com",
        "Harbourside Tenants Forum",
        "Community group",
        "Consultation",
        "Co-production",
        "Slightly confident",
        "Tenants having a say before it\u2019s all decided.",
        "Moderately confident",
        "Declan\u2019s story was our story. A consultation that\u2019s already decided is worse than "
        "none because people stop believing you.",
        "Tokenism and how to call it out. Funding for tenants groups.",
    ),
    (
        "Jamie Robertson",
        "jamie.r@example.com",
        "Voices Out Loud",
        "Community group",
        "Co-design",
        "Co-production",
        "Very confident",
        "Care-experienced young people being in the room when the decisions get made, and being "
        "paid for it. The Promise says we should be listened to, so.",
        "Very confident",
        "Equal say. Not being wheeled out for the photo. If you want to talk to the panel email "
        "voicesoutloud@example.com",
        "Young people co-facilitating a roundtable. The Promise and what councils are actually "
        "doing about it.",
    ),
    (
        "Fiona Mackenzie",
        "fiona.mackenzie@example.com",
        "Granite City Council \u2013 Children\u2019s Services",
        "Local authority",
        "Consultation",
        "Co-design",
        "Slightly confident",
        "Children and families helping to shape plans, in line with GIRFEC.",
        "Moderately confident",
        "GIRFEC says the child is at the centre but we mostly write about them, not with them. "
        "Co-production would change who writes the plan.",
        "UNCRC and what incorporation means for participation. Examples from children\u2019s services.",
    ),
    (
        "Mhairi Thomson",
        "mhairi@example.org",
        "Open Door Wellbeing",
        "Third sector",
        "Engagement",
        "Co-production",
        "Moderately confident",
        "People with lived experience of mental ill health shaping our services.",
        "Moderately confident",
        "Shaping services, and being honest when we\u2019re not.",
        "Unintended consequences of saying we co-produce when we don\u2019t.",
    ),
    (
        "Aisha Bello",
        "aisha.bello@example.com",
        "New Scots Women\u2019s Network",
        "Community group",
        "co-design",
        "co-production",
        "Very confident",
        "Doing it with people, not to them or for them.",
        "Very confident",
        "With, not to or for. And people need to be paid for their time, like Jamie said.",
        "Power. Paying people. Childcare and interpreting so women can come.",
    ),
    (
        "Craig Milne",
        "craig.milne@example.com",
        "Granite City Council \u2013 Housing",
        "Local authority",
        "Co-design",
        "Co-production",
        "Moderately confident",
        "Young people and staff designing the service together and sharing the decisions.",
        "Very confident",
        "Sharing the decisions, including the money. It was uncomfortable for us at first. Happy "
        "to talk to anyone about the panel on +44 7700 900456.",
        "How to keep it going when the project funding ends.",
    ),
    (
        "Olumide Adeyemi",
        "olumide.adeyemi@example.org",
        "North East Health Board \u2013 Public Health",
        "Health and social care",
        "Informing",
        "Engagement",
        "Slightly confident",
        "Community engagement in the design of health improvement programmes.",
        "Moderately confident",
        "I came thinking it was engagement with a new name. Less sure now \u2013 the housing example "
        "was genuinely different.",
        "Evidence. How do we evaluate co-production and what counts as an outcome?",
    ),
    (
        "Declan Murray",
        "declan.murray@example.org",
        "Second Chance Recovery Caf\u00e9",
        "Third sector",
        "Consultation",
        "co-design",
        "Slightly confident",
        "People in recovery having a voice in services.",
        "Moderately confident",
        "A voice that changes something. Otherwise it\u2019s a tick-box, and people can smell a "
        "tick-box a mile off.",
        "Commissioners. Why are they never at these things?",
    ),
    (
        "Ahmed Khalil",
        "ahmed.khalil@example.com",
        "Al-Noor Youth Club",
        "Community group",
        "Co-production",
        "Co-production",
        "Moderately confident",
        "The young people run it, we support.",
        None,
        None,
        None,
    ),
    (
        "Marek Nowak",
        "marek.nowak@example.com",
        "Polish Saturday School Association",
        "Community group",
        "informing",
        "Consultation",
        "Not at all confident",
        "",
        "Slightly confident",
        "Asking parents what they need and then doing it together with them. Still learning the "
        "word!",
        "Examples with smaller communities and language barriers. (0131) 496 0018 is the school "
        "number if anyone wants to visit.",
    ),
]


def build_s2_survey(out_dir: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(MS_FORMS_COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)

    base = dt.datetime(2023, 12, 12)
    rows = []
    for i, r in enumerate(S2_RESPONDENTS):
        (name, email, org, sector, now, hope, conf_pre, def_pre, conf_post, def_post, wish) = r
        start = base + dt.timedelta(hours=9, minutes=46 + i, seconds=(17 * i) % 60)
        rows.append(
            (
                start,
                start + dt.timedelta(seconds=140 + 23 * i),
                email,
                name,
                org,
                sector,
                "Before",
                now,
                hope,
                conf_pre,
                def_pre,
                "",
            )
        )
        if conf_post is not None:
            start = base + dt.timedelta(hours=12, minutes=31 + i, seconds=(29 * i) % 60)
            rows.append(
                (
                    start,
                    start + dt.timedelta(seconds=95 + 19 * i),
                    email,
                    name,
                    org,
                    sector,
                    "After",
                    "",
                    "",
                    conf_post,
                    def_post,
                    wish,
                )
            )
    rows.sort(key=lambda row: row[1])  # Forms numbers responses by completion time
    for n, (start, end, email, name, org, sector, timing, now, hope, conf, defn, wish) in enumerate(
        rows, 1
    ):
        ws.append(
            [
                n,
                start,
                end,
                email,
                name,
                None,
                org,
                sector,
                timing,
                now or None,
                hope or None,
                conf,
                defn or None,
                wish or None,
            ]
        )
        for col in (2, 3):
            ws.cell(row=n + 1, column=col).number_format = "m/d/yy h:mm:ss"

    widths = [6, 16, 16, 28, 20, 18, 34, 22, 16, 26, 26, 24, 60, 60]
    for idx, width in enumerate(widths, 1):
        ws.column_dimensions[ws.cell(row=1, column=idx).column_letter].width = width

    wb.properties.creator = AUTHOR
    wb.properties.lastModifiedBy = AUTHOR
    wb.properties.title = "Roundtable 2 survey (fictional sample data)"
    fixed = dt.datetime(2023, 12, 12, 17, 0, 0)
    wb.properties.created = fixed
    wb.properties.modified = fixed

    path = out_dir / "s2-examples" / "survey.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(normalise_zip(buf.getvalue(), fixed))
    return path


# ---------------------------------------------------------------------------
# Determinism helpers
# ---------------------------------------------------------------------------

_CORE_TIME_RE = re.compile(
    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)"
)


def normalise_zip(data: bytes, core_time: dt.datetime) -> bytes:
    """Rewrite an OOXML zip with fixed entry timestamps and core-property dates.

    openpyxl stamps ``modified`` with the current time on save, and zip entries
    carry the current time by default; both are replaced by fixed values.
    """
    stamp = core_time.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _CORE_TIME_RE.sub(lambda m: m.group(1) + stamp + m.group(2), payload)
            zinfo = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zinfo.compress_type = zipfile.ZIP_DEFLATED
            zinfo.external_attr = 0o644 << 16
            dst.writestr(zinfo, payload)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="output folder (default: data/raw/ in the repository)",
    )
    args = parser.parse_args()
    for session_id, spec in TABLE_NOTES.items():
        print("wrote", build_table_notes(session_id, spec, args.out))
    print("wrote", build_s2_survey(args.out))


if __name__ == "__main__":
    main()
