"""The Celery application both sides share: the coordinator sends ``netops.batch`` tasks, workers run them.

Tasks are acknowledged late and rejected back to the queue when the worker process running them is lost; a
worker reserves one task per pool process. Results go back through the same Redis (JSON only, kept an hour at
most; the coordinator deletes each as soon as it has it).
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Sequence
from typing import Any

from celery import Celery, signals
from celery.app import trace
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from netops.engine import jobs
from netops.engine.config import EngineConfig, shown
from netops.errors import EngineError
from netops.settings import Settings

BROKER_ERRORS = (OperationalError, RedisError, ConnectionError, OSError)  # what an unreachable or lost broker raises
TASK = "netops.batch"
RESULT_TTL = 3600  # seconds a result waits in Redis for a coordinator that never read it
_worker_settings: Settings | None = None  # the worker's own settings (set before its pool forks)


def make_app(config: EngineConfig) -> Celery:
    url = config.url()
    app = Celery("netops", broker=url, backend=url, set_as_current=False)
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"], result_accept_content=["json"],
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        task_track_started=True, result_expires=RESULT_TTL, result_extended=False,
        task_default_queue="netops", task_create_missing_queues=True,
        broker_connection_retry_on_startup=True, broker_connection_max_retries=3, broker_connection_timeout=5,
        broker_transport_options={"visibility_timeout": RESULT_TTL, "socket_connect_timeout": 5, "socket_timeout": 15},
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1},
        redis_socket_connect_timeout=5, redis_socket_timeout=15, redis_backend_health_check_interval=5,
        worker_hijack_root_logger=False, worker_send_task_events=False, task_send_sent_event=False,
        worker_cancel_long_running_tasks_on_connection_loss=True,
    )

    @app.task(name=TASK, bind=True)
    def batch(self: Any, job: str, names: list[str], params: dict[str, Any]) -> list[dict[str, Any]]:
        assert _worker_settings is not None, "a netops task runs only in `netops worker`"
        return jobs.run(_worker_settings, job, names, params)

    return app


class JsonLines(logging.Formatter):
    """One JSON object per log record (``netops worker --json``)."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps({"time": self.formatTime(record), "level": record.levelname, "process": record.processName,
                           "logger": record.name, "message": record.getMessage()})


def _json_logs(logger: logging.Logger, **_: Any) -> None:
    for handler in logger.handlers:
        handler.setFormatter(JsonLines())


def serve(settings: Settings, config: EngineConfig, queues: Sequence[str], concurrency: int, name: str | None = None,
          loglevel: str = "INFO", json_logs: bool = False) -> None:
    """Run a worker until it is stopped (SIGTERM: finish the running tasks; SIGQUIT / kill -9: they go back)."""
    global _worker_settings
    _worker_settings = settings
    if json_logs:
        signals.after_setup_logger.connect(_json_logs, weak=False)
        signals.after_setup_task_logger.connect(_json_logs, weak=False)
    trace.LOG_SUCCESS = "Task %(name)s[%(id)s] succeeded in %(runtime)ss"  # not the answer: configurations stay out of logs
    app = make_app(config)
    try:
        app.connection_for_write().ensure_connection(max_retries=1, timeout=5)
    except BROKER_ERRORS as exc:
        raise EngineError(f"cannot reach the broker {shown(config.url())}: {exc}") from None
    hostname = name or f"netops-{os.getpid()}@{socket.gethostname()}"
    app.worker_main(["worker", f"--loglevel={loglevel}", f"--concurrency={concurrency}", f"--hostname={hostname}",
                     f"--queues={','.join(queues)}", "--pool=prefork", "--without-gossip", "--without-mingle",
                     "--without-heartbeat"])
