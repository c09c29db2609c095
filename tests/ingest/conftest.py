"""Survey questions and helpers shared by the survey tests (CSV and Excel)."""

# The questions of the sample survey, as their column headers read.
NOW = "Where is your organisation on the ladder of participation now?"
HOPE = "Where do you hope your organisation will be in a year?"
CONF = "How confident do you feel explaining co-production to a colleague?"
DEF = "What does co-production mean to you?"
WISH = "What topics would you like future roundtables to explore?"
WHEN = "Before or after the roundtable?"
# A free-text answer to DEF.
ANSWER = "Asking people what they think before we decide things."


def compact(source):
    """A read source as comparable tuples: (units, closed answers)."""
    units = [(u.speaker, u.question, u.timing, source.unit_text(u)) for u in source.units]
    answers = [(a.respondent, a.question, a.answer, a.value, a.timing) for a in source.answers]
    return units, answers
