#!/usr/bin/env python3
"""Generate the bundled demo meeting (app/data/meeting) from tools/meeting/'s data files.

    .venv/bin/python tools/make_meeting.py            # rewrite app/data/meeting
    .venv/bin/python tools/make_meeting.py --check    # exit 1 if the committed files differ

See docs/meeting.md: the meeting, the data files, how to edit them.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.meeting.build import main

if __name__ == "__main__":
    main()
