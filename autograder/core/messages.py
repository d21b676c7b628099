"""Every student-facing text, as keyed templates (``str.format`` fields), per language.

English is the source; the Portuguese (``pt``) and Spanish (``es``) catalogues live in
``autograder/core/locales/`` and fall back to English key by key. Messages answer: what
happened (function, case, index, got vs expected), what was expected, and the most likely cause.
"""
from __future__ import annotations

import os
import reprlib

NAME_LIMIT = 120                # characters of one student-controlled name in a note


def safe_name(text: str, limit: int = NAME_LIMIT) -> str:
    """``text`` printable on one line, at most ``limit`` characters: control characters (newlines,
    ANSI escapes), invisible formatting characters and lone surrogates (bytes that were not
    UTF-8) become '?'; a longer text is cut and ends with '...'."""
    cut = len(text) > limit
    text = text[:max(limit - 3, 0)] if cut else text
    return "".join(c if c.isprintable() else "?" for c in text) + ("..." if cut else "")


CATALOG: dict[str, dict[str, str]] = {"en": {
    # calling student code -------------------------------------------------------------
    "call.exception": "{function}({case}) raised {error_type}: {message}{where}",
    "call.not_implemented": "{function} is not implemented yet (it raises NotImplementedError).",
    "call.timeout": "{function}({case}) did not finish within {timeout:g} s. Look for a loop that "
                    "never ends, or a loop over every pixel that is too slow (vectorise it).",
    "call.crash": "{function}({case}): {message}. Your code was restarted for the other checks.",
    "call.protocol": "{function}({case}) returned something the grader could not read ({message}).",
    "call.unencodable": "{function}({case}) returned a value that could not be read ({message}).",
    "call.forget": "{function}: when the grader dropped the values this check kept (its caches), "
                   "your code misbehaved ({kind}: {message}). Look for a __del__, a generator or a "
                   "thread in what the function returns.",
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
    "batch.unreadable": "{reason} Nothing in this submission could be graded, so every check scores "
                        "0: submit it again as described.",
    # validating values ------------------------------------------------------------------
    "value.type": "{function}, {case}: {name} is a {got_type}, expected a {expected_type}.",
    "value.dtype_kind": "{function}, {case}: {name} has dtype {dtype}; expected a float array.",
    "value.shape": "{function}, {case}: {name} has shape {got}, expected {expected}.",
    "value.dtype": "{function}, {case}: {name} has dtype {got}, expected {expected} (the dtype must "
                   "follow the input: float32 in, float32 out).",
    "value.nonfinite": "{function}, {case}: {name}{index} is {got:.6g} ({count} non-finite values), "
                       "expected {expected:.6g}. NaN and inf come from overflow (exp of a large "
                       "number), log(0) or 0/0.",
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
                           "optimizer state under the contract's key names (docs/contract.md §5).",
    "optim.t": "{function}: config['t'] is {got} after {steps} steps, expected "
               "{expected}. Increment t before using it in the bias correction, and store it.",
    # the training task ------------------------------------------------------------------
    "train.bad_value": "during training, {function} returned something other than {what}.",
    "train.diverged": "during training, {function} returned NaN or inf weights: the training "
                      "diverged.",
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
    "init.mean": "{function}, {case}: the sample mean is {got:.4g}; expected about 0 (std "
                 "{std:.4g}).",
    "init.std": "{function}, {case}: the sample standard deviation is {got:.4g}, expected {expected:.4g} "
                "(fan_in = {fan_in}, fan_out = {fan_out}, as Keras counts them).",
    "init.not_deterministic": "{function} gave different weights for the same rng seed: draw from "
                              "the rng argument only.",
    "init.ignores_rng": "{function} gave the same weights for two different rng seeds: draw from the "
                        "rng argument.",
    # the quiz ---------------------------------------------------------------------------
    "quiz.no_id": "quiz_answers.py: STUDENT_ID is {got}; set it to your student number, as a string, "
                  "so the grader can regenerate your questions.",
    "quiz.other_id": "quiz_answers.py: STUDENT_ID is {got!r} but this submission is {expected!r}'s: "
                     "the quiz is graded with your own questions, so set STUDENT_ID to {expected!r} "
                     "and answer the questions it gives you.",
    "quiz.no_answers": "quiz_answers.py: ANSWERS is a {got}; it must be a dict such as {{'q1': "
                       "42}}.",
    "quiz.unanswered": "{qid} is not answered yet: {text}",
    "quiz.unreadable": "{qid}: the answer {got} cannot be read as {kind} (an int, True/False, or a "
                       "tuple (height, width, depth) for a volume).",
    "quiz.wrong": "{qid} ({topic}): {got} is not right. The question was: {text} {formula}",
    "picture": "(A picture of the difference: {path}.)",
    # gradient checks ----------------------------------------------------------------------
    "gradcheck.note": " A numerical gradient of your own forward pass agrees with the expected "
                      "{name}, so the forward pass is consistent and the bug is in the backward pass.",
    "gradcheck.own": " Your {name} does match a numerical gradient of your own forward pass, so the "
                     "forward pass itself is likely wrong too.",
}}


