"""The words of the annual report, one dictionary per jurisdiction profile.

The layouts follow ``../shared/design/annual-report.md``: England and Wales publish
tables T1-T10 (Ministry of Justice MAPPA annual report statistics, 1 April to
31 March); Jersey reports indicators to the Minister (J 15.5, calendar year). The
layout was pieced together from the bulletins, so every title and row label lives
here and a profile may override any of them with an ``annual_report.labels``
mapping of the same shape (``mappa.annual.report.labels_for``).

Placeholders in titles: ``{snapshot}`` (the snapshot date), ``{start}``, ``{end}``
(the reporting period) and ``{year}`` (the reporting year as the report names it).
"""

from __future__ import annotations

from typing import Any

# Shared wording, used by both layouts unless a layout says otherwise.
COMMON: dict[str, Any] = {
    "report_title": "Annual report statistics",
    "levels": {
        "1": "Level 1",
        "2": "Level 2",
        "3": "Level 3",
    },
    "total": "Total",
    "pdp_column": "Potentially dangerous persons (not in the total)",
    "tables": {
        "snapshot": {
            "title": "People managed on {snapshot}, by level and category",
            "row_heading": "Level of management",
            "notes": [
                "A snapshot: each person with a case open on the date is counted once, "
                "under the category and level in force that day.",
                "A case closed on the snapshot date is not counted: the closing date is "
                "the first day the person is no longer managed.",
                "Potentially dangerous persons are counted separately.",
            ],
        },
        "pdp": {
            "title": "Potentially dangerous persons managed on {snapshot}, by level",
            "row_heading": "Level of management",
            "column": "Potentially dangerous persons",
            "notes": ["A snapshot, counted as the table above but not included in it."],
        },
        "managed": {
            "title": "People managed at level 2 or 3 during the year, by category",
            "row_heading": "Highest level during the year",
            "notes": [
                "Each person managed at level 2 or 3 at any time from {start} to {end} is "
                "counted once: at the highest level they reached in the year, under the "
                "category they had when last managed at that level.",
            ],
        },
        "rate": {
            "title": "Registered sexual offenders per 100,000 of the population on {snapshot}",
            "row_heading": "Measure",
            "column": "Figure",
            "rows": {
                "registered": "Registered sexual offenders (category 1) on {snapshot}",
                "population": "Population of the area",
                "rate": "Registered sexual offenders per 100,000 of the population",
            },
            "unavailable": "Not available: set the area's population",
            "notes": [],
        },
        "notification_breaches": {
            "title": "Registered sexual offenders cautioned or convicted for breach of "
            "notification requirements",
            "row_heading": "Outcome",
            "column": "People",
            "rows": {
                "caution": "Cautioned",
                "conviction": "Convicted",
                "total": "Cautioned or convicted (each person once)",
            },
            "notes": [
                "People in category 1 on the date of the caution or conviction, from "
                "{start} to {end}. A person cautioned and convicted in the year is counted "
                "once in the total.",
            ],
        },
        "orders": {
            "title": "Restrictive orders imposed on category 1 offenders",
            "row_heading": "Order",
            "column": "People",
            "rows": {
                "shpo": "Sexual harm prevention orders (including sexual offences "
                "prevention orders)",
                "shpo_travel": "of which with foreign travel restrictions",
                "notification_order": "Notification orders",
                "foreign_travel_order": "Foreign travel orders",
            },
            "notes": [
                "People in category 1 on the date the order was imposed, from {start} to "
                "{end}; a person given two orders of the same kind is counted once.",
            ],
        },
        "sro_notification": {
            "title": "People made subject to notification requirements after breach of a "
            "sexual risk order",
            "row_heading": "Outcome",
            "column": "People",
            "rows": {"total": "Made subject to notification requirements"},
            "notes": ["From {start} to {end}."],
        },
        "lifetime_revoked": {
            "title": "Lifetime notification requirements revoked on application",
            "row_heading": "Outcome",
            "column": "People",
            "rows": {"total": "Lifetime notification requirements revoked"},
            "notes": ["From {start} to {end}."],
        },
        "custody": {
            "title": "Level 2 and 3 offenders returned to custody",
            "row_heading": "Reason",
            "rows": {
                "licence": "For breach of licence",
                "order": "For breach of an order",
                "total": "Total (each person once)",
            },
            "notes": [
                "Counted under the level in force on the date of return to custody, from "
                "{start} to {end}. A person returned to custody twice is counted once, "
                "under the level at the later return.",
            ],
        },
        "sfo": {
            "title": "Level 2 and 3 offenders charged with a serious further offence",
            "row_heading": "Level on the date charged",
            "notes": [
                "Counted under the level and category in force on the date of the charge, "
                "from {start} to {end}; each person once.",
            ],
        },
        "scr": {
            "title": "MAPPA serious case reviews commissioned",
            "row_heading": "Reviews",
            "column": "People",
            "rows": {"total": "Serious case reviews commissioned"},
            "notes": ["From {start} to {end}, counted by the person the review is about."],
        },
        "referrals": {
            "title": "Referrals",
            "row_heading": "Referrals",
            "column": "Referrals",
            "rows": {
                "received": "Received by the co-ordinator",
                "accepted": "Accepted",
                "declined": "Declined",
            },
            "notes": [
                "A referral is received when it reaches the co-ordinator (after the line "
                "manager's endorsement); accepted and declined count the decisions made "
                "from {start} to {end}, whenever the referral was received.",
            ],
        },
        "meetings": {
            "title": "Level 2 and 3 meetings held",
            "row_heading": "Meetings",
            "columns": ["Meetings held", "Case discussions"],
            "rows": {"2": "Level 2", "3": "Level 3", "total": "Total"},
            "notes": [
                "Meetings from {start} to {end}, not cancelled, at which at least one case "
                "was discussed; case discussions count each case discussed at each meeting.",
            ],
        },
        "deregistration": {
            "title": "Registered sexual offenders eligible for deregistration",
            "row_heading": "Outcome",
            "column": "People",
            "rows": {"total": "Found eligible for deregistration"},
            "notes": ["From {start} to {end}."],
        },
        "breaches": {
            "title": "Breaches, reconvictions and returns to custody",
            "row_heading": "Outcome",
            "rows": {
                "notification_breach": "Breach of notification requirements (caution or "
                "conviction)",
                "licence": "Returned to custody for breach of licence",
                "order": "Returned to custody for breach of an order (including "
                "restraining orders)",
                "further_offence": "Returned to custody for a further offence",
            },
            "notes": [
                "People managed on the date of the event, counted under the level in force "
                "that day, from {start} to {end}; each person once in each row.",
            ],
        },
        "orders_all": {
            "title": "Orders imposed and revoked",
            "row_heading": "Order",
            "columns": ["Imposed", "Revoked"],
            "notes": ["People, from {start} to {end}; each person once in each cell."],
        },
    },
}

