"""A Dovecot IMAP server of one's own, for the tests of mail in and the mail-in benchmark:
its configuration, users and Maildir in a temporary folder, on a free port."""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
import time
from pathlib import Path

DOVECOT = Path("/usr/sbin/dovecot")
IMAP_USER = "it@socialit.example"
IMAP_PASSWORD = "imap password for the tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Dovecot:
    """A Dovecot of the test's own: its configuration, users and Maildir in a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.config = root / "dovecot.conf"
        # Dovecot never lets mail be read as root: as root, it runs as its own system users.
        owner = pwd.getpwnam("dovecot") if os.getuid() == 0 else pwd.getpwuid(os.getuid())
        internal = owner.pw_name
        login = "dovenull" if os.getuid() == 0 else owner.pw_name
        (root / "passwd").write_text(f"{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}::::::\n")
        (root / "home").mkdir()
        os.chown(root / "home", owner.pw_uid, owner.pw_gid)
        self.config.write_text(
            f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={owner.pw_uid} gid={owner.pw_gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
first_valid_uid = {owner.pw_uid}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
        )
        # Dovecot's own processes must reach their sockets and the log in the folder.
        os.chmod(root, 0o755)

    def start(self) -> None:
        self.process = subprocess.Popen([str(DOVECOT), "-F", "-c", str(self.config)])
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                    if connection.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"Dovecot did not start: {self.log()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                time.sleep(0.1)
            except OSError:
                return

    def log(self) -> str:
        log = self.root / "dovecot.log"
        return log.read_text() if log.exists() else ""