# The hint library's texts (autograder/hints/ holds the bugs they describe): what matching a
# known bug's output tells the student. Each names the likely cause, never the reference's code.
HINT_TEXTS: dict[str, str] = {
    # convolution.py
    "hint.correlate_flipped":
        "Your output is a true convolution (kernel flipped): correlate2d must not flip the "
        "kernel; only convolve2d does.",
    "hint.convolve_not_flipped":
        "Your output is a correlation: convolve2d rotates the kernel by 180 degrees first "
        "(kernel[::-1, ::-1]).",
    "hint.convolve_one_axis":
        "Your kernel is flipped on one axis only: a 180-degree rotation flips both.",
    "hint.template_not_divided":
        "Your map is not divided by the number of pixels of the template (template.size).",
    "hint.ceil_zero_padding":
        "Your partial border windows count padded zeros: a partial window takes the max of the "
        "pixels it holds only (pad with -inf, or slice).",
    "hint.ceil_ignored":
        "Your output ignores ceil_mode=True: partial windows at the border must count.",
    "hint.relu_float64":
        "Your values are right but float64: something in relu is float64 (a mask made with "
        ".astype(float), np.zeros(x.shape), a float64 array) and promotes a float32 x. "
        "np.maximum(x, 0) or np.where(x > 0, x, 0) keep x's dtype.",
    # layers.py
    "hint.zero_pad.all_axes":
        "Your result is padded along N and C too: padding every axis by the same width is what "
        "happens when no width per axis is given. Only H and W (axes 1 and 2) get zeros.",
    "hint.conv_forward.flipped":
        "Your output equals a true convolution, with the filter rotated by 180 degrees. The "
        "layers of a CNN compute a cross-correlation: each window is multiplied by w as it is.",
    "hint.conv_forward.no_bias":
        "Your output equals the layer without its bias: every output pixel of filter f also "
        "gets b[f].",
    "hint.conv_forward.stride_ignored":
        "Your output is what stride 1 gives: output pixel (i, j) looks at the window that "
        "starts at row i*stride and column j*stride of the padded input, and the output size "
        "divides by the stride.",
    "hint.conv_forward.pad_ignored":
        "Your output is what pad=0 gives: the input must be padded with zeros before the filter "
        "slides over it, and the output size counts the padding.",
    "hint.conv_forward.pad_one_side":
        "Your output matches an input with all 2*pad zero rows (and columns) on one side. "
        "Padding is per side: pad rows on top and pad rows at the bottom, likewise left and "
        "right.",
    "hint.conv_backward.stride_ignored":
        "Your gradients are what windows starting at (i, j) instead of (i*stride, j*stride) "
        "give: in the backward pass dout[n, i, j, f] belongs to the same window of the padded "
        "input as in the forward pass.",
    "hint.conv_backward.dx_minus_pad":
        "Your dx is empty because the slice that removes the padding selects nothing when pad = "
        "0: a negative end index -pad is 0 there. Compute the end of the slice from H and W.",
    "hint.conv_backward.dx_not_cropped":
        "Your dx has the shape of the padded input: the gradient of the zero padding is thrown "
        "away, and dx keeps only the H x W rows and columns that came from x.",
    "hint.conv_backward.dx_assigned":
        "Your dx loses the contributions of overlapping windows: where windows (or filters) "
        "share input pixels, each one's gradient must be added to dx (+=), not assigned (=).",
    "hint.conv_backward.db_mean":
        "Your db is an average; the bias is added to every output pixel of every example, so "
        "its gradient is the sum of dout over N, H_out and W_out.",
    "hint.conv_backward.dw_last_example":
        "Your dw holds the last example's contribution only: the filters are shared by the "
        "whole batch, so dw accumulates over all N examples (start it at zero once, before "
        "looping).",
    "hint.max_pool_forward.stride_default":
        "Your output is what stride 1 gives: stride=None means the stride equals the pool size "
        "(non-overlapping windows), as in Keras.",
    "hint.max_pool_backward.ties_all":
        "Your dx gives the gradient to every element equal to its window's maximum. When "
        "several tie, only the first one in row-major order (the one np.argmax picks) gets it.",
    "hint.max_pool_backward.ties_last":
        "Your dx gives a tied window's gradient to its last maximal element; the convention is "
        "the first one in row-major order (the one np.argmax picks).",
    "hint.max_pool_backward.assigned":
        "Overlapping windows (stride smaller than the pool size) can share elements and even "
        "their maximum: their gradients must add up in dx (+=); assigning (=) keeps only the "
        "last window's.",
    "hint.max_pool_backward.whole_window":
        "Your dx gives dout to every element of the window. Only the maximal element influenced "
        "the output of max pooling, so only it receives the gradient; the others get 0.",
    "hint.avg_pool_forward.sum":
        "Your output is the sum of each window; average pooling divides it by the number of "
        "elements, ph * pw.",
    "hint.avg_pool_forward.stride_default":
        "Your output is what stride 1 gives: stride=None means the stride equals the pool size "
        "(non-overlapping windows), as in Keras.",
    "hint.avg_pool_backward.not_divided":
        "Your dx is ph * pw times too large: each element contributes 1/(ph * pw) of its "
        "window's average, so it receives that share of dout.",
    "hint.avg_pool_backward.assigned":
        "Overlapping windows (stride smaller than the pool size) share elements: each window's "
        "share of the gradient must be added to dx (+=); assigning (=) keeps only the last one.",
    "hint.relu_backward.ge_zero":
        "Your dx lets the gradient through where x == 0 as well. The course's convention is "
        "relu'(0) = 0: the gradient flows only where x > 0.",
    "hint.affine_backward.dx_flat":
        "Your dx has the flattened shape (N, D); it must have the shape of the original x (N, "
        "d1, ..., dk), which the forward pass can keep in its cache.",
    "hint.affine_backward.db_mean":
        "Your db is averaged over the batch; b is added to every example's output, so db is the "
        "sum of dout over the N rows.",
    "hint.softmax.no_shift":
        "exp overflows to inf for scores above ~709 (float64), and inf / inf is NaN. Softmax "
        "does not change when a constant is subtracted from a whole row, so shift each row by "
        "its maximum before exp.",
    "hint.softmax.wrong_axis":
        "Your columns sum to 1 instead of your rows: each row of scores is one example, so the "
        "maximum, the sum of exp and the division all run along axis 1, per row.",
    "hint.softmax_cross_entropy.loss_sum":
        "Your loss is the sum over the batch; it is the mean over the N examples.",
    "hint.softmax_cross_entropy.dscores_not_divided":
        "Your dscores is N times too large: the loss is a mean over N examples, so its gradient "
        "probs - onehot(y) is divided by N too.",
    "hint.softmax_cross_entropy.no_shift":
        "exp overflows for large scores, so probabilities become inf/inf = NaN. Shift each row "
        "by its maximum first, and take the log of the probabilities from the shifted scores "
        "(log-sum-exp), not the log of a probability that may round to 0.",
    "hint.softmax_cross_entropy.log_of_probs":
        "Your loss is inf although the shift is right: the probability of a label whose score is "
        "far below the row maximum rounds to 0, and log(0) = -inf. Compute log-probabilities "
        "directly, shifted - log(sum(exp(shifted))) (log-sum-exp), instead of log(softmax).",
    # optim.py
    "hint.sgd_ascent": "Your step goes up the gradient: SGD subtracts learning_rate * dw.",
    "hint.momentum_no_velocity":
        "Your step equals plain SGD: the velocity must carry over between steps in "
        "config['velocity'] (v = momentum * v + learning_rate * dw).",
    "hint.velocity_sign":
        "Your step treats the given velocity with the opposite sign (v = momentum * v - "
        "learning_rate * dw; w + v, CS231n's convention). The course stores v = momentum * v + "
        "learning_rate * dw and steps w - v: the same trajectory from zero, but not from a "
        "saved state.",
    "hint.nesterov_plain_momentum":
        "Your step equals classical momentum (w - v_new). With w as the look-ahead point the "
        "contract's update (docs/contract.md §5) is w + momentum * v - (1 + momentum) * v_new.",
    "hint.adagrad_eps_outside":
        "Your step puts epsilon outside the square root, g / (sqrt(G) + eps); the course's "
        "AdaGrad divides by sqrt(G + eps).",
    "hint.rmsprop_eps_outside":
        "Your step puts epsilon outside the square root; the course's RMSprop divides by sqrt(E "
        "+ eps).",
    "hint.rmsprop_swapped_decay":
        "Your running average weighs the new g**2 by decay_rate and the old average by (1 - "
        "decay_rate): it is the other way round.",
    "hint.adadelta_no_lr":
        "Your step ignores learning_rate: the contract's AdaDelta (docs/contract.md §5) applies "
        "w + learning_rate * delta.",
    "hint.adadelta_delta_after":
        "Your step uses E[delta^2] after updating it with this step's delta; compute delta from "
        "the previous E[delta^2], then update it.",
    "hint.adam_eps_inside":
        "Your step puts epsilon inside the square root, sqrt(v_hat + eps); the course's Adam "
        "divides by sqrt(v_hat) + eps. (With the default eps = 1e-8 the two look alike; with a "
        "larger eps they do not.)",
    "hint.adam_no_bias_correction":
        "Your step uses m and v without the bias correction m / (1 - beta1**t), v / (1 - "
        "beta2**t).",
    "hint.adam_t_after":
        "Your bias correction uses t before incrementing it: t must be incremented first, so "
        "the first step uses t = 1.",
    # regularization.py
    "hint.l2_no_two":
        "Your dw is lam/n * w: the derivative of w**2 is 2w, so dw = 2 * lam/n * w.",
    "hint.l2_half":
        "You used the 1/2 * lam * sum(w**2) convention; the slides' L2 has no 1/2 (penalty "
        "lam/n * sum(w**2), dw = 2 * lam/n * w).",
    "hint.l2_ignores_n":
        "Your penalty ignores n: the slides divide lam by the number of examples n.",
    "hint.l1_sign_zero": "Your dw is not 0 where w == 0: use np.sign, whose sign(0) is 0.",
    "hint.l1_ignores_n":
        "Your penalty ignores n: the slides divide lam by the number of examples n.",
    "hint.enet_swapped":
        "Your mix is swapped: l1_ratio weighs the L1 part and 1 - l1_ratio the L2 part.",
    "hint.dropout_keep_rate":
        "You keep elements with probability rate: rate is the probability of DROPPING one "
        "(Keras Dropout(rate)), so keep with probability 1 - rate.",
}
CATALOG["en"].update(HINT_TEXTS)

