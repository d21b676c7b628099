"""The ``cnn-autograder`` command line: a thin layer over the library."""
from __future__ import annotations

import argparse
import sys

from autograder import __version__


def _cmd_verify_data(args: argparse.Namespace) -> int:
    from autograder.datasets import DatasetError, load_mnist

    try:
        data = load_mnist(args.folder)
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"MNIST verified: {len(data.train.labels)} training and {len(data.test.labels)} test images.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cnn-autograder", description=__doc__)
    parser.add_argument("--version", action="version", version=f"cnn-autograder {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    verify = sub.add_parser("verify-data", help="verify the vendored MNIST files against SHA256SUMS")
    verify.add_argument("folder", nargs="?", default=None, help="a folder holding MNIST (default: the kit's)")
    verify.set_defaults(func=_cmd_verify_data)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
