"""Load the vendored reference data into Organisation, Unit and Court.

Owns how reference rows reach the database; the extracts' format belongs to
``scripts/extract_reference_data.py`` and the CPS table to ``accounts.reference.cps``. Used by
``manage.py load_reference_data`` (CPS first, because forces point at their CPS Area).

Each loader is idempotent and runs in one transaction:

* it reads what is already there, works out what is new and what differs, and writes only those
  rows (one ``INSERT ... ON CONFLICT DO UPDATE`` per batch), so a second run writes nothing and
  pghistory records no spurious changes;
* it never deletes: a row that has left the reference data is marked ``is_active=False`` (cases,
  users and old URNs may still point at it), and one that comes back is reactivated;
* it owns the reference fields only (names, ``served_by``, ``is_active``), never local settings
  such as ``Organisation.restrict_police_to_unit``.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction

from accounts.choices import CourtKind, OrganisationKind
from accounts.models import Court, Organisation, Unit

from . import cps

M = TypeVar("M", bound=models.Model)
BATCH_SIZE = 1000
CPS_KINDS = (OrganisationKind.CPS_AREA, OrganisationKind.CPS_DIRECT)


class ReferenceDataError(Exception):
    """The extracts or the CPS table are missing or inconsistent; nothing was changed."""


@dataclass(frozen=True)
class LoadResult:
    """What one loader did to one kind of row."""

    kind: str
    total: int  # rows in the reference data
    created: int = 0
    updated: int = 0
    deactivated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)

    def __str__(self) -> str:
        return (
            f"{self.kind}: {self.total} in reference data, {self.created} created, "
            f"{self.updated} updated, {self.deactivated} marked inactive"
        )


def data_dir() -> Path:
    return Path(settings.REFERENCE_DATA_DIR)


def read_extract(name: str) -> list[dict[str, Any]]:
    """One vendored extract, e.g. ``read_extract("forces")`` for ``forces.json.gz``."""
    path = data_dir() / f"{name}.json.gz"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            rows: list[dict[str, Any]] = json.load(fh)
    except FileNotFoundError as exc:
        raise ReferenceDataError(f"{path} is missing: run scripts/refresh-reference-data.sh") from exc
    return rows


def data_version() -> dict[str, str]:
    """The ``VERSION`` file as a dict (``package``, ``version``, ``extracted``, ...); empty if absent."""
    path = data_dir() / "VERSION"
    if not path.is_file():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs if not key.startswith("#")}


def _upsert(
    model: type[M],
    existing: Mapping[Any, M],
    desired: Mapping[Any, dict[str, Any]],
    build: Callable[[Any, dict[str, Any]], M],
    unique_fields: list[str],
    update_fields: list[str],
) -> tuple[int, int]:
    """Insert the desired rows that are missing and update those that differ.

    ``existing`` and ``desired`` are keyed alike (the model's natural key); ``desired`` values are
    field -> value using attribute names (``served_by_id``, not ``served_by``). Returns (created,
    updated).
    """
    to_write: list[M] = []
    created = updated = 0
    for key, values in desired.items():
        current = existing.get(key)
        if current is None:
            created += 1
            to_write.append(build(key, values))
            continue
        if any(getattr(current, field) != value for field, value in values.items()):
            updated += 1
            to_write.append(build(key, values))
    if to_write:
        # ON CONFLICT on the natural key: a new row gets its own public_id; an existing row keeps its
        # id and public_id and takes only update_fields.
        model._default_manager.bulk_create(
            to_write,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=unique_fields,
            update_fields=update_fields,
        )
    return created, updated


def _deactivate_missing(scope: models.QuerySet[M], key_fields: tuple[str, ...], desired_keys: Iterable[Any]) -> int:
    """Mark inactive the active rows in ``scope`` whose natural key is not in the reference data."""
    wanted = set(desired_keys)
    stale = [
        pk
        for pk, *key in scope.filter(is_active=True).values_list("pk", *key_fields)
        if (tuple(key) if len(key) > 1 else key[0]) not in wanted
    ]
    if not stale:
        return 0
    return scope.model._default_manager.filter(pk__in=stale).update(is_active=False)


@transaction.atomic
def load_cps() -> list[LoadResult]:
    """The 14 CPS Areas and CPS Direct (from ``cps.py``), then their units."""
    existing = {(o.kind, o.code): o for o in Organisation.objects.filter(kind__in=CPS_KINDS)}
    desired = {
        (org.kind.value, org.code): {"name": org.name, "served_by_id": None, "is_active": True}
        for org in cps.CPS_ORGANISATIONS
    }
    created, updated = _upsert(
        Organisation,
        existing,
        desired,
        lambda key, values: Organisation(kind=key[0], code=key[1], **values),
        unique_fields=["kind", "code"],
        update_fields=["name", "served_by", "is_active"],
    )
    deactivated = _deactivate_missing(Organisation.objects.filter(kind__in=CPS_KINDS), ("kind", "code"), desired)
    organisations = LoadResult("CPS Areas and CPS Direct", len(desired), created, updated, deactivated)

    org_ids = {
        (o.kind, o.code): o.pk for o in Organisation.objects.filter(kind__in=CPS_KINDS).only("pk", "kind", "code")
    }
    desired_units = {
        (org_ids[(org.kind.value, org.code)], unit.code): {"name": unit.name, "is_active": True}
        for org in cps.CPS_ORGANISATIONS
        for unit in org.units
    }
    units = _load_units("CPS units", Unit.objects.filter(organisation__kind__in=CPS_KINDS), desired_units)
    return [organisations, units]


@transaction.atomic
def load_organisations() -> list[LoadResult]:
    """The 43 territorial police forces and British Transport Police, each served by its CPS Area."""
    forces = read_extract("forces")
    codes = {f["code"] for f in forces}
    unmapped = codes - set(cps.FORCE_SERVED_BY) - cps.UNSERVED_FORCE_CODES
    unknown = set(cps.FORCE_SERVED_BY) - codes
    if unmapped or unknown:
        raise ReferenceDataError(
            f"cps.py and forces.json.gz disagree: no CPS Area for {sorted(unmapped)}; "
            f"Areas serve unknown forces {sorted(unknown)}"
        )
    area_ids = dict(
        Organisation.objects.filter(
            kind=OrganisationKind.CPS_AREA, code__in=set(cps.FORCE_SERVED_BY.values())
        ).values_list("code", "pk")
    )
    missing_areas = set(cps.FORCE_SERVED_BY.values()) - set(area_ids)
    if missing_areas:
        raise ReferenceDataError(f"CPS Areas {sorted(missing_areas)} are not loaded: run load_cps() first")

    kind = OrganisationKind.POLICE_FORCE.value
    existing = {(o.kind, o.code): o for o in Organisation.objects.filter(kind=kind)}
    desired = {
        (kind, f["code"]): {
            # The formal name ("Kent Police"); forces.json's short name ("Kent", "BTP") if absent.
            "name": f.get("fullName") or f["name"],
            "served_by_id": area_ids.get(cps.FORCE_SERVED_BY.get(f["code"], "")),
            "is_active": True,
        }
        for f in forces
    }
    created, updated = _upsert(
        Organisation,
        existing,
        desired,
        lambda key, values: Organisation(kind=key[0], code=key[1], **values),
        unique_fields=["kind", "code"],
        update_fields=["name", "served_by", "is_active"],
    )
    deactivated = _deactivate_missing(Organisation.objects.filter(kind=kind), ("kind", "code"), desired)
    return [LoadResult("Police forces", len(desired), created, updated, deactivated)]


@transaction.atomic
def load_police_units() -> list[LoadResult]:
    """Police units (two-character URN unit codes) under the loaded forces.

    Units the standing data marks historic, obsolete or reserved are loaded inactive, so an old URN
    still resolves to a unit while nobody can pick one for a new case.
    """
    force_ids = dict(Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE).values_list("code", "pk"))
    desired: dict[tuple[int, str], dict[str, Any]] = {}
    for row in read_extract("police-units"):
        force_id = force_ids.get(row["force"])
        if force_id is None:
            raise ReferenceDataError(f"Force {row['force']} is not loaded: run load_organisations() first")
        desired[(force_id, row["code"])] = {
            "name": row["name"] or f"{row['code']} (no name in the standing data)",
            "is_active": bool(row["active"]),
        }
    return [_load_units("Police units", Unit.objects.filter(organisation__kind=OrganisationKind.POLICE_FORCE), desired)]


def _load_units(label: str, scope: models.QuerySet[Unit], desired: dict[tuple[int, str], dict[str, Any]]) -> LoadResult:
    existing = {(u.organisation_id, u.code): u for u in scope}
    created, updated = _upsert(
        Unit,
        existing,
        desired,
        lambda key, values: Unit(organisation_id=key[0], code=key[1], **values),
        unique_fields=["organisation", "code"],
        update_fields=["name", "is_active"],
    )
    deactivated = _deactivate_missing(scope, ("organisation_id", "code"), desired)
    # A unit loaded inactive counts as "in the reference data" but not as deactivated by this run.
    return LoadResult(label, len(desired), created, updated, deactivated)


@transaction.atomic
def load_courts() -> list[LoadResult]:
    """Magistrates' courts and Crown Courts, keyed by their standing-data organisation unit code."""
    kinds = set(CourtKind.values)
    desired: dict[str, dict[str, Any]] = {}
    for row in read_extract("courts"):
        if row["kind"] not in kinds:
            raise ReferenceDataError(f"Court {row['code']} has unknown kind {row['kind']!r}")
        desired[row["code"]] = {"name": row["name"], "kind": row["kind"], "is_active": bool(row["active"])}
    existing = {c.code: c for c in Court.objects.all()}
    created, updated = _upsert(
        Court,
        existing,
        desired,
        lambda code, values: Court(code=code, **values),
        unique_fields=["code"],
        update_fields=["name", "kind", "is_active"],
    )
    deactivated = _deactivate_missing(Court.objects.all(), ("code",), desired)
    return [LoadResult("Courts", len(desired), created, updated, deactivated)]


@transaction.atomic
def load_all() -> list[LoadResult]:
    """Everything, in dependency order, as one transaction."""
    results: list[LoadResult] = []
    for loader in (load_cps, load_organisations, load_police_units, load_courts):
        results.extend(loader())
    return results
