"""What the classifier learns from: the project's settled hand codes, never the audit's."""

import pandas as pd
import pytest

from coprod_analysis.codebooks import load_codebook
from coprod_analysis.config import Project, paths
from coprod_analysis.errors import Problems
from coprod_analysis.pipeline.training import training_data
from coprod_analysis.themes.audit import PLAN_COLUMNS, plan_path, write_plan
from coprod_analysis.themes.coding import coder_file, record_code
from tests.conftest import CONFIG

SEGMENTS = pd.DataFrame(
    {
        "segment_id": ["a", "b", "c"],
        "session_id": "s1",
        "speaker": ["P-1", "P-1", "P-2"],
        "text": ["Funders decide.", "We decide too.", "Tea at eleven."],
    }
)


@pytest.mark.parametrize(
    ("coded", "audited", "expected"),
    [
        ({"a": ["funding"], "c": []}, [], {"a", "c"}),
        # the audited participant's codes never train the tagger the audit judges
        ({"a": ["funding"], "c": []}, ["P-1"], {"c"}),
        # codes of other segments only (another copy of the data): nothing to learn from
        ({"zz": ["power"]}, [], None),
    ],
)
def test_hand_codes_to_learn_from(tmp_path, coded, audited, expected):
    where = paths(raw=tmp_path / "raw", coding=tmp_path / "coding", config=CONFIG)
    for segment, themes in coded.items():
        record_code(
            coder_file(where.coding, "ana"), segment_id=segment, theme_ids=themes, coder="ana"
        )
    plan = pd.DataFrame(
        [
            {
                "session_id": "s1",
                "participant": p,
                "first_segment": "a",
                "seed": "1",
                "drawn_at": "",
            }
            for p in audited
        ],
        columns=PLAN_COLUMNS,
    )
    write_plan(plan_path(where.coding), plan)
    project = Project.model_validate({"themes": {"training_statements": []}})
    problems = Problems()
    texts, codes = training_data(
        where, project, load_codebook(CONFIG / "codebook.yml"), segments=SEGMENTS, problems=problems
    )
    if expected is None:
        assert texts is None and codes is None
        assert any("not in the current segments" in line for line in problems.lines())
    else:
        assert set(texts["segment_id"]) == expected == set(codes["segment_id"])
