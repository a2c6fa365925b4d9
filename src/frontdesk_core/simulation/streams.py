"""Random numbers for one simulated day: a stream per purpose, and cheap draws per citizen.

Common random numbers: two plans (6 or 8 counters, another call-next policy,
another number of kiosks) are compared on the same citizens, so that the
difference in their results is the plan's and not the dice's. Two rules give that:

* What is known when a citizen is generated (arrival time, errand, whether they
  booked, patience, service time for their errand, whether a booked citizen
  stays away and how early they come) is drawn from one :class:`DayStreams`
  stream per purpose, in arrival order, before the day runs. No draw is made in
  the order the engine serves anybody, so no plan can shift another citizen's draws.
* What depends on how the day goes (which buttons a citizen presses, how long the
  kiosk takes, when someone who booked at the kiosk comes back, a service time
  for an errand the kiosk changed) comes from the citizen's own
  :class:`CitizenDraws`, a counter-based generator keyed by a number drawn for
  them at generation. Making one costs a small object, not the seeding of a
  Mersenne Twister, which used to be the largest part of the simulator's own cost.
"""

from __future__ import annotations

import random
from enum import IntEnum


class Purpose(IntEnum):
    """What a citizen's own draws are for: each purpose has a sequence of its own.

    Separate sequences keep one purpose's draws from moving another's: a booked
    citizen whose booking a plan could not honour takes a longer kiosk session,
    and still presses the same buttons.
    """

    KIOSK = 1
    ANSWERS = 2
    RETURN = 3
    SERVICE = 4


class CitizenDraws:
    """Uniform numbers for one citizen and one purpose (SplitMix64 on a counter).

    Has the ``random()`` method the duration models and the answer strategy ask
    for, so it stands in for a :class:`random.Random` there.
    """

    __slots__ = ("_state",)

    # SplitMix64 (Steele, Lea and Flood, 2014): the golden step 0x9E3779B97F4A7C15 and
    # its finaliser, written out in both methods with the constants as literals (a
    # simulated citizen makes a few of these and draws a dozen numbers; a call to a
    # finaliser of its own was a third of a draw). The tests hold it to the function form.

    def __init__(self, key: int, purpose: Purpose) -> None:
        # Mixing the purpose into the key puts each purpose's sequence at an unrelated
        # place on SplitMix64's cycle; a citizen uses a handful of numbers from each.
        z = (key + purpose * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        self._state = z ^ (z >> 31)

    def random(self) -> float:
        """The next number in [0, 1)."""
        z = self._state = (self._state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return ((z ^ (z >> 31)) >> 11) * 1.1102230246251565e-16  # 2**-53


class DayStreams:
    """The independent random streams of one simulated day of one replication.

    Each stream is a :class:`random.Random` seeded from the day's seed and the
    stream's name (hashed with SHA-512 by :mod:`random`), so adding a purpose or an
    arrival stream does not change what the others draw. A day makes a few of them,
    whatever its number of citizens.
    """

    def __init__(self, seed: str) -> None:
        self.seed = seed
        self.booking = self._stream("booking")
        """Whether a citizen booked from home, whether they stay away, how early they come."""
        self.patience = self._stream("patience")
        """How long each citizen waits before giving up."""
        self.service = self._stream("service")
        """Each citizen's service time for the errand they came with."""
        self.citizens = self._stream("citizens")
        """The key of each citizen's own :class:`CitizenDraws`."""
        self.spare = self._stream("spare")
        """For a ticket the simulation did not issue to a citizen of its own (none expected)."""
        self.ids = self._stream("ids")
        """Booking ids and codes: a simulated day needs none unguessable, and books alike
        every time it runs."""

    def _stream(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}/{name}")

    def arrivals(self, index: int) -> random.Random:
        """The arrival times of the scenario's ``index``-th arrival stream."""
        return self._stream(f"arrivals/{index}")

    def citizen_key(self) -> int:
        """A fresh key for a citizen's own draws."""
        return self.citizens.getrandbits(64)


__all__ = ["CitizenDraws", "DayStreams", "Purpose"]
