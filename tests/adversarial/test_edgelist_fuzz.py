"""Issue 19: a seeded slice of the fuzzed edge-list run of ``run_large.py``
(klpart's ``read_edgelist`` in a child process against an independent
pure-Python reader), and the reference itself pinned on hand-made files."""

import pytest

from . import _edgelist_fuzz as F

DEFAULT = {"weighted": None, "duplicates": "sum", "nodetype": None, "delimiter": None,
           "comments": "#"}


def test_fuzzed_edgelists_parse_in_a_subprocess():
    files = F.fuzz_edgelists(400, seed=19)
    results, error = F.parse_in_subprocess(files)
    assert error is None, error
    problems = [p for p in (F.compare(d, o, r) for (d, o), r in zip(files, results)) if p]
    assert problems == []
    # the fuzzer is not trivial: both accepted and rejected files, every option used
    statuses = [r[0] for r in results]
    assert statuses.count("ok") > 50 and statuses.count("rejected") > 50
    assert {o["duplicates"] for _, o in files} == {"sum", "last", "error"}


@pytest.mark.parametrize(
    "text, want",
    [
        (b"a b 2\nb a 3\n", ([
            "a", "b"], {(0, 1): 5})),
        (b"# c\n\na b # x\nb c\n", (["a", "b", "c"], {(0, 1): 1, (1, 2): 1})),
        (b"a a 2.5\r\na b 1\r\n", (["a", "b"], {(0, 0): 2.5, (0, 1): 1.0})),
        (b"a b 9223372036854775807\n", (["a", "b"], {(0, 1): 2**63 - 1})),
    ],
)
def test_reference_reads_hand_made_files(text, want):
    labels, weights, _ = F.reference_read(text, DEFAULT)
    assert (labels, weights) == want


@pytest.mark.parametrize(
    "text, options",
    [
        (b"a b 1\nb c\n", {}),  # mixed columns
        (b"a b c d\n", {}),
        (b"a b 9223372036854775808\n", {}),  # past int64
        (b"a b 9223372036854775807\nb a 1\n", {}),  # the sum past int64
        (b"a b 1e308\nb a 1e308\n", {}),  # the sum not finite
        (b"a b -1\n", {}),
        (b"a b\nb a\n", {"duplicates": "error"}),
        (b"a b\n", {"nodetype": "int"}),
        (b"a b \xff\n", {}),
    ],
)
def test_klpart_and_reference_reject_with_file_and_line(text, options):
    opts = dict(DEFAULT, **options)
    with pytest.raises(F.Rejected):
        F.reference_read(text, opts)
    results, error = F.parse_in_subprocess([(text, opts)])
    assert error is None
    assert results[0][0] == "rejected" and "<stream>:" in results[0][1], results[0]
    assert F.compare(text, opts, results[0]) is None


def test_compare_catches_a_wrong_graph_and_a_crash():
    text = b"a b 2\n"
    good = ["ok", ["'a'", "'b'"], [[1], [0]], [[2], [2]], [], "int64"]
    assert F.compare(text, DEFAULT, good) is None
    wrong = ["ok", ["'a'", "'b'"], [[1], [0]], [[3], [3]], [], "int64"]
    assert F.compare(text, DEFAULT, wrong) is not None
    assert F.compare(text, DEFAULT, ["crash", "boom"]) is not None
    assert F.compare(text, DEFAULT, ["rejected", "<stream>:1: no"]) is not None
