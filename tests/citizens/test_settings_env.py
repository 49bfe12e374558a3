"""Account, SMS and VNeID settings come from environment variables, with safe defaults."""

from tests.helpers import settings_from_env

EXPRESSIONS = {
    "providers": "settings.SOCIALACCOUNT_PROVIDERS",
    "backend": "settings.SMS_BACKEND",
    "cap": "settings.SMS_DAILY_CAP",
    "gateway": "[settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_BRANDNAME, settings.SMS_GATEWAY_TIMEOUT]",
    "template": "settings.SMS_CODE_TEMPLATE",
    "proxies": "settings.ALLAUTH_TRUSTED_PROXY_COUNT",
    "beat": "sorted(settings.CELERY_BEAT_SCHEDULE)",
}


def test_defaults_record_sms_in_the_database_and_offer_no_vneid():
    values = settings_from_env({}, EXPRESSIONS)
    assert values["providers"] == {}
    assert values["backend"] == "citizens.sms.DatabaseBackend"
    assert values["cap"] == 20000
    assert "{code}" in values["template"]
    assert values["proxies"] == 0
    assert "citizens-purge-stale" in values["beat"]


def test_vneid_and_the_gateway_are_configured_from_the_environment():
    env = {
        "VNEID_SERVER_URL": "https://sso.vneid.example",
        "VNEID_CLIENT_ID": "haiphong",
        "VNEID_CLIENT_SECRET": "bi-mat",
        "VNEID_SCOPE": "openid,profile,phone,email",
        "SMS_BACKEND": "citizens.sms.GatewayBackend",
        "SMS_GATEWAY_URL": "https://sms.example/send",
        "SMS_GATEWAY_BRANDNAME": "UBND HP",
        "SMS_GATEWAY_TIMEOUT": "5",
        "SMS_DAILY_CAP": "500",
        "TRUSTED_PROXY_COUNT": "1",
    }
    values = settings_from_env(env, EXPRESSIONS)
    app = values["providers"]["openid_connect"]["APPS"][0]
    identity = (app["provider_id"], app["name"], app["client_id"], app["secret"])
    assert identity == ("vneid", "VNeID", "haiphong", "bi-mat")
    assert app["settings"]["server_url"] == "https://sso.vneid.example"
    assert app["settings"]["scope"] == ["openid", "profile", "phone", "email"]
    assert values["backend"] == "citizens.sms.GatewayBackend"
    assert values["gateway"] == ["https://sms.example/send", "UBND HP", 5]
    assert values["cap"] == 500 and values["proxies"] == 1
