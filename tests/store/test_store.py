"""The case store against real SQLite and PostgreSQL: migrations, cases, analyses, reviews, retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect, text

from analysis.review import DecisionIn
from analysis.store import DatabaseNotMigratedError, Store, current_revision, downgrade, head_revision, upgrade
from analysis.store.db import make_engine
from analysis.store.errors import CaseNotFoundError, DuplicateCaseError, InvalidReviewError, StaleReviewError
from analysis.store.models import now
from analysis.store.repository import CaseFilter, Repository

TABLES = {"cases", "analyses", "review_audit"}


def test_migrations_upgrade_from_empty_and_downgrade(database_url):
    engine = make_engine(database_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) >= TABLES
    downgrade(engine)
    assert current_revision(engine) is None
    assert not TABLES & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_the_migrations_build_exactly_the_models(database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from analysis.store.models import Base

    engine = make_engine(database_url)
    upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_an_unmigrated_database_is_refused_with_one_line(store_settings):
    engine = make_engine(store_settings.database)
    with engine.begin() as connection:  # an existing, empty database (a first start creates only a new SQLite file)
        connection.execute(text("CREATE TABLE unrelated (id INTEGER)"))
    engine.dispose()
    with pytest.raises(DatabaseNotMigratedError) as caught:
        Store.open(store_settings)
    assert "policyalign db upgrade" in str(caught.value) and "\n" not in str(caught.value)


def test_a_new_sqlite_file_is_created_on_first_start(tmp_path):
    from analysis.settings import Settings

    settings = Settings(embedder="fake", data_dir=tmp_path / "new" / "data")
    store = Store.open(settings)
    assert (tmp_path / "new" / "data" / "policyalign.sqlite3").is_file()
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_case_round_trip_and_duplicate_dnr(repo):
    case = repo.create_case(title="Tech-kluster", dnr="25RS1234", applicant="Region Örebro Innovation AB",
                            region="orebro", created_by="anna")
    loaded, analyses = repo.get_case(case.id, with_analyses=True)
    assert (loaded.dnr, loaded.title, loaded.status, analyses) == ("25RS1234", "Tech-kluster", "open", [])
    with pytest.raises(DuplicateCaseError):
        repo.create_case(title="Annat", dnr="25RS1234", created_by="anna")
    with pytest.raises(CaseNotFoundError):
        repo.get_case(case.id + 1000)


def test_analysis_is_stored_with_text_hash_and_versions(repo, seed_result):
    case = repo.create_case(title="Tech-kluster", created_by="anna")
    analysis = repo.add_analysis(case.id, seed_result, text=seed_result.document.text, created_by="anna",
                                 input_name="seed.txt")
    stored = repo.get_analysis(analysis.id)
    assert stored.text == seed_result.document.text and len(stored.text_sha256) == 64
    assert stored.result["document"]["text"] is None  # the text lives once, in its own column
    assert stored.corpus == seed_result.versions.corpus
    loaded, analyses = repo.get_case(case.id, with_analyses=True)
    assert loaded.latest_analysis_id == analysis.id and loaded.analysis_count == 1 and loaded.attention > 0
    assert [a.id for a in analyses] == [analysis.id]


def test_text_is_not_stored_when_the_setting_is_off(store_settings, seed_result):
    settings = store_settings.model_copy(update={"store_text": False})
    store = Store.open(settings, migrate=True)
    repo = Repository(store)
    case = repo.create_case(title="Utan text", created_by="anna")
    analysis = repo.add_analysis(case.id, seed_result, text=seed_result.document.text, created_by="anna")
    stored = repo.get_analysis(analysis.id)
    assert stored.text is None and stored.text_sha256 and stored.result["facts"]["amount_sek"] == 1493000
    store.close()


def test_retention_prunes_old_texts_only(repo, seed_result):
    case = repo.create_case(title="Gammal", created_by="anna")
    analysis = repo.add_analysis(case.id, seed_result, text=seed_result.document.text, created_by="anna")
    assert repo.prune_texts(30) == 0
    assert repo.prune_texts(30, at=now() + timedelta(days=31)) == 1
    stored = repo.get_analysis(analysis.id)
    assert stored.text is None and stored.text_sha256 and stored.result


def test_list_filters_and_cursor_pagination(repo, seed_result):
    ids = [repo.create_case(title=f"Ärende {i}", dnr=f"25RS{i:04d}", region="orebro" if i % 2 else "varmland",
                            created_by="anna").id for i in range(7)]
    repo.add_analysis(ids[3], seed_result, text="x", created_by="anna")
    seen, cursor = [], None
    while True:
        page = repo.list_cases(CaseFilter(), cursor=cursor, limit=3)
        seen += [c.id for c in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == sorted(ids, reverse=True)
    assert [c.dnr for c in repo.list_cases(CaseFilter(dnr="25RS0002")).items] == ["25RS0002"]
    assert {c.region for c in repo.list_cases(CaseFilter(region="varmland")).items} == {"varmland"}
    assert [c.id for c in repo.list_cases(CaseFilter(needs_attention=True)).items] == [ids[3]]
    analysis_id = repo.get_case(ids[3])[0].latest_analysis_id
    repo.save_review(analysis_id, 0, [DecisionIn(target="rus", decision="accept")], "anna")
    assert repo.list_cases(CaseFilter(needs_attention=True)).items == []  # reviewed: off the worklist
    by_attention = repo.list_cases(CaseFilter(), sort="attention", limit=2)
    assert by_attention.items[0].id == ids[3]
    rest = repo.list_cases(CaseFilter(), sort="attention", cursor=by_attention.next_cursor, limit=10)
    assert len(rest.items) == 5 and ids[3] not in [c.id for c in rest.items]


def test_review_versions_audit_and_stale_write(repo, seed_result):
    case = repo.create_case(title="Granskning", created_by="anna")
    analysis = repo.add_analysis(case.id, seed_result, text="x", created_by="anna")
    first = repo.save_review(analysis.id, 0, [DecisionIn(target="amount_sek", decision="replace", value=1200000,
                                                         comment="Enligt budget"),
                                              DecisionIn(target="rus", decision="accept")], "anna")
    assert first.review_version == 1 and first.review["amount_sek"]["value"] == 1200000
    with pytest.raises(StaleReviewError):
        repo.save_review(analysis.id, 0, [DecisionIn(target="amount_sek", decision="accept")], "bertil")
    second = repo.save_review(analysis.id, 1, [DecisionIn(target="amount_sek", decision="accept")], "bertil")
    assert second.review_version == 2 and second.review["amount_sek"]["decision"] == "accept"
    audit = repo.audit(analysis.id)
    assert [(a.target, a.who, a.version) for a in audit] == [("amount_sek", "anna", 1), ("rus", "anna", 1),
                                                            ("amount_sek", "bertil", 2)]
    assert audit[2].before["value"] == 1200000 and audit[2].after["decision"] == "accept"
    assert repo.get_case(case.id)[0].status == "reviewed"


@pytest.mark.parametrize("decision", [
    DecisionIn(target="rus", decision="replace", value="no-such-item"),
    DecisionIn(target="perspective:miljo", decision="replace", value="excellent"),
    DecisionIn(target="amount_sek", decision="replace", value=-5),
    DecisionIn(target="nonsense", decision="accept"),
    DecisionIn(target="amount_sek", decision="accept", value=5),
])
def test_invalid_decisions_are_refused(repo, seed_result, decision):
    case = repo.create_case(title="Fel", created_by="anna")
    analysis = repo.add_analysis(case.id, seed_result, text="x", created_by="anna")
    with pytest.raises(InvalidReviewError):
        repo.save_review(analysis.id, 0, [decision], "anna")
    assert repo.get_analysis(analysis.id).review_version == 0


def test_foreign_keys_cascade(repo, store, seed_result):
    case = repo.create_case(title="Radera", created_by="anna")
    analysis = repo.add_analysis(case.id, seed_result, text="x", created_by="anna")
    repo.save_review(analysis.id, 0, [DecisionIn(target="rus", decision="accept")], "anna")
    with store.session() as session:
        session.execute(text("DELETE FROM cases WHERE id = :id"), {"id": case.id})
    with store.session() as session:
        assert session.execute(text("SELECT count(*) FROM review_audit")).scalar() == 0
