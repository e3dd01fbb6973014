"""What the accessibility statement says was tested: read from ``accessibility.json``,
which the axe-core suite (tests/browser/test_axe.py) writes and checks, so the figures
on the page are never typed by hand."""

import datetime
import json
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.text import get_text_list

from assessments.selectors import board_names

RESULTS = Path(__file__).with_name("accessibility.json")

ROLE_NAMES = {
    "anonymous": "Public (not signed in)",
    "officer": "Officer",
    "contributor": "Officer (contributor)",
    "lead": "Equality lead",
    "other_lead": "Equality lead of another board",
    "senior": "Senior officer",
    "clerk": "IJB clerk",
    "superuser": "Site administrator",
}


@lru_cache(maxsize=1)
def accessibility_results() -> dict:
    """The last recorded run of the accessibility suite."""
    return json.loads(RESULTS.read_text())


def accessibility_summary() -> dict:
    """The results grouped for the statement: each page with the roles and states checked."""
    results = accessibility_results()
    pages: OrderedDict[str, dict] = OrderedDict()
    for check in results["checks"]:
        entry = pages.setdefault(check["page"], {"page": check["page"], "roles": [], "states": []})
        role = ROLE_NAMES.get(check["role"], check["role"])
        if role not in entry["roles"]:
            entry["roles"].append(role)
        if check["state"] not in entry["states"]:
            entry["states"].append(check["state"])
    roles = sorted({ROLE_NAMES.get(c["role"], c["role"]) for c in results["checks"]})
    return {
        **results,
        "tested_on": datetime.date.fromisoformat(results["tested_on"]),  # shown in the one date format
        "pages": list(pages.values()),
        "roles": roles,
        "page_count": len(pages),
        "check_count": len(results["checks"]),
    }


def organisation_name() -> str:
    """Who runs the service, for the statement: ``IIA_ORGANISATION``, else its boards' names."""
    return settings.IIA_ORGANISATION or get_text_list(board_names(), "and")
