"""Settings from the environment, in one place, with safe defaults.

Production is the default: a deployment that forgets to say what it is gets secure cookies and no
demo conveniences. Development and test are opted into with ``PORTAL_ENV``.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("production", "development", "test")


@dataclass(frozen=True)
class Settings:
    environment: str
    secret_key: str
    database_url: str
    authority_config_dir: Path
    secure_cookies: bool
    attachment_dir: Path
    base_url: str
    smtp_host: str
    smtp_port: int
    smtp_username: str
    smtp_password: str
    smtp_starttls: bool
    mail_from: str

    def flask_config(self) -> dict[str, object]:
        return {
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            "SESSION_COOKIE_NAME": "pep_session",
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SECURE": self.secure_cookies,
            "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the (time-limited) session
            "PORTAL_ENV": self.environment,
            "AUTHORITY_CONFIG_DIR": self.authority_config_dir,
            "TESTING": self.environment == "test",
            "ATTACHMENT_DIR": self.attachment_dir,
            # Uploads are checked against 10 MB in the service; this stops far larger requests early.
            "MAX_CONTENT_LENGTH": 11 * 1024 * 1024,
            "PORTAL_BASE_URL": self.base_url,
            "SMTP_HOST": self.smtp_host,
            "SMTP_PORT": self.smtp_port,
            "SMTP_USERNAME": self.smtp_username,
            "SMTP_PASSWORD": self.smtp_password,
            "SMTP_STARTTLS": self.smtp_starttls,
            "MAIL_FROM": self.mail_from,
        }


def default_sqlite_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'portal.sqlite3'}"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    environment = env.get("PORTAL_ENV", "production")
    if environment not in ENVIRONMENTS:
        raise RuntimeError(f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}")
    secret_key = env.get("SECRET_KEY", "")
    if not secret_key:
        if environment == "production":
            raise RuntimeError("SECRET_KEY must be set in production")
        # A per-process key: sessions end when a development server restarts, which is harmless.
        secret_key = secrets.token_hex(32)
    return Settings(
        environment=environment,
        secret_key=secret_key,
        database_url=env.get("DATABASE_URL", default_sqlite_url()),
        authority_config_dir=Path(env.get("AUTHORITY_CONFIG_DIR", PROJECT_ROOT / "config" / "authorities")),
        # Local development serves plain HTTP on 127.0.0.1; everything else requires HTTPS.
        secure_cookies=environment == "production",
        # Outside the web root: files are served only through the PEP's access check.
        attachment_dir=Path(env.get("ATTACHMENT_DIR") or PROJECT_ROOT / "var" / "attachments"),
        base_url=env.get("PORTAL_BASE_URL") or "http://127.0.0.1:5000",
        # No SMTP server configured: e-mail is printed to the console (development).
        smtp_host=env.get("SMTP_HOST", ""),
        smtp_port=int(env.get("SMTP_PORT") or 25),
        smtp_username=env.get("SMTP_USERNAME", ""),
        smtp_password=env.get("SMTP_PASSWORD", ""),
        smtp_starttls=env.get("SMTP_STARTTLS", "") == "true",
        mail_from=env.get("MAIL_FROM") or "PEP Portal <no-reply@pep-portal.invalid>",
    )
