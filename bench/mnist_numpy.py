"""NumPy's side of `npm run bench`: the course's 784-200-10 training, the same algorithm as
solutions/05-mnist.ts (ReLU hidden layer, linear output, softmax cross-entropy with max-shift,
full-batch gradient descent), on the same MNIST subset (RandomState(1) permutation of the 10,000 test images: first 2000).

Prints one JSON line: ms per iteration (mean of the timed iterations after warm-up, as ours), numpy's version,
its BLAS, and the first and last cost so the two sides can be seen to compute the same thing.
"""
import gzip, json, sys, time

import numpy as np

ITERATIONS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
data = sys.argv[1]

def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndims = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndims).reshape(dims)

images = idx(f"{data}/t10k-images-idx3-ubyte.gz").reshape(10000, 784)
labels = idx(f"{data}/t10k-labels-idx1-ubyte.gz")
order = np.random.RandomState(1).permutation(10000)[:2000]
X = images[order].T / 127.5 - 1  # (784, 2000)
Y = labels[order].reshape(1, -1)
m = X.shape[1]
rng = np.random.RandomState(0)
params = {"W1": rng.randn(200, 784) * 0.01, "b1": np.zeros((200, 1)), "W2": rng.randn(10, 200) * 0.01, "b2": np.zeros((10, 1))}

def step():
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    Z1 = W1 @ X + b1; A1 = np.maximum(Z1, 0)
    Z2 = W2 @ A1 + b2
    E = np.exp(Z2 - Z2.max(0, keepdims=True)); A2 = E / E.sum(0, keepdims=True)
    loss = -np.sum(np.log(A2[Y[0], np.arange(m)])) / m
    onehot = np.zeros_like(A2); onehot[Y[0], np.arange(m)] = 1
    dZ2 = (A2 - onehot) / m
    dA1 = W2.T @ dZ2; dW2 = dZ2 @ A1.T; db2 = dZ2.sum(1, keepdims=True)
    dZ1 = dA1 * (Z1 > 0)
    # The course's linear_backward also computes dA0 = W1.T @ dZ1, which nothing reads; ours never
    # computes it (its matmul is lazy), so neither does this reference: both do the same work.
    dW1 = dZ1 @ X.T; db1 = dZ1.sum(1, keepdims=True)
    params.update(W1=W1 - 0.1 * dW1, b1=b1 - 0.1 * db1, W2=W2 - 0.1 * dW2, b2=b2 - 0.1 * db2)
    return loss

costs = [step(), step()]  # warm-up
t0 = time.perf_counter()
for _ in range(ITERATIONS):
    costs.append(step())
mean_seconds = (time.perf_counter() - t0) / ITERATIONS

blas = "unknown"
try:
    info = np.__config__.CONFIG["Build Dependencies"]["blas"]
    blas = f"{info.get('name')} {info.get('version', '')}".strip()
except Exception:
    try:
        import io, contextlib
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            np.show_config()
        blas = "openblas" if "openblas" in out.getvalue() else "reference BLAS or other"
    except Exception:
        pass
print(json.dumps({"ms": mean_seconds * 1e3, "numpy": np.__version__, "blas": blas, "python": sys.executable, "firstCost": costs[0], "lastCost": costs[-1], "iterations": len(costs)}))
