"""The portal's settings with collected static files in a folder of the benchmark's own.

benchmarks.lighthouse serves the portal as production does (DEBUG off, hashed static files from
`collectstatic`, served by WhiteNoise), without writing into the checkout's STATIC_ROOT, which other
runs of the portal on the same checkout may read.
"""

import os
from pathlib import Path

from smarthp.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
