"""The Strategic Management Board (J 15): seats, who holds them, quarterly meetings.

A seat is a place on the board for an agency at a minimum grade (J 15.2); the KPI
``smb_attendance`` (J 16.2 (4)) is counted per seat, so a change of holder keeps the
seat's record. Attendance by a named deputy of the minimum grade counts as attended.
"""

import uuid

from django.conf import settings
from django.db import models

from mappa.access.models import Agency


class SmbSeat(models.Model):
    """A place on the board. ``created_on`` and ``ended_on`` are both days the seat
    existed: a meeting held on either day counts for it."""

    title = models.CharField("Seat", max_length=200)  # "Chief Officer, States of Jersey Police"
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    minimum_grade = models.CharField("Minimum grade", max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    # A seat created part-way through a period counts only the meetings from then on.
    created_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title


class SmbMembership(models.Model):
    """Who holds a seat, from when to when (the holder may or may not have an account).

    ``ended_on`` is the holder's last day; a seat's holders never overlap."""

    seat = models.ForeignKey(SmbSeat, on_delete=models.CASCADE, related_name="holders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200)
    grade = models.CharField(max_length=200, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]


class SmbMeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class SmbMeeting(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    date = models.DateField()
    venue = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=SmbMeetingStatus.choices, default=SmbMeetingStatus.PLANNED
    )
    # J 15: the chair rotates between the seats; recorded per meeting.
    chair_seat = models.ForeignKey(
        SmbSeat, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chair_name = models.CharField(max_length=200, blank=True)
    minutes = models.TextField("Short minutes", blank=True)
    # Why a planned meeting did not take place (added by the SMB work).
    cancel_reason = models.TextField("Why the meeting was cancelled", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"SMB meeting {self.date:%d/%m/%Y}"


class SmbAttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    DEPUTY = "deputy", "A deputy attended"
    APOLOGIES = "apologies", "Sent apologies"
    ABSENT = "absent", "Absent"


# What counts towards smb_attendance (J 16.2 (4)).
SMB_COUNTS_AS_ATTENDED = (SmbAttendanceStatus.ATTENDED, SmbAttendanceStatus.DEPUTY)


class SmbAttendance(models.Model):
    meeting = models.ForeignKey(SmbMeeting, on_delete=models.CASCADE, related_name="attendance")
    seat = models.ForeignKey(SmbSeat, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=20, choices=SmbAttendanceStatus.choices)
    attendee_name = models.CharField("Name of the person attending", max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="one_attendance_per_seat")
        ]
        indexes = [models.Index(fields=["seat", "status"])]

    def __str__(self) -> str:
        return f"{self.seat} at {self.meeting}: {self.get_status_display()}"
