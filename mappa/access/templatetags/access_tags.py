"""Ask the access policy from a template: show a link only where the action is allowed.

    {% load access_tags %}
    {% may "emergency.queue" as can_review %}
    {% if can_review %}<a href="{% url 'access:emergency_queue' %}">Emergency access</a>{% endif %}

A hidden link is a courtesy; the view behind it asks the gate again.
"""

from typing import Any

from django import template

from mappa.access.policy import decide

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context: template.Context, action: str, obj: Any = None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return bool(decide(user, action, obj))
