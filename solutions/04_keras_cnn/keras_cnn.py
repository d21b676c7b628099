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
    ### BEGIN SOLUTION
    init = "he_normal"
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(12, (5, 5), activation="relu", kernel_initializer=init),
        layers.MaxPooling2D(2),
        layers.Conv2D(25, (5, 5), activation="relu", kernel_initializer=init),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(180, activation="relu", kernel_initializer=init),
        layers.Dropout(0.5),
        layers.Dense(100, activation="relu", kernel_initializer=init),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax", kernel_initializer=init),
    ], name="lenet5")
    return compile_classifier(model)
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    init = "he_normal"

    def block(filters):
        return [layers.Conv2D(filters, 3, padding="same", use_bias=False, kernel_initializer=init),
                layers.BatchNormalization(), layers.Activation("relu")]

    model = keras.Sequential([
        keras.Input(shape=input_shape),
        *block(32), *block(32), layers.MaxPooling2D(2), layers.Dropout(0.25),
        *block(64), *block(64), layers.MaxPooling2D(2), layers.Dropout(0.25),
        layers.Flatten(),
        layers.Dense(128, activation="relu", kernel_initializer=init),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ], name="my_cnn")
    return compile_classifier(model)
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ], name="fashion_cnn")
    return compile_classifier(model)
    ### END SOLUTION


# ---------------------------------------------------------------------------
# 3. Training
# ---------------------------------------------------------------------------

def train(model, x, y, *, epochs, batch_size, validation_split=0.1, verbose="auto"):
    """Train a compiled ``model`` on images ``x`` (N, H, W, C) and integer labels ``y`` (N,).

    The last ``validation_split`` of the examples are held out for validation (Keras takes them
    from the end, before shuffling), so the history has ``loss``, ``accuracy``, ``val_loss`` and
    ``val_accuracy``, one value per epoch. Returns the ``keras.callbacks.History``.
    """
    ### BEGIN SOLUTION
    return model.fit(x, y, epochs=epochs, batch_size=batch_size,
                     validation_split=validation_split, shuffle=True, verbose=verbose)
    ### END SOLUTION


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
    ### BEGIN SOLUTION
    reused = feature_layers(base)
    for layer in reused:
        layer.trainable = not freeze
    model = keras.Sequential([
        keras.Input(shape=base.input_shape[1:]), *reused,
        layers.Dense(hidden, activation="relu", kernel_initializer="he_normal"),
        layers.Dropout(0.5),
        layers.Dense(num_classes, activation="softmax"),
    ], name="transfer")
    return compile_classifier(model)
    ### END SOLUTION


def unfreeze_top(model, n_layers, learning_rate=FINE_TUNE_LEARNING_RATE):
    """Fine-tuning: make the top ``n_layers`` weighted layers of the feature part trainable.

    model: a model from :func:`build_transfer_model`. Among its feature layers
    (:func:`feature_layers`), counting only those with weights (the convolutions), the top
    ``n_layers`` become trainable and the others frozen; the classifier after Flatten stays
    trainable. ``n_layers=0`` trains the classifier only. Recompile with Adam at
    ``learning_rate`` (small: the features are already good). Returns ``model``.
    """
    ### BEGIN SOLUTION
    convs = [layer for layer in feature_layers(model) if layer.weights]
    if not 0 <= n_layers <= len(convs):
        raise ValueError(f"n_layers must be between 0 and {len(convs)} (the weighted feature "
                         f"layers), got {n_layers}.")
    for index, layer in enumerate(convs):
        layer.trainable = index >= len(convs) - n_layers
    for layer in model.layers[len(feature_layers(model)):]:
        layer.trainable = True
    return compile_classifier(model, learning_rate)
    ### END SOLUTION


def extract_features(model, x, batch_size=256):
    """The CNN as a feature extractor: the outputs of ``model``'s feature layers.

    model: a Sequential classifier; x: images (N, H, W, C). Returns a float32 numpy array
    (N, D): the output of its Flatten layer (D = 400 for LeNet-5 on 28x28x1), computed in
    inference mode (dropout off).
    """
    ### BEGIN SOLUTION
    # Layers shared with another model (build_transfer_model's) remember the first graph they
    # were called in, so ``layer.output`` may belong to another model: chain them anew.
    extractor = keras.Sequential([keras.Input(shape=model.input_shape[1:]), *feature_layers(model)])
    features = extractor.predict(x, batch_size=batch_size, verbose=0)
    return np.asarray(features, dtype=np.float32).reshape(len(x), -1)
    ### END SOLUTION
