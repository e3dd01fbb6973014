"""Static files storage for production: WhiteNoise's compressed files with hashed names."""

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
