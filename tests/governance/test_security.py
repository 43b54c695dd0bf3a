import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_has_no_warnings_with_production_values(tmp_path):
    # The browser tests' async-unsafe switch must not leak into a production-like check.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "kpi.example.go.th",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "false"})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_every_page_needs_a_log_in(client, db):
    response = client.get(reverse("governance:organisation_tree"))
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=" + reverse("governance:organisation_tree")


def test_login_is_locked_after_repeated_failures(client, unit_head, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": unit_head.username, "password": "wrong"})
    response = client.post(
        reverse("login"),
        {"username": unit_head.username, "password": "correct horse battery staple"},
    )
    assert response.status_code == 429
    assert (
        "Too many failed log-ins" in response.content.decode()
        or "เข้าสู่ระบบผิดพลาด" in response.content.decode()
    )


def test_login_succeeds_and_applies_the_saved_language(client, unit_head):
    unit_head.language = "en"
    unit_head.save()
    response = client.post(
        reverse("login"),
        {"username": unit_head.username, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_pages_send_a_content_security_policy(client, unit_head):
    client.force_login(unit_head)
    response = client.get(reverse("home"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_health_reports_the_database(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_reports_an_unreachable_broker(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    from config.celery import app

    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get(reverse("healthz"))
    finally:
        app.conf.broker_url = None
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["broker"].startswith("error")


@pytest.mark.parametrize("next_url", ["https://evil.example.com/", "//evil.example.com"])
def test_language_switch_does_not_redirect_off_site(client, db, next_url):
    response = client.post(reverse("set_language"), {"language": "en", "next": next_url})
    assert response.url == "/"


def test_thai_is_the_default_whatever_the_browser_asks(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="th">' in response.content.decode()


def test_the_language_cookie_switches_to_english(client, db):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("login"))
    assert '<html lang="en">' in response.content.decode()


def test_a_language_chosen_on_the_log_in_page_wins_and_is_saved(client, unit_head):
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("login"),
        {"username": unit_head.username, "password": "correct horse battery staple"},
    )
    unit_head.refresh_from_db()
    assert unit_head.language == "en"
    assert response.cookies["django_language"].value == "en"
