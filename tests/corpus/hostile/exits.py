"""Hostile: each backward pass leaves in its own way (process exits, signals, BaseException)."""
import ctypes
import os
import signal
import sys


def relu_backward(dout, cache):
    os._exit(0)


def avg_pool_backward(dout, cache):
    sys.exit("leaving")


def max_pool_backward(dout, cache):
    raise KeyboardInterrupt


def conv_backward(dout, cache):
    raise GeneratorExit


def affine_backward(dout, cache):
    os.kill(os.getpid(), signal.SIGKILL)


def softmax(scores):
    return ctypes.string_at(0)            # a segmentation fault
