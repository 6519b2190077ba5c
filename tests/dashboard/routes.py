"""This app's rows of the access coverage tables (tests/access/test_coverage.py).

ROUTES: URL name -> the policy actions its view asks (or PUBLIC / SIGNED_IN).

"""

from typing import Any

from mappa.access.policy import Action

ROUTES: dict[str, Any] = {
    "dashboard:index": (Action.FIGURES_VIEW,),
    "dashboard:kpi": (Action.FIGURES_VIEW,),
    "dashboard:population": (Action.FIGURES_VIEW,),
    "dashboard:due": (Action.FIGURES_VIEW,),
    "dashboard:export_pdf": (Action.FIGURES_EXPORT,),
    "dashboard:export_xlsx": (Action.FIGURES_EXPORT,),
    "dashboard:smb_pack": (Action.FIGURES_EXPORT,),
    "dashboard:smb_pack_download": (Action.FIGURES_EXPORT,),
}
