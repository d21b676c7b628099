"""The check library: one module per student module, each with a ``checks()`` table, built
from :mod:`base` (cases, the per-check context) and :mod:`families` (values, backward passes,
mutation, errors). :mod:`autograder.registry` says which tables grade which assignment."""
