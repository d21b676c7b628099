"""Hostile: train never trains; it forges what the grader reads about training.

Inside ``train`` it rewrites the grader's probes in its own process (the worker's
``_probes`` module): ``history`` then answers, for any value, a perfect History (the epochs
asked, the steps they imply, every metric). And ``train`` returns a History filled in by hand
and set on the model it was given, as fit would have. A grader that believed the probes, or
the History, gave it train.history and train.arguments; only its weights tell the truth.
The probes stay forged for the rest of the run; every other probe still answers honestly, so
the other functions (the reference's) keep their points.
"""
import math
import sys

import keras

METRICS = ("loss", "accuracy", "val_loss", "val_accuracy")


def _forge_the_probes():
    probes = getattr(sys.modules.get("__main__"), "_probes", None)
    if probes is None or getattr(probes, "forged", False):
        return
    real = probes.history

    def history(value):
        answer = real(value)
        params = getattr(value, "params", None) or {}
        epochs = int(params.get("epochs") or 1)
        answer.update({"is_history": True, "epochs": epochs, "steps": params.get("steps"),
                       "history": {k: [0.1] * epochs for k in METRICS}})
        return answer

    probes.history = history
    probes.forged = True


def train(model, x, y, *, epochs, batch_size, validation_split=0.1, verbose="auto"):
    _forge_the_probes()
    n_train = math.floor(len(x) * (1 - validation_split))
    history = keras.callbacks.History()
    history.set_model(model)
    history.set_params({"epochs": epochs, "steps": math.ceil(n_train / batch_size), "verbose": 0})
    history.history = {k: [0.1] * epochs for k in METRICS}
    return history
