# SPDX-License-Identifier: AGPL-3.0-or-later
# A handler for Debian's aiosmtpd that saves each message it accepts as one
# JSON file (envelope and raw content) in a directory, for the HTTP tests:
#   PYTHONPATH=tests/support /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.Saver DIRECTORY
import json
import os
import time


class Saver:
    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("smtp_sink.Saver needs the directory where messages are saved")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        name = "%d-%d" % (time.time_ns(), os.getpid())
        temporary = os.path.join(self.directory, name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as out:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos, "raw": content.decode("latin-1")}, out)
        # Renamed once complete: a reader never sees half a message.
        os.rename(temporary, os.path.join(self.directory, name + ".json"))
        return "250 Message accepted for delivery"
