"""The distributed engine's workers: start one (``netops worker``), list those that answer (``netops worker list``).

The engine's client (Celery, Redis) is imported only where a broker is used: a local run never pays for it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from netops.engine.config import EngineConfig, engine_config, queue_of
from netops.errors import EngineError, InputError, unknown
from netops.services import inventory
from netops.settings import Settings


def _distributed(settings: Settings, broker: str | None) -> EngineConfig:
    config = engine_config(settings, broker)
    if not config.distributed:
        raise InputError("no broker: give --broker redis://HOST:PORT/DB or set engine.broker in netops.yaml", key="--broker")
    return config


def queues(settings: Settings, sites: Sequence[str]) -> list[str]:
    """The queues of ``sites`` (default: every site of the inventory, and the queue of devices with none)."""
    known = sorted({h.site for h in inventory.hosts(settings).values()})
    for site in sites:
        if site not in known:
            raise unknown("site", site, known, key="--queues")
    return [queue_of(s) for s in sites] if sites else [queue_of(s) for s in known if s] + [queue_of("")]


def work(settings: Settings, broker: str | None = None, sites: Sequence[str] = (), concurrency: int = 2,
         name: str | None = None, json_logs: bool = False) -> None:
    """Run a worker on this machine until it is stopped: it takes batches from the queues of ``sites`` and runs
    them with its own netops.yaml, inventory and credentials."""
    config = _distributed(settings, broker)
    if concurrency < 1:
        raise InputError("must be at least 1", key="--concurrency")
    chosen = queues(settings, sites)
    from netops.engine.app import serve

    serve(settings, config, chosen, concurrency, name, json_logs=json_logs)


@dataclass(frozen=True)
class Worker:
    name: str
    queues: tuple[str, ...]
    running: int  # batches in progress

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "queues": list(self.queues), "running": self.running}


def workers(settings: Settings, broker: str | None = None) -> list[Worker]:
    """The workers that answer within a second, their queues and running batches."""
    from netops.engine.app import BROKER_ERRORS
    from netops.engine.coordinator import Coordinator

    coordinator = Coordinator(_distributed(settings, broker))
    try:
        inspect = coordinator.app.control.inspect(timeout=1.0)
        queues_of = inspect.active_queues() or {}
        active = inspect.active() or {}
    except BROKER_ERRORS as exc:
        raise EngineError(f"cannot reach the broker {coordinator.where}: {exc}") from None
    finally:
        coordinator.close()
    return [Worker(name, tuple(sorted(q["name"] for q in qs)), len(active.get(name, []))) for name, qs in sorted(queues_of.items())]


@dataclass(frozen=True)
class EngineState:
    """Where this machine's jobs run: ``broker`` None is here; else the broker (no password) and its workers."""

    broker: str | None
    workers: tuple[Worker, ...] = ()
    error: str | None = None  # the broker or the engine section could not be read

    def line(self) -> str:
        if self.error:
            return f"engine: {self.error}"
        if self.broker is None:
            return "engine: this machine (no broker: netops.yaml engine.broker, or --broker)"
        if not self.workers:
            return f"engine: {self.broker}: no worker answers — jobs will wait, then fail (netops worker)"
        names = ", ".join(f"{w.name} ({w.running} running)" for w in self.workers)
        return f"engine: {self.broker}: {len(self.workers)} worker(s): {names}"


def state(settings: Settings) -> EngineState:
    """The engine netops.yaml names and the workers that answer (never raises: a problem is the state's error)."""
    try:
        config = engine_config(settings)
        if not config.distributed:
            return EngineState(None)
        return EngineState(config.broker, tuple(workers(settings)))
    except (InputError, EngineError) as exc:
        return EngineState(None, error=str(exc).splitlines()[0])
