"""The OpenAPI schema and its documentation: public, offline, free of case data."""

import re

import pytest
from django.core.management import call_command

from tests.api.helpers import sign_in, url
from tests.conftest import Personas
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db


def test_schema_answers_without_sign_in(client) -> None:
    response = client.get(url("schema"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert response["Cache-Control"] == "no-store"
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/nominals/" in schema["paths"]


def test_schema_and_docs_hold_no_case_data(client, personas: Personas) -> None:
    person = make_nominal(
        personas.coordinator,
        family_name="Quillfeather",
        given_names="Zebedee",
        lead_agency=personas.probation,
        identifiers=[("pnc", "2012/0000001H", "")],
    )
    sign_in(client, personas.coordinator)
    for address in (url("schema"), url("docs"), url("docs", query="script=")):
        body = client.get(address).content.decode()
        for secret in ("Quillfeather", "Zebedee", "0000001H", person.reference, str(person.pk)):
            assert secret not in body, (address, secret)


def test_every_operation_has_request_and_response_schemas(client) -> None:
    schema = client.get(url("schema")).json()
    operations = [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "patch", "delete"}
    ]
    assert len(operations) == 62
    for method, path, operation in operations:
        schemes = {name for requirement in operation["security"] for name in requirement}
        assert "sessionCookie" in schemes, (method, path)
        assert {} not in operation["security"], "no operation is open without sign-in"
        for code in ("401", "403"):
            assert code in operation["responses"], (method, path, code)
        if method in {"post", "patch"}:
            assert "requestBody" in operation, (method, path)
            assert "400" in operation["responses"], (method, path)


def test_schema_generates_without_warnings(tmp_path) -> None:
    # --fail-on-warn raises on any warning drf-spectacular emits while generating.
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_docs_answer_without_sign_in_and_use_only_local_script(client) -> None:
    response = client.get(url("docs"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    assert len(scripts) == 3
    for attributes, body in scripts:
        assert body.strip() == "", "no inline script"
        source = re.search(r'src="([^"]+)"', attributes)
        assert source and source.group(1).startswith("/"), attributes
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<style" not in page and " style=" not in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "nothing from the network"


def test_docs_start_up_script_is_served_from_here(client) -> None:
    response = client.get(url("docs", query="script="))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert '"/api/v1/openapi.json"' in response.content.decode()
