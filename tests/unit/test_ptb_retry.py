"""A 429 through python-telegram-bot: its wait in seconds, without a deprecation warning; the adapter opts
in to timedelta durations when it is chosen, not when its module is imported."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from datetime import timedelta
from unittest import mock

from telegram import Bot
from telegram.error import RetryAfter

from handlers.ptb_transport import PtbTransport, retry_seconds

PROBE = "import os, handlers.ptb_transport; print('PTB_TIMEDELTA' in os.environ)"


def test_importing_the_adapter_leaves_the_environment_alone() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PTB_TIMEDELTA"}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_choosing_it_opts_in_and_a_429_says_how_long_to_wait_quietly() -> None:
    with mock.patch.dict(os.environ) as env:
        env.pop("PTB_TIMEDELTA", None)
        PtbTransport(Bot("123:abc"))
        assert os.environ["PTB_TIMEDELTA"] == "true"
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # any warning fails the test
            assert retry_seconds(RetryAfter(7)) == 7.0
            assert retry_seconds(RetryAfter(timedelta(seconds=3))) == 3.0
