"""Taxpayer identifiers: NPWP (15 digits) and NPWP/NIK (16 digits) checked, formatted and
masked wherever people read them (kringlib.ids)."""

import pytest

from kringlib import ids

NPWP, NIK = "01.234.567.8-901.000", "3171234567890001"


@pytest.mark.parametrize(
    "text",
    [NPWP, "012345678901000", "01 234 567 8 901 000", NIK, "3171-2345-6789-0001", f" {NIK} "],
)
def test_fifteen_and_sixteen_digit_identifiers_are_valid(text):
    assert ids.is_valid_npwp(text)


@pytest.mark.parametrize(
    "text",
    ["01234567890100", "31712345678900012", "01.234.567.8-901.00O", "", "NPWP", "٠١٢٣٤٥٦٧٨٩٠١٢٣٤"],
    ids=["14", "17", "letter-O", "empty", "word", "arabic-digits"],
)
def test_anything_else_is_no_identifier(text):
    assert not ids.is_valid_npwp(text)


def test_an_npwp_is_written_in_its_usual_groups():
    assert ids.format_npwp("012345678901000") == NPWP
    assert ids.format_npwp(NIK) == NIK
    with pytest.raises(ValueError, match="Bukan NPWP"):
        ids.format_npwp("0123")


@pytest.mark.parametrize(
    ("text", "shown"),
    [(NPWP, "**.***.***.*-**1.000"), ("012345678901000", "***********1000"),
     (NIK, "************0001"), ("3171-2345-6789-0001", "****-****-****-0001")],
)  # fmt: skip
def test_one_identifier_shows_only_its_last_four_digits(text, shown):
    assert ids.mask_npwp(text) == shown


def test_masking_something_that_is_no_identifier_is_refused_without_echoing_it():
    with pytest.raises(ValueError) as raised:
        ids.mask_npwp("0123456")
    assert "0123456" not in str(raised.value)


@pytest.mark.parametrize(
    "text, expected",
    [
        (f"NPWP {NPWP}.", f"NPWP {ids.MASK}."),
        (f"NIK {NIK}", f"NIK {ids.MASK}"),
        ("NPWP 012345678901000", f"NPWP {ids.MASK}"),
        ("telepon 081234567890, tiket 12345", "telepon 081234567890, tiket 12345"),
        (None, None),
    ],
)
def test_identifiers_in_free_text_are_masked_and_nothing_else(text, expected):
    assert ids.mask_identifiers(text) == expected
    assert ids.contains_identifier(text) == (text != expected)
