# SPDX-License-Identifier: MIT
"""Read the QEMU topologies of tests/qemu/topologies/ and group listings.

A topology NAME is NAME.args (extra QEMU arguments) and NAME.groups (the
groups Linux forms on it). Group listings, whether from a .groups file,
tools/linux-ref/groups or the hypervisor's `groups` command, are compared
as sets of sets of functions: group numbers carry no meaning.

    import sys; sys.path.insert(0, "tools/linux-ref"); import topology
    want = topology.read_groups(topology.groups_path("switch"))
    got = topology.parse_groups(transcript)
    assert got == want, topology.diff(want, got)

Standard library only. See docs/topologies.md.
"""

import os
import re
import shlex

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.realpath(__file__))))
DIR = os.path.join(ROOT, "tests", "qemu", "topologies")

BDF = r"[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7]"
GROUP_RE = re.compile(r"^group (\d+): (%s(?: %s)*)$" % (BDF, BDF))


def names():
    """Every topology NAME that has a NAME.args, sorted."""
    return sorted(f[:-len(".args")] for f in os.listdir(DIR)
                  if f.endswith(".args"))


def args_path(name):
    return os.path.join(DIR, name + ".args")


def groups_path(name):
    return os.path.join(DIR, name + ".groups")


def parse_args_text(text):
    """QEMU arguments of a .args text: shell words, `#` starts a comment."""
    words = []
    for line in text.splitlines():
        words += shlex.split(line, comments=True)
    return words


def read_args(path):
    with open(path, encoding="utf-8") as f:
        return parse_args_text(f.read())


def parse_group_line(line):
    """Members of one `group N: ...` line, or None if it is not one.

    Raises ValueError when the members are not in ascending order or
    repeat: the format fixes the order.
    """
    m = GROUP_RE.match(line.strip())
    if not m:
        return None
    members = m.group(2).split()
    if members != sorted(set(members)):
        raise ValueError("members not strictly ascending: %r" % line)
    return frozenset(members)


def parse_groups(text):
    """The set of groups named by every `group N: ...` line of text.

    Other lines are ignored, so a whole console transcript can be given.
    Raises ValueError when a function is in two groups.
    """
    groups = set()
    seen = set()
    for line in text.splitlines():
        g = parse_group_line(line)
        if g is None:
            continue
        if seen & g:
            raise ValueError("%s in two groups" % sorted(seen & g)[0])
        seen |= g
        groups.add(g)
    return groups


def read_groups(path):
    """Groups of a .groups file; every line is a comment or a group."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("#") or not line.strip():
            continue
        if parse_group_line(line) is None:
            raise ValueError("%s:%d: not a group line: %r" % (path, n, line))
    return parse_groups(text)


def format_groups(groups):
    """Lines of the listing: sorted by first member, numbered from 0."""
    ordered = sorted(sorted(g) for g in groups)
    return ["group %d: %s" % (n, " ".join(g)) for n, g in enumerate(ordered)]


def diff(want, got):
    """A readable account of how two group sets differ."""
    lines = ["missing: " + " ".join(sorted(g)) for g in want - got]
    lines += ["unexpected: " + " ".join(sorted(g)) for g in got - want]
    return "\n".join(sorted(lines)) or "same groups"
