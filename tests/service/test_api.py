"""The HTTP API: contract, every bad input as problem+json, service healthy afterwards."""

from __future__ import annotations

import io
import json
import logging

import pytest

from tests.conftest import DATA, SEED, make_pdf

PROBLEM = "application/problem+json"


def assert_problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["type"] == f"http://testserver/problems/{kind}" and body["status"] == status and body["detail"]
    assert body["title_sv"] and body["detail_sv"] and body["request_id"] == response.headers["x-request-id"]
    return body


def test_analyse_text(client):
    response = client.post("/v1/analyses", json={"text": SEED.read_text(encoding="utf-8"), "include_text": True})
    assert response.status_code == 200
    body = response.json()
    top = {a["framework"]: a["item"] for a in body["alignments"] if a["rank"] == 1}
    assert top["orebro-rus-2022-2030"] == "naringsliv-och-entreprenorskap"
    assert body["document"]["text"].startswith("Medfinansiering")
    assert response.headers["x-request-id"]


def test_analyse_fields(client):
    response = client.post("/v1/analyses", json={"title": "Exportlyft", "fields": {
        "Syfte": "Att fler små företag i länet ska börja exportera.",
        "Hur beaktas barnrättsperspektivet?": "Projektet berör inte barn."}})
    body = response.json()
    assert response.status_code == 200
    assert [s["id"] for s in body["document"]["sections"]] == ["titel", "syfte", "perspektiv"]
    assert next(p for p in body["perspectives"] if p["id"] == "barn")["status"] == "thin"


def test_analyse_file_upload(client):
    pdf = make_pdf(
        [("Syfte", "Helvetica-Bold", 14), ("Syftet är att fler små företag i länet ska exportera.", "Helvetica", 10)]
    )
    response = client.post("/v1/analyses/file", files={"file": ("ansokan.pdf", pdf, "application/pdf")},
                           data={"region": "orebro"})
    assert response.status_code == 200, response.text
    assert response.json()["document"]["source"] == "ansokan.pdf"


def test_batch_keeps_order_and_isolates_errors(client):
    response = client.post("/v1/analyses/batch", json={"items": [
        {"text": "Syftet är att fler unga ska välja en utbildning inom tech i Örebro län."},
        {"text": "   "},
        {"fields": {"Hur beaktas jämställdhet?": "Kursen är öppen för alla oavsett kön."}}]})
    assert response.status_code == 207  # Multi-Status: the items differ in outcome
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["ok", "error", "ok"]
    assert results[1]["error"]["type"] == "http://testserver/problems/empty-document"


def test_policies(client):
    body = client.get("/v1/policies").json()
    assert body["default_region"] == "orebro" and "+" in body["corpus"]
    assert {f["id"] for f in body["frameworks"]} >= {"orebro-rus-2022-2030", "orebro-anslag-1-1"}
    one = client.get("/v1/policies/orebro-anslag-1-1").json()
    assert one["allows_none"] is True and len(one["items"]) == 3
    assert_problem(client.get("/v1/policies/no-such-framework"), 404, "unknown-item")


