"""Only the optional compiled module lives here; everything else is in pyproject.toml.

cleaner._native (Cython) is built when a C compiler is present; when it cannot be built the
install goes on without it and cleaner runs its pure-Python reference of the same code."""
from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:  # building from a tree without Cython: no compiled module
    extensions = []
else:
    extensions = cythonize([Extension("cleaner._native", ["cleaner/_native.pyx"])],
                           language_level=3, quiet=True)
    for extension in extensions:
        extension.optional = True  # set after cythonize(), which does not carry it over

setup(ext_modules=extensions)
