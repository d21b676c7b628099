"""CNNs in Keras (assignment 04): LeNet-5, your own CNN, the slides' simple CNN for
Fashion-MNIST, training, and transfer learning.

Conventions (Keras 3, channels-last, as in the numpy assignments):

* images: float32 ``(N, 28, 28, 1)`` with values in [0, 1] (``autograder.datasets.to_float``
  and ``add_channel`` make them from the IDX files); labels: integers ``(N,)`` in
  ``0 .. num_classes - 1`` (so the loss is ``sparse_categorical_crossentropy``);
* every ``build_*`` function returns a **compiled** model whose last layer is a
  ``Dense(num_classes, activation="softmax")``, with ``metrics=["accuracy"]``;
* for reproducible runs call ``keras.utils.set_random_seed(seed)`` before building and training.

You may import keras (and numpy, the standard library); tensorflow only through keras.
"""
import numpy as np
import keras
from keras import layers

LEARNING_RATE = 1e-3           # Adam's default: a good start for both nets
FINE_TUNE_LEARNING_RATE = 1e-4  # fine-tuning moves pretrained weights gently
FEATURE_ENDS = (layers.Flatten, layers.GlobalAveragePooling2D, layers.GlobalMaxPooling2D)


# ---------------------------------------------------------------------------
# Provided helpers (not graded).
# ---------------------------------------------------------------------------

def compile_classifier(model, learning_rate=LEARNING_RATE):
    """Compile ``model`` for integer labels: Adam, sparse categorical cross-entropy, accuracy."""
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def feature_layers(model):
    """The feature part of a Sequential classifier: its layers up to and including the first
    Flatten (or global pooling) layer; the layers after it are the classifier."""
    for index, layer in enumerate(model.layers):
        if isinstance(layer, FEATURE_ENDS):
            return model.layers[:index + 1]
    raise ValueError(f"{model.name} has no Flatten or global pooling layer, so its feature "
                     f"layers cannot be told from its classifier.")


# ---------------------------------------------------------------------------
# 1. LeNet-5
# ---------------------------------------------------------------------------

def build_lenet5(input_shape=(28, 28, 1), num_classes=10):
    """The slides' LeNet-5 style network, compiled with :func:`compile_classifier`.

    Conv2D(12, 5x5, relu) -> MaxPooling2D(2) -> Conv2D(25, 5x5, relu) -> MaxPooling2D(2) ->
    Flatten -> Dense(180, relu) -> Dropout(0.5) -> Dense(100, relu) -> Dropout(0.5) ->
    Dense(num_classes, softmax); every Conv2D and Dense uses ``he_normal`` initial weights and
    ``padding="valid"`` (the default). On 28x28x1 it has 99,127 parameters.

    input_shape: (H, W, C) of one image; num_classes: the number of outputs.
    Returns a compiled ``keras.Model`` mapping (N, H, W, C) to (N, num_classes) probabilities.
    """
    raise NotImplementedError('04_keras_cnn, build_lenet5: implement it (see the docstring); it returns a compiled ``keras.Model`` mapping (N, H, W, C) to (N, num_classes) probabilities.')


# ---------------------------------------------------------------------------
# 2. Your own CNN
# ---------------------------------------------------------------------------

def build_model(input_shape=(28, 28, 1), num_classes=10):
    """Your own CNN for MNIST, compiled, with at most the rubric's parameter budget (500,000).

    Aim for 99.3% test accuracy after a few epochs. Ideas from the slides: stacks of 3x3
    convolutions, "same" padding, batch normalisation, dropout, more filters deeper in the net.
    The last layer must be ``Dense(num_classes, activation="softmax")``; compile it for integer
    labels with ``metrics=["accuracy"]`` (:func:`compile_classifier` does that).

    The grader also re-trains a fresh model on its CPU: Keras's ``fit`` (seed 0) for 2 epochs
    on the first 3000 training images, batches of 64, within 5 minutes; it must then be right
    on 70% of 1000 test images (the reference reaches 88%, LeNet-5 87%). A net that learns that
    slowly (e.g. global average pooling straight after two convolutions) loses those points.
    """
    raise NotImplementedError('04_keras_cnn, build_model: implement it (see the docstring).')


# ---------------------------------------------------------------------------
# 2b. Fashion-MNIST: the slides' simple architecture
# ---------------------------------------------------------------------------

