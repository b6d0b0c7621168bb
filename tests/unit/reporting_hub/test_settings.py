"""Settings come from the environment only, say which variable is missing, and hide secrets."""

import pytest

from reporting_hub.settings import OdooSettings, Settings, SettingsError, ShopSettings


def test_systems_come_from_the_environment_and_never_from_a_demo_worlds_file(tmp_path, monkeypatch):
    # GIVEN a stale demo-world connection file where the repo would look for one
    state = tmp_path / ".demo-world"
    state.mkdir()
    (state / "connection.json").write_text(
        '{"shop_url": "http://127.0.0.1:1/", "shop_token": "t", "carrier_url": "http://c",'
        ' "odoo_url": "http://127.0.0.1:2", "odoo_db": "demo", "odoo_user": "admin"}'
    )
    monkeypatch.chdir(tmp_path)
    env = {"DEMO_WORLD_DIR": str(state), "WAREHOUSE_URL": "postgresql://u@h/db"}

    # WHEN settings are read from an environment that names only the carrier
    found = Settings.from_env({**env, "CARRIER_URL": "http://env/"}, need_odoo=False)

    # THEN only what the environment says is configured; the file is never read
    assert found.carrier_url == "http://env"
    assert (found.shop, found.wms_inbox, found.bank_dir) == (None, None, None)
    with pytest.raises(SettingsError, match="set ODOO_URL, ODOO_DB, ODOO_USER"):
        Settings.from_env(env)


def test_a_half_configured_shop_names_the_missing_variable():
    env = {"WAREHOUSE_URL": "postgresql://u@h/db", "SHOP_URL": "http://shop"}
    with pytest.raises(SettingsError, match="set SHOP_TOKEN too"):
        Settings.from_env(env, need_odoo=False)
    found = Settings.from_env({**env, "SHOP_TOKEN": "shpat_x"}, need_odoo=False)
    assert (found.shop.url, found.shop.token.get_secret_value()) == ("http://shop", "shpat_x")


def test_no_secret_shows_in_the_repr_of_settings():
    settings = Settings(
        "postgresql://loader:pg-secret@db/warehouse",
        OdooSettings("http://odoo", "prod", "reporting", "odoo-secret", "key-secret"),
        "/tmp/hub",
        shop=ShopSettings("http://shop", "shop-secret"),
    )
    shown = f"{settings!r} {settings}"
    for secret in ("pg-secret", "odoo-secret", "key-secret", "shop-secret"):
        assert secret not in shown
    assert "postgresql://loader:***@db/warehouse" in shown
    assert settings.odoo.secret == "odoo-secret"  # still there for the one place that sends it
