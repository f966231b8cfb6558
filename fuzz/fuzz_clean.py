"""Coverage-guided fuzzing of cleaner's text, HTML and JSONL paths with atheris.

    pip install atheris
    python fuzz/fuzz_clean.py -max_total_time=600 fuzz/corpus

The first input byte picks the path; the rest is the document. Any exception is a finding: make the
crashing input a case in tests/test_fuzz.py or tests/bad_inputs/, fix it, and keep it there.
"""
import sys

import atheris

with atheris.instrument_imports():
    from cleaner import Cleaner
    from cleaner.corpus import clean_record
    from cleaner.io import InputError, decode

CLEANER = Cleaner()


def one_input(data: bytes) -> None:
    if not data:
        return
    mode, body = data[0] % 3, data[1:]
    if mode == 2:
        outcome = clean_record(CLEANER, body, "fuzz:1", "text", None)
        assert outcome.line.endswith(b"\n")
        return
    try:
        text = decode(body, "fuzz")
    except InputError:
        return
    out = CLEANER.clean(text, format="html" if mode else "text").text
    assert out == "" or out.endswith("\n")


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
