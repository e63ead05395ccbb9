"""Start a grading kernel (jupyter_client runs this as root, from tools/grade.py's kernel spec): join the
submission's memory group, hand the connection file to the grading user, then become that user, with a clean
environment and the submission's folder as home, and run ipykernel from a Python that user can run.

usage: grade_kernel.py UID GID CGROUP_PROCS FOLDER PYTHON CONNECTION_FILE [KERNEL ARGUMENTS ...]"""
import os
import pwd
import sys
from pathlib import Path


def main(argv):
    uid, gid, procs, folder, python, connection, *extra = argv
    Path(procs).write_text(str(os.getpid()))  # the kernel and all it starts count against the group's limit
    os.chown(connection, int(uid), int(gid))
    env = {"HOME": folder, "USER": pwd.getpwuid(int(uid)).pw_name, "PATH": f"{Path(python).parent}:/usr/bin:/bin",
           "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1"}
    os.chdir(folder)
    quiet = os.open(os.devnull, os.O_WRONLY)  # what the kernel or the learner's code prints is not the teacher's
    os.dup2(quiet, 1), os.dup2(quiet, 2)
    os.execve("/usr/bin/setpriv", ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--",
                                   python, "-m", "ipykernel_launcher", "-f", connection, *extra], env)


if __name__ == "__main__":
    main(sys.argv[1:])
