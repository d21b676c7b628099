"""The numpy CNN of assignment 03 (solutions/03_optimization/network.py, provided code) trains.

Fast checks (seconds): a short run on an MNIST subset learns; runs are reproducible from their
seeds; the optimizer can be a module or a function; the file imports only numpy, the standard
library and (optionally) tqdm, since students receive it as it is.
"""
import ast
import sys

import numpy as np
import pytest

from autograder.datasets import add_channel, load_mnist, to_float
from autograder.paths import solutions_dir
from autograder.references import reference

NETWORK_FILE = solutions_dir() / "03_optimization" / "network.py"


@pytest.fixture(scope="module")
def modules():
    return (reference("03_optimization", "network"), reference("02_cnn_layers", "layers"),
            reference("03_optimization", "optim"), reference("03_optimization", "regularization"))


@pytest.fixture(scope="module")
def mnist_subset():
    """2000 training images and 500 held-out test images, (N, 28, 28, 1) float32 in [0, 1]."""
    data = load_mnist()
    return (add_channel(to_float(data.train.images[:2000])), data.train.labels[:2000].astype(np.int64),
            add_channel(to_float(data.test.images[:500])), data.test.labels[:500].astype(np.int64))


def small_net(modules, seed, **kwargs):
    network, layers, _, regularization = modules
    return network.ConvNet(layers, regularization, np.random.default_rng(seed),
                           channels=(8, 16), hidden=64, **kwargs)


def test_network_learns_mnist_subset(modules, mnist_subset):
    network, _, optim, _ = modules
    x, y, x_test, y_test = mnist_subset
    net = small_net(modules, seed=0)
    history = network.train(net, optim, x, y, rng=np.random.default_rng(1), x_val=x_test,
                            y_val=y_test, optimizer="adam", config={"learning_rate": 2e-3},
                            epochs=2, batch_size=32, progress=False)
    assert len(history.step_loss) == 2 * 63 and len(history.loss) == 2
    first, last = np.mean(history.step_loss[:10]), np.mean(history.step_loss[-10:])
    assert last < 0.5 * first, f"loss went from {first:.3f} to {last:.3f} in 126 steps"
    assert history.loss[1] < history.loss[0]
    loss, accuracy = net.evaluate(x_test, y_test)
    assert accuracy == history.val_accuracy[-1] and loss == pytest.approx(history.val_loss[-1])
    assert accuracy > 0.85, f"held-out accuracy {accuracy:.3f} after 2 epochs on 2000 images"
    assert np.array_equal(net.predict(x_test[:37], batch_size=10),
                          net.forward(x_test[:37])[0].argmax(axis=1))
    assert all(p.dtype == np.float32 for p in net.params.values())


def test_training_is_reproducible_from_its_seeds(modules, mnist_subset):
    network, _, optim, _ = modules
    x, y = mnist_subset[0][:320], mnist_subset[1][:320]
    runs = []
    for _ in range(2):
        net = small_net(modules, seed=3, dropout=0.3)
        history = network.train(net, optim, x, y, rng=np.random.default_rng(4), reg="l2",
                                lam=1e-2, epochs=1, batch_size=32, progress=False)
        runs.append((history.step_loss, net.params))
    (loss_a, params_a), (loss_b, params_b) = runs
    np.testing.assert_allclose(loss_a, loss_b, rtol=1e-5)
    for name in params_a:
        np.testing.assert_allclose(params_a[name], params_b[name], rtol=1e-4, atol=1e-6, err_msg=name)
    other = network.train(small_net(modules, seed=3, dropout=0.3), optim, x, y,
                          rng=np.random.default_rng(5), epochs=1, batch_size=32, progress=False)
    assert not np.allclose(other.step_loss, loss_a), "a different shuffling seed changed nothing"


def test_optimizer_may_be_a_function_and_max_steps_stops_early(modules, mnist_subset):
    network, _, optim, _ = modules
    x, y = mnist_subset[0][:256], mnist_subset[1][:256]
    net = small_net(modules, seed=0, init="xavier")
    before = {name: p.copy() for name, p in net.params.items()}
    history = network.train(net, optim.momentum, x, y, rng=np.random.default_rng(0),
                            config={"learning_rate": 1e-2}, epochs=3, batch_size=32,
                            max_steps=5, progress=False)
    assert len(history.step_loss) == 5 and len(history.loss) == 1
    assert all(not np.array_equal(before[name], net.params[name]) for name in net.params)


@pytest.mark.parametrize("kwargs, match", [
    ({"optimizer": "adamax"}, "no optimizer 'adamax'"),
    ({"reg": "l3"}, "reg must be"),
])
def test_train_rejects_bad_arguments(modules, mnist_subset, kwargs, match):
    network, _, optim, _ = modules
    with pytest.raises(ValueError, match=match):
        network.train(small_net(modules, seed=0), optim, mnist_subset[0][:64], mnist_subset[1][:64],
                      rng=np.random.default_rng(0), progress=False, **kwargs)


def _imported_modules(tree: ast.AST) -> list[tuple[str, int]]:
    """(top-level module name, line) of every import in ``tree``; relative imports as '.'."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name.split(".")[0], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append(("." if node.level else node.module.split(".")[0], node.lineno))
    return found


def test_network_imports_only_numpy_stdlib_and_optional_tqdm():
    source = NETWORK_FILE.read_text()
    tree = ast.parse(source)
    for name, line in _imported_modules(tree):
        assert name == "numpy" or name == "tqdm" or name in sys.stdlib_module_names, \
            f"network.py line {line} imports {name!r}; students get this file, so it may import " \
            f"only numpy, the standard library and (guarded) tqdm"
    # tqdm is optional: imported only inside a try that catches ImportError.
    top_level = {name for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
                 for name, _ in _imported_modules(node)}
    assert "tqdm" not in top_level
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(name == "tqdm" for name, _ in _imported_modules(node)):
            handlers = [ast.unparse(h.type) for h in node.handlers if h.type is not None]
            assert "ImportError" in handlers, "the tqdm import must be guarded by except ImportError"
    assert "solutions" not in source.replace("solutions/", "")
