"""Print Odoo's requirements.txt with the pins it gives Python 3.12.

Odoo 18's pins for Python 3.11 include sdists that no longer build (cbor2 5.4.2,
cryptography 3.4.8 without a wheel for current pip); the 3.12 pins install as
wheels on 3.11 and run Odoo 18 fine.  python-ldap is left out: it only serves
auth_ldap and needs the OpenLDAP headers to build.
"""

import re
import sys

SKIP = {"python-ldap", "pypiwin32", "rl-renderpm"}


def main(path):
    for raw in open(path, encoding="utf-8"):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        spec, _, marker = line.partition(";")
        name = re.split(r"[=<>! ]", spec.strip(), maxsplit=1)[0].lower()
        if name in SKIP:
            continue
        if marker and not _keep(marker):
            continue
        spec = spec.strip()
        if name == "psycopg2":
            # the binary wheel carries libpq: no compiler or headers needed
            spec = spec.replace("psycopg2", "psycopg2-binary", 1)
        print(spec)


def _keep(marker):
    env = {"python_version": (3, 12), "sys_platform": "linux"}
    expr = marker.strip()
    for clause in re.split(r"\band\b", expr):
        m = re.match(r"\s*(\w+)\s*(==|!=|>=|<=|>|<)\s*'([^']*)'\s*$", clause)
        if not m:
            continue
        key, op, value = m.groups()
        left = env.get(key)
        right = (
            tuple(int(p) for p in value.split("."))
            if key == "python_version"
            else value
        )
        ok = {
            "==": left == right,
            "!=": left != right,
            ">=": left >= right,
            "<=": left <= right,
            ">": left > right,
            "<": left < right,
        }[op]
        if not ok:
            return False
    return True


if __name__ == "__main__":
    main(sys.argv[1])
