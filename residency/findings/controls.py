"""Which public control catalogs each rule gives evidence for: the auditor's mapping.

Every rule of `residency.findings.rules.RULES` has an entry (a meta-test enforces it, so a
rule added later must say what it evidences). Formats show the mapping: SARIF rule properties,
OSCAL props and back-matter, the HTML report, docs/reports.md. Each control names its catalog
and the public source its wording was taken from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Catalog:
    key: str  # short token used in SARIF properties and OSCAL prop classes
    title: str
    source: str  # where the control text is published


@dataclass(frozen=True, slots=True)
class Control:
    catalog: Catalog
    id: str
    title: str
    applies: str = ""  # when the control applies only to some policies


CCC = Catalog(
    "finos-ccc", "FINOS Common Cloud Controls (CCC Core)",
    "https://github.com/finos/common-cloud-controls/blob/main/catalogs/core/ccc/controls.yaml",
)
CCM = Catalog(
    "csa-ccm-v4", "CSA Cloud Controls Matrix v4",
    "https://cloudsecurityalliance.org/artifacts/cloud-controls-matrix-v4",
)
NIST = Catalog(
    "nist-sp-800-53-r5", "NIST SP 800-53 Rev. 5",
    "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
)
ISO27701 = Catalog(
    "iso-iec-27701-2019", "ISO/IEC 27701:2019",
    "https://www.iso.org/standard/71670.html",
)

SERVICE_REGION = Control(CCC, "CCC.Core.CN06.AR01",
                         "Restrict deployments to the trust perimeter: the service's region and zone are approved")
CHILD_REGION = Control(CCC, "CCC.Core.CN06.AR02",
                       "Restrict deployments to the trust perimeter: child resources' regions and zones are approved")
REPLICATION_REPRESENTED = Control(CCC, "CCC.Core.CN08.AR02",
                                  "Replication locations and status are accurately represented")
REPLICATION_PERIMETER = Control(CCC, "CCC.Core.CN10.AR01",
                                "Replication only to destinations inside the trust perimeter")
DATA_LOCATION = Control(CCM, "DSP-19",
                        "Data Location: specify and document the physical locations of data, "
                        "including where it is processed or backed up")
SERVICE_LOCATION = Control(NIST, "SA-9(5)", "External system services: processing, storage, and service location")
US_JURISDICTION = Control(NIST, "SA-9(8)",
                          "Processing and storage location: U.S. jurisdiction",
                          "policies whose allowed locations are the United States")
PII_COUNTRIES_CONTROLLER = Control(ISO27701, "7.5.2",
                                   "Countries and international organizations to which PII can be transferred "
                                   "(controllers)", "policies covering personal data")
PII_COUNTRIES_PROCESSOR = Control(ISO27701, "8.5.2",
                                  "Countries and international organizations to which PII can be transferred "
                                  "(processors)", "policies covering personal data")

# Every location rule evidences where data is (CCM, NIST, ISO); the CCC ids say which copy.
_LOCATION = (DATA_LOCATION, SERVICE_LOCATION, US_JURISDICTION, PII_COUNTRIES_CONTROLLER, PII_COUNTRIES_PROCESSOR)

CONTROLS_FOR_RULE: dict[str, tuple[Control, ...]] = {
    "primary-outside": (SERVICE_REGION, CHILD_REGION, *_LOCATION),
    "replica-outside": (REPLICATION_PERIMETER, REPLICATION_REPRESENTED, *_LOCATION),
    "secondary-outside": (REPLICATION_PERIMETER, REPLICATION_REPRESENTED, *_LOCATION),
    "member-outside": (SERVICE_REGION, REPLICATION_REPRESENTED, *_LOCATION),
    "residual-outside": (SERVICE_REGION, CHILD_REGION, *_LOCATION),
    "copy-outside": (CHILD_REGION, REPLICATION_PERIMETER, REPLICATION_REPRESENTED, *_LOCATION),
    "retention-blocks-deletion": (SERVICE_REGION, *_LOCATION),
    "location-unverifiable": (REPLICATION_REPRESENTED, DATA_LOCATION, SERVICE_LOCATION),
    "scope-unverifiable": (DATA_LOCATION, SERVICE_LOCATION),
    "exemption-expired": (DATA_LOCATION, SERVICE_LOCATION, PII_COUNTRIES_CONTROLLER, PII_COUNTRIES_PROCESSOR),
    "locations-allowed": (SERVICE_REGION, CHILD_REGION, REPLICATION_PERIMETER, *_LOCATION),
    # Transfer proof: data left outside after a migration evidences where data is, like the
    # *-outside rules; a transfer that lost or changed data, or could not be checked, documents it.
    "transfer-not-copied": _LOCATION,
    "transfer-copied-not-deleted": (SERVICE_REGION, CHILD_REGION, *_LOCATION),
    "transfer-residual-versions": (SERVICE_REGION, CHILD_REGION, *_LOCATION),
    "transfer-lost": (DATA_LOCATION, SERVICE_LOCATION),
    "transfer-content-mismatch": (DATA_LOCATION, SERVICE_LOCATION),
    "transfer-content-unverified": (DATA_LOCATION, SERVICE_LOCATION),
    "transfer-residual-unverifiable": (DATA_LOCATION, SERVICE_LOCATION),
    "transfer-inventory-unverifiable": (DATA_LOCATION, SERVICE_LOCATION),
    "transfer-verified": _LOCATION,
}

CATALOGS: tuple[Catalog, ...] = (CCC, CCM, NIST, ISO27701)


def controls_for(rule_id: str) -> tuple[Control, ...]:
    """The controls a rule evidences (tests/unit/findings/test_controls.py keeps every rule mapped)."""
    return CONTROLS_FOR_RULE.get(rule_id, ())


def control_label(control: Control) -> str:
    """"FINOS Common Cloud Controls (CCC Core) CCC.Core.CN06.AR01" style: catalog and id."""
    return f"{control.catalog.title} {control.id}"
