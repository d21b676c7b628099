"""Hostile: the module sleeps at import time, far longer than the import time limit, so every
function of it scores 0 with a message saying the import took too long."""
import time

time.sleep(3600)
