"""A correct optim.py in another style: state arrays updated in place (allowed by the SPEC),
hyper-parameters read into locals, setdefault for the state."""
import numpy as np


def sgd(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    return w - config["learning_rate"] * dw, config


def momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.setdefault("velocity", np.zeros_like(w))
    v *= config["momentum"]
    v += config["learning_rate"] * dw
    return w - v, config


def nesterov(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    mu = config["momentum"]
    v_prev = config.get("velocity", np.zeros_like(w))
    v = mu * v_prev + config["learning_rate"] * dw
    config["velocity"] = v
    return w + mu * v_prev - (1 + mu) * v, config


def adagrad(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-8)
    if "cache" not in config:
        config["cache"] = np.zeros_like(w)
    config["cache"] += dw ** 2
    return w - config["learning_rate"] * dw / np.sqrt(config["cache"] + config["epsilon"]), config


def rmsprop(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    if "cache" not in config:
        config["cache"] = np.zeros_like(w)
    g = config["decay_rate"]
    config["cache"] *= g
    config["cache"] += (1 - g) * dw ** 2
    return w - config["learning_rate"] * dw / np.sqrt(config["cache"] + config["epsilon"]), config


def adadelta(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1.0)
    config.setdefault("rho", 0.95)
    config.setdefault("epsilon", 1e-6)
    rho, eps = config["rho"], config["epsilon"]
    eg = config.setdefault("cache", np.zeros_like(w))
    ed = config.setdefault("delta", np.zeros_like(w))
    eg *= rho
    eg += (1 - rho) * dw * dw
    delta = -(np.sqrt(ed + eps) / np.sqrt(eg + eps)) * dw
    ed *= rho
    ed += (1 - rho) * delta * delta
    return w + config["learning_rate"] * delta, config


def adam(w, dw, config=None):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("m", np.zeros_like(w))
    config.setdefault("v", np.zeros_like(w))
    config.setdefault("t", 0)
    config["t"] += 1
    b1, b2, t = config["beta1"], config["beta2"], config["t"]
    config["m"] = b1 * config["m"] + (1 - b1) * dw
    config["v"] = b2 * config["v"] + (1 - b2) * (dw * dw)
    mt = config["m"] / (1 - b1 ** t)
    vt = config["v"] / (1 - b2 ** t)
    return w - config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"]), config
