"""What the accessibility statement says was tested: read from ``accessibility.json``,
which the axe-core suite (tests/browser/test_axe.py) writes and checks, so the figures
on the page are never typed by hand."""

import json
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

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
        "pages": list(pages.values()),
        "roles": roles,
        "page_count": len(pages),
        "check_count": len(results["checks"]),
    }
