import pytest

from bot.clock import parse_moment


def test_a_moment_python_cannot_hold_in_our_zone_is_a_value_error():
    """9999-12-31T23:59-05:00 is 10000-01-01 in Hà Nội: refused like any bad moment."""
    with pytest.raises(ValueError, match="ngoài phạm vi"):
        parse_moment("9999-12-31T23:59-05:00")
    assert parse_moment("9999-12-31T23:59").year == 9999
