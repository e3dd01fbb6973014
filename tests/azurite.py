"""Azurite, the Azure Storage emulator (npm ``azurite``, pinned in tools/azurite/), started on
a free port of the loopback for a test session and stopped at its end."""

import contextlib
import socket
import subprocess
import time
from pathlib import Path

BIN = Path(__file__).resolve().parent.parent / "tools" / "azurite" / "node_modules" / ".bin" / "azurite-blob"
# Azurite's one well-known development account (documented by Microsoft; not a secret)
ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connection_string(port: int) -> str:
    return (f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={KEY};"
            f"BlobEndpoint=http://127.0.0.1:{port}/{ACCOUNT};")


@contextlib.contextmanager
def azurite(location: Path):
    """Run Azurite's blob service; yield its connection string."""
    assert BIN.exists(), f"{BIN} is missing: run `make azurite` (npm ci in tools/azurite)"
    port = free_port()
    process = subprocess.Popen(
        [str(BIN), "--blobHost", "127.0.0.1", "--blobPort", str(port), "--location", str(location),
         "--silent", "--skipApiVersionCheck", "--disableProductStyleUrl"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            if process.poll() is not None:
                raise RuntimeError(f"Azurite stopped: {process.stderr.read().decode(errors='replace')}")
            if time.monotonic() > deadline:
                raise RuntimeError("Azurite did not start within 30 seconds")
            time.sleep(0.1)
        yield connection_string(port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
