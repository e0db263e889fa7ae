"""Every label the pages ask for exists in English and Thai: the literal keys of the
templates, and the keys built from a catalogue (statuses, triage classes, timeline events,
sort orders)."""

from __future__ import annotations

import re
from pathlib import Path

from features.catalogues.case_statuses import CASE_STATUSES
from features.schema import (
    APPLICATION_STATUSES,
    CHANNELS,
    COLLATERAL_TYPES,
    FACILITY_TYPES,
    LEGAL_FORMS,
    LEGAL_STAGES,
    PROBLEM_TYPES,
)
from models.advice.triage import TRIAGE_CLASSES
from models.plans.creditor_vote import PROCEDURES, VOTES
from models.plans.lending import STEPS
from models.plans.programmes import SIZE_CLASSES
from models.plans.schedules import ALERTS
from service.casework.dashboard import DIMENSIONS
from service.casework.intake_form import FACILITY_FIELDS
from service.casework.schemas import FOLLOW_UP_ACTIONS
from service.web.i18n import TEXT
from service.web.pages import PAGE_SORTS, QUEUE_STATES

TEMPLATES = Path(__file__).resolve().parents[2] / "service" / "web" / "templates"
EVENTS = ("status", "assignment", "assessment", "decision", "note", "note_edit",
          "document_requested", "document_received", "plan", "repayment", "referral",
          "referral_result", "milestone", "milestone_done", "application_follow_up")  # fmt: skip


def _translated(key: str) -> bool:
    entry = TEXT.get(key, {})
    return bool(entry.get("en")) and bool(entry.get("th")) and entry["en"] != entry["th"]


def test_every_literal_label_of_the_templates_is_translated():
    keys = set()
    for template in TEMPLATES.glob("*.html"):
        keys |= set(re.findall(r"""\bt\(\s*["']([^"']+)["']""", template.read_text()))
    assert len(keys) > 50
    families = {k for k in keys if k.endswith((":", "_"))}  # a key built from a catalogue
    assert families <= {
        "error:",
        "event:",
        "sort:",
        "status:",
        "triage:",
        "problem:",
        "channel:",
        "facility:",
        "app_status:",
        "alert:",
        "by_",
        "waiting:",
        "followup:",
        "legal_form:",
        "legal:",
        "collateral:",
        "psi:",
        "ff:",
        "queue_state:",
        "procedure:",
        "vote:",
        "arrears:",
        "letter_step:",
        "size:",
    }, families
    missing = sorted(k for k in keys - families if not _translated(k))
    assert missing == []


def test_every_catalogue_label_is_translated():
    keys = [f"status:{s}" for s in (*CASE_STATUSES, "new")]
    keys += [f"triage:{c}" for c in TRIAGE_CLASSES]
    keys += [f"event:{e}" for e in EVENTS]
    keys += [f"sort:{s}" for s in PAGE_SORTS] + [f"queue_state:{s}" for s in QUEUE_STATES]
    keys += [f"procedure:{p}" for p in PROCEDURES] + [f"vote:{v}" for v in VOTES]
    keys += [f"arrears:{a}" for a in ("cured", "capitalised", "settled")]
    keys += [f"letter_step:{s}" for s in STEPS]
    keys += [f"problem:{p}" for p in PROBLEM_TYPES] + [f"channel:{c}" for c in CHANNELS]
    keys += [f"facility:{f}" for f in FACILITY_TYPES] + [f"legal:{s}" for s in LEGAL_STAGES]
    keys += [f"collateral:{c}" for c in COLLATERAL_TYPES]
    keys += [f"app_status:{a}" for a in APPLICATION_STATUSES]
    keys += [f"alert:{name}" for _, name in ALERTS]
    keys += [f"by_{dimension}" for dimension in DIMENSIONS]
    keys += [f"waiting:{w}" for w in ("bank", "borrower")]
    keys += [f"followup:{a}" for a in FOLLOW_UP_ACTIONS]
    keys += [f"psi:{level}" for level in ("stable", "watch", "act", "n/a")]
    keys += [f"legal_form:{f}" for f in LEGAL_FORMS] + [f"ff:{f}" for f in FACILITY_FIELDS]
    keys += [f"size:{s}" for s in SIZE_CLASSES]
    assert [k for k in keys if not _translated(k)] == []


def test_the_timeline_kinds_are_the_catalogue(app):
    from service.casework.timeline import timeline

    source = Path(timeline.__code__.co_filename).read_text()
    kinds = set(re.findall(r'add\([^,]+,\s*"([a-z_]+)"', source))
    assert kinds == set(EVENTS)
