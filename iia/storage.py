"""Storages: static files for production (WhiteNoise's compressed files with hashed names), and
the Azure backend of the evidence files (docs/evidence.md)."""

import functools

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Like WhiteNoise's, but a stylesheet that refers to a file its package does not ship
    (viewflow's Roboto CSS names font weights that are not in the wheel) keeps that
    reference as written instead of failing ``collectstatic``: the browser gets a 404 for
    a font nobody uses, as it would without hashing."""

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is None and not self.exists(filename or name):
                return name
            raise


# Blocks of this size: an upload to Azure Blob Storage is sent a block at a time, never as
# one request holding the whole file (the SDK would read up to 64 MB into memory for that).
AZURE_BLOCK_BYTES = 4 * 1024 * 1024


@functools.cache
def _azure_storage_class():
    from storages.backends.azure_storage import AzureStorage

    class EvidenceAzureStorage(AzureStorage):
        """django-storages' Azure backend, whose client, made from a connection string, also
        takes the block sizes (django-storages passes its client options only to a client
        made from an account name)."""

        def _get_service_client(self):
            if self.connection_string is None:
                return super()._get_service_client()
            from azure.storage.blob import BlobServiceClient

            return BlobServiceClient.from_connection_string(
                self.connection_string, max_single_put_size=AZURE_BLOCK_BYTES, max_block_size=AZURE_BLOCK_BYTES)

    return EvidenceAzureStorage


def __getattr__(name):
    # the Azure SDK is imported only where IIA_STORAGE=azure asks for it
    if name == "EvidenceAzureStorage":
        return _azure_storage_class()
    raise AttributeError(name)
