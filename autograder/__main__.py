"""``python -m autograder``: the same as the ``cnn-autograder`` console script."""
import sys

from autograder.cli import main

sys.exit(main())
