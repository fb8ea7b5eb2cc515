"""Settings for the Celery worker the integration tests start: the test settings, mailing by SMTP.

socialit.settings_test forces the locmem email backend whatever EMAIL_URL says; the worker
must speak SMTP to the test's aiosmtpd server, so EMAIL_URL is applied again on top.
"""

import environ

from socialit.settings_test import *  # noqa: F403

_env = environ.Env()
if _env.str("EMAIL_URL", default=""):
    vars().update(_env.email_url("EMAIL_URL"))