# Assignment 04 (Keras) ---------------------------------------------------------------------
KERAS_TEXTS: dict[str, str] = {
    "import.banned_keras": "{module}.py imports {names}: in assignment 04 use Keras (on TensorFlow), "
                           "numpy and the standard library, so every function of {module}.py scores 0. "
                           "Remove the import.",
    "keras.probe_failed": "{function}({case}): {action} raised {error_type}: {message}",
    "keras.not_model": "{function}({case}) returned a {got}, expected a keras.Model (build it with "
                       "keras.Sequential or keras.Model and return it).",
    "keras.input_shape": "{function}({case}): the model takes images of shape {got}, expected "
                         "{expected}: start with keras.Input(shape=input_shape).",
    "keras.output_shape": "{function}({case}): the model outputs shape {got} per image, expected "
                          "{expected}: end with Dense(num_classes, activation=\"softmax\").",
    "keras.layers": "{function}({case}): the model has {count} layers, {got}; expected {expected_count}: "
                    "{expected}.",
    "keras.layer": "{function}({case}): layer {index} ({layer}) has {what} {got}, expected {expected}. "
                   "Work out each layer's output shape (H_out = H - HH + 1 for a valid 5x5 "
                   "convolution, H / 2 for a 2x2 pooling) and its parameters (HH * WW * C * F + F "
                   "for a convolution, inputs * units + units for a Dense layer).",
    "keras.initializer": "{function}({case}): layer {index} ({layer}) starts from {got} weights, "
                         "expected he_normal: pass kernel_initializer=\"he_normal\" (He "
                         "initialisation keeps the scale of ReLU activations through the layers).",
    "keras.not_compiled": "{function}({case}) returned a model that is not compiled: call "
                          "model.compile(...) (compile_classifier does it) before returning it.",
    "keras.no_metrics": "{function}({case}): the model reports no accuracy (its metrics: {got}); "
                        "compile it with metrics=[\"accuracy\"].",
    "keras.loss": "{function}({case}): on integer labels the model's loss is {got}, but the "
                  "cross-entropy of its own predictions is {expected}. Compile with "
                  "loss=\"sparse_categorical_crossentropy\" (labels are integers 0..9, not one-hot) "
                  "and from_logits=False, since the last layer already applies softmax.",
    "keras.accuracy_metric": "{function}({case}): the model's accuracy metric is {got}, but its "
                             "predictions are right on {expected} of the images: use "
                             "metrics=[\"accuracy\"] with integer labels.",
    "keras.no_conv": "{function}({case}): the model has no Conv2D layer; this assignment asks for a "
                     "convolutional network.",
    "keras.not_probabilities": "{function}({case}): the outputs on {n} images are not probabilities "
                               "(row {row} sums to {got:.4g}): the last layer's activation must be "
                               "softmax.",
    "keras.budget": "{function}({case}): the model has {got:,d} parameters, more than the budget of "
                    "{budget:,d}. A pooling layer before Flatten, fewer filters or a smaller Dense "
                    "layer reduce it (the Dense layer after Flatten usually holds most of them).",
    "keras.too_slow": "{function}, {case}: training the model took longer than {timeout:g} s on the "
                      "grader's CPU. Make it smaller (fewer filters, pooling earlier).",
    "keras.not_learning": "{function}, {case}: after training, the model is right on {accuracy:.1%} "
                          "of {n} test images; at least {threshold:.0%} is expected. Check that the "
                          "model you train is the one you were given (not a copy), the learning rate, "
                          "and the number of epochs.",
    "keras.not_history": "{function}({case}) returned a {got}, expected the keras.callbacks.History "
                         "that model.fit returns.",
    "keras.history_keys": "{function}({case}): the history has {got} but no {missing}: fit with "
                          "validation_split=validation_split on a model compiled with "
                          "metrics=[\"accuracy\"].",
    "keras.epochs": "{function}({case}): the model was trained for {got} epochs, expected {expected}: "
                    "pass epochs=epochs to model.fit.",
    "keras.steps": "{function}({case}): each epoch had {got} steps, expected {expected} ({n} training "
                   "examples after holding out validation_split={split:g}, in batches of "
                   "{batch_size}): pass batch_size and validation_split to model.fit.",
    "keras.head": "{function}({case}): the last layer is {got}, expected a new "
                  "Dense(num_classes, activation=\"softmax\").",
    "keras.trainable_params": "{function}({case}): {got:,d} weights are trainable, expected "
                              "{expected:,d} (the new classifier's, after Flatten): with "
                              "freeze=True set trainable = False on every reused feature layer, "
                              "then compile.",
    "keras.trainable_params_unfrozen": "{function}({case}): {got:,d} weights are trainable, "
                                       "expected {expected:,d} (all of them): with freeze=False "
                                       "every layer stays trainable.",
    "keras.transfer_features": "{function}({case}): the new model's probabilities are not its "
                               "classifier applied to base's features: after feature_layers(base), "
                               "add only the new Dense and Dropout layers.",
    "keras.trainable": "{function}({case}): layer {index} ({layer}) has trainable={got}, expected "
                       "{expected}. Of the feature layers' convolutions, the top {n} become "
                       "trainable and the lower ones stay frozen; the classifier after Flatten "
                       "stays trainable.",
    "keras.learning_rate": "{function}({case}): the model is compiled with learning rate {got:g}, "
                           "expected {expected:g}: recompile with keras.optimizers.Adam(learning_rate).",
    "keras.action.model_table": "reading the model's layers",
    "keras.action.predict": "predicting with the model",
    "keras.action.evaluate": "evaluating the model on integer labels",
    "keras.action.history": "reading the history",
    "keras.action.fit": "training the model",
    "keras.action.make_model": "building a test model",
    "keras.action.layer_weights": "reading the weights",
    "keras.action.set_seed": "seeding",
    "keras.transfer_reuse": "{function}({case}): the new model does not start with base's feature "
                            "layers and their trained weights: reuse feature_layers(base) (every "
                            "layer up to and including Flatten) themselves, not new or "
                            "re-initialised copies.",
    "keras.what.output_shape": "output shape",
    "keras.what.params": "number of parameters",
    "keras.what.activation": "activation",
    "keras.what.rate": "dropout rate",
    "keras.integer_labels": "{function}({case}): evaluating the model on integer labels (0..9) "
                            "raised {error_type}: {message}. Compile it with "
                            "loss=\"sparse_categorical_crossentropy\": categorical_crossentropy "
                            "expects one-hot labels.",
    "keras.features_hint": " The features are the outputs of the feature layers (up to and "
                           "including Flatten) in inference mode (dropout off): model.predict, or "
                           "training=False.",
}
CATALOG["en"].update(KERAS_TEXTS)

