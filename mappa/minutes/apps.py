from django.apps import AppConfig


class MinutesConfig(AppConfig):
    name = "mappa.minutes"
    label = "minutes"
    verbose_name = "Minutes and actions"

    def ready(self) -> None:
        # decisions.md: the overall risk level is the one agreed at the latest meeting,
        # else the lead agency's latest assessment; the minutes supply the former.
        from mappa.assessments.risk import register_meeting_risk_source
        from mappa.minutes.selectors import latest_meeting_view

        register_meeting_risk_source(latest_meeting_view)
