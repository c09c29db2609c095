import random

import pandas as pd
import pytest

from coprod_analysis.codebooks import load_codebook
from tests.conftest import CONFIG

CODEBOOK = load_codebook(CONFIG / "codebook.yml")

FUNDING = [
    "The grant runs out in March and the funder wants another report.",
    "Commissioners set the budget before anyone asked the community.",
    "We are running the youth panel on a shoestring budget again.",
    "Short funding cycles mean we spend months writing bids for money.",
    "Who pays people for their time, and will the funders cover it?",
]
POWER = [
    "The council decides and the community is told afterwards.",
    "Whoever holds the pen decides what the strategy says.",
    "Young people should have an equal vote on the board, not a token seat.",
    "Professionals dominate the room and parents stay quiet.",
    "We need to hand over control of the agenda to residents.",
]
FOOD = [
    "The soup at lunch was lovely and the sandwiches ran out early.",
    "Can we order more vegetarian rolls and oat milk for the tea break?",
    "The biscuits and scones at the café were a hit with everyone.",
    "Someone spilt coffee on the buffet table near the fruit platter.",
    "Next time order pizza, the caterers were late with the wraps.",
]
FILLERS = ["", "Honestly, ", "At our table, ", "I think ", "Someone said: ", "To be fair, "]


def corpus(n_per_group: int, seed: int = 3) -> pd.DataFrame:
    """Segments in three known groups (funding, power, catering), in two sessions."""
    rng = random.Random(seed)
    rows = []
    for group, pool in (("funding", FUNDING), ("power", POWER), ("food", FOOD)):
        for i in range(n_per_group):
            text = rng.choice(FILLERS) + rng.choice(pool) + " " + rng.choice(pool)
            rows.append(
                {
                    "segment_id": f"{group}-{i}",
                    "session_id": f"s{1 + i % 2}",
                    "text": text,
                    "group": group,
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture
def known_corpus():
    return corpus(40)
