"""The service layer: what the CLI and the dashboard both call.

Each module runs one job with typed options, reports progress as events
(:mod:`netops.services.events`) and returns typed results
(:mod:`netops.results`). Nothing above this layer opens a store, a socket or an
SSH session itself.
"""
