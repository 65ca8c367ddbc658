"""Several instances share the bot's one sending rate (bot/runtime/share.py): whatever the order in which they
start, beat, stop or die, their parts never add up to more than the whole, and a quiet moment of two beats
each gives every instance an equal part."""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import given
from hypothesis import strategies as st

from bot.runtime.share import part


def test_alone_an_instance_has_the_whole_rate() -> None:
    assert part(1, {}) == 1.0


def test_a_newcomer_waits_until_the_others_have_made_room() -> None:
    assert part(2, {"a": 1}) == 0.0  # "a" still sends at the whole rate
    assert part(2, {"a": 2}) == 0.5


def test_an_instance_takes_only_what_the_others_leave() -> None:
    # A third came: this one divides by three, "b" still by two, "c" (the newcomer) by three.
    assert part(3, {"b": 2, "c": 3}) == 1 / 6


def test_after_one_left_the_rest_take_its_part_as_they_beat() -> None:
    assert part(2, {"b": 3}) == 0.5  # "b" has not noticed yet: it sends at a third


@dataclass
class Model:
    """The `senders` table and what each instance actually sends at, beat by beat (beats take turns)."""

    rows: dict[str, int] = field(default_factory=dict)  # name → divisor, as committed
    rates: dict[str, float] = field(default_factory=dict)  # name → part it sends at now

    def beat(self, name: str) -> None:
        others = {n: s for n, s in self.rows.items() if n != name}
        new = part(len(others) + 1, others)
        self.rates[name] = min(new, self.rates.get(name, 1.0))  # a shrinking part holds before the commit
        self.check()
        self.rows[name] = len(others) + 1
        self.check()
        self.rates[name] = new
        self.check()

    def stop(self, name: str, died: bool) -> None:
        self.rates.pop(name, None)
        if not died:
            self.rows.pop(name, None)  # its last beat takes its row out; a dead one's row stays a while

    def forget(self, name: str) -> None:
        if name not in self.rates:  # a dead instance's row, past GONE
            self.rows.pop(name, None)

    def check(self) -> None:
        assert sum(self.rates.values()) <= 1 + 1e-9, (self.rows, self.rates)


NAMES = st.sampled_from("abcd")
EVENTS = st.lists(
    st.one_of(
        st.tuples(st.just("beat"), NAMES),
        st.tuples(st.just("stop"), NAMES),
        st.tuples(st.just("die"), NAMES),
        st.tuples(st.just("forget"), NAMES),
    ),
    max_size=60,
)


@given(EVENTS)
def test_the_parts_never_add_up_to_more_than_the_whole(events: list[tuple[str, str]]) -> None:
    model = Model()
    for kind, name in events:
        if kind == "beat":
            # An instance starts with its first beat, before its first message (bot/runtime/host.py).
            model.beat(name)
        elif kind in ("stop", "die"):
            model.stop(name, died=kind == "die")
        else:
            model.forget(name)
        model.check()
    # Quiet: the dead are forgotten and every instance still running beats twice.
    for name in list(model.rows):
        model.forget(name)
    for _ in range(2):
        for name in sorted(model.rates):
            model.beat(name)
    assert all(rate == 1 / len(model.rates) for rate in model.rates.values()), model.rates
