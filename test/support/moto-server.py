"""moto_server, with two costs paid once instead of again and again.

- moto gives every user pool the same signing key (resources/jwks-private.json) and imports it anew for
  each CreateUserPool: an RSA private-key import with its consistency checks, about 0.1 s of CPU, the
  largest part of the suite's time in moto.
- To route each request, moto lists the folders of its own package (a stat per folder, ~170 of them):
  about a third of the CPU of a simple request.

This runs moto's own server with the key import and the folder list remembered (the same key, the same
list moto would have built), and changes nothing else. Where moto is not importable from this Python,
or its internals differ, it runs the plain `moto_server`.
"""

import os
import sys

try:
    import moto.cognitoidp.models as models
    from moto.server import main
except ImportError:
    os.execvp("moto_server", ["moto_server", *sys.argv[1:]])

try:
    real = models.jwk.RSAKey
    imported = {}

    class RememberedRSAKey(real):
        @classmethod
        def import_key(cls, value, *args, **kwargs):
            if args or kwargs or not isinstance(value, dict):
                return real.import_key(value, *args, **kwargs)
            key = repr(sorted(value.items()))
            if key not in imported:
                imported[key] = real.import_key(value)
            return imported[key]

    class Jwk:
        RSAKey = RememberedRSAKey

        def __getattr__(self, name):
            return getattr(models.jwk_module, name)

    models.jwk_module = models.jwk
    models.jwk = Jwk()
except AttributeError:
    pass

try:
    import moto.backends as backends

    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules
except (ImportError, AttributeError):
    pass

sys.exit(main(sys.argv[1:]))
