"""cleaner learn: repeated blocks per site become a reviewed rule file."""
import json
import random
import subprocess
import sys


from cleaner import clean
from cleaner.learn import LearnOptions, learn_paths
from cleaner.rules import load_file

WORDS = "river bridge council vote engineer winter repair lorry road city budget school mayor plan court".split()
PROSE = "The council met on Tuesday and voted to keep the old bridge open for ten more years, said the mayor."


def corpus(path, n=40, seed=3):
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            site = "gazette.example" if i % 2 else "news.example"
            body = [" ".join(rng.choice(WORDS) for _ in range(18)).capitalize() + "." for _ in range(3)]
            frame = (["Subscribe to the Gazette morning briefing", "Gazette Ltd, 12 Harbour Street"]
                     if site == "gazette.example" else ["News Example home"])
            if i < 12:
                body.append(PROSE)  # an article sentence quoted on 12 pages: prose needs 4x the count
            fh.write(json.dumps({"url": f"https://www.{site}/a/{i}", "text": "\n".join(frame + body)}) + "\n")
    return path


def test_learn_writes_a_loadable_rule_file(tmp_path):
    src = corpus(tmp_path / "c.jsonl")
    out = tmp_path / "learned" / "sites.yml"
    found = learn_paths([str(src)], out, options=LearnOptions(min_docs=5))
    assert found == {"gazette.example": 2, "news.example": 1}
    text = out.read_text(encoding="utf-8")
    assert "# seen in 20 of 20 documents" in text
    rules = {r.id: r for r in load_file(out)}
    assert set(rules) == {"learned.gazette-example", "learned.news-example"}
    assert PROSE not in text  # 12 documents < 5 x 4 for prose
    cleaned = clean("Subscribe to the Gazette morning briefing\n" + PROSE, rules_dirs=[str(out)], select=["learned"])
    assert cleaned == PROSE + "\n"


def test_learn_command(tmp_path):
    src = corpus(tmp_path / "c.jsonl")
    proc = subprocess.run([sys.executable, "-m", "cleaner", "learn", str(src), "-o", str(tmp_path / "r.yml"),
                           "--min-docs", "5"], capture_output=True, text=True)
    assert proc.returncode == 0 and "wrote 3 block(s) for 2 site(s)" in proc.stderr
    assert load_file(tmp_path / "r.yml")


def test_corpus_without_urls_is_one_site(tmp_path):
    src = tmp_path / "plain.jsonl"
    src.write_text("".join(json.dumps({"text": f"Footer line of the corpus\nBody {i} of a document."}) + "\n"
                           for i in range(6)), encoding="utf-8")
    found = learn_paths([str(src)], tmp_path / "r.yml", options=LearnOptions(min_docs=5))
    assert found == {"corpus": 1}
