"""Reading a PDF nobody here issued, in a child process with hard limits.

The public check page reads files anyone can upload. A file of a few megabytes can cost
a PDF library minutes (form XObjects that draw each other: hundreds of megabytes of text
operators for a text extractor) or tens of thousands of warnings (dictionaries nested and
repeated). A file the product issued is recognised by its SHA-256 without being parsed;
what the check page still wants from any other file, the verification codes it claims (in
its metadata, which survives a re-save by another program, or in the footer of its first
page), is read here: by this module run as a separate Python, with ``CPU_SECONDS`` of
processor time, ``MEMORY_BYTES`` of address space, no files, no core dump, the library's
warnings discarded, and killed after ``WALL_SECONDS`` whatever it is doing. The worst a
file can do is cost one core about a second; the page then says what it says of any file
that is not a board's document.

Run as a script (``python -I probe.py``) it reads the PDF on its standard input and
prints each code it finds on a line of its own, as soon as it finds it. It imports only
the standard library and pypdf: no Django, no settings, no database connection, and it is
given no environment (no secrets).
"""

import io
import logging
import re
import resource
import subprocess
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

CPU_SECONDS = 1
WALL_SECONDS = 1.0
MEMORY_BYTES = 512 * 1024 * 1024
MAX_CODES = 20  # what a file may claim: more is not a document of ours either
CODE = re.compile(r"IIA-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


@dataclass
class Probe:
    """What the child found: the codes the file claims, and whether it was stopped at a
    limit ("" when it finished; "timeout", "cpu" or another ending otherwise)."""

    codes: list[str] = field(default_factory=list)
    stopped: str = ""


def claimed_codes(data: bytes) -> Probe:
    """The verification codes ``data`` claims in its metadata or on its first page, read
    in a child process within the limits above."""
    try:
        done = subprocess.run(
            [sys.executable, "-I", str(Path(__file__))], input=data, capture_output=True, env={},
            timeout=WALL_SECONDS, check=False,
        )
    except subprocess.TimeoutExpired as expired:
        return Probe(_codes(expired.stdout or b""), "timeout")
    except OSError as error:  # no process could be started: the file is read no further
        return Probe([], f"not started ({error.strerror})")
    stopped = "" if done.returncode == 0 else ("cpu" if done.returncode in (-24, -9) else f"exit {done.returncode}")
    return Probe(_codes(done.stdout), stopped)


def _codes(output: bytes) -> list[str]:
    """The child's lines that are codes (its output is checked like any input)."""
    lines = output.decode("ascii", "replace").splitlines()
    return list(dict.fromkeys(line for line in lines if CODE.fullmatch(line)))[:MAX_CODES]


# --- the child ------------------------------------------------------------------------------


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))  # SIGXCPU, then SIGKILL
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def _read(data: bytes) -> None:
    logging.disable(logging.CRITICAL)  # pypdf reports each oddity of a hostile file
    warnings.simplefilter("ignore")
    found = set()

    def tell(text: str) -> None:
        for code in CODE.findall(text):
            if code not in found and len(found) < MAX_CODES:
                found.add(code)
                sys.stdout.write(code + "\n")
                sys.stdout.flush()  # kept even if the next step is stopped

    reader = PdfReader(io.BytesIO(data), strict=False)
    try:
        for value in (reader.metadata or {}).values():
            tell(str(value))
    except Exception:  # a damaged dictionary: the page may still say
        pass
    if not found:  # a copy saved by a program that drops the metadata: the footer says
        tell(reader.pages[0].extract_text() or "")


def main() -> int:
    _limit()
    data = sys.stdin.buffer.read()
    try:
        _read(data)
    except Exception:  # not a PDF pypdf can read: no codes
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
