"""Only the optional compiled module lives here; everything else is in pyproject.toml.

cleaner._native and cleaner._htmlwalk (Cython; the second against lxml's headers) are built when
a C compiler is present; when one cannot be built the install goes on without it and cleaner runs
its pure-Python reference of the same code."""
from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:  # building from a tree without Cython: no compiled module
    extensions = []
else:
    modules = [Extension("cleaner._native", ["cleaner/_native.pyx"])]
    try:
        import lxml
    except ImportError:  # no lxml headers: html.py walks the tree in Python
        pass
    else:
        # the HTML walk reads libxml2's nodes through lxml's C API, whose headers lxml ships
        modules.append(Extension("cleaner._htmlwalk", ["cleaner/_htmlwalk.pyx"], include_dirs=lxml.get_include()))
    extensions = cythonize(modules, language_level=3, quiet=True)
    for extension in extensions:
        extension.optional = True  # set after cythonize(), which does not carry it over

setup(ext_modules=extensions)
