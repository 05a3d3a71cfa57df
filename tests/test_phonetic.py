"""The DJP phonetic alphabet and the NTPN check (Buku Saku, "Alfabet" and "contoh NTPN")."""

import re
import string

import pytest

from kringlib import phonetic

# "Alpha | Bravo | Charlie | Delta | Echo | Fanta | Golf | Hotel | India | Juliet | Kilo |
#  London | Mike | November | Oscar | Papa | Quebec | Romeo | Sierra | Tango | Ultra |
#  Victor | Whiskey | X-ray | Yankee | Zulu"
RULEBOOK_ALPHABET = (
    "Alpha Bravo Charlie Delta Echo Fanta Golf Hotel India Juliet Kilo London Mike November "
    "Oscar Papa Quebec Romeo Sierra Tango Ultra Victor Whiskey X-ray Yankee Zulu"
).split()
# "contoh NTPN:"
RULEBOOK_NTPNS = [
    "1B2DF67K42NQLN7D",
    "C485183A1JC1O1J3",
    "F1B5E0T35396S983",
    "889285DU4A32MA5O",
    "28DDC836JPQ7TBI7",
    "4A8480VQL575QHVN",
]
DIGITS = "nol satu dua tiga empat lima enam tujuh delapan sembilan".split()


@pytest.mark.parametrize(
    ("letter", "word"), list(zip(string.ascii_uppercase, RULEBOOK_ALPHABET, strict=True))
)
def test_every_letter_is_spelled_as_the_rulebook_writes_it(letter, word):
    assert phonetic.spell(letter) == [word]
    assert phonetic.spell(letter.lower()) == [word]


def test_f_l_and_u_are_the_djp_words_not_nato():
    """ "F anta", "L ondon", "U ltra" where NATO says Foxtrot, Lima, Uniform."""
    assert phonetic.spell("FLU") == ["Fanta", "London", "Ultra"]


@pytest.mark.parametrize(("digit", "word"), list(zip(string.digits, DIGITS, strict=True)))
def test_digits_are_indonesian_words(digit, word):
    assert phonetic.spell(digit) == [word]


def test_letters_and_digits_that_sound_alike_are_told_apart():
    """The second example holds both O and 0-like 1s and Is: each gets its own word."""
    assert phonetic.spell("C485183A1JC1O1J3") == [
        "Charlie", "empat", "delapan", "lima", "satu", "delapan", "tiga", "Alpha", "satu",
        "Juliet", "Charlie", "satu", "Oscar", "satu", "Juliet", "tiga",
    ]  # fmt: skip
    assert phonetic.spell("O0I1") == ["Oscar", "nol", "India", "satu"]


def test_spaces_dots_and_dashes_are_read_past():
    assert phonetic.spell(" 12.3-a ") == ["satu", "dua", "tiga", "Alpha"]
    assert phonetic.spell("") == []


@pytest.mark.parametrize(("text", "named"), [("AB/1", "'/' (posisi 3)"), ("Ö", "'Ö' (posisi 1)"),
                                             ("1٢", "'٢' (posisi 2)")])  # fmt: skip
def test_any_other_character_is_refused_by_name_and_place(text, named):
    with pytest.raises(ValueError, match=re.escape(f"Karakter {named}")):
        phonetic.spell(text)


@pytest.mark.parametrize("ntpn", RULEBOOK_NTPNS)
def test_the_rulebooks_ntpn_examples_are_valid(ntpn):
    assert phonetic.is_valid_ntpn(ntpn)
    assert len(phonetic.spell(ntpn)) == 16


def test_the_packaged_examples_are_the_rulebooks():
    assert phonetic.alphabet().ntpn.examples == RULEBOOK_NTPNS


@pytest.mark.parametrize(
    "text",
    ["1B2DF67K42NQLN7", "1B2DF67K42NQLN7DX", "1B2DF67K42NQ-N7D", "1B2DF67K42NQ N7D",
     "1B2DF67K42NQÖN7D", "", "٢B2DF67K42NQLN7D"],
    ids=["15", "17", "dash", "space", "umlaut", "empty", "arabic-digit"],
)  # fmt: skip
def test_what_is_not_sixteen_digits_and_capitals_is_no_ntpn(text):
    assert not phonetic.is_valid_ntpn(text)


def test_an_ntpn_typed_in_lower_case_or_with_spaces_around_is_read_as_written():
    assert phonetic.is_valid_ntpn(" 1b2df67k42nqln7d ")


def test_each_spoken_character_comes_with_its_word():
    assert phonetic.spelled("o-0 i1") == [
        ("O", "Oscar"), ("0", "nol"), ("I", "India"), ("1", "satu")
    ]  # fmt: skip
