"""How every process of the desk stamps its log lines."""

import logging
import time


class UTCFormatter(logging.Formatter):
    """Times in UTC, marked Z, to the millisecond.

    Django puts each of its processes in TIME_ZONE, the process manager and the host may be in
    another: one zone, named on every line, lets the web server's, the worker's and beat's lines
    be read side by side.
    """

    converter = staticmethod(time.gmtime)
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"
