"""The option enums of klpart.compat.pymetis: METIS's values, as real IntEnums."""

import pickle
from enum import IntEnum

import pytest

from klpart.compat import pymetis

ENUMS = ["OPType", "PType", "GType", "CType", "IPType", "RType", "ObjType", "OptionKey", "DebugLevel", "Status"]

# metis.h, written out by hand (independent of how the module builds them)
METIS_H = {
    "OPType": {"PMETIS": 0, "KMETIS": 1, "OMETIS": 2},
    "PType": {"RB": 0, "KWAY": 1},
    "GType": {"DUAL": 0, "NODAL": 1},
    "CType": {"RM": 0, "SHEM": 1},
    "IPType": {"GROW": 0, "RANDOM": 1, "EDGE": 2, "NODE": 3, "METISRB": 4},
    "RType": {"FM": 0, "GREEDY": 1, "SEP2SIDED": 2, "SEP1SIDED": 3},
    "ObjType": {"CUT": 0, "VOL": 1, "NODE": 2},
    "Status": {"OK": 1, "ERROR_INPUT": -2, "ERROR_MEMORY": -3, "ERROR": -4},
}


@pytest.mark.parametrize("name", ENUMS)
def test_enum_is_a_documented_picklable_int_enum(name):
    enum = getattr(pymetis, name)
    assert issubclass(enum, IntEnum) and enum.__name__ == enum.__qualname__ == name
    assert enum.__module__ == "klpart.compat.pymetis" and enum.__doc__.strip()
    for member in enum:
        assert pickle.loads(pickle.dumps(member)) is member
        assert getattr(pymetis, name)[member.name] is member
    if name in METIS_H:
        assert {m.name: int(m) for m in enum} == METIS_H[name]
        assert [m.name for m in enum] == list(METIS_H[name])  # metis.h order


@pytest.mark.parametrize("name", ENUMS)
def test_enum_members_equal_real_pymetis(name):
    real = pytest.importorskip("pymetis")
    theirs = getattr(real, name, None) or getattr(real._internal, name)
    expected = {a: int(getattr(theirs, a)) for a in dir(theirs) if a.isupper()}
    assert {m.name: int(m) for m in getattr(pymetis, name)} == expected
