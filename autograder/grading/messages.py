"""Every student-facing text, as keyed templates (``str.format`` fields), per language.

Only English is written so far; Portuguese (``pt``) and Spanish (``es``) catalogues plug in
beside it and fall back to English key by key. Messages answer: what happened (function,
case, index, got vs expected), what was expected, and the most likely cause.
"""
from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {"en": {
    # calling student code -------------------------------------------------------------
    "call.exception": "{function}({case}) raised {error_type}: {message}{where}",
    "call.not_implemented": "{function} is not implemented yet (it raises NotImplementedError).",
    "call.timeout": "{function}({case}) did not finish within {timeout:g} s. Look for a loop that "
                    "never ends, or a loop over every pixel that is too slow (vectorise it).",
    "call.crash": "{function}({case}): {message}. Your code was restarted for the other checks.",
    "call.protocol": "{function}({case}) returned something the grader could not read ({message}).",
    "call.unencodable": "{function}({case}) returned a value that could not be read ({message}).",
    "call.missing": "{module}.py defines no function {function}: keep the name and the signature "
                    "of the stub.",
    "import.failed": "{module}.py could not be imported ({error_type}: {message}){where}. Every "
                     "function in {module}.py scores 0 until the file imports.",
    "import.timeout": "importing {module}.py took longer than {timeout:g} s (code at the top level "
                      "of the file runs on import: move it into a function).",
    "import.banned": "{module}.py imports {names}: in assignments 01-03 only numpy and the standard "
                     "library are allowed, so every function of {module}.py scores 0. Remove the import.",
    "file.missing": "{file} is missing from the submission, so its functions score 0. Submit the "
                    "file with exactly this name (found: {found}).",
    # validating values ------------------------------------------------------------------
    "value.type": "{function}, {case}: {name} is a {got_type}, expected a {expected_type}.",
    "value.dtype_kind": "{function}, {case}: {name} has dtype {dtype}; expected a float array.",
    "value.shape": "{function}, {case}: {name} has shape {got}, expected {expected}.",
    "value.dtype": "{function}, {case}: {name} has dtype {got}, expected {expected} (the dtype must "
                   "follow the input: float32 in, float32 out).",
    "value.nonfinite": "{function}, {case}: {name}{index} is {got:.6g} ({count} non-finite values), "
                       "expected {expected:.6g}. Overflow in exp? Subtract the row maximum first.",
    "value.mismatch": "{function}, {case}: {name}{index} is {got:.6g}, expected {expected:.6g} "
                      "(max relative error {err:.1e}; {bad} of {size} values differ).",
    "value.scalar_type": "{function}, {case}: {name} is a {got_type}, expected a number "
                         "(a Python float or a 0-d numpy value).",
    "value.structure": "{function}, {case}: returned {got}, expected {expected}.",
    "value.wrong": "{function}, {case}: returned {got!r}, expected {expected!r}.",
    "value.also_right": " {right} {verb} right, so look at how {name} is computed.",
    # properties ---------------------------------------------------------------------------
    "property.mutation": "{function}({case}) modified its argument {args}: compute new arrays "
                         "(x = x + 1, np.pad, .copy()) instead of writing into the inputs.",
    "property.gated": "not earned yet: this counts only together with correct values of "
                      "{function} ({failed} failed).",
    "error.not_raised": "{function}({case}) should raise ValueError ({why}) but returned normally.",
    "error.wrong_type": "{function}({case}) raised {error_type} ({message}); expected ValueError "
                        "({why}). Validate the arguments and raise ValueError with a message.",
    "error.no_name": "{function}({case}) raised ValueError({message!r}); the message should name "
                     "the argument ({names}).",
    # optimizers -------------------------------------------------------------------------
    "optim.config_type": "{function} returned a config that is a {got}; return the config dict "
                         "(hyper-parameters and state) as the second item.",
    "optim.state_missing": "{function}: the returned config has no {key!r} (it has: {keys}); keep the "
                           "optimizer state under the SPEC's key names.",
    "optim.t": "{function}: config['t'] is {got} after {steps} steps, expected "
               "{expected}. Increment t before using it in the bias correction, and store it.",
    # the training task ------------------------------------------------------------------
    "train.bad_value": "during training, {function} returned something other than {what}.",
    "train.diverged": "during training, {function} returned NaN or inf weights: the training diverged.",
    "train.below": "your {optimizer} trained the CNN to {accuracy:.1%} accuracy on {n} MNIST test images "
                   "after {steps} steps; at least {threshold:.0%} is needed. Your optimizer passes the "
                   "single-step checks, so look at what changes over many steps (the state it keeps).",
    # dropout and initialisers -----------------------------------------------------------
    "dropout.scale": "dropout_forward, {case}: out{index} is {got:.6g} where x is {x:.6g}; a kept "
                     "element must be x / (1 - rate) = {expected:.6g} and a dropped one exactly 0 "
                     "(inverted dropout scales at training time).",
    "dropout.fraction": "dropout_forward, {case}: {kept:.3f} of the elements are kept, expected "
                        "1 - rate = {expected:.3f} (rate is the probability of dropping).",
    "dropout.not_deterministic": "dropout_forward gave two different outputs for the same "
                                 "rng seed: draw the mask from the rng argument (rng.random(x.shape)), "
                                 "never from np.random.",
    "dropout.ignores_rng": "dropout_forward gave the same mask for two different rng seeds: draw the "
                           "mask from the rng argument.",
    "init.mean": "{function}, {case}: the sample mean is {got:.4g}; expected about 0 (std {std:.4g}).",
    "init.std": "{function}, {case}: the sample standard deviation is {got:.4g}, expected {expected:.4g} "
                "(fan_in = {fan_in}, fan_out = {fan_out}, as Keras counts them).",
    "init.not_deterministic": "{function} gave different weights for the same rng seed: draw from "
                              "the rng argument only.",
    "init.ignores_rng": "{function} gave the same weights for two different rng seeds: draw from the "
                        "rng argument.",
    # the quiz ---------------------------------------------------------------------------
    "quiz.no_id": "quiz_answers.py: STUDENT_ID is {got}; set it to your student number, as a string, "
                  "so the grader can regenerate your questions.",
    "quiz.no_answers": "quiz_answers.py: ANSWERS is a {got}; it must be a dict such as {{'q1': 42}}.",
    "quiz.unanswered": "{qid} is not answered yet: {text}",
    "quiz.unreadable": "{qid}: the answer {got} cannot be read as {kind} (an int, True/False, or a "
                       "tuple (height, width, depth) for a volume).",
    "quiz.wrong": "{qid} ({topic}): {got} is not right. The question was: {text} Work it out with "
                  "H_out = (H + 2*pad - F) // stride + 1 and the slides' parameter formulas.",
    # gradient checks ----------------------------------------------------------------------
    "gradcheck.note": " A numerical gradient of your own forward pass agrees with the expected "
                      "{name}, so the forward pass is consistent and the bug is in the backward pass.",
    "gradcheck.own": " Your {name} does match a numerical gradient of your own forward pass, so the "
                     "forward pass itself is likely wrong too.",
}}

LANGUAGES = ("en",)


def render(key: str, lang: str = "en", **fields) -> str:
    """The message ``key`` in ``lang`` (English where the translation lacks it), filled in."""
    template = CATALOG.get(lang, {}).get(key) or CATALOG["en"][key]
    return template.format(**fields)


def register(entries: dict[str, str], lang: str = "en") -> None:
    """Add keyed templates (the hint library uses this); a key may be defined only once."""
    table = CATALOG.setdefault(lang, {})
    for key, text in entries.items():
        if key in table and table[key] != text:
            raise ValueError(f"message key {key!r} is defined twice")
        table[key] = text


def format_index(index: tuple) -> str:
    """``(1, 2, 0)`` -> ``"[1, 2, 0]"``; ``()`` -> ``""`` (a scalar)."""
    return f"[{', '.join(str(i) for i in index)}]" if index else ""