def build_fashion_cnn(input_shape=(28, 28, 1), num_classes=10):
    """The slides' "simple architecture" for Fashion-MNIST, compiled with
    :func:`compile_classifier`: two blocks of a 3x3 convolution and a 2x2 max pooling, then one
    hidden dense layer:

    Conv2D(32, 3x3, relu, "same") -> MaxPooling2D(2) -> Conv2D(64, 3x3, relu, "same") ->
    MaxPooling2D(2) -> Flatten -> Dense(128, relu) -> Dropout(0.5) -> Dense(num_classes, softmax),

    Keras's default initial weights. "same" padding keeps the size through each convolution and
    the poolings halve it: 28 -> 28 -> 14 -> 14 -> 7, so Flatten gives 7 * 7 * 64 = 3136 values;
    421,642 parameters on 28x28x1. Trained with Adam for 15 epochs (the learning rate times 0.9
    after each) it reaches 92% on the Fashion-MNIST test set, the slides' figure.

    input_shape: (H, W, C) of one image; num_classes: the number of outputs.
    Returns a compiled ``keras.Model`` mapping (N, H, W, C) to (N, num_classes) probabilities.
    """
    raise NotImplementedError('04_keras_cnn, build_fashion_cnn: implement it (see the docstring); it returns a compiled ``keras.Model`` mapping (N, H, W, C) to (N, num_classes) probabilities.')


# ---------------------------------------------------------------------------
# 3. Training
# ---------------------------------------------------------------------------

def train(model, x, y, *, epochs, batch_size, validation_split=0.1, verbose="auto"):
    """Train a compiled ``model`` on images ``x`` (N, H, W, C) and integer labels ``y`` (N,).

    The last ``validation_split`` of the examples are held out for validation (Keras takes them
    from the end, before shuffling), so the history has ``loss``, ``accuracy``, ``val_loss`` and
    ``val_accuracy``, one value per epoch. Returns the ``keras.callbacks.History``.
    """
    raise NotImplementedError('04_keras_cnn, train: implement it (see the docstring); it returns the ``keras.callbacks.History``.')


# ---------------------------------------------------------------------------
# 4. Transfer learning and the CNN as a feature extractor
# ---------------------------------------------------------------------------
# A classifier is a feature extractor (the convolutional layers, up to Flatten) followed by a
# classifier (the Dense layers). Transfer learning keeps the features a network learnt on one
# task and learns a new classifier on top of them for another task.

def build_transfer_model(base, num_classes, freeze=True, hidden=100):
    """A classifier for a new task on top of the feature layers of a trained ``base``.

    base: a trained classifier (e.g. LeNet-5 trained on digits 0-4). The new model is
    ``feature_layers(base)`` (every layer up to and including Flatten, *shared* with ``base``,
    not copies), then a new classifier: Dense(hidden, relu, he_normal) -> Dropout(0.5) ->
    Dense(num_classes, softmax). With ``freeze=True`` the reused layers are frozen
    (``trainable = False``), so training changes the new classifier only.
    Returns the compiled model (:func:`compile_classifier`: compile after freezing).
    """
    raise NotImplementedError('04_keras_cnn, build_transfer_model: implement it (see the docstring); it returns the compiled model (:func:`compile_classifier`: compile after freezing).')


def unfreeze_top(model, n_layers, learning_rate=FINE_TUNE_LEARNING_RATE):
    """Fine-tuning: make the top ``n_layers`` weighted layers of the feature part trainable.

    model: a model from :func:`build_transfer_model`. Among its feature layers
    (:func:`feature_layers`), counting only those with weights (the convolutions), the top
    ``n_layers`` become trainable and the others frozen; the classifier after Flatten stays
    trainable. ``n_layers=0`` trains the classifier only. Recompile with Adam at
    ``learning_rate`` (small: the features are already good). Returns ``model``.
    """
    raise NotImplementedError('04_keras_cnn, unfreeze_top: implement it (see the docstring); it returns ``model``.')


def extract_features(model, x, batch_size=256):
    """The CNN as a feature extractor: the outputs of ``model``'s feature layers.

    model: a Sequential classifier; x: images (N, H, W, C). Returns a float32 numpy array
    (N, D): the output of its Flatten layer (D = 400 for LeNet-5 on 28x28x1), computed in
    inference mode (dropout off).
    """
    raise NotImplementedError('04_keras_cnn, extract_features: implement it (see the docstring); it returns a float32 numpy array (N, D): the output of its Flatten layer (D = 400 for LeNet-5 on 28x28x1), computed in inference mode (dropout off).')
