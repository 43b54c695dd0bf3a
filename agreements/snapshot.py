"""The frozen content of an agreement version and its SHA-256.

The snapshot is plain JSON built from the rows at approval: both parties, the clauses, and every
annex KPI with its weight, target and criteria. The hash is taken over a canonical serialisation
(sorted keys, no spaces, decimals as normalised strings), so anybody holding the JSON can
recompute it, and signatures and the PDF footer can refer to it.
"""

import hashlib
import json
from decimal import Decimal
from typing import Any

SNAPSHOT_FORMAT = 1


def _number(value: Decimal | None) -> str | None:
    if value is None:
        return None
    # "45.0000" and "45" are the same weight: normalise so the hash does not depend on storage.
    text = format(value.normalize(), "f")
    return text


def build_snapshot(version) -> dict[str, Any]:
    """The canonical content of `version` (its agreement's parties, clauses and annex)."""
    from agreements.selectors import annex

    agreement = version.agreement
    return {
        "format": SNAPSHOT_FORMAT,
        "agreement": agreement.pk,
        "version": version.number,
        "kind": version.kind,
        "organisation": {
            "code": agreement.organisation.code,
            "name_th": agreement.organisation.name_th,
            "name_en": agreement.organisation.name_en,
        },
        "fiscal_year": agreement.fiscal_year.year,
        "maker": {
            "name_th": agreement.maker_name_th,
            "name_en": agreement.maker_name_en,
            "position_th": agreement.maker_position_th,
            "position_en": agreement.maker_position_en,
        },
        "receiver": {
            "name_th": agreement.receiver_name_th,
            "name_en": agreement.receiver_name_en,
            "position_th": agreement.receiver_position_th,
            "position_en": agreement.receiver_position_en,
        },
        "clauses_th": version.clauses_th,
        "clauses_en": version.clauses_en,
        "resolution": version.resolution,
        "resolution_date": version.resolution_date.isoformat() if version.resolution_date else None,
        "kpis": [
            {
                "code": row.code,
                "name_th": row.name_th,
                "name_en": row.name_en,
                "unit_th": row.unit_th,
                "unit_en": row.unit_en,
                "dimension": row.dimension_number,
                "dimension_name_th": row.dimension_name_th,
                "dimension_name_en": row.dimension_name_en,
                "dimension_weight": _number(row.dimension_weight),
                "weight": _number(row.weight),
                "composite": row.composite_code,
                "criteria_type": row.criteria_type,
                "higher_is_better": row.higher_is_better,
                "step_count": row.step_count,
                "target": _number(row.target),
                "thresholds": [_number(t) for t in row.thresholds],
                "steps": list(row.steps),
            }
            for row in annex(version)
        ],
    }


def canonical_json(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()
