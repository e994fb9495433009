"""/v1/cases and the stored-analysis routes through the real app, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from analysis.memo import memo_text
from tests.conftest import SEED

PROBLEM = "application/problem+json"


@pytest.fixture()
def api(store_settings, analyzer):
    from analysis.store import Store
    from service.app import create_app

    Store.open(store_settings, migrate=True).close()
    settings = store_settings.model_copy(update={"user_header": "X-Remote-User"})
    with TestClient(create_app(settings, analyzer=analyzer), raise_server_exceptions=False) as client:
        yield client


def _case(api, **fields) -> dict:
    response = api.post("/v1/cases", json={"title": "Tech-kluster Örebro län", **fields},
                        headers={"X-Remote-User": "anna"})
    assert response.status_code == 201, response.text
    return response.json()


def _analyze_seed(api, case_id: int) -> dict:
    upload = {"file": (SEED.name, SEED.read_bytes(), "text/plain")}
    response = api.post(f"/v1/cases/{case_id}/analyses/file", files=upload,
                        headers={"X-Remote-User": "anna"})
    assert response.status_code == 201, response.text
    return response.json()


def test_create_read_and_list_cases(api):
    case = _case(api, dnr="25RS0001", applicant="Region Örebro Innovation AB", region="orebro")
    assert case["created_by"] == "anna" and case["status"] == "open" and not case["needs_attention"]
    assert api.get(f"/v1/cases/{case['id']}").json()["analyses"] == []
    listed = api.get("/v1/cases", params={"dnr": "25RS0001"}).json()
    assert [c["id"] for c in listed["items"]] == [case["id"]] and listed["next_cursor"] is None
    again = api.post("/v1/cases", json={"title": "x", "dnr": "25RS0001"})
    assert again.status_code == 409 and again.headers["content-type"] == PROBLEM
    assert again.json()["type"].endswith("/problems/duplicate-case")


def test_errors_are_problem_json(api):
    for response, status, kind in [
        (api.get("/v1/cases/99999"), 404, "not-found"),
        (api.get("/v1/analyses/99999"), 404, "not-found"),
        (api.get("/v1/cases", params={"cursor": "@@not-a-cursor"}), 422, "invalid-cursor"),
        (api.get("/v1/cases", params={"cursor": "WzEwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMF0"}), 422, "invalid-cursor"),
        (api.get(f"/v1/cases/{10**30}"), 422, "validation-error"),
        (api.get(f"/v1/analyses/{2**63}/memo.docx"), 422, "validation-error"),
        (api.get("/v1/cases/1/compare", params={"from": 1, "to": 10**20}), 422, "validation-error"),
        (api.post("/v1/cases", json={"title": ""}), 422, "validation-error"),
        (api.post("/v1/cases", json={"title": "x", "dnr": "   "}), 422, "validation-error"),
        (api.post("/v1/cases", json={"title": "x", "region": "atlantis"}), 422, "unknown-region"),
    ]:
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == PROBLEM and response.json()["type"].endswith(f"/problems/{kind}")


def test_cursor_pages_cover_every_case_once(api):
    ids = [_case(api, dnr=f"25RS{i:04d}")["id"] for i in range(5)]
    seen, params = [], {"limit": 2}
    while True:
        page = api.get("/v1/cases", params=params).json()
        seen += [c["id"] for c in page["items"]]
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == ids[::-1]


def test_analyse_review_memo_and_audit(api):
    case = _case(api, dnr="25RS0002", applicant="Region Örebro Innovation AB")
    stored = _analyze_seed(api, case["id"])
    assert stored["result"]["facts"]["amount_sek"] == 1493000 and stored["text"].startswith("Medfinansiering")
    assert stored["review"]["version"] == 0
    listed = api.get("/v1/cases", params={"needs_attention": "true"}).json()["items"]
    assert case["id"] in [c["id"] for c in listed] or stored["result"]["findings"] == []

    decisions = [{"target": "rus", "decision": "reject", "comment": "Snarare kompetensförsörjning"},
                 {"target": "amount_sek", "decision": "replace", "value": 1200000}]
    saved = api.put(f"/v1/analyses/{stored['id']}/review", json={"version": 0, "decisions": decisions},
                    headers={"X-Remote-User": "bertil"})
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 1 and saved.json()["reviewed_by"] == "bertil"

    stale = api.put(f"/v1/analyses/{stored['id']}/review",
                    json={"version": 0, "decisions": [{"target": "amount_sek", "decision": "accept"}]})
    assert stale.status_code == 409 and stale.headers["content-type"] == PROBLEM
    assert stale.json()["type"].endswith("/problems/stale-version")
    assert api.get(f"/v1/analyses/{stored['id']}").json()["review"]["decisions"]["amount_sek"]["value"] == 1200000

    audit = api.get(f"/v1/analyses/{stored['id']}/review/audit").json()
    assert [(a["target"], a["who"], a["before"]) for a in audit] == [("rus", "bertil", None),
                                                                      ("amount_sek", "bertil", None)]

    memo = api.get(f"/v1/analyses/{stored['id']}/memo.docx")
    assert memo.status_code == 200 and memo.headers["content-type"].startswith("application/vnd.openxmlformats")
    text = memo_text(memo.content)
    assert "dock högst 1 200 000 kronor" in text and "1 493 000" not in text
    assert "beviljas 50 [kontrollera] procent" in text and "Handläggaren har underkänt förslaget" in text
    for heading in ("Förslag till beslut", "Sammanfattning", "Bedömning", "Uppföljning", "Ekonomiska konsekvenser",
                    "Konsekvenser för miljö-, barn- och jämställdhetsperspektiven"):
        assert heading in text


def test_memo_file_name_is_safe_for_any_dnr(api):
    stored = _analyze_seed(api, _case(api, dnr='25RS 1/2 – "ö"\r\nX-Evil: 1')["id"])
    memo = api.get(f"/v1/analyses/{stored['id']}/memo.docx")
    assert memo.status_code == 200 and "X-Evil" not in memo.headers
    expected = f'attachment; filename="tjansteskrivelse-25RS-1-2-X-Evil-1-{stored["id"]}.docx"'
    assert memo.headers["content-disposition"] == expected


def test_invalid_review_is_422(api):
    stored = _analyze_seed(api, _case(api)["id"])
    response = api.put(f"/v1/analyses/{stored['id']}/review",
                       json={"version": 0, "decisions": [{"target": "rus", "decision": "replace", "value": "nope"}]})
    assert response.status_code == 422 and response.json()["type"].endswith("/problems/invalid-review")


def test_fields_analysis_and_compare(api):
    case = _case(api)
    first = _analyze_seed(api, case["id"])
    second = api.post(f"/v1/cases/{case['id']}/analyses", json={"title": "Komplettering", "fields": {
        "Syfte": "Fler unga ska välja utbildningar inom tech och företagen ska hitta kompetens.",
        "Budget": "Sökt belopp 900 000 kronor, 40 procent av kostnaderna."}})
    assert second.status_code == 201, second.text
    second = second.json()
    detail = api.get(f"/v1/cases/{case['id']}").json()
    assert [a["id"] for a in detail["analyses"]] == [first["id"], second["id"]]
    assert detail["latest_analysis_id"] == second["id"] and detail["analysis_count"] == 2
    assert [a["corpus"] for a in detail["analyses"]] == [first["result"]["versions"]["corpus"]] * 2
    assert "corpus_version" not in detail["analyses"][0]
    diff = api.get(f"/v1/cases/{case['id']}/compare", params={"from": first["id"], "to": second["id"]}).json()
    facts = {f["id"]: (f["before"], f["after"]) for f in diff["facts"]}
    assert facts["amount_sek"] == (1493000, 900000)
    assert {a["framework"] for a in diff["areas"]} >= {"orebro-rus-2022-2030"}
    other = _case(api)
    wrong = api.get(f"/v1/cases/{other['id']}/compare", params={"from": first["id"], "to": second["id"]})
    assert wrong.status_code == 404


def test_analysis_for_a_missing_case_is_404_before_analysis(api):
    response = api.post("/v1/cases/424242/analyses", json={"text": "Projektet stärker små företag i länet."})
    assert response.status_code == 404 and response.headers["content-type"] == PROBLEM


def test_service_refuses_an_unmigrated_database(store_settings, analyzer):
    from analysis.store import DatabaseNotMigratedError, Store, downgrade
    from service.app import create_app

    store = Store.open(store_settings, migrate=True)
    downgrade(store.engine)
    store.close()
    with pytest.raises(DatabaseNotMigratedError, match="policyalign db upgrade"), \
            TestClient(create_app(store_settings, analyzer=analyzer)):
        pass


def test_cases_page_is_served(api):
    page = api.get("/cases")
    assert page.status_code == 200 and 'lang="sv"' in page.text and "/static/cases.js" in page.text


def test_a_named_api_key_is_the_reviewer(store_settings, analyzer):
    from analysis.store import Store
    from service.app import create_app

    Store.open(store_settings, migrate=True).close()
    settings = store_settings.model_copy(update={"api_keys": ["plain-key"], "named_api_keys": {"intag": "k-intag"}})
    with TestClient(create_app(settings, analyzer=analyzer), raise_server_exceptions=False) as client:
        assert client.post("/v1/cases", json={"title": "x"}).status_code == 401
        named = client.post("/v1/cases", json={"title": "x"}, headers={"Authorization": "Bearer k-intag"})
        plain = client.post("/v1/cases", json={"title": "y"}, headers={"Authorization": "Bearer plain-key"})
        assert (named.json()["created_by"], plain.json()["created_by"]) == ("intag", "api-key")


def test_texts_past_retention_are_deleted_at_start_up(store_settings, analyzer, seed_result):
    from sqlalchemy import update

    from analysis.store import Store
    from analysis.store.models import Analysis
    from analysis.store.repository import Repository
    from service.app import create_app

    store = Store.open(store_settings, migrate=True)
    repo = Repository(store)
    case = repo.create_case(title="Gammal", created_by="anna")
    old = repo.add_analysis(case.id, seed_result, text=seed_result.document.text, created_by="anna")
    new = repo.add_analysis(case.id, seed_result, text=seed_result.document.text, created_by="anna")
    with store.session() as session:
        session.execute(update(Analysis).where(Analysis.id == old.id)
                        .values(created_at=old.created_at.replace(year=2020)))
    store.close()
    settings = store_settings.model_copy(update={"retention_days": 30})
    with TestClient(create_app(settings, analyzer=analyzer)) as client:
        assert client.get(f"/v1/analyses/{old.id}").json()["text"] is None
        assert client.get(f"/v1/analyses/{new.id}").json()["text"] == seed_result.document.text
        memo = memo_text(client.get(f"/v1/analyses/{old.id}/memo.docx").content)
        assert "Underlaget saknar en sammanfattning" in memo  # no text, no quoted summary