LABELS: dict[str, dict[str, Any]] = {
    "england-wales-2012": {
        "report_title": "MAPPA annual report statistics",
        "categories": {
            "1": "Category 1: registered sexual offenders",
            "2": "Category 2: violent offenders",
            "3": "Category 3: other dangerous offenders",
        },
        "tables": {
            "snapshot": {
                "id": "T1",
                "title": "MAPPA-eligible offenders on {snapshot}, by level and category",
            },
            "pdp": {"id": "PDP"},
            "managed": {
                "id": "T2",
                "title": "MAPPA-eligible offenders managed at level 2 or 3 during the year",
            },
            "rate": {
                "id": "T3",
                "notes": [
                    "Enter the population aged 10 and over in the area settings: the "
                    "published figure is per 100,000 of that population.",
                ],
            },
            "notification_breaches": {"id": "T4"},
            "orders": {"id": "T5"},
            "sro_notification": {"id": "T6"},
            "lifetime_revoked": {"id": "T7"},
            "custody": {"id": "T8"},
            "sfo": {"id": "T9"},
            "scr": {"id": "T10"},
            "referrals": {"id": "R1", "title": "Referrals (local figures, not a published table)"},
            "meetings": {
                "id": "M1",
                "title": "Level 2 and 3 meetings held (local figures, not a published table)",
            },
        },
        "layout": [
            "snapshot",
            "pdp",
            "managed",
            "rate",
            "notification_breaches",
            "orders",
            "sro_notification",
            "lifetime_revoked",
            "custody",
            "sfo",
            "scr",
            "referrals",
            "meetings",
        ],
        # T8 and T9 count level 2 and 3 offenders only.
        "event_levels": [2, 3],
    },
    "jersey-2010": {
        "report_title": "JMAPPA annual report statistics",
        "categories": {
            "1": "Category 1: registered sexual offenders",
            "2": "Category 2: violent and other sexual offenders",
            "3": "Category 3: other dangerous offenders",
        },
        "tables": {
            "snapshot": {"id": "1", "title": "Active cases on {snapshot}, by category and level"},
            "pdp": {"id": "2"},
            "referrals": {"id": "3", "title": "Referrals in the year"},
            "managed": {
                "id": "4",
                "title": "Cases managed at level 2 or 3 during the year, by category",
            },
            "meetings": {"id": "5", "title": "JMAPP meetings held (levels 2 and 3)"},
            "rate": {"id": "6"},
            "deregistration": {"id": "7"},
            "breaches": {"id": "8"},
            "sfo": {
                "id": "9",
                "title": "Serious further offences: people charged",
                "row_heading": "Level on the date charged",
            },
            "orders_all": {"id": "10"},
            "scr": {"id": "11"},
        },
        "layout": [
            "snapshot",
            "pdp",
            "referrals",
            "managed",
            "meetings",
            "rate",
            "deregistration",
            "breaches",
            "sfo",
            "orders_all",
            "scr",
        ],
        # Jersey counts serious further offences at every level of management.
        "event_levels": [1, 2, 3],
    },
}


def merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` laid over ``base``, mapping by mapping (lists are replaced)."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out
