"""The project's system check refuses a flow without a lock."""

from django.core.management import call_command
from django.core.management.base import SystemCheckError
from viewflow.workflow import flow, lock

from workflows.checks import all_flows, flows_have_locks
from workflows.flows import IIAFlow


def test_the_project_flows_are_locked():
    assert IIAFlow in all_flows()
    assert flows_have_locks(None) == []


def test_a_flow_without_a_lock_fails_the_check():
    class CarelessFlow(flow.Flow):  # viewflow's default: no lock at all
        pass

    class AlsoCareless(flow.Flow):
        lock_impl = lock.NoLock()

    try:
        errors = flows_have_locks(None)
        assert [e.id for e in errors] == ["workflows.E001", "workflows.E001"]
        assert sorted(e.msg.rsplit(".", 2)[-2].split(" ")[0] for e in errors) == ["AlsoCareless", "CarelessFlow"]
        try:
            call_command("check")
        except SystemCheckError as error:
            assert "runs without a lock" in str(error)
        else:
            raise AssertionError("manage.py check passed with an unlocked flow")
    finally:
        del CarelessFlow, AlsoCareless
        import gc

        gc.collect()
    assert flows_have_locks(None) == []
