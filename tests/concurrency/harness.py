"""Threads that race, and threads paused just before they commit, on PostgreSQL."""

import threading
import time
from contextlib import contextmanager

from django.db import connection, connections

TIMEOUT = 30


def race(worker, n):
    """Run ``worker(i)`` in ``n`` threads released together; returns their results
    (an exception is returned as ``"error: ..."``)."""
    barrier = threading.Barrier(n)
    results = []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            outcome = worker(i)
        except Exception as error:  # recorded, then asserted on
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    return results


class Step(threading.Thread):
    """Runs one operation in its own thread and database connection. With ``pause``, the
    thread stops just before its transaction commits until ``release()``."""

    def __init__(self, operation, *, pause=False):
        super().__init__(daemon=True)
        self.operation = operation
        self.pause = pause
        self.at_commit = threading.Event()
        self.go = threading.Event()
        self.started_sql = threading.Event()
        self.outcome = None
        self.error = None
        self.backend_pid = None

    def run(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.backend_pid = cursor.fetchone()[0]
            self.started_sql.set()
            if self.pause:
                original = connection.commit

                def paused_commit():
                    connection.commit = original  # pause at the first commit only
                    self.at_commit.set()
                    if not self.go.wait(TIMEOUT):
                        raise RuntimeError("never released")
                    original()

                connection.commit = paused_commit
            self.outcome = outcome_of(self.operation)
        except BaseException as error:  # a harness failure, reported by the test
            self.error = error
        finally:
            self.at_commit.set()  # an operation that never reached commit is not waited for
            connection.close()

    def release(self):
        self.go.set()

    def finish(self):
        self.go.set()
        self.join(TIMEOUT)
        assert not self.is_alive(), "the operation did not finish"
        if self.error is not None:
            raise self.error
        return self.outcome


def outcome_of(operation) -> str:
    """'ok', or the name of the exception a refused operation raised."""
    try:
        operation()
    except Exception as error:  # the refusal is the outcome
        return type(error).__name__
    return "ok"


def wait_until_blocked_or_done(step: Step, timeout=TIMEOUT) -> str:
    """Wait until ``step``'s backend waits for a lock, or the step ends. Returns which."""
    assert step.started_sql.wait(timeout)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not step.is_alive():
            return "done"
        with connection.cursor() as cursor:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [step.backend_pid])
            row = cursor.fetchone()
        if row and row[0] == "Lock":
            return "blocked"
        time.sleep(0.005)
    raise AssertionError("the second operation neither blocked nor finished")


@contextmanager
def connection_option(option: str):
    """Give connections opened inside the block a PostgreSQL option (``-c name=value``)."""
    options = connections["default"].settings_dict.setdefault("OPTIONS", {})
    before = options.get("options")
    options["options"] = f"{before or ''} {option}".strip()
    try:
        yield
    finally:
        if before is None:
            options.pop("options", None)
        else:
            options["options"] = before
