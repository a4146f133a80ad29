"""Why an alert opened, changed or closed in a monitoring run, in words an analyst reads, and
which alerts a run looked at again (its scope)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from .customers import BadRow
from .plan import Plan
from .state import Pair


class Scope(NamedTuple):
    """The (customer, entry) pairs a run screened again: every pair of a customer screened in
    full or gone, and every pair of an entry added, changed or removed. An open alert outside it
    stays as it is."""

    plan: Plan
    gone: set[str]

    def covers(self, pair: Pair) -> bool:
        """Whether the run decided this pair again.

        >>> # Scope(plan, set()).covers(("C1", "us_ofac_sdn:1"))
        """
        c, e = pair
        p = self.plan
        return c in self.gone or c in p.forward or e in p.delta_entries or e in p.entries.removed


class Reasons:
    """The reason of each change, from the run's plan and what its screenings found."""

    def __init__(
        self,
        plan: Plan,
        versions: Mapping[str, str],
        bad: Sequence[BadRow],
        failed: Mapping[str, ValueError],
        suppressed: Mapping[Pair, int],
    ) -> None:
        self.plan, self.versions, self.suppressed = plan, versions, suppressed
        # A removed customer whose id is still in the file, on a row that cannot be screened.
        self.bad = {b.id: b.error for b in bad if b.id is not None and b.id in plan.removed}
        self.bad.update((c, str(e)) for c, e in failed.items())

    def _list(self, entry_id: str) -> str:
        name = entry_id.split(":", 1)[0]
        version = self.versions.get(name)
        return name if version is None else f"{name} version {version}"

    def opened(self, pair: Pair) -> str:
        """Why an alert opened or its score changed."""
        c, e = pair
        p = self.plan
        if p.full:
            return p.why
        if c in p.new:
            return "new customer"
        if c in p.changed:
            return "customer data changed"
        if e in p.entries.added:
            return f"entry added ({self._list(e)})"
        if e in p.entries.changed:
            return f"entry changed ({self._list(e)})"
        if c in p.decided:
            return "a decision on this customer changed (an earlier one no longer suppresses it)"
        return "screened again"

    def closed(self, pair: Pair) -> str:
        """Why an alert closed."""
        c, e = pair
        p = self.plan
        if c in self.bad:
            return f"customer row can no longer be screened: {self.bad[c]}"
        if c in p.removed:
            return "customer removed from the customer file"
        if e in p.entries.removed:
            return f"entry delisted ({self._list(e)})"
        if pair in self.suppressed:
            return f"cleared by decision #{self.suppressed[pair]}"
        if c in p.changed:
            return "customer data changed: no longer matches"
        if e in p.entries.changed:
            return f"entry changed ({self._list(e)}): no longer matches"
        if p.full:
            return f"{p.why}: no longer matches"
        return "no longer matches"

    def decision_id(self, pair: Pair) -> int | None:
        """The decision that cleared a closed alert, if one did."""
        return self.suppressed.get(pair)


__all__ = ["Reasons", "Scope"]