def test_health_ready_metrics(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["models"]["embedder"].startswith("static-sv")
    client.post("/v1/analyses", json={"text": "Vi söker 70 procent av projektets kostnader från Region Örebro län."})
    metrics = client.get("/metrics").text
    assert 'policyalign_http_requests_total{method="POST",route="/v1/analyses",status="200"}' in metrics
    assert "policyalign_http_request_duration_seconds_bucket" in metrics
    assert 'policyalign_analyses_total{status="ok"}' in metrics
    assert 'policyalign_findings_total{rule="share-above-limit"}' in metrics


@pytest.mark.parametrize(
    ("kwargs", "status", "kind"),
    [
        ({"content": b"", "headers": {"content-type": "application/json"}}, 422, "validation-error"),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422, "validation-error"),
        ({"json": {"text": 42}}, 422, "validation-error"),
        ({"json": {"text": "a", "fields": {"a": "b"}}}, 422, "validation-error"),
        ({"json": {"text": "Projektet stärker små företag i länet.", "region": "gotland"}}, 422, "unknown-region"),
        (
            {
                "json": {
                    "text": "The project will strengthen small companies in the county through advice and training."
                }
            },
            422,
            "language-not-supported",
        ),
        ({"json": {"text": "Ett ord. " * 60_000}}, 413, "document-too-large"),
        (
            {"content": b'{"text": "Hej \xff\xfe v\xe4rlden"}', "headers": {"content-type": "application/json"}},
            400,
            "bad-request",
        ),
    ],
)
def test_bad_json_requests(client, kwargs, status, kind):
    assert_problem(client.post("/v1/analyses", **kwargs), status, kind)
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(("name", "content", "status", "kind"), [
    ("bild.png", b"\x89PNG....", 415, "unsupported-media-type"),
    ("fake.pdf", b"this is not a pdf", 422, "unreadable-document"),
    ("locked.pdf", None, 422, "unreadable-document"),
    ("latin1.txt", "Projektet ska stärka små företag i länet genom rådgivning och utbildning.".encode("cp1252"), 200, None),
])
def test_bad_uploads(client, name, content, status, kind):
    if content is None:
        content = make_pdf([("Hemlig text om företag i länet.", "Helvetica", 10)], encrypt="lösen")
    response = client.post("/v1/analyses/file", files={"file": (name, content, "application/octet-stream")})
    if kind is None:
        assert response.status_code == 200
    else:
        assert_problem(response, status, kind)


def test_upload_over_the_size_limit_is_refused_while_reading(client):
    big = io.BytesIO(b"a" * (50 * 1024 * 1024))
    response = client.post("/v1/analyses/file", files={"file": ("stor.txt", big, "text/plain")})
    assert_problem(response, 413, "payload-too-large")
    assert client.get("/healthz").status_code == 200


def test_two_megabyte_text(client):
    assert_problem(client.post("/v1/analyses", json={"text": "ordet " * 350_000}), 413, "document-too-large")


def test_api_keys(keyed_client):
    assert_problem(keyed_client.post("/v1/analyses", json={"text": "Små företag i länet växer."}), 401, "unauthorized")
    wrong = {"Authorization": "Bearer nope"}
    assert_problem(keyed_client.get("/v1/policies", headers=wrong), 401, "unauthorized")
    ok = keyed_client.get("/v1/policies", headers={"Authorization": "Bearer s3cret-key"})
    assert ok.status_code == 200
    assert keyed_client.get("/healthz").status_code == 200  # operations routes stay open


def test_logs_hold_request_id_and_error_type_but_no_text(client, caplog):
    secret = "Anna Andersson 19800101-1234 söker stöd för sitt företag i länet."
    with caplog.at_level(logging.INFO, logger="policyalign"):
        client.post("/v1/analyses", json={"text": secret, "region": "gotland"})
    logged = " ".join(json.dumps(record.__dict__, default=str) for record in caplog.records)
    assert "unknown-region" in logged
    assert "19800101" not in logged and "Anna" not in logged
    assert all(len(getattr(record, "correlation_id", "")) == 32 for record in caplog.records)


def test_openapi_snapshot(client):
    """The intake-form contract: update tests/data/openapi.json deliberately (policyalign openapi)."""
    snapshot = json.loads((DATA / "openapi.json").read_text(encoding="utf-8"))
    current = json.loads(json.dumps(client.app.openapi(), sort_keys=True))
    assert current == snapshot, "the API schema changed: review it, then run 'policyalign openapi > tests/data/openapi.json'"


# Routes whose JSON body has no example, and why (an inline schema FastAPI builds from a plain return type).
NO_EXAMPLE = {("get", "/healthz", "200")}  # the liveness probe's {"status": "ok"}


def _has_example(schema: dict, components: dict) -> bool:
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if schema.get("type") == "array":
        return _has_example(schema.get("items", {}), components)
    return bool(schema.get("examples") or schema.get("example"))


