import subprocess
import sys

import numpy as np
import pytest

from coprod_analysis.embeddings import EmbeddingCache, embed, model_id, text_key

OFFLINE = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network blocked by the test")
socket.socket.connect = refuse
socket.create_connection = refuse
from coprod_analysis.embeddings import embed
vectors = embed(["Funders hold the purse strings.", "Trust takes time."])
print(vectors.shape)
"""


def test_model_loads_and_embeds_with_the_network_blocked():
    out = subprocess.run(
        [sys.executable, "-c", OFFLINE], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "(2, 384)"


def test_cache_embeds_only_new_texts(tmp_path):
    cache = EmbeddingCache(tmp_path)
    first = embed(["one text", "two text", "one text"], cache=cache)
    assert cache.added == 2
    cache.save()
    again = EmbeddingCache(tmp_path)
    second = embed(["two text", "one text", "three text"], cache=again)
    assert again.added == 1  # only "three text" was new
    np.testing.assert_allclose(second[0], first[1], rtol=1e-6)
    assert np.linalg.norm(second, axis=1) == pytest.approx([1, 1, 1], abs=1e-5)
    assert (tmp_path / f"embeddings-{model_id()}.npz").is_file() and text_key("x") != text_key("y")
