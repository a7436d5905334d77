"""The reliability matrix (issue 19): generated inputs and faults, in two profiles.

``make test`` runs the quick profile (``ci``: a few hundred generated cases per input kind, derandomised so a run
is reproducible); ``make reliability`` runs ``NETOPS_FUZZ=nightly`` (at least 1,000 cases per kind, random seeds)
and the tests marked ``long``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("nightly", max_examples=1000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("NETOPS_FUZZ", "ci"))
