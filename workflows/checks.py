"""System checks: every flow must take a real lock (viewflow's default is none)."""

from django.core import checks
from viewflow.workflow import lock
from viewflow.workflow.base import Flow

from . import flows  # noqa: F401  (defines the project's flows)


def all_flows() -> list[type[Flow]]:
    """Every concrete Flow class defined in the project (abstract bases have no process)."""
    found, pending = [], list(Flow.__subclasses__())
    while pending:
        flow_class = pending.pop()
        pending.extend(flow_class.__subclasses__())
        if flow_class.__module__.split(".")[0] != "viewflow":
            found.append(flow_class)
    return sorted(found, key=lambda c: c.__qualname__)


def unlocked(flow_class: type[Flow]) -> bool:
    impl = flow_class.lock_impl
    return impl is None or impl is lock.no_lock or isinstance(impl, lock.NoLock)


@checks.register()
def flows_have_locks(app_configs, **kwargs):
    return [
        checks.Error(f"{flow_class.__module__}.{flow_class.__qualname__} runs without a lock.", id="workflows.E001",
                     hint="Set lock_impl = lock.SelectForUpdateLock(nowait=False, attempts=1).")
        for flow_class in all_flows() if unlocked(flow_class)
    ]
