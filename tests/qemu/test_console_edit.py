# SPDX-License-Identifier: MIT
"""Line editing on the live serial console (pexpect)."""


def test_backspace_ctrl_c_and_escape(hv_spawn):
    con = hv_spawn()
    # Backspace and DEL erase; the corrected command runs.
    out = con.cmd("verx\bsioq\x7fn")
    assert "hv " in out and "(built" in out
    # Ctrl-C drops the line: nothing runs, the prompt comes back.
    con.send("poweroff\x03")
    con.wait_prompt()
    assert "^C" in con.transcript()
    # Ctrl-U erases the line, arrow keys are ignored.
    out = con.cmd("junk\x15\x1b[Ahelp")
    assert "commands (help CMD for details):" in out
    out = con.cmd("nosuch")
    assert "error: unknown command 'nosuch' (try 'help')" in out
