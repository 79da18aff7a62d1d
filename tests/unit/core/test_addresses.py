import pytest

from backcheck.core.addresses import b58decode, classify, normalize_evm, normalize_solana
from backcheck.core.errors import BadInput

AAPLX = "0x9d275685dC284C8eB1C79f6ABA7a63Dc75ec890a"


def test_checksum_round_trip():
    assert normalize_evm(AAPLX.lower()) == AAPLX
    assert normalize_evm(AAPLX) == AAPLX
    assert normalize_evm("0x" + AAPLX[2:].upper()) == AAPLX


def test_bad_checksum_is_refused_with_the_right_form():
    broken = "0x9D275685dC284C8eB1C79f6ABA7a63Dc75ec890a"
    with pytest.raises(BadInput, match=f"invalid EIP-55 checksum.*{AAPLX}"):
        normalize_evm(broken)


@pytest.mark.parametrize("text", ["0x123", "0x" + "g" * 40, "9d275685dc284c8eb1c79f6aba7a63dc75ec890a"])
def test_not_an_evm_address(text):
    with pytest.raises(BadInput, match="not an EVM address"):
        normalize_evm(text)


def test_solana_key_is_32_bytes():
    assert len(b58decode("XsbEhLAtcf6HdfpFZ5xEMdqW8nfAvcsP5bdudRLJzJp")) == 32
    assert (
        normalize_solana(" S7vYFFWH6BjJyEsdrPQpqpYTqLTrPRK6KW3VwsJuRaS ")
        == "S7vYFFWH6BjJyEsdrPQpqpYTqLTrPRK6KW3VwsJuRaS"
    )


def test_solana_bad_character_is_named():
    with pytest.raises(BadInput, match=r"character '0' at position 3"):
        normalize_solana("Xs0EhLAtcf6HdfpFZ5xEMdqW8nfAvcsP5bdudRLJzJp")


def test_solana_wrong_length():
    with pytest.raises(BadInput, match="32 bytes"):
        normalize_solana("XsbEhLAtcf6HdfpFZ5xEMdqW8nfAvcsP5bdudRLJz")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (AAPLX, "evm_address"),
        ("0xdeadbeef00", "evm_address"),
        ("XsbEhLAtcf6HdfpFZ5xEMdqW8nfAvcsP5bdudRLJzJp", "solana_address"),
        ("CH1436219195", "isin"),
        ("AAPL", "text"),
        ("Apple", "text"),
    ],
)
def test_classify(text, kind):
    assert classify(text) == kind
