"""A whole-second histogram gives the median and p90 of its values, and histograms of parts add
up to the histogram of the whole (so twelve kept months give the year's median exactly)."""

import random
from collections import Counter

from zhengwei.lib.sqlstats import histogram_summary, median, merge_histograms, p90


def test_the_summary_of_a_histogram_is_that_of_its_values():
    rng = random.Random(13)
    for size in (1, 2, 3, 10, 11, 999):
        values = [rng.randint(0, 5000) for _ in range(size)]
        got = histogram_summary(Counter(values))
        assert got == {"n": size, "median_s": median(values), "p90_s": p90(values)}


def test_histograms_of_parts_add_up_to_the_whole_even_with_text_keys():
    months = [[5, 7, 7, 100], [1, 2], [3600, 7]]
    kept = [{str(s): n for s, n in Counter(m).items()} for m in months]  # as JSON keeps them
    whole = [v for m in months for v in m]
    assert histogram_summary(merge_histograms(kept)) == histogram_summary(Counter(whole))
    assert histogram_summary(merge_histograms(kept))["median_s"] == 7.0


def test_an_empty_histogram_has_no_median():
    assert histogram_summary({}) == {"n": 0, "median_s": None, "p90_s": None}
