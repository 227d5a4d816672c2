"""Default settings; create_app layers instance config, CCHC_* env vars and a mapping on top."""

from datetime import timedelta


class Defaults:
    """Settings used when nothing else is configured (development on SQLite)."""

    ENV_NAME = "production"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # filled with the instance SQLite file
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SEARCH_INDEX_DIR: str | None = None  # filled with <instance>/search-index
    CONTENT_DIR: str | None = None  # filled with <checkout>/content
    UPLOAD_DIR: str | None = None  # filled with <instance>/uploads
    TIMEZONE = "Asia/Ho_Chi_Minh"

    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    IMPORT_MAX_BYTES = 5 * 1024 * 1024
    IMPORT_MAX_ROWS = 50_000

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "cchc_session"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    HTTPS = False  # set when served over HTTPS: Secure cookies and HSTS
    PROXY_HOPS = 0  # reverse proxies in front (X-Forwarded-For/-Proto trusted that deep)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    LOGIN_ACCOUNT_MAX_FAILURES = 5
    LOGIN_IP_MAX_FAILURES = 100
    LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
    REQUIRE_ADMIN_TOTP = False
    PASSWORD_HASH_TIME_COST: int | None = None  # argon2id; None keeps the library defaults
    PASSWORD_HASH_MEMORY_KIB: int | None = None
    TOTP_ISSUER = "CCHC Learn"

    LOGIN_RATE_LIMIT = "300 per minute"  # per address, on top of the failure counting
    RATELIMIT_STORAGE_URI = "memory://"  # redis://… to share limits across workers
    # Redis unreachable: count in each worker meanwhile instead of failing every sign-in.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_DEFAULT: str | None = None

    SITE_NAME = "CCHC Learn"
    ORGANISATION_NAME = "Sở Nội vụ"
    MIN_SECRET_KEY_LENGTH = 32
    SITE_URL: str | None = None  # https://… : links in e-mails sent outside a request
    METRICS_TOKEN: str | None = None  # bearer token Prometheus sends to /metrics (metrics.py)

    # E-mail (Flask-Mailman); no MAIL_SERVER, no e-mail: notices stay in the app.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER: str | None = None
    MAIL_TIMEOUT = 10

    # xAPI: statements sent by `cchc-learn tick` to a learning record store (docs/xapi.md).
    XAPI_ENDPOINT: str | None = None  # https://lrs…/xapi ; none: nothing is sent
    XAPI_USERNAME: str | None = None  # HTTP Basic credentials of the store
    XAPI_PASSWORD: str | None = None
    XAPI_ACTOR_KEY: str | None = None  # key of the actors' pseudonyms; default: from SECRET_KEY
    XAPI_TIMEOUT = 20  # seconds per request to the store

    # The working-day clock (local "HH:MM", Asia/Ho_Chi_Minh).
    WORKDAY_START = "07:30"
    WORKDAY_END = "17:00"
    QA_DAY_CUTOFF = "16:30"  # received later counts from the next working day
