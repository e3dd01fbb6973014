"""Evidence files over HTTP. An upload is streamed to a temporary file on disk a chunk at a
time and hashed as it arrives, so a 25 MB file is never held in memory
(``iia.middleware.RequestSizeMiddleware`` puts this handler on the upload pages alone). A
download is always an attachment the browser neither sniffs nor renders in the product's origin."""

import hashlib

from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import FileResponse


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler that also computes the file's SHA-256 on the way
    (``upload.sha256``, which ``services.evidence`` uses instead of reading the file again)."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.digest = hashlib.sha256()

    def receive_data_chunk(self, raw_data, start):
        self.digest.update(raw_data)
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        upload = super().file_complete(file_size)
        upload.sha256 = self.digest.hexdigest()
        return upload


def evidence_upload(view):
    """Mark a view as an evidence upload page: its request body may be as large as an
    evidence file (``IIA_EVIDENCE_MAX_BYTES``) and is streamed to disk."""
    view.evidence_upload = True
    return view


def file_response(record) -> FileResponse:
    """The stored file, streamed, as an attachment under its cleaned name, with the type read
    from its content when it was uploaded; ``nosniff`` and a sandboxing policy so that no
    browser treats it as a page of the product."""
    response = FileResponse(record.file.open("rb"), as_attachment=True, filename=record.name,
                            content_type=record.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
