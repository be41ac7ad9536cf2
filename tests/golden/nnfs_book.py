"""A faithful stand-in for the `nnfs` Python package (nnfs.init and nnfs.datasets).

The package is not installable on our machines, so the golden-data scripts use this copy of
its behaviour, written from the package's source and the spec in shared/docs/book-numerics.md:

* init(): np.random.seed(0); np.random.randn / np.zeros / np.eye produce float32;
  np.dot casts its arguments to float64 and rounds the result to float32.
* exp/log of float32 arrays are correctly rounded (evaluated in float64, rounded once): the
  book's printed figures match that, while NumPy's SIMD float32 exp can be 1 ulp off
  (book-numerics.md, section 1). init() patches np.exp and np.log accordingly.
* datasets.spiral_data / vertical_data / sine_data: the package's generators, unchanged.

Import it and call init() exactly where a book program calls nnfs.init().
"""
import numpy as np

_orig = {}


def ensure_portable_numpy():
    """Re-run the calling script with NumPy's AVX512_SKX kernels disabled, if this CPU has them.

    On AVX512_SKX CPUs NumPy 1.24 evaluates float64 sin/cos (and some exp/log) with SIMD
    kernels up to a few ulp away from the C library, which is what NumPy uses on every other
    CPU and what C++'s std:: functions are. Golden data must not depend on the machine that
    wrote it. CPU features are fixed when NumPy is imported, hence the re-exec.
    """
    import os
    import sys
    from numpy.core._multiarray_umath import __cpu_features__

    if __cpu_features__.get("AVX512_SKX") and os.environ.get("NPY_DISABLE_CPU_FEATURES") != "AVX512_SKX":
        os.environ["NPY_DISABLE_CPU_FEATURES"] = "AVX512_SKX"
        os.execv(sys.executable, [sys.executable] + sys.argv)


def init(random_seed=0, dot_precision_workaround=True, default_dtype="float32"):
    if not _orig:
        _orig.update(dot=np.dot, randn=np.random.randn, zeros=np.zeros, eye=np.eye, exp=np.exp, log=np.log)
    if random_seed is not None:
        np.random.seed(random_seed)
    if dot_precision_workaround:
        orig_dot = _orig["dot"]

        def dot(*args, **kwargs):
            return orig_dot(*[np.asarray(a).astype("float64") for a in args], **kwargs).astype("float32")

        np.dot = dot
    if default_dtype:
        orig_randn, orig_zeros, orig_eye = _orig["randn"], _orig["zeros"], _orig["eye"]

        def randn(*args, **kwargs):
            return orig_randn(*args, **kwargs).astype(default_dtype)

        def zeros(*args, **kwargs):
            kwargs.setdefault("dtype", default_dtype)
            return orig_zeros(*args, **kwargs)

        def eye(*args, **kwargs):
            kwargs.setdefault("dtype", default_dtype)
            return orig_eye(*args, **kwargs)

        np.random.randn = randn
        np.zeros = zeros
        np.eye = eye
    np.exp = _correctly_rounded(_orig["exp"])
    np.log = _correctly_rounded(_orig["log"])


def _correctly_rounded(ufunc):
    def f(x, *args, **kwargs):
        a = np.asarray(x)
        if a.dtype == np.float32 and not args and not kwargs:
            return ufunc(a.astype(np.float64)).astype(np.float32)
        return ufunc(x, *args, **kwargs)

    return f


def uninit():
    """Undo init() (the golden scripts run several programs in one process)."""
    if _orig:
        np.dot = _orig["dot"]
        np.random.randn = _orig["randn"]
        np.zeros = _orig["zeros"]
        np.eye = _orig["eye"]
        np.exp = _orig["exp"]
        np.log = _orig["log"]


def spiral_data(samples, classes):
    X = np.zeros((samples * classes, 2))
    y = np.zeros(samples * classes, dtype="uint8")
    for class_number in range(classes):
        ix = range(samples * class_number, samples * (class_number + 1))
        r = np.linspace(0.0, 1, samples)
        t = np.linspace(class_number * 4, (class_number + 1) * 4, samples) + np.random.randn(samples) * 0.2
        X[ix] = np.c_[r * np.sin(t * 2.5), r * np.cos(t * 2.5)]
        y[ix] = class_number
    return X, y


def vertical_data(samples, classes):
    X = np.zeros((samples * classes, 2))
    y = np.zeros(samples * classes, dtype="uint8")
    for class_number in range(classes):
        ix = range(samples * class_number, samples * (class_number + 1))
        X[ix] = np.c_[np.random.randn(samples) * 0.1 + (class_number) / 3, np.random.randn(samples) * 0.1 + 0.5]
        y[ix] = class_number
    return X, y


def sine_data(samples=1000):
    X = np.arange(samples).reshape(-1, 1) / samples
    y = np.sin(2 * np.pi * X).reshape(-1, 1)
    return X, y
