"""The WSGI entry point gunicorn's workers load."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_the_workers_collect_garbage_less_often_and_never_walk_what_was_loaded_at_start():
    probe = ("import gc, json; before = gc.get_threshold(); import iia.wsgi; "
             "print(json.dumps([before, gc.get_threshold(), list(iia.wsgi.GC_THRESHOLD), gc.get_freeze_count(), "
             "'assessments.views' in __import__('sys').modules]))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "iia.settings.base"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    before, after, wanted, frozen, views_loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert before == [700, 10, 10]  # Python's default, which the entry point changes
    assert after == wanted and after[0] > before[0]
    assert frozen > 50_000  # Django, the project and its views, loaded before the freeze
    assert views_loaded
