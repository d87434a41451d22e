"""No day/month a secretary can type makes the date parser raise, whatever today is (issue 8)."""

from schedules import vi_dates
from tests.schedules.date_sweep import PHRASES, REFERENCES, cases

CASES = cases(per_phrase=2)


def test_every_day_and_month_in_every_form_resolves_or_is_refused():
    assert len(PHRASES) == 4620 and len(CASES) == 13_720
    failures = []
    for phrase, now in CASES:
        for fn in (vi_dates.parse, vi_dates.find):
            try:
                result = fn(phrase, now)
            except Exception as e:  # the sweep's point: collect them all, then report
                failures.append(f"{now:%Y-%m-%d} {fn.__name__}({phrase!r}): {e!r}")
                continue
            if isinstance(result, vi_dates.NotUnderstood):
                assert result.message, phrase  # refused in words, never silently
    assert failures == [], f"{len(failures)} exceptions, first: {failures[:5]}"


def _exists(d: int, m: int) -> bool:
    longest = {2: 29, 4: 30, 6: 30, 9: 30, 11: 30}.get(m, 31)
    return 1 <= m <= 12 and 1 <= d <= longest


def test_a_day_that_exists_is_never_refused_and_one_that_does_not_never_accepted():
    """d/m without a year: accepted exactly when d/m is a day of some year (29/2 included)."""
    for now in REFERENCES:
        for d in range(33):
            for m in range(14):
                result = vi_dates.parse(f"{d}/{m}", now)
                assert isinstance(result, vi_dates.When) == _exists(d, m), (now, d, m, result)
                if _exists(d, m):
                    assert (result.start.day, result.start.month) == (d, m)
