"""Values anyone can read in this repository: fine on a development or test machine,
refused under the production settings (``iia.checks``)."""

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
DEMO_SIGNING_PASSPHRASE = "demo-signing-passphrase"
TEST_SIGNING_PASSPHRASE = "test-signing-passphrase"
