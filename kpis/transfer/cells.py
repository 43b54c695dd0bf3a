"""What a cell holds, written by the export and read by the import the same way: numbers, text,
and organisation codes."""

import math
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from governance.models import Organisation

# --- Values ----------------------------------------------------------------------------------------


def plain(value: Decimal) -> Decimal:
    """60.0000 → 60, 2.5000 → 2.5: the value people typed, never in exponent form."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value.as_tuple().exponent > 0 else value


def parse_decimal(value: Any) -> Decimal:
    """A cell as a Decimal; raises ValueError for text that is not a number."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(value)
        number = Decimal(repr(value))
        # Excel arithmetic leaves float noise (0.30000000000000004); 4 decimals is the model's.
        rounded = number.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        return plain(rounded if abs(number - rounded) < Decimal("1e-9") else number)
    if isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", "").replace(" ", ""))
        except InvalidOperation as error:
            raise ValueError(value) from error
        if not number.is_finite():
            raise ValueError(value)
        return plain(number)
    raise ValueError(value)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def decimal_places(value: Decimal) -> int:
    return max(0, -value.as_tuple().exponent)


def excel_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    value = plain(value)
    return int(value) if decimal_places(value) == 0 else float(value)


# --- Organisation codes ---------------------------------------------------------------------------


class OrganisationCodes:
    """Organisations by code. Codes are unique only among siblings, so a code is resolved first
    inside the framework organisation's subtree (the shallowest match), then among the rest;
    "PARENT/CODE" names one exactly when a plain code is ambiguous."""

    def __init__(self, organisations: Iterable[Organisation], *, home: Organisation):
        self.home = home
        self._by_code: dict[str, list[Organisation]] = defaultdict(list)
        for organisation in organisations:
            self._by_code[organisation.code.casefold()].append(organisation)

    def find(self, text: str) -> list[Organisation]:
        parent_code, _slash, code = text.strip().rpartition("/")
        candidates = self._by_code.get(code.strip().casefold(), [])
        if parent_code.strip():
            wanted = parent_code.strip().casefold()
            candidates = [o for o in candidates if o.parent and o.parent.code.casefold() == wanted]
        pool = [o for o in candidates if o.is_within(self.home)] or candidates
        if not pool:
            return []
        depth = min(o.depth for o in pool)
        return [o for o in pool if o.depth == depth]

    def label(self, organisation: Organisation) -> str:
        if self.find(organisation.code) == [organisation] or organisation.parent is None:
            return organisation.code
        return f"{organisation.parent.code}/{organisation.code}"
