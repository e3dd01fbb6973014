from .tasks import (
    ActionsTaskView,
    PartTaskView,
    ReviewTaskView,
    ScreeningReviewTaskView,
    ScreeningTaskView,
    SignOffTaskView,
    SubmitTaskView,
)

__all__ = [
    "ActionsTaskView",
    "PartTaskView",
    "ReviewTaskView",
    "ScreeningReviewTaskView",
    "ScreeningTaskView",
    "SignOffTaskView",
    "SubmitTaskView",
]
