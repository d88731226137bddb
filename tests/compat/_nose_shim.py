"""The few ``nose.tools`` assertions networkx-metis's tests use, for Python
versions nose no longer runs on."""

import types as _types
import unittest as _unittest

_case = _unittest.TestCase()
_case.maxDiff = None

tools = _types.SimpleNamespace(
    assert_equal=_case.assertEqual,
    assert_not_equal=_case.assertNotEqual,
    ok_=_case.assertTrue,
    assert_raises_regexp=_case.assertRaisesRegex,
)
