"""The hooks in plugins/ turn Airflow connections into the package's Settings."""

from __future__ import annotations

import json

import pytest
from support.isolation import PLUGINS_FOLDER


@pytest.fixture
def hooks(monkeypatch):
    # Airflow puts its plugins folder on sys.path; so does this, so the tests run alone too.
    monkeypatch.syspath_prepend(str(PLUGINS_FOLDER))
    import reporting_hub_hooks

    return reporting_hub_hooks


def test_connections_override_the_environment(hooks, monkeypatch):
    # GIVEN env vars and Airflow connections that disagree
    env = {
        "WAREHOUSE_URL": "postgresql://env@envhost/envdb",
        "ODOO_URL": "http://env:1",
        "ODOO_PASSWORD": "from-env",
        "HUB_HOME": "/tmp/hub-home",
    }
    # WHEN settings are resolved inside Airflow (stub connections from conftest)
    settings = hooks.hub_settings(env)
    # THEN the connections win, whole: no env password pairs with the connection's user
    assert settings.warehouse_url == "postgresql://hub:stub@warehouse.invalid:5432/warehouse"
    assert (settings.odoo.url, settings.odoo.db, settings.odoo.user) == (
        "http://odoo.invalid:8069",
        "odoo",
        "admin",
    )
    assert settings.odoo.password.get_secret_value() == "stub"
    assert str(settings.home) == "/tmp/hub-home"


def test_undefined_connections_fall_back_to_the_environment(hooks, monkeypatch):
    monkeypatch.delenv("AIRFLOW_CONN_WAREHOUSE")
    monkeypatch.delenv("AIRFLOW_CONN_ODOO_DEFAULT")
    env = {
        "WAREHOUSE_URL": "postgresql://env@envhost/envdb",
        "ODOO_URL": "http://env:1",
        "ODOO_DB": "envdb",
        "ODOO_USER": "u",
        "ODOO_API_KEY": "k",
        "ODOO_PROTOCOL": "json2",
    }
    settings = hooks.hub_settings(env)
    assert settings.warehouse_url == "postgresql://env@envhost/envdb"
    assert (settings.odoo.url, settings.odoo.protocol, settings.odoo.secret) == (
        "http://env:1",
        "json2",
        "k",
    )


def test_warehouse_only_steps_need_no_odoo(hooks, monkeypatch):
    monkeypatch.delenv("AIRFLOW_CONN_ODOO_DEFAULT")
    settings = hooks.hub_settings({}, need_odoo=False)
    assert settings.odoo is None


@pytest.mark.parametrize(
    ("conn", "url"),
    [
        (
            {
                "conn_type": "postgres",
                "host": "db",
                "login": "u",
                "password": "p@ss/word",
                "schema": "wh",
            },
            "postgresql://u:p%40ss%2Fword@db/wh",
        ),
        (
            {
                "conn_type": "postgres",
                "host": "/run/pg",
                "login": "postgres",
                "schema": "wh",
                "extra": {"sslmode": "disable"},
            },
            "postgresql://postgres@/wh?sslmode=disable&host=%2Frun%2Fpg",
        ),
        ({"conn_type": "postgres", "extra": {"url": "postgresql://x@y/z"}}, "postgresql://x@y/z"),
    ],
)
def test_warehouse_connection_becomes_a_libpq_url(hooks, conn, url):
    from airflow.sdk import Connection

    assert hooks.warehouse_url(Connection.from_json(json.dumps(conn), conn_id="warehouse")) == url


def test_odoo_connection_in_uri_form_with_json2_extra(hooks, monkeypatch):
    # AIRFLOW_CONN_* in URI form, as docker-compose sets it
    monkeypatch.setenv(
        "AIRFLOW_CONN_ODOO_DEFAULT",
        "http://admin:secret@odoo:8069/prod?protocol=json2&api_key=abc",
    )
    env = hooks.OdooHook().env()
    assert env == {
        "ODOO_URL": "http://odoo:8069",
        "ODOO_DB": "prod",
        "ODOO_USER": "admin",
        "ODOO_PASSWORD": "secret",
        "ODOO_API_KEY": "abc",
        "ODOO_PROTOCOL": "json2",
    }
