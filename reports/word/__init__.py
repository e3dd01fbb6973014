"""Word (.docx) copies of documents, for partners who edit offline: one small class per
document with ``render()`` returning the bytes, built on ``common.WordDocument``. A copy is
never a record: the services that ask for one (``reports.services.word``) choose what it is
written from and say so on its first line."""
