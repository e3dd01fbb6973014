"""Make the evidence storage ready: on Azure Blob Storage, create its container if it is
missing (private: no anonymous read; downloads go through the product). The file system
and S3 need nothing here (the directory is made on the first save; the bucket is the
operator's). Run by `make stack` after Azurite starts, and once when a deployment moves to Azure."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the evidence storage's Azure container if it is missing."

    def handle(self, *args, **options):
        from django.core.files.storage import storages

        from assessments.evidence_storage import ALIAS

        storage = storages[ALIAS]
        client = getattr(storage, "client", None)
        if client is None or not hasattr(client, "create_container"):
            self.stdout.write("The evidence storage needs no preparing.")
            return
        if client.exists():
            self.stdout.write(f"The container {storage.azure_container!r} is there.")
            return
        client.create_container()
        self.stdout.write(f"Created the container {storage.azure_container!r}.")
