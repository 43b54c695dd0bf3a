"""The signing page, the signed-PDF download and the verify page."""

import hashlib

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from agreements import tasks
from agreements.enums import AgreementState, Party
from agreements.models import Signature
from agreements.verify import MAX_SIZE
from tests.agreements.conftest import latest, sign, to_approved, to_signed
from tests.conftest import PASSWORD
from tests.factories import UserFactory

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) " + "x" * 600


def sign_url(agreement) -> str:
    return reverse("agreements:agreement_sign", args=[agreement.pk])


def pdf_url(agreement, number: int = 1) -> str:
    return reverse("agreements:signed_pdf", args=[agreement.pk, number])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def approved(agreement, cast):
    return to_approved(agreement, cast)


@pytest.fixture
def rendered(agreement, cast):
    """A signed agreement whose PDF the task rendered and stored; removed from storage after."""
    to_signed(agreement, cast)
    version = latest(agreement)
    # Tests run inside a transaction that never commits: run the task the commit would enqueue.
    tasks.render_signed_pdf(version_id=version.pk)
    version.refresh_from_db()
    yield version
    default_storage.delete(version.pdf.name)


# --- Signing ------------------------------------------------------------------------------------


def test_sign_page_shows_the_frozen_content_its_hash_and_the_signers_record(
    client, approved, cast, english
):
    version = latest(approved)
    client.force_login(cast.maker)

    response = client.get(sign_url(approved))

    assert response.status_code == 200
    assertContains(
        response,
        f'<code class="content-hash text-break" id="content-sha256">{version.content_sha256}</code>',
        html=True,
    )
    assertContains(
        response, '<dd class="col-sm-8" id="signer-name">นายแพทย์ผู้ทำ คำรับรอง</dd>', html=True
    )
    assertContains(
        response, '<dd class="col-sm-8" id="signer-position">อธิบดีกรมอนามัย</dd>', html=True
    )
    assertContains(response, "Maker of the agreement (ผู้ทำคำรับรอง)")
    # The KPIs as frozen: in English where the content has an English name.
    for code in ("1.1", "1.2", "2.1", "3.1", "4.1"):
        assertContains(response, f"<td>KPI {code}</td>", html=True)
    assertContains(response, 'name="password"')
    assertContains(response, "data-disable-on-submit")
    assertContains(response, "/static/js/agreements.js")
    assertContains(response, "Nobody has signed yet.")


