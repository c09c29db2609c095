import dataclasses

import pytest

from coprod_analysis.framework import framework_matrix
from coprod_analysis.pipeline.exchange import FRAMEWORK_FILE, export_framework, framework_views


@pytest.fixture(scope="module")
def workbook(sample_results, tmp_path_factory):
    where = dataclasses.replace(sample_results, reports=tmp_path_factory.mktemp("reports"))
    export_framework(where, echo=lambda message: None)
    return where, where.reports / FRAMEWORK_FILE


def test_make_report_writes_the_framework_matrix_as_the_tables_show_it(workbook):
    import openpyxl

    where, path = workbook
    views = framework_views(where)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == list(views) and "By session" in views
    for name, table in views.items():
        sheet = book[name]
        cells = [
            [c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)
        ]
        assert cells[0] == list(table.columns)
        assert cells[1:] == table.astype(str).values.tolist()
        assert sheet.freeze_panes == "B2"
        assert sheet["B2"].alignment.wrap_text


def test_no_sector_or_organisation_row_is_about_fewer_than_three_people(workbook):
    from coprod_analysis.corpus import read_corpus, read_table

    where, _ = workbook
    corpus = read_corpus(where.processed)
    themes = read_table(where.processed, "themes", stage="coprod tag")
    shown = framework_views(where)
    for rows, title in (("sector", "By sector"), ("organisation", "By organisation")):
        matrix = framework_matrix(corpus.segments, themes, rows=rows, responses=corpus.responses)
        people = matrix.groupby("row")["n"].max()
        listed = set(shown[title].iloc[:, 0]) if title in shown else set()
        assert listed == set(people[people >= 3].index)
