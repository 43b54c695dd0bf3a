"""The history rows that every workflow writes through `governance.workflows.transition`."""

from django.db import models
from django.utils import timezone

from governance.models.people import User


class TransitionRecord(models.Model):
    """A history row of a workflow: who moved the subject, from what, to what, why and when.

    Each workflow has its own table (a subclass naming its subject), written only by
    `governance.workflows.transition` through `record`.
    """

    subject_field: str = ""

    action = models.CharField(max_length=30)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        subject_id = getattr(self, f"{self.subject_field}_id")
        return f"{subject_id}: {self.from_state} → {self.to_state}"

    @classmethod
    def record(cls, *, instance, action, from_state, to_state, actor, comment, at) -> None:
        cls.objects.create(
            **{cls.subject_field: instance},
            action=action,
            from_state=from_state,
            to_state=to_state,
            actor=actor,
            comment=comment,
            created_at=at,
        )
