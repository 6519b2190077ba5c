"""The examples the MAPPA A notes offer, shown as choices beside free text."""

RESTRICTIVE = [
    ("approved_premises", "Restrictions on residence, for example residing at approved premises"),
    ("licence_conditions", "Restrictive licence conditions"),
    ("restrictive_orders", "Restrictive orders"),
    ("home_visits", "Home visits by police and probation"),
    ("associations", "Restrictions on associations, activities and movements"),
    ("surveillance", "Police surveillance and electronic monitoring"),
    ("reporting", "Enforcement of non-compliance with reporting instructions"),
    ("disclosure", "Disclosure of information to third parties"),
    ("contingency", "Contingency plans and rapid response arrangements"),
]
REHABILITATIVE = [
    ("cognitive_behavioural", "Cognitive-behavioural programmes"),
    ("self_risk_management", "Interventions promoting self-risk management"),
    ("office_supervision", "Office-based supervision"),
    ("diversion", "Suitable diversion activities, for example employment"),
    ("intensive_supervision", "Intensive supervision with sanctions and enforcement"),
    ("circles", "Supportive approaches such as Circles of Support and Accountability"),
]
PROTECTIVE = [
    ("avoidance", "Avoidance of activities or environments that could lead to offending"),
    ("commitment", "Active commitment to change"),
    ("prosocial_network", "A pro-social network giving practical and emotional support"),
    ("stable_relationships", "Stable and intimate relationships with adults"),
    ("diverting_activities", "Employment, voluntary work or other diverting activities"),
    ("consequences", "Understanding the consequences of behaviour"),
]
REASONS = [
    ("behaviour", "Behaviour and attitudes"),
    ("pattern", "Previous offences and patterns of offending"),
    ("agency_information", "Information gathered from other agencies"),
    ("cooperation", "The person's pattern of co-operation"),
    ("gang", "Gang involvement"),
    ("terrorism", "Involvement in terrorism"),
    ("psychiatric", "Relevant psychiatric history"),
    ("personality_disorder", "Diagnosed personality disorder"),
    ("reconviction_tool", "What the risk of reconviction tool indicates"),
]


def labels(choices: list[tuple[str, str]], values: list[str]) -> list[str]:
    lookup = dict(choices)
    return [lookup[v] for v in values if v in lookup]
