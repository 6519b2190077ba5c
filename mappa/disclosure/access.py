"""Who may see and handle requests for minutes and executive summaries.

mappa.access.policy delegates here. Placeholder until the disclosure app lands:
refuses everyone (fails closed).
"""

from typing import Any

from mappa.access.policy import Decision

NOT_YET = Decision(False, "Not available yet.")


def can_list_requests(user: Any) -> Decision:
    return NOT_YET


def can_record_request(user: Any, target: Any) -> Decision:
    return NOT_YET


def can_view_request(user: Any, target: Any) -> Decision:
    return NOT_YET


def can_manage_request(user: Any, target: Any) -> Decision:
    return NOT_YET


def can_view_summary(user: Any, target: Any) -> Decision:
    return NOT_YET


def can_write_summary(user: Any, target: Any) -> Decision:
    return NOT_YET