def test_every_route_documents_examples(client):
    """Every JSON request body and JSON response of every route shows an example in /docs."""
    schema = client.app.openapi()
    components = schema["components"]["schemas"]
    missing, checked = [], 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            bodies = [("request", c) for c in operation.get("requestBody", {}).get("content", {}).values()]
            bodies += [(code, content) for code, response in operation["responses"].items()
                       for media, content in response.get("content", {}).items() if media.endswith("json")]
            for where, content in bodies:
                checked += 1
                if (method, path, where) not in NO_EXAMPLE and not (
                        content.get("example") or content.get("examples")
                        or _has_example(content.get("schema", {}), components)):
                    missing.append((method, path, where))
    assert checked > len(schema["paths"]) and missing == []


def test_web_page_is_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "Policyanalys" in page.text
    assert client.get("/static/app.js").status_code == 200


def test_problem_type_is_absolute_and_resolves_to_a_page(client):
    body = assert_problem(client.post("/v1/analyses", json={"text": "Små företag i länet.", "region": "gotland"}),
                          422, "unknown-region")
    assert body["title_sv"] == "Okänd region" and "region" in body["detail_sv"].lower()
    page = client.get(body["type"].removeprefix("http://testserver"))
    assert page.status_code == 200 and "Unknown region" in page.text and "Okänd region" in page.text
    assert client.get("/problems/no-such-problem").status_code == 404


def test_problem_type_ignores_a_hostile_host_header(client):
    response = client.post("/v1/analyses", json={"text": "x", "region": "gotland"},
                           headers={"host": "evil.example/<script>"})
    assert response.json()["type"] == "http://localhost/problems/unknown-region"


@pytest.mark.parametrize(("sent", "echoed"), [
    ("intake-2026-0142", True), ("a" * 128, True), ("a" * 129, False), ("bad id\r\n", False), ('x"<y>', False)])
