"""The coordinator's side: send batches to the workers' queues and gather their answers exactly once.

A batch whose worker stops answering pings (``kill -9``, a crash, a lost host) is revoked and sent again; a batch
answered twice (the old worker came back) counts once. A queue no worker consumes fails its devices after
``EngineConfig.wait`` seconds; a broker that cannot be reached, or is lost mid-run, fails what is left with the
reason while everything already answered stands.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from celery import Celery

from netops.engine.app import BROKER_ERRORS, TASK, make_app
from netops.engine.config import EngineConfig, queue_of, shown
from netops.errors import EngineError

POLL = 0.1  # seconds between looks at the outstanding results
LIVENESS = 3.0  # seconds between pings of the workers running batches
MISSED = 2  # pings a worker may miss before its batches are sent again


@dataclass(frozen=True)
class Batch:
    queue: str
    names: tuple[str, ...]


def batches(sites: dict[str, str], size: int) -> list[Batch]:
    """Host name -> site, as batches of at most ``size`` names per site queue, in name order."""
    by_site: dict[str, list[str]] = {}
    for name in sorted(sites):
        by_site.setdefault(sites[name], []).append(name)
    return [Batch(queue_of(site), tuple(names[i:i + size])) for site, names in sorted(by_site.items())
            for i in range(0, len(names), size)]


class Coordinator:
    """One distributed run's link to the broker."""

    def __init__(self, config: EngineConfig) -> None:
        self.config = config
        self.where = shown(config.url())
        self.app: Celery = make_app(config)

    def close(self) -> None:
        self.app.close()

    def consumers(self) -> dict[str, set[str]]:
        """Queue -> the workers consuming it, from the workers that answer within a second."""
        answers = self.app.control.inspect(timeout=1.0).active_queues() or {}
        out: dict[str, set[str]] = {}
        for worker, queues in answers.items():
            for q in queues:
                out.setdefault(q["name"], set()).add(worker)
        return out

    def _alive(self, workers: set[str]) -> set[str]:
        replies = self.app.control.ping(destination=sorted(workers), timeout=1.0, limit=len(workers)) or []
        return {name for reply in replies for name in reply}

    def map(self, job: str, work: Sequence[Batch], params: dict[str, Any],
            on_answer: Callable[[Batch, list[dict[str, Any]]], None],
            on_lost: Callable[[Batch, str], None]) -> None:
        """Run ``job`` on every batch: ``on_answer`` gets each batch's records once; ``on_lost`` each batch that
        cannot be run, with the reason. Raises :class:`EngineError` only when nothing could be sent."""
        try:
            self.app.connection_for_write().ensure_connection(max_retries=1, timeout=5)
        except BROKER_ERRORS as exc:
            raise EngineError(f"cannot reach the broker {self.where}: {exc}") from None
        waiting_since = time.monotonic()
        outstanding: dict[str, Batch] = {}
        done: set[Batch] = set()
        missed: dict[str, int] = {}
        last_ping = last_answer = time.monotonic()

        def send(batch: Batch) -> None:
            result = self.app.send_task(TASK, args=[job, list(batch.names), params], queue=batch.queue)
            outstanding[result.id] = batch

        try:
            for batch in work:
                send(batch)
            while outstanding:
                time.sleep(POLL)
                started: dict[str, list[str]] = {}
                for task_id, batch in list(outstanding.items()):
                    meta = self.app.backend.get_task_meta(task_id)  # one read: state and value together
                    state = meta["status"]
                    if state in ("SUCCESS", "FAILURE"):
                        self.app.backend.forget(task_id)
                        del outstanding[task_id]
                        if batch in done:
                            continue
                        done.add(batch)
                        last_answer = time.monotonic()
                        if state == "SUCCESS":
                            on_answer(batch, meta["result"])
                        else:
                            on_lost(batch, f"worker error: {self.app.backend.exception_to_python(meta['result'])}")
                    elif state == "STARTED" and isinstance(meta["result"], dict) and meta["result"].get("hostname"):
                        started.setdefault(meta["result"]["hostname"], []).append(task_id)
                now = time.monotonic()
                if outstanding and now - last_ping >= LIVENESS:
                    last_ping = now
                    self._resend_lost(started, outstanding, missed, send)
                    if now - last_answer >= LIVENESS:  # only when nothing moves: asking every worker takes a second
                        waiting_since = self._unserved(outstanding, done, waiting_since, on_lost)
                    else:
                        waiting_since = now
        except BROKER_ERRORS as exc:
            reason = f"lost the broker {self.where}: {exc}"
            for batch in {b for b in outstanding.values() if b not in done}:
                done.add(batch)
                on_lost(batch, reason)

    def _resend_lost(self, started: dict[str, list[str]], outstanding: dict[str, Batch], missed: dict[str, int],
                     send: Callable[[Batch], None]) -> None:
        """Send again the batches of workers that missed ``MISSED`` pings in a row (revoking the old tasks)."""
        if not started:
            return
        alive = self._alive(set(started))
        for worker, task_ids in started.items():
            missed[worker] = 0 if worker in alive else missed.get(worker, 0) + 1
            if missed[worker] < MISSED:
                continue
            for task_id in task_ids:
                batch = outstanding.pop(task_id, None)
                self.app.control.revoke(task_id)
                if batch is not None:
                    send(batch)

    def _unserved(self, outstanding: dict[str, Batch], done: set[Batch], since: float,
                  on_lost: Callable[[Batch, str], None]) -> float:
        """Fail the batches of queues no worker consumes once ``config.wait`` has passed; the new reference time."""
        served = self.consumers()
        orphans = {task_id: b for task_id, b in outstanding.items() if not served.get(b.queue)}
        if not orphans:
            return time.monotonic()
        if time.monotonic() - since < self.config.wait:
            return since
        for task_id, batch in orphans.items():
            del outstanding[task_id]
            self.app.control.revoke(task_id)
            if batch not in done:
                done.add(batch)
                on_lost(batch, f"no netops worker consumes the queue {batch.queue} (netops worker --queues "
                               f"{batch.queue.removeprefix('netops.') or 'default'})")
        return since