# Assignment 04, judged where the student process cannot reach (issue 14 section 3) ----------
KERAS_TRUST_TEXTS: dict[str, str] = {
    "keras.action.model_config": "reading the model's configuration (model.to_json())",
    "keras.no_config": "{function}({case}): {action} raised {error_type}: {message}. The grader "
                       "re-trains a fresh copy of your model rebuilt from that configuration: build "
                       "it from Keras's built-in layers with keras.Sequential or "
                       "keras.Model(inputs, outputs).",
    "keras.rebuild_refused": "{function}, {case}: the grader re-trains a fresh copy of your model, "
                             "rebuilt from its configuration (model.to_json()) in a separate "
                             "process, and did not rebuild it: {reason}.",
    "keras.rebuild.unreadable": "the configuration is not one a model's to_json() gives (JSON of at "
                                "most 1 MB, nested at most 48 levels deep, strings of at most 256 "
                                "characters)",
    "keras.rebuild.class": "it names {name}, which is not one of the Keras built-in layers, "
                           "initializers, optimizers and losses the grader rebuilds (Lambda layers, "
                           "custom classes and subclassed models cannot be rebuilt safely: use "
                           "keras.Sequential or keras.Model(inputs, outputs) with built-in layers)",
    "keras.rebuild.data": "it carries a list of {count} numbers, which is data (weights in an "
                          "initializer, say), not an architecture: weights start from the "
                          "initializers",
    "keras.rebuild.params": "it has {params:,d} parameters, more than the {limit:,d} the grader "
                            "re-trains",
    "keras.rebuild.shape": "it maps {got}, expected {expected}",
    "keras.rebuild.loss": "it is compiled with the loss {loss}, expected "
                          "sparse_categorical_crossentropy (the labels are integers)",
    "keras.rebuild.not_compiled": "it is not compiled with an optimizer",
    "keras.rebuild_failed": "{function}, {case}: re-training a fresh copy of the model (rebuilt from "
                            "model.to_json(), trained by the grader's fit) failed: {error_type}: "
                            "{message}",
    "keras.history_no_model": "{function}({case}): the History returned belongs to no trained model "
                              "(model.fit did not fill it in): return the History that model.fit "
                              "returns.",
    "keras.history_weights": "{function}({case}): the weights of the model the History belongs to "
                             "do not show a training by model.fit on the images given: train the "
                             "model given with model.fit(x, y, ...) and return the History it "
                             "returns.",
    "keras.trained_images": "{function}({case}): the model was trained on {got} of the {n} images, "
                            "expected {expected}: the last validation_split={split:g} of them are "
                            "held out for validation (pass validation_split to model.fit).",
    "keras.updates": "{function}({case}): the model was updated on {got} batches, expected "
                     "{expected} ({epochs} epochs of {steps} batches): pass epochs and batch_size "
                     "to model.fit.",
    "keras.history_mismatch": "{function}({case}): the History says the last epoch's {what} was "
                              "{got:.4g}, but the model it belongs to scores {expected:.4g} on the "
                              "images held out for validation: return the History that model.fit "
                              "returns, unchanged.",
}
CATALOG["en"].update(KERAS_TRUST_TEXTS)

