"""Rules of the register that the model enforces, each naming its field (J 3.7-3.10)."""

import datetime as dt

from django.core.exceptions import ValidationError

from mappa.register.models import Category, Level


def check_case_rules(
    *,
    category: str,
    level: int,
    pdp_behaviour: str,
    notification_end_date: dt.date | None,
    notification_indefinite: bool,
    has_index_conviction: bool,
) -> None:
    errors: dict[str, list[str]] = {}
    if category not in Category.values:
        errors["category"] = ["Select the category"]
    if level not in Level.values:
        errors["level"] = ["Select the level of management"]
    if category == Category.CATEGORY_3 and level == Level.LEVEL_1:
        # J 3.9: category 3 only while managed at level 2 or 3.
        errors["level"] = ["A category 3 offender must be managed at level 2 or 3"]
    if category == Category.PDP:
        # J 3.10: no qualifying conviction; the behaviour giving grounds is recorded.
        if not (pdp_behaviour or "").strip():
            errors["pdp_behaviour"] = [
                "Describe the behaviour that gives reasonable grounds for believing "
                "the person is likely to cause serious harm"
            ]
        if has_index_conviction:
            errors["category"] = [
                "A potentially dangerous person has no qualifying conviction: "
                "this person has an index offence, so choose category 1, 2 or 3"
            ]
    if category == Category.CATEGORY_1:
        if notification_end_date is None and not notification_indefinite:
            errors["notification_end_date"] = [
                "Enter the notification end date, or say that notification is indefinite"
            ]
        elif notification_end_date is not None and notification_indefinite:
            errors["notification_end_date"] = [
                "Enter a notification end date or say it is indefinite, not both"
            ]
    if errors:
        raise ValidationError(errors)


def check_not_future(value: dt.date | None, field: str, label: str, today: dt.date) -> None:
    if value is not None and value > today:
        raise ValidationError({field: [f"{label} must be today or in the past"]})


def check_date_of_birth(value: dt.date, today: dt.date) -> None:
    if value > today:
        raise ValidationError({"date_of_birth": ["Date of birth must be in the past"]})
    if value.year < today.year - 120:
        raise ValidationError(
            {"date_of_birth": [f"Date of birth must be after {today.year - 120}"]}
        )


def deletion_review_date(date_of_birth: dt.date) -> dt.date:
    """The 100th anniversary of birth (J 13.3).

    Someone born on 29 February reaches the anniversary on 1 March in a year
    without one, as UK law counts a leapling's birthday.
    """
    year = date_of_birth.year + 100
    try:
        return date_of_birth.replace(year=year)
    except ValueError:
        return dt.date(year, 3, 1)
