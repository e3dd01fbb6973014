"""Evidence files through the Azure backend against a real blob server (Azurite, started on a
free port for the session): stored by the upload service in blocks, read back, hash checked;
the container prepared by ``manage.py evidence_storage_prepare``."""

import hashlib
import io

import pytest
from django.core.management import call_command

from assessments.models import EvidencePart
from assessments.services import evidence as ev
from iia.settings.base import evidence_storage
from tests import evidence_samples as s
from tests import factories as f
from tests.azurite import azurite

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def blob_server(tmp_path_factory):
    with azurite(tmp_path_factory.mktemp("azurite")) as connection:
        yield connection


@pytest.fixture
def azure_storage(settings, blob_server, monkeypatch):
    monkeypatch.setenv("IIA_AZURE_CONNECTION_STRING", blob_server)
    monkeypatch.setenv("IIA_AZURE_CONTAINER", "evidence-test")
    settings.STORAGES = {**settings.STORAGES, "evidence": evidence_storage("azure")}
    out = io.StringIO()
    call_command("evidence_storage_prepare", stdout=out)
    return out.getvalue()


def test_an_evidence_file_is_stored_in_blob_storage_and_read_back_whole(cast, azure_storage):
    from django.core.files.storage import storages

    assert "evidence-test" in azure_storage
    assert type(storages["evidence"]).__name__ == "EvidenceAzureStorage"
    assessment = f.current(f.screen(cast, f.start(cast)))
    # larger than a block (4 MB): sent as several blocks, never one request holding it all
    content = s.PDF + bytes(range(256)) * (9 * 1024 * 1024 // 256)
    record = ev.evidence_file_upload(by=cast.officer, upload=s.upload("Locality profile.pdf", content),
                                     part=EvidencePart.EVIDENCE, assessment=assessment)
    assert record.sha256 == hashlib.sha256(content).hexdigest()
    storage = storages["evidence"]
    blob = storage.client.get_blob_client(record.file.name).get_blob_properties()
    assert blob.size == len(content) and blob.content_settings.content_type == "application/pdf"
    digest = hashlib.sha256()
    with record.file.open("rb") as stored:
        for chunk in iter(lambda: stored.read(1024 * 1024), b""):
            digest.update(chunk)
    assert digest.hexdigest() == record.sha256
    # prepared once: the second run finds the container
    out = io.StringIO()
    call_command("evidence_storage_prepare", stdout=out)
    assert "is there" in out.getvalue()
