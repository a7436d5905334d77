"""Active checks: prove with packets what the configuration promises."""
