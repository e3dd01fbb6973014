"""Where evidence files are kept: the ``evidence`` storage of ``settings.STORAGES`` (the file
system under ``make run``, Azure Blob Storage or S3 in production: iia/settings/base.py,
docs/evidence.md). Looked up on every use, so a settings change (a test's) takes effect."""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

ALIAS = "evidence"


class EvidenceStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages[ALIAS]


evidence_storage = EvidenceStorage()


def evidence_storage_of() -> EvidenceStorage:
    """The storage of ``EvidenceFile.file`` (a callable, so migrations name no backend)."""
    return evidence_storage


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting == "STORAGES":
        evidence_storage._wrapped = empty
