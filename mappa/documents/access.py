"""Who may download a document; mappa.access.policy delegates here.

Issue 7, point 2: only users allowed to see the record can download the document made
from it. So a download is allowed exactly when the policy allows viewing the record:
a referral (MAPPA A) by ``REFERRAL_VIEW``, minutes (MAPPA B) by ``MINUTES_VIEW``, a
level 1 review by ``NOMINAL_VIEW`` on its case's person, an executive summary version
by ``SUMMARY_VIEW``. Anything else is refused (fails closed).
"""

from typing import Any

from mappa.access.policy import Action, Decision, decide

NOT_A_DOCUMENT = Decision(False, "No document is made from this record.")


def _label(target: Any) -> str:
    meta = getattr(target, "_meta", None)
    return meta.label_lower if meta is not None else ""


def can_download(user: Any, target: Any) -> Decision:
    label = _label(target)
    if label == "referrals.referral":
        return decide(user, Action.REFERRAL_VIEW, target)
    if label == "minutes.minutes":
        return decide(user, Action.MINUTES_VIEW, target)
    if label == "minutes.level1review":
        return decide(user, Action.NOMINAL_VIEW, target.case.nominal)
    if label == "disclosure.executivesummaryversion":
        return decide(user, Action.SUMMARY_VIEW, target)
    return NOT_A_DOCUMENT
