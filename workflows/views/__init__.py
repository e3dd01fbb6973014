from .tasks import (
    ActionsTaskView,
    PartTaskView,
    ReviewTaskView,
    ScreeningReviewTaskView,
    ScreeningTaskView,
    SubmitTaskView,
)

__all__ = [
    "ActionsTaskView",
    "PartTaskView",
    "ReviewTaskView",
    "ScreeningReviewTaskView",
    "ScreeningTaskView",
    "SubmitTaskView",
]
