"""Settings that would leave a door open refuse to load."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from bot.app.settings import Settings


@pytest.mark.parametrize("secret", [None, "", "short", "x" * 31])
def test_webhook_mode_refuses_to_start_without_a_long_secret(secret: str | None) -> None:
    with pytest.raises(ValidationError, match="WAAKVLAM_WEBHOOK_SECRET"):
        Settings(
            mode="webhook",
            webhook_secret=SecretStr(secret) if secret is not None else None,
            _env_file=None,  # type: ignore[call-arg]
        )


def test_webhook_mode_starts_with_a_long_secret_and_polling_needs_none() -> None:
    assert Settings(mode="webhook", webhook_secret=SecretStr("x" * 32), _env_file=None).mode == "webhook"  # type: ignore[call-arg]
    assert Settings(_env_file=None).webhook_secret is None  # type: ignore[call-arg]


@pytest.mark.parametrize("hours", [0, -5, 721])
def test_invite_hours_outside_one_to_720_are_refused(hours: int) -> None:
    with pytest.raises(ValidationError):
        Settings(invite_hours=hours, _env_file=None)  # type: ignore[call-arg]
