import io

from pypdf import PdfReader

from tests import factories as f


def signed_off(cast, overrides=None, justifications=None):
    """A plan change taken to sign-off through the flow (run inside ``run_on_commit``)."""
    plan_change = f.screen(cast, f.start(cast))
    f.complete_parts(cast, plan_change, overrides)
    f.complete_actions(cast, plan_change, justifications=justifications)
    f.submit(cast, plan_change)
    f.approve(cast, plan_change)
    return f.sign_off(cast, plan_change)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))
