"""A stray quote in a feed spoils its own line only: each line is still taken or rejected on its
own, with its line number (a CSV reader over the whole file would read on to the next quote)."""

import pytest

from zhengwei.hydro.models import ImportStatus, RainObservation
from zhengwei.hydro.tests.helpers import load, stations

pytestmark = pytest.mark.django_db


def test_a_stray_quote_spoils_only_its_own_line():
    stations()
    text = (
        "STCD,TM,DRP,INTV\n"
        "90000002,2017-07-31 04:00:00,12.5,1\n"
        '90000002,"2017-07-31 05:00:00,3.0,1\n'  # line 3: the quote is never closed
        "90000003,2017-07-31 05:00:00,1.0,1\n"
        "\n"
        " 90000003 , 2017-07-31 06:00:00 , 2.0 , 1 \n"  # line 6: padded cells are read stripped
    )
    run = load(text, "ST_PPTN_R-quote.csv")
    assert (run.status, run.rows_read, run.rows_stored, run.rows_rejected) == (
        ImportStatus.PARTIAL,
        4,
        3,
        1,
    )
    assert "line 3" in run.error
    assert RainObservation.objects.count() == 3