# Assignment 04's trained model files (issue 15: checks/keras_files.py, grading/model_file.py)
KERAS_FILE_TEXTS: dict[str, str] = {
    "keras.data.mnist": "MNIST",
    "keras.data.fashion": "Fashion-MNIST",
    "keras.file.missing": "{file} is missing from the submission (or was not read: the notes "
                          "say why), so this check scores 0 (the other checks keep their "
                          "points). The notebook saves it in the "
                          "assignment's folder with model.save(\"{file}\"): hand it in beside "
                          "keras_cnn.py.",
    "keras.file.accuracy": "{file}: the model is right on {accuracy:.2%} of the {n:,d} {data} test "
                           "images. Full points from {full:.1%}, none at {zero:.1%} or below, in "
                           "proportion in between: {credit:.0%} of this check's points. Train "
                           "longer (more epochs, a decaying learning rate) or improve the model.",
    "keras.file_refused": "{function}: the grader did not load this model, so this check scores 0: "
                          "{reason}.",
    "keras.file.empty": "the file is empty (0 bytes): save the model again with model.save(\"{file}\")",
    "keras.file.hdf5": "it is an HDF5 file (Keras's legacy format, as model.save(\"model.h5\") "
                       "writes) renamed .keras: save the model with model.save(\"{file}\"), "
                       "which writes the .keras format (a zip archive)",
    "keras.file.not_zip": "it is not a .keras file (a zip archive as model.save writes it): save "
                          "the model with model.save(\"{file}\") and hand in that file",
    "keras.file.damaged": "the zip archive is truncated or damaged: save the model again with "
                          "model.save(\"{file}\") and hand in the whole new file",
    "keras.file.unsafe": "the archive holds an entry whose path leaves its folder ({name}); "
                         "model.save writes config.json, metadata.json and model.weights.h5 only",
    "keras.file.members": "the archive holds {got}, expected exactly {expected}, as "
                          "model.save(\"{file}\") writes them (not a folder zipped by hand)",
    "keras.file.encrypted": "{member} is encrypted in the archive: save the model with model.save",
    "keras.file.method": "{member} is compressed with a method other than deflate: save the model "
                         "with model.save",
    "keras.file.too_large": "{member} inflates to more than {limit:,d} bytes, far more than a model "
                            "of its declared size needs",
    "keras.file.unreadable": "its configuration (config.json) is not one model.save writes (JSON "
                             "of at most 1 MB, nested at most 48 levels deep, strings of at most "
                             "256 characters, sizes given as positive integers)",
    "keras.file.class": "its configuration names {name}, which is not one of the Keras built-in "
                        "layers and initializers the grader loads (a Lambda layer, a custom "
                        "class or a subclassed model could run code): build the model with "
                        "keras.Sequential or keras.Model(inputs, outputs) from built-in layers",
    "keras.file.data": "its configuration carries a list of {count} numbers, which is data (the "
                       "weights belong in model.weights.h5), not an architecture",
    "keras.file.inputs": "the model has {count} inputs, expected one: images of shape (28, 28, 1)",
    "keras.file.input": "the model takes inputs of shape {got}, expected {expected}: the grader "
                        "feeds the test images as in the notebook, float32 (N, 28, 28, 1) in "
                        "[0, 1]; start the model with keras.Input(shape=(28, 28, 1))",
    "keras.file.output": "the model outputs shape {got}, expected {expected}: one score per class",
    "keras.file.unbuilt": "its layer {layer} was saved before it was built (it declares no input "
                          "shape): save the model after training it",
    "keras.file.params": "it has {params:,d} parameters, more than the {limit:,d} the grader loads",
    "keras.file.load_failed": "{file}: Keras could not load the model or predict with it "
                              "({error_type}: {message}), so this check scores 0: save the trained "
                              "model again with model.save(\"{file}\") and check, as the notebook "
                              "does, that keras.saving.load_model reloads it.",
    "keras.file.too_slow": "{file}: loading the model and predicting the {n:,d} test images took "
                           "longer than {timeout:g} s on the grader's CPU (a CNN of the course's "
                           "size takes seconds), so this check scores 0.",
    "keras.file.no_data": "{function}: the grader has no {data} test set here ({error}), so it "
                          "could not score this file: tell your instructor (the grader's "
                          "installation needs it; your file is not the problem).",
}
CATALOG["en"].update(KERAS_FILE_TEXTS)

