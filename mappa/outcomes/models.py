"""Outcome events on the register: what happened to a person while managed.

The annual report counts these over a year (T4-T10 for England and Wales, the
Jersey indicators). Each event belongs to the nominal and the case open on its
date; the level and category it is counted under come from the case's dated
history (CaseState) on ``occurred_on``, never from a copy stored here.
"""

from django.conf import settings
from django.db import models

from mappa.common.models import CaseDataModel
from mappa.register.models import Case, Nominal


class OutcomeKind(models.TextChoices):
    # T4: registered sexual offenders cautioned or convicted for breach of notification.
    NOTIFICATION_BREACH_CAUTION = (
        "notification_breach_caution",
        "Cautioned for breach of notification requirements",
    )
    NOTIFICATION_BREACH_CONVICTION = (
        "notification_breach_conviction",
        "Convicted for breach of notification requirements",
    )
    # T8: returned to custody.
    CUSTODY_BREACH_OF_LICENCE = (
        "custody_breach_of_licence",
        "Returned to custody: breach of licence",
    )
    CUSTODY_BREACH_OF_ORDER = "custody_breach_of_order", "Returned to custody: breach of an order"
    CUSTODY_FURTHER_OFFENCE = "custody_further_offence", "Returned to custody: further offence"
    # T9.
    SERIOUS_FURTHER_OFFENCE_CHARGE = (
        "serious_further_offence_charge",
        "Charged with a serious further offence",
    )
    # T5 (imposed), and revoked orders; ``order_type`` says which order.
    ORDER_IMPOSED = "order_imposed", "Order imposed"
    ORDER_REVOKED = "order_revoked", "Order revoked"
    # T6: made subject to notification after breach of a sexual risk order.
    NOTIFICATION_AFTER_SRO_BREACH = (
        "notification_after_sro_breach",
        "Made subject to notification after breach of a sexual risk order",
    )
    # T7.
    LIFETIME_NOTIFICATION_REVOKED = (
        "lifetime_notification_revoked",
        "Lifetime notification requirements revoked on application",
    )
    # Jersey: registered sexual offenders eligible for deregistration.
    DEREGISTRATION_ELIGIBLE = "deregistration_eligible", "Eligible for deregistration"
    # T10.
    SERIOUS_CASE_REVIEW = "serious_case_review", "MAPPA serious case review commissioned"


ORDER_KINDS = (OutcomeKind.ORDER_IMPOSED, OutcomeKind.ORDER_REVOKED)

# What may happen once management has ended, so may be recorded on a date no case was
# open (the event's case is then empty): lifetime notification is revoked on an
# application often made after the person left MAPPA (T7), an order can be revoked
# years after the case closed, and a serious case review is commissioned after the
# offence, when the case has often closed (T10). Every other kind happens while the
# person is managed and is refused on a date no case was open.
AFTER_MANAGEMENT_KINDS = (
    OutcomeKind.LIFETIME_NOTIFICATION_REVOKED,
    OutcomeKind.ORDER_REVOKED,
    OutcomeKind.SERIOUS_CASE_REVIEW,
)


class OrderType(models.TextChoices):
    SHPO = "shpo", "Sexual harm prevention order"
    SOPO = "sopo", "Sexual offences prevention order"
    SEXUAL_RISK_ORDER = "sexual_risk_order", "Sexual risk order"
    NOTIFICATION_ORDER = "notification_order", "Notification order"
    FOREIGN_TRAVEL_ORDER = "foreign_travel_order", "Foreign travel order"
    VIOLENT_OFFENDER_ORDER = "violent_offender_order", "Violent offender order"
    RESTRAINING_ORDER = "restraining_order", "Restraining order"


# T5 counts sexual harm prevention orders with foreign-travel restrictions; a sexual
# offences prevention order (the SHPO's predecessor) could carry them too.
FOREIGN_TRAVEL_ORDER_TYPES = (OrderType.SHPO, OrderType.SOPO)


class OutcomeEvent(CaseDataModel):
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="outcome_events")
    # The case open on ``occurred_on`` (null only when the person had none open then).
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="outcome_events"
    )
    kind = models.CharField(max_length=40, choices=OutcomeKind.choices)
    occurred_on = models.DateField("Date")
    # Only for ORDER_IMPOSED and ORDER_REVOKED (required there, empty otherwise).
    order_type = models.CharField(max_length=30, choices=OrderType.choices, blank=True)
    # T5 counts SHPOs with foreign-travel restrictions separately.
    foreign_travel_restrictions = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["kind", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%d/%m/%Y}"