def test_caller_request_id_is_echoed_when_sane(client, sent, echoed):
    response = client.post("/v1/analyses", json={"text": "x", "region": "gotland"}, headers={"X-Request-ID": sent})
    returned = response.headers["x-request-id"]
    assert (returned == sent) is echoed
    assert response.json()["request_id"] == returned
    if not echoed:
        assert len(returned) == 32


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_wrong_content_type_is_415(client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    for route in ("/v1/analyses", "/v1/analyses/batch"):
        response = client.post(route, content=b'{"text": "Projektet st\xc3\xa4rker sm\xc3\xa5 f\xc3\xb6retag."}',
                               headers=headers)
        assert_problem(response, 415, "unsupported-media-type")


def test_json_with_charset_is_accepted(client):
    response = client.post("/v1/analyses", content=json.dumps({"text": "Projektet stärker små företag i länet."}).encode(),
                           headers={"content-type": "application/json; charset=utf-8"})
    assert response.status_code == 200


def test_batch_echoes_refs_and_is_207_when_all_fail(client):
    response = client.post("/v1/analyses/batch", json={"items": [{"ref": "A-1", "text": " "}, {"ref": "A-2", "text": ""}]})
    assert response.status_code == 207
    assert [(r["ref"], r["status"]) for r in response.json()["results"]] == [("A-1", "error"), ("A-2", "error")]
    ok = client.post("/v1/analyses/batch", json={"items": [{"ref": "B", "text": "Fler små företag i länet ska exportera."}]})
    assert ok.status_code == 200 and ok.json()["results"][0]["ref"] == "B"


def test_batch_over_the_item_limit_is_too_many_items(client):
    items = [{"text": "Små företag."}] * 33
    body = assert_problem(client.post("/v1/analyses/batch", json={"items": items}), 413, "too-many-items")
    assert "33 items" in body["detail"] and "32" in body["detail"]


def test_labels_come_from_the_one_table(client):
    body = client.get("/v1/labels").json()
    assert body["groups"]["perspective_status"]["thin"] == "tunt"
    assert body["groups"]["amount_role"]["granted"] == "beviljat"
    assert body["sections"]["syfte"] == "Syfte"


def test_policies_mark_demonstration_regions(client):
    regions = {r["id"]: r["status"] for r in client.get("/v1/policies").json()["regions"]}
    assert regions == {"orebro": "official", "varmland": "demonstration"}


def _schemas(client) -> dict:
    return client.app.openapi()["components"]["schemas"]


def test_openapi_describes_every_model_and_field(client):
    missing = [f"{name}.{field}" for name, model in _schemas(client).items()
               for field, spec in model.get("properties", {}).items() if "description" not in spec]
    missing += [name for name, model in _schemas(client).items() if not model.get("description")]
    assert missing == []


def test_openapi_has_an_example_for_every_request_and_response_model(client):
    schema = client.app.openapi()
    refs = set()
    for operations in schema["paths"].values():
        for operation in operations.values():
            bodies = [operation.get("requestBody", {})] + list(operation["responses"].values())
            for body in bodies:
                for media in body.get("content", {}).values():
                    if "$ref" in media.get("schema", {}):
                        refs.add(media["schema"]["$ref"].rsplit("/", 1)[1])
    assert refs >= {"AnalysisRequest", "AnalysisResult", "BatchRequest", "BatchResponse", "Problem", "FileUpload"}
    assert [name for name in refs if not _schemas(client)[name].get("examples")] == []
    from analysis.result import AnalysisResult
    AnalysisResult.model_validate(_schemas(client)["AnalysisResult"]["examples"][0])


def test_openapi_closed_sets_limits_security_and_one_corpus_name(client):
    models = _schemas(client)
    assert models["Facts"]["properties"]["amount_role"]["anyOf"][0]["enum"] == ["requested", "granted", "regional-share",
                                                                                "unknown"]
    assert models["PolicyItemOut"]["properties"]["status"]["enum"] == ["verified", "indicated", "working-name"]
    assert models["FrameworkOut"]["properties"]["kind"]["enum"] == ["rus", "national", "orientation"]
    assert "enum" in models["DocumentOut"]["properties"]["kind"] and "enum" in models["Finding"]["properties"]["severity"]
    assert models["AnalysisRequest"]["properties"]["text"]["maxLength"] == 400_000
    assert models["BatchRequest"]["properties"]["items"]["maxItems"] == 32
    assert client.app.openapi()["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    text = json.dumps(client.app.openapi())
    assert "corpus_version" not in text


def test_openapi_errors_are_problem_json_only(client):
    for operations in client.app.openapi()["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if status[0] in "45":
                    assert list(response["content"]) == ["application/problem+json"], status


def test_docs_are_served_without_a_cdn(client):
    for route in ("/docs", "/redoc"):
        page = client.get(route).text
        assert "cdn" not in page.lower() and "https://" not in page and "<script>" not in page
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs-assets/redoc.standalone.js").status_code == 200
    assert client.get("/static/docs.js").status_code == 200


def test_a_varmland_analysis_cites_no_orebro_conditions(client):
    text = ("Syftet är att fler små företag i Värmland ska börja exportera. Vi söker 600 000 kr från Region Värmland, "
            "vilket är 70 procent av projektets kostnader. Projektet pågår 2026-01-01 till 2027-12-31.")
    body = client.post("/v1/analyses", json={"text": text, "region": "varmland"}).json()
    assert "share-above-limit" in {f["rule"] for f in body["findings"]}
    assert not [f["citation"] for f in body["findings"] if "Örebro" in f["citation"] + f["message"]]


def test_web_pages_need_no_inline_script_or_style():
    """A strict Content-Security-Policy (script-src/style-src 'self') must not break the page or the docs."""
    import re

    from service.docs import WEB

    for page in WEB.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page.name
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html), page.name
    for script in WEB.glob("*.js"):
        code = script.read_text(encoding="utf-8")
        assert not re.search(r"innerHTML|cssText|setAttribute\(\s*[\"']style|\beval\(|new Function", code), script.name