# The quiz of assignment 01 (autograder/quiz.py fills in each student's numbers) ------------
QUIZ_TEXTS: dict[str, str] = {
    "quiz.topic.q1": "conv output volume",
    "quiz.topic.q2": "does it fit",
    "quiz.topic.q3": "same padding",
    "quiz.topic.q4": "conv parameters",
    "quiz.topic.q5": "dense parameters",
    "quiz.topic.q6": "pooling output",
    "quiz.topic.q7": "receptive field",
    "quiz.topic.q8": "dense vs conv",
    "quiz.topic.q9": "dense vs conv",
    "quiz.topic.q10": "AlexNet chain",
    "quiz.text.q1": "An input volume of {n}x{n}x{c} goes through a conv layer of {k} filters of {f}x{f}, "
                    "stride {s}, padding {p}. What is the output volume (height, width, depth)?",
    "quiz.text.q2": "A {f}x{f} filter slides over a {n}x{n} input with stride {s} and no padding. Does it "
                    "tile the input exactly (True/False)?",
    "quiz.text.q3": "What padding keeps the spatial size unchanged for a {f}x{f} filter at stride "
                    "1?",
    "quiz.text.q4": "How many learnable parameters (weights and biases) has a conv layer of {k} filters "
                    "of {f}x{f} over an input of depth {c}?",
    "quiz.text.q5": "How many learnable parameters has a dense layer from {n_in} inputs to {n_out} "
                    "outputs (weights and biases)?",
    "quiz.text.q6": "A {size}x{size} max pooling with stride {s} (no padding, trailing rows dropped) is "
                    "applied to a {n}x{n} map. What is the output width?",
    "quiz.text.q7": "A stack of layers, nearest the input first: {f1}x{f1} stride {s1}, then {f2}x{f2} "
                    "stride {s2}, then {f3}x{f3} stride {s3}. How many input pixels wide is the "
                    "receptive field of one output unit?",
    "quiz.text.q8": "A {side}x{side} RGB image is fully connected to {hidden} hidden units. How many "
                    "learnable parameters has that layer?",
    "quiz.text.q9": "Instead, a conv layer of {k} filters of {f}x{f} is applied to the same image. How "
                    "many times more parameters has the dense layer? Round to the nearest integer.",
    "quiz.text.q10": "An AlexNet-style chain on a {n}x{n}x3 image: conv 11x11 stride 4 (no padding), max "
                     "pool 3x3 stride 2, conv 5x5 stride 1 padding 2, max pool 3x3 stride 2. What is the "
                     "final spatial width?",
}
CATALOG["en"].update(QUIZ_TEXTS)

