"""Every normalizer answers any text without raising (the parser feeds them whatever a cell holds)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.bands import parse_band
from normalize.dates import parse_date, parse_dates, parse_period
from normalize.marks import tick_state
from normalize.options import match_option, strip_option_prefix
from normalize.text import fold_label, join_wrapped, section_numeral

# text biased towards the characters these parsers look at
_ALPHABET = st.sampled_from(list("0123456789０１２３元年月日(（)）~～〜、,./-―ー人以上未満万千十一二令和平成昭和RH金予定頃 ○[]"))
_TEXT = st.one_of(st.text(), st.text(alphabet=_ALPHABET, max_size=30))


@settings(max_examples=300)
@given(_TEXT)
def test_never_raises(s):
    r = parse_date(s)
    assert (r.value is None) == (r.error is not None)
    assert (r.precision is None) == (r.value is None)
    period = parse_period(s)
    assert period is None or len(period) == 2
    parse_dates(s)
    parse_band(s)
    tick_state(s)
    match_option(s, ("十分である", "課題が残されている"))
    strip_option_prefix(s)
    fold_label(s)
    join_wrapped(s.split("\n"))
    section_numeral(s)