def test_signing_records_one_signature_with_the_address_and_the_browser(client, approved, cast):
    version = latest(approved)
    client.force_login(cast.maker)

    response = client.post(
        sign_url(approved),
        {"password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT=BROWSER,
    )

    assert response.status_code == 302
    assert response.url == approved.get_absolute_url()
    signature = Signature.objects.get()
    assert signature.version == version
    assert signature.party == Party.MAKER
    assert signature.user == cast.maker
    assert signature.name == "นายแพทย์ผู้ทำ คำรับรอง"
    assert signature.position == "อธิบดีกรมอนามัย"
    assert signature.ip_address == "203.0.113.9"
    assert signature.user_agent == BROWSER[:500]
    assert signature.content_sha256 == version.content_sha256


def test_the_first_signature_says_the_other_party_has_not_signed(client, approved, cast, english):
    client.force_login(cast.maker)

    response = client.post(sign_url(approved), {"password": PASSWORD})

    assert messages_of(response) == [
        "You have signed the agreement. The other party has not signed yet."
    ]


def test_the_second_signature_completes_the_signing(client, approved, cast, english):
    sign(approved, cast.maker)
    client.force_login(cast.receiver)

    response = client.post(sign_url(approved), {"password": PASSWORD})

    assert response.status_code == 302
    assert messages_of(response) == [
        "You have signed the agreement. Both parties have now signed; the signed PDF is being "
        "prepared."
    ]
    approved.refresh_from_db()
    assert approved.state == AgreementState.SIGNED
    assert Signature.objects.count() == 2


def test_a_wrong_password_is_an_error_at_the_field_and_signs_nothing(
    client, approved, cast, english
):
    client.force_login(cast.maker)

    response = client.post(sign_url(approved), {"password": "not my password"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"password": ["The password is not correct."]}
    assert not Signature.objects.exists()


def test_an_empty_password_is_refused_by_the_form(client, approved, cast, english):
    client.force_login(cast.maker)

    response = client.post(sign_url(approved), {"password": ""})

    assert response.context["form"].errors == {"password": ["This field is required."]}
    assert not Signature.objects.exists()


def test_signing_twice_keeps_one_signature_and_says_already_signed(client, approved, cast, english):
    client.force_login(cast.maker)
    client.post(sign_url(approved), {"password": PASSWORD})

    # The second request of a double click.
    response = client.post(sign_url(approved), {"password": PASSWORD})

    assert response.status_code == 302
    assert response.url == approved.get_absolute_url()
    assert messages_of(response) == [
        "You have signed the agreement. The other party has not signed yet.",
        "The Maker of the agreement (ผู้ทำคำรับรอง) has already signed this agreement.",
    ]
    assert Signature.objects.count() == 1


def test_after_signing_the_page_says_when_and_offers_no_form(client, approved, cast, english):
    sign(approved, cast.maker)
    client.force_login(cast.maker)

    response = client.get(sign_url(approved))

    assertContains(response, "You signed this version on")
    assertNotContains(response, 'name="password"')


def test_a_draft_cannot_be_signed_and_the_page_says_why(client, agreement, cast, english):
    client.force_login(cast.maker)

    response = client.get(sign_url(agreement))

    assert response.status_code == 200
    assertContains(response, "The agreement is “Draft”: only an approved agreement can be signed.")
    assertNotContains(response, 'name="password"')
    response = client.post(sign_url(agreement), {"password": PASSWORD})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": ["Only an approved agreement can be signed (this one is “Draft”)."]
    }
    assert not Signature.objects.exists()


@pytest.mark.parametrize("who", ["chair", "member", "planner", "admin"])
def test_only_the_two_parties_may_sign(client, approved, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(sign_url(approved)).status_code == 403
    assert client.post(sign_url(approved), {"password": PASSWORD}).status_code == 403
    assert not Signature.objects.exists()


def test_a_superuser_is_no_party_and_cannot_sign(client, approved):
    client.force_login(UserFactory(is_superuser=True))

    assert client.get(sign_url(approved)).status_code == 403


def test_the_sign_page_of_an_agreement_out_of_scope_is_not_found(client, approved, cast):
    client.force_login(cast.outsider)

    assert client.get(sign_url(approved)).status_code == 404
    assert client.post(sign_url(approved), {"password": PASSWORD}).status_code == 404


# --- The signed PDF -----------------------------------------------------------------------------


def test_signed_pdf_downloads_the_stored_file_as_an_attachment(client, agreement, rendered, cast):
    client.force_login(cast.planner)

    response = client.get(pdf_url(agreement))

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == rendered.pdf_sha256
    assert body.startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="agreement-DOH-2552-v1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-cache"


def test_signed_pdf_is_not_found_until_it_is_rendered(client, agreement, cast):
    to_signed(agreement, cast)
    client.force_login(cast.planner)

    assert client.get(pdf_url(agreement)).status_code == 404


def test_signed_pdf_of_a_version_that_does_not_exist_is_not_found(
    client, agreement, rendered, cast
):
    client.force_login(cast.planner)

    assert client.get(pdf_url(agreement, number=2)).status_code == 404


def test_signed_pdf_out_of_scope_is_not_found(client, agreement, rendered, cast):
    client.force_login(cast.outsider)

    assert client.get(pdf_url(agreement)).status_code == 404


def test_the_parties_download_their_pdf_without_a_role(client, agreement, rendered, cast):
    client.force_login(cast.receiver)

    assert client.get(pdf_url(agreement)).status_code == 200


# --- Verify -------------------------------------------------------------------------------------


def upload(name: str, data: bytes, content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def verify(client, data: bytes, name: str = "agreement.pdf"):
    return client.post(reverse("agreements:verify"), {"file": upload(name, data)})


def stored_bytes(version) -> bytes:
    with default_storage.open(version.pdf.name, "rb") as stored:
        return stored.read()


def test_verify_page_offers_the_upload_form(client, cast, english):
    client.force_login(cast.member)

    response = client.get(reverse("agreements:verify"))

    assert response.status_code == 200
    assertContains(response, 'enctype="multipart/form-data"')
    assertContains(response, 'type="file" name="file"')
    assertNotContains(response, "verify-result")


def test_verify_says_the_stored_pdf_is_the_signed_original(
    client, agreement, rendered, cast, english
):
    client.force_login(cast.member)

    response = verify(client, stored_bytes(rendered), name="ลงนามแล้ว.pdf")

    assert response.status_code == 200
    assert response.context["outcome"] == "original"
    assertContains(response, "Signed original")
    assertContains(
        response,
        "This is the signed original of the performance agreement of Department of Health, "
        "FY 2552, version 1.",
    )
    assertContains(response, "นายแพทย์ผู้ทำ คำรับรอง, อธิบดีกรมอนามัย · on ")
    assertContains(response, "นายแพทย์ผู้รับ คำรับรอง, ปลัดกระทรวงสาธารณสุข · on ")
    assertContains(
        response, f'<code class="text-break">{rendered.content_sha256}</code>', html=True
    )
    assertContains(response, f'<code class="text-break">{rendered.pdf_sha256}</code>', html=True)
    assertContains(response, "SHA-256 of the uploaded file “ลงนามแล้ว.pdf”:")
    assertContains(response, agreement.get_absolute_url())


def test_verify_says_a_changed_copy_is_altered_naming_what_it_claims_to_be(
    client, agreement, rendered, cast, english
):
    altered = bytearray(stored_bytes(rendered))
    altered[12] ^= 0x01  # inside the binary comment under the header: still a readable PDF
    client.force_login(cast.member)

    response = verify(client, bytes(altered))

    assert response.context["outcome"] == "altered"
    assertContains(response, "Altered copy")
    assertContains(
        response,
        "This file claims to be the signed agreement of Department of Health, FY 2552, "
        "version 1, but its content differs from the signed original",
    )
    assertContains(response, hashlib.sha256(bytes(altered)).hexdigest())
    assertNotContains(response, "This is the signed original")


def test_verify_says_any_other_pdf_is_unknown(client, cast, english):
    client.force_login(cast.member)

    response = verify(client, b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")

    assert response.context["outcome"] == "unknown"
    assertContains(response, "Unknown document")
    assertContains(
        response,
        "This file is not a signed agreement issued by this system, and it names none that we know.",
    )


def test_an_outsider_may_verify_but_gets_no_link_to_the_agreement(
    client, agreement, rendered, cast, english
):
    client.force_login(cast.outsider)

    response = verify(client, stored_bytes(rendered))

    assert response.context["outcome"] == "original"
    assertNotContains(response, agreement.get_absolute_url())


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "This file is not a PDF."),
        (b"<html><body>%PDF-1.7</body></html>", "This file is not a PDF."),
        (b"", "The submitted file is empty."),
    ],
    ids=["png", "html", "empty"],
)
def test_verify_refuses_what_is_not_a_pdf_with_an_error_at_the_field(
    client, cast, english, data, error
):
    client.force_login(cast.member)

    response = verify(client, data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [error]}
    assertNotContains(response, "verify-result")


def test_verify_refuses_a_file_over_20_mb(client, cast, english):
    client.force_login(cast.member)

    response = verify(client, b"%PDF-" + b"0" * MAX_SIZE)

    assert response.context["form"].errors == {"file": ["The file is larger than 20 MB."]}


def test_verify_without_a_file_asks_for_one(client, cast, english):
    client.force_login(cast.member)

    response = client.post(reverse("agreements:verify"), {})

    assert response.context["form"].errors == {"file": ["This field is required."]}


def test_verify_errors_are_in_thai_by_default(client, cast):
    client.force_login(cast.member)

    response = verify(client, b"GIF89a")

    assert response.context["form"].errors == {"file": ["ไฟล์นี้ไม่ใช่ PDF"]}


def test_verify_stores_nothing(client, agreement, rendered, cast):
    before = default_storage.listdir("agreements/signed")
    client.force_login(cast.member)

    verify(client, stored_bytes(rendered))
    verify(client, b"%PDF-1.4\n%%EOF\n")

    assert default_storage.listdir("agreements/signed") == before
