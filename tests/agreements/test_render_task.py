"""agreements.render_signed_pdf: one PDF and one hash per signed version, whatever happens.

Storage is Django's InMemoryStorage in the test settings; each test starts with no signed PDFs.
"""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from agreements import pdf, tasks
from agreements.models import AgreementVersion
from tests.agreements.test_pdf import frozen_version
from tests.factories import AgreementFactory, AgreementVersionFactory, FrameworkFactory


def stored_pdfs() -> list[str]:
    try:
        _folders, files = default_storage.listdir(tasks.SIGNED_FOLDER)
    except FileNotFoundError:
        return []
    return sorted(f"{tasks.SIGNED_FOLDER}/{name}" for name in files)


@pytest.fixture(autouse=True)
def empty_storage():
    for name in stored_pdfs():
        default_storage.delete(name)
    yield
    for name in stored_pdfs():
        default_storage.delete(name)


@pytest.fixture
def version(tree) -> AgreementVersion:
    return frozen_version(tree.department, kpi_count=5)


def sha256_of(name: str) -> str:
    with default_storage.open(name, "rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest()


def test_task_is_registered_by_name_with_its_limits():
    task = tasks.render_signed_pdf

    assert task.name == "agreements.render_signed_pdf"
    assert task.time_limit == 120
    assert task.soft_time_limit <= task.time_limit
    assert task.acks_late is True
    assert task.max_retries == 5


def test_task_stores_the_pdf_under_its_hash_and_records_it(version):
    result = tasks.render_signed_pdf.delay(version_id=version.pk).get()

    version.refresh_from_db()
    (name,) = stored_pdfs()
    assert version.pdf.name == name
    assert version.pdf_sha256 == result == sha256_of(name)
    assert name == f"agreements/signed/{version.agreement_id}-v1-{result[:16]}.pdf"
    assert version.pdf_rendered_at is not None
    with default_storage.open(name, "rb") as stored:
        assert stored.read(5) == b"%PDF-"


def test_running_the_task_twice_keeps_one_hash_and_one_file(version):
    first = tasks.render_signed_pdf(version_id=version.pk)
    version.refresh_from_db()
    rendered_at = version.pdf_rendered_at

    second = tasks.render_signed_pdf(version_id=version.pk)

    version.refresh_from_db()
    assert second == first == version.pdf_sha256
    assert version.pdf_rendered_at == rendered_at
    assert stored_pdfs() == [version.pdf.name]


def test_crash_between_storage_and_database_then_retry_gives_exactly_one_pdf(version, monkeypatch):
    def killed(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(tasks, "_record", killed)
    with pytest.raises(SystemExit):
        tasks.render_signed_pdf(version_id=version.pk)

    version.refresh_from_db()
    assert version.pdf_sha256 == ""
    assert version.pdf.name == ""
    (orphan,) = stored_pdfs()

    monkeypatch.undo()
    sha256 = tasks.render_signed_pdf(version_id=version.pk)

    version.refresh_from_db()
    # The retry renders the same bytes, finds them stored under their hash and adopts the file.
    assert stored_pdfs() == [orphan] == [version.pdf.name]
    assert version.pdf_sha256 == sha256 == sha256_of(orphan)


def test_a_torn_file_left_by_a_killed_write_is_replaced(version):
    data = pdf.render_agreement_pdf(version, language="th")
    name = tasks.signed_pdf_name(version, hashlib.sha256(data).hexdigest())
    default_storage.save(name, ContentFile(data[:1000]))  # the worker died mid-write

    sha256 = tasks.render_signed_pdf(version_id=version.pk)

    version.refresh_from_db()
    assert stored_pdfs() == [name] == [version.pdf.name]
    assert sha256_of(name) == sha256 == hashlib.sha256(data).hexdigest()


def test_a_worker_that_loses_the_race_deletes_its_own_file(version, monkeypatch):
    winner_name = f"{tasks.SIGNED_FOLDER}/{version.agreement_id}-v1-winner.pdf"
    default_storage.save(winner_name, ContentFile(b"%PDF-1.7 the winner's"))
    winner_sha = "a" * 64
    record = tasks._record

    def another_worker_first(version_id, name, sha256):
        AgreementVersion.objects.filter(pk=version_id).update(
            pdf=winner_name, pdf_sha256=winner_sha
        )
        return record(version_id, name, sha256)

    monkeypatch.setattr(tasks, "_record", another_worker_first)

    result = tasks.render_signed_pdf(version_id=version.pk)

    version.refresh_from_db()
    assert result == winner_sha == version.pdf_sha256
    assert stored_pdfs() == [winner_name] == [version.pdf.name]


def test_a_pdf_identical_to_the_winners_is_not_deleted(version, monkeypatch):
    record = tasks._record

    def another_worker_first(version_id, name, sha256):
        # The other worker rendered the same bytes and recorded the same name.
        record(version_id, name, sha256)
        return record(version_id, name, sha256)

    monkeypatch.setattr(tasks, "_record", another_worker_first)

    result = tasks.render_signed_pdf(version_id=version.pk)

    version.refresh_from_db()
    assert stored_pdfs() == [version.pdf.name]
    assert result == version.pdf_sha256 == sha256_of(version.pdf.name)


def test_task_leaves_an_unfrozen_version_alone(tree):
    version = AgreementVersionFactory(agreement=AgreementFactory(framework=FrameworkFactory()))

    assert tasks.render_signed_pdf(version_id=version.pk) == ""
    assert stored_pdfs() == []


def test_task_for_a_deleted_version_does_nothing(db):
    assert tasks.render_signed_pdf(version_id=987654) == ""
    assert stored_pdfs() == []
