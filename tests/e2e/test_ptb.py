"""The same transcripts on the python-telegram-bot adapter: each test below is one of the aiogram suite's,
collected here again with `stack` meaning the bot on python-telegram-bot, polling the emulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e import test_conversation as conversation
from tests.e2e import test_desk as desk
from tests.e2e.harness import Stack, sqlite_url

pytestmark = pytest.mark.e2e


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    s = Stack(sqlite_url(tmp_path), adapter="ptb")
    await s.start()
    yield s
    await s.close()


async def test_the_bot_runs_on_python_telegram_bot(stack: Stack) -> None:
    from handlers.ptb_runtime import PtbRuntime

    assert isinstance(stack.runtime, PtbRuntime)
    for _ in range(100):  # its first long poll follows start-up in a task of its own
        if stack.emulator.calls.get("getUpdates", 0):
            break
        await asyncio.sleep(0.05)
    assert stack.emulator.calls.get("getUpdates", 0) >= 1  # polling, not fed by hand


test_acute_danger_says_112 = conversation.test_scenario_2_acute_danger_says_call_112_and_stores_nothing
test_joint_triage = conversation.test_scenario_4_goes_to_both_desks_for_joint_triage
test_two_gemeenten = conversation.test_scenario_1_with_two_gemeenten_asks_which_one
test_unregistered = conversation.test_an_unregistered_person_is_refused_and_nothing_else_happens
test_invite = conversation.test_invite_from_the_command_line_registers_a_wijkagent_who_can_file
test_restart = conversation.test_restart_mid_conversation_resumes_at_the_same_question
test_double_tap = conversation.test_a_double_tap_is_processed_once
test_old_question = conversation.test_a_tap_on_an_old_question_is_expired
test_forged = conversation.test_forged_button_data_is_refused
test_cancel = conversation.test_cancel_clears_the_conversation_anywhere
test_back_stray_long = conversation.test_back_and_stray_text_and_over_long_text_lose_nothing
test_private_only = conversation.test_signals_are_filed_only_in_a_private_chat
test_english = conversation.test_english_after_taal_en
test_429 = conversation.test_a_429_from_telegram_delays_but_never_loses_or_doubles_a_reply
test_stored_first = conversation.test_every_update_is_stored_before_it_is_acted_on
test_photo_and_commands = conversation.test_a_photo_an_unknown_command_and_a_command_for_another_bot
test_pick_up_and_close = desk.test_pick_up_then_close_and_the_filer_hears_each_step
test_desk_staff_only = desk.test_only_the_desks_own_staff_may_press_its_buttons
test_ask_and_answer = desk.test_the_desk_asks_the_filer_answers_and_the_answer_is_kept
test_warm_hand_over = desk.test_a_warm_hand_over_accepted_moves_the_signal_and_the_filer_hears_it