# The formula that answers each quiz question, named when an answer is wrong (quiz.wrong).
QUIZ_FORMULAS: dict[str, str] = {
    "quiz.formula.q1": "Height and width: H_out = (H + 2*pad - F) // stride + 1; the depth is the "
                       "number of filters.",
    "quiz.formula.q2": "The filter tiles the input exactly when (N - F) is a multiple of the "
                       "stride: (N - F) % stride == 0.",
    "quiz.formula.q3": "At stride 1, pad = (F - 1) / 2 keeps the size, since N + 2*pad - F + 1 = N.",
    "quiz.formula.q4": "Each filter has F*F*depth weights and one bias: (F*F*depth + 1) * filters.",
    "quiz.formula.q5": "One weight per input-output pair and one bias per output: n_in*n_out + n_out.",
    "quiz.formula.q6": "Pooling follows the conv rule without padding: (N - size) // stride + 1.",
    "quiz.formula.q7": "r = 1 + sum over the layers of (f - 1) times the product of the strides of "
                       "the layers before it.",
    "quiz.formula.q8": "Every pixel of every channel is an input: side*side*3*hidden weights, plus one "
                       "bias per hidden unit.",
    "quiz.formula.q9": "Divide the dense layer's parameters (q8: side*side*3*hidden + hidden) by the "
                       "conv layer's (f*f*3*k + k: each filter's weights are shared by every position, "
                       "plus one bias per filter), then round to the nearest integer.",
    "quiz.formula.q10": "Apply H_out = (H + 2*pad - F) // stride + 1 to each layer in turn, the "
                        "poolings included (no padding there).",
}
CATALOG["en"].update(QUIZ_FORMULAS)

# Words of the reports (autograder/report) --------------------------------------------------
REPORT_TEXTS: dict[str, str] = {
    "report.function": 'function',
    "report.points": 'points',
    "report.checks": 'checks',
    "report.checks_passed": 'checks passed',
    "report.passed": '{ok}/{n} passed',
    "report.total": 'total',
    "report.what_to_fix": 'What to fix:',
    "report.more_checks.one": '{name} and {count} more check',
    "report.more_checks.other": '{name} and {count} more checks',
    "report.points_n.one": '{points} point',
    "report.points_n.other": '{points} points',
    "report.failure": '[{names}] {message}',
    "report.all_public_pass": "All public checks pass.",
    "report.function_public_pass": "All public checks of {functions} pass.",
    "report.selected_public_pass.one": "The {count} public check that ran passes.",
    "report.selected_public_pass.other": "The {count} public checks that ran pass.",
    "report.not_run_here.one": "Not run here: {names}; the graded run checks it on hidden cases.",
    "report.not_run_here.other": "Not run here: {names}; the graded run checks them on hidden cases.",
    "report.other_inputs": "The graded run also repeats every check on other inputs, so passing here "
                           "is necessary, not sufficient: test edge cases yourself too.",
    "report.selfcheck": "SelfCheck({score} / {max_score} public points)",
    # pytest in an assignment folder (autograder/pytest_plugin.py)
    "pytest.summary": "public checks of {assignment}: {score} / {points}",
    "pytest.summary_some": "public checks of {assignment} that ran ({ran} of {total}): {score} / {points}",
    "pytest.see_above": "<- see the failed tests above",
    "pytest.same_cause": "same cause",
    "pytest.also_failed.one": "{names} fails with it (same cause).",
    "pytest.also_failed.other": "{names} fail with it (same cause).",
    "pytest.same_as": "fails because {cause} fails (see above).",
}
CATALOG["en"].update(REPORT_TEXTS)

