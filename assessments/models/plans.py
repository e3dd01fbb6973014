"""A board's strategic plan: its priorities and the actions under each."""

from django.db import models

from .boards import Board


class StrategicPlan(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    vision = models.TextField(blank=True)

    class Meta:
        ordering = ["board", "-period_start"]

    def __str__(self) -> str:
        return self.title


class PlanPriority(models.Model):
    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    ambition = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="priority_number_unique_per_plan")]
        verbose_name_plural = "plan priorities"

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class PlanAction(models.Model):
    priority = models.ForeignKey(PlanPriority, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["priority", "number"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "number"], name="action_number_unique_per_priority")
        ]

    @property
    def code(self) -> str:
        return f"{self.priority.number}.{self.number}"

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"
