import keyring
from keyring.backends import fail, null

from backcheck.core import secrets
from backcheck.core.secrets import Secrets


def test_memory_keyring_round_trip(memory_keyring):
    store = Secrets()
    assert store.secure and store.warning is None
    store.set("ethplorer", "k-123")
    assert memory_keyring.store[("backcheck", "ethplorer")] == "k-123"
    assert Secrets().get("ethplorer") == "k-123"


def test_without_secure_backend_keys_stay_in_this_session_only():
    keyring.set_keyring(fail.Keyring())
    store = Secrets()
    assert not store.secure
    assert "this session only" in store.warning
    store.set("ethplorer", "k-456")
    assert store.get("ethplorer") == "k-456"
    assert Secrets().get("ethplorer") is None


def test_insecure_backends_are_recognised():
    assert not secrets.is_secure(fail.Keyring())
    assert not secrets.is_secure(null.Keyring())

    class PlaintextKeyring(null.Keyring):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    assert not secrets.is_secure(PlaintextKeyring())
