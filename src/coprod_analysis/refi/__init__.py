"""REFI-QDA exchange with NVivo, ATLAS.ti, MAXQDA and QualCoder: codebooks and coded projects."""

from coprod_analysis.refi.codebook import codebook_from_qdc, codebook_qdc, write_qdc
from coprod_analysis.refi.guids import guid, norm_guid
from coprod_analysis.refi.project import TAGGER_USERS, project_qde, source_layout, write_qdpx
from coprod_analysis.refi.read import read_qdpx
from coprod_analysis.refi.validate import require_valid, schema_errors

__all__ = [
    "TAGGER_USERS",
    "codebook_from_qdc",
    "codebook_qdc",
    "guid",
    "norm_guid",
    "project_qde",
    "read_qdpx",
    "require_valid",
    "schema_errors",
    "source_layout",
    "write_qdc",
    "write_qdpx",
]