# The translations (one text per English key; the locale modules import nothing from autograder).
from autograder.core.locales import es, pt  # noqa: E402

CATALOG["pt"] = pt.TEXTS
CATALOG["es"] = es.TEXTS

LANGUAGES = ("en", "pt", "es")
LANG_VARIABLE = "CNN_AUTOGRADER_LANG"


def default_lang() -> str:
    """The language a student or a course chose once for every command and self-check:
    ``$CNN_AUTOGRADER_LANG`` (``pt``, ``es``), else English."""
    chosen = os.environ.get(LANG_VARIABLE, "").strip().lower()[:2]
    if not chosen:
        return "en"
    if chosen not in LANGUAGES:
        raise ValueError(f"{LANG_VARIABLE}={os.environ[LANG_VARIABLE]!r} is not a language of the "
                         f"messages: set it to one of {', '.join(LANGUAGES)}, or unset it for English.")
    return chosen


def render(key: str, lang: str = "en", /, **fields: object) -> str:
    """The message ``key`` in ``lang`` (English where the translation lacks it), filled in.

    Fields may hold what a submission returned: containers are shown abbreviated (``[1, 2,
    ...]``) and strings cut at 2000 characters, so no value can make a message huge.
    """
    template = CATALOG.get(lang, {}).get(key) or CATALOG["en"][key]
    return template.format(**{name: _bounded(value) for name, value in fields.items()})


_REPR = reprlib.Repr()
_REPR.maxstring, _REPR.maxother, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict = 200, 200, 12, 12, 8
_REPR.maxlevel = 3


class _Brief:
    """A container field, shown abbreviated by ``str``, ``repr`` and ``format``."""

    def __init__(self, value: object) -> None:
        self.text = _REPR.repr(value)

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)


def _bounded(value: object) -> object:
    if isinstance(value, str):
        return value if len(value) <= 2000 else value[:2000] + "..."
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        return _Brief(value)
    return value


def plural(key: str, lang: str, count: float, /, **fields: object) -> str:
    """``key.one`` when ``count`` is 1, else ``key.other`` ("1 point", "2 points", "0.5 points"),
    filled in with ``fields`` and ``count``. The same rule serves en, pt and es."""
    return render(f"{key}.{'one' if count == 1 else 'other'}", lang, count=count, **fields)


def format_index(index: tuple[int, ...]) -> str:
    """``(1, 2, 0)`` -> ``"[1, 2, 0]"``; ``()`` -> ``""`` (a scalar)."""
    return f"[{', '.join(str(i) for i in index)}]" if index else ""


# nbgrader courses (autograder/nbgrader): the test cells and the notes cell of a graded notebook.
NBGRADER_TEXTS: dict[str, str] = {
    "nbgrader.cell_score": "{group}: {score} / {points}, graded from {files} as you submitted it, "
                           "outside this notebook.",
    "nbgrader.all_passed.one": "Its check passes.",
    "nbgrader.all_passed.other": "All {count} of its checks pass.",
    "nbgrader.not_graded": "Not graded ({reason}), so this cell scores 0. Tell your instructor.",
    "nbgrader.no_grading_step": "cnn-autograder's grading step did not run for this notebook "
                                "(nbgrader_config.py lacks autograder.nbgrader.trusted.GradeModules)",
    "nbgrader.notes_title": "**cnn-autograder.** Your points come from your files as you submitted "
                            "them ({files}), graded outside this notebook on inputs of the "
                            "grader's own: what the notebook prints or changes does not count. "
                            "Each test cell below shows the points of one function and what to fix.",
    "nbgrader.notes_intro": "About your notebook:",
    "nbgrader.cell_missing": "The test cell of {group} was missing: it was put back at the end of the "
                             "notebook. Its points come from your file all the same; do not delete "
                             "test cells.",
    "nbgrader.cell_duplicated": "The test cell of {group} was in the notebook {count} times: only the "
                                "first one is a test cell, the copies ran as ordinary cells.",
    "nbgrader.cell_changed": "The test cell of {group} had been edited: its original was restored "
                             "(test cells are locked).",
    "nbgrader.notebook_unreadable": "Your notebook could not be read before grading ({reason}).",
    "nbgrader.kernel_died": "The kernel died while running code cell {cell} (`{excerpt}`): it was "
                            "killed, crashed, or ran out of memory. The cells after it were not run.",
    "nbgrader.cell_timeout": "Code cell {cell} (`{excerpt}`) ran longer than {limit:g} s, so the "
                             "notebook was stopped there and the cells after it were not run. Look "
                             "for a loop that never ends, or one that is too slow.",
    "nbgrader.notebook_timeout": "The notebook ran longer than {limit:g} s in all, so it was stopped at "
                                 "code cell {cell} (`{excerpt}`).",
    "nbgrader.output_cut": "Code cell {cell} (`{excerpt}`) printed or displayed more than {limit:g} kB "
                           "(or the notebook more than its total): the rest of its output was "
                           "dropped.",
    "nbgrader.not_run": "Your notebook could not be run ({reason}).",
}
CATALOG["en"].update(NBGRADER_TEXTS)
