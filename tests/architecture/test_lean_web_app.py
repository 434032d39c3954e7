"""Every web worker imports the web app: the heavy libraries load only where they are used (a
report, an export, a document, a chart's computation, a payment), never with the app itself."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.architecture.test_layers import ROOT

# What each would add to every worker's memory (measured with bench/memory.py's machine).
HEAVY = {
    "pandas": "55 MiB",
    "numpy": "14 MiB",
    "statsmodels": "154 MiB",
    "sklearn": "tens of MiB",
    "reportlab": "15 MiB",
    "openpyxl": "28 MiB",
    "stripe": "26 MiB",
    "zxcvbn": "12 MiB",
}
PROBE = (
    "import json, sys; import oms_app.oms_app; "
    "print(json.dumps(sorted(m for m in {names} if m in sys.modules)))"
)


def test_importing_the_web_app_loads_none_of_the_heavy_libraries():
    # given a fresh interpreter (the test run itself has imported everything)
    probe = PROBE.format(names=sorted(HEAVY))
    # when it imports the web app as a backend worker does
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    # then none of them is in memory
    assert loaded == [], {name: HEAVY[name] for name in loaded}
