"""The WCI V14.2 formula, worked by hand for a small case."""

import math

from zhengwei.lib.wci import ArticleFigures, wci


def test_the_index_follows_the_published_formula():
    # Two days; a push of a headline (900 reads, 9 在看, 20 likes, 30 shares) and a second
    # article (100 reads, nothing else).
    arts = [ArticleFigures(900, 9, 20, 30, headline=True), ArticleFigures(100)]

    def part(r, z, lk, s):
        return (
            0.7 * math.log(r + 1)
            + 0.09 * math.log(10 * z + 1)
            + 0.06 * math.log(10 * lk + 1)
            + 0.15 * math.log(10 * s + 1)
        )

    o = part(500, 4.5, 10, 15)  # totals 1000/9/20/30 over 2 days
    a = part(500, 4.5, 10, 15)  # … over 2 articles: the same here
    h = part(450, 4.5, 10, 15)  # the headline's 900/9/20/30 over 2 days
    p = part(900, 9, 20, 30)  # the best article
    expected = round((0.6 * o + 0.2 * a + 0.1 * h + 0.1 * p) ** 2 * 12, 2)
    assert wci(arts, 2) == expected
    assert 400 < expected < 500  # 439.9: the scale the 清博 rankings use


def test_without_articles_or_days_there_is_no_index():
    assert wci([], 30) is None
    assert wci([ArticleFigures(10)], 0) is None
