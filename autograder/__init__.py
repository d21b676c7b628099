"""cnn-autograder: an auto-graded course kit for teaching convolutional neural networks."""

__version__ = "0.1.0"
