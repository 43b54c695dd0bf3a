"""Permission-ladder cases of the e-SAR card (HTML page and PDF).

Anyone who may see the SAR may see its card: the unit head of the Planning Division sees the
Department of Health's agreement, so the card; another ministry's admin gets a 404 (out of scope).
The SAR is w.agreement's 6-month SAR, opened on first use (tests.agreements.sar_world.sar_for).
"""

from tests.agreements.sar_world import sar_for
from tests.ladder import Case, World


def _sar(w: World) -> dict:
    return {"pk": sar_for(w).pk}


CASES = {
    "agreements:sar_card": Case(kwargs=_sar, allowed=lambda w: w.unit_head, denied=None),
    "agreements:sar_card_pdf": Case(kwargs=_sar, allowed=lambda w: w.unit_head, denied=None),
}
