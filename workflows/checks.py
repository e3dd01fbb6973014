"""System checks: every flow must take a real lock (viewflow's default is none)."""

from django.core import checks
from viewflow.workflow import lock


@checks.register()
def flows_have_locks(app_configs, **kwargs):
    from .flows import IIAFlow

    errors = []
    for flow_class in (IIAFlow,):
        if flow_class.lock_impl is lock.no_lock or isinstance(flow_class.lock_impl, lock.NoLock):
            errors.append(checks.Error(f"{flow_class.__name__} runs without a lock.", id="workflows.E001",
                                       hint="Set lock_impl = lock.SelectForUpdateLock(nowait=False, attempts=1)."))
    return errors
