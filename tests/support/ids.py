"""Random ids that every pytest-xdist worker of one run agrees on.

xdist refuses to start when its workers collect different test ids, so a
parametrize value must not come from a fresh ``uuid4()`` in each worker; it
stays random from one run to the next through the run's shared id.
"""

import os
import random
import uuid

_RUN_SEED = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex


def run_uuid(label: str) -> uuid.UUID:
    """A version-4 UUID, fixed for this run and label, different between runs."""
    return uuid.UUID(int=random.Random(f"{_RUN_SEED}:{label}").getrandbits(128), version=4)
