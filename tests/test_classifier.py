"""The generic block classifier: boilerplate no rule names."""
import pytest

from cleaner import Cleaner, clean
from cleaner.classifier import two_state_path
from cleaner.features import NAMES, detect_language, document_features
from cleaner.document import Document

ARTICLE = [
    "The council voted on Tuesday to keep the old bridge open for another ten years, after engineers said "
    "the repairs made last spring had worked better than expected.",
    "Residents had asked for the vote since the winter, when a lorry hit the railing and the road was closed "
    "for three weeks while the damage was assessed by the county.",
    "The new road along the river will still be built, the mayor said, but it will open later than planned "
    "and cost less than the first estimate because the old bridge keeps part of the traffic.",
    "Opponents of the plan said they would take the decision to court before the summer, and a group of "
    "shop owners on the east bank has already collected money for the lawyers.",
]
# Site furniture in words no catalogue rule knows.
HEAD = ["Acme Gazette", "Local", "Regional", "Weather", "Sports desk", "Obituaries", "Classifieds"]
TAIL = ["Acme Gazette Ltd", "12 Harbour Street", "Jobs at the Gazette", "Our journalists",
        "Weather", "Sports desk", "Obituaries", "Classifieds"]


def page():
    return "\n".join(HEAD + ARTICLE + TAIL)


def test_keeps_the_article_and_drops_the_furniture():
    out = clean(page())
    assert out == "\n\n".join(ARTICLE) + "\n"


def test_removals_carry_classifier_ids_and_reasons():
    result = Cleaner().clean(page())
    ids = {d.rule for d in result.decisions}
    assert ids == {"classifier.boilerplate"}
    assert all("block classifier" in d.reason for d in result.decisions)


@pytest.mark.parametrize("options", [{"ignore": ["classifier"]}, {"classifier": False}, {"select": ["ads"]}])
def test_classifier_can_be_turned_off(options):
    assert clean(page(), **options).count("\n\n") == len(HEAD + ARTICLE + TAIL) - 1


def test_select_classifier_alone():
    result = Cleaner(select=["classifier"]).clean(page() + "\nAdvertising by Adpathway")
    assert all(d.rule.startswith("classifier.") for d in result.decisions)


def test_never_empties_a_document():
    text = "Home\nMenu\nLogin\nContact"
    assert clean(text, guard_ratio=1.0, builtin_rules=False) != ""


def test_idempotent_on_a_page():
    once = clean(page())
    assert clean(once) == once


def test_two_state_path():
    assert two_state_path([], 1.0) == []
    assert two_state_path([-2, 5, -0.5, 5, -2], 1.0) == [False, True, True, True, False]
    # the path starts from boilerplate: a weak first block goes even when the switch is dear
    assert two_state_path([-0.5, 5, 5], 4.0) == [False, True, True]
    # a cheap switch lets a negative block between two positives go
    assert two_state_path([5, -3, 5], 1.0) == [True, False, True]
    assert two_state_path([5, -3, 5], 4.0) == [True, True, True]


def test_features_have_the_model_shape():
    doc = Document.from_text(page())
    rows = document_features(doc.blocks, [b.text for b in doc.blocks], "en")
    assert len(rows) == len(doc.blocks) and all(len(r) == len(NAMES) for r in rows)


@pytest.mark.parametrize("text,lang", [
    ("Les deux entreprises ont démenti la rumeur jeudi soir, selon un communiqué publié à Pékin.", "fr"),
    ("Die Regierung hat am Montag einen neuen Haushalt vorgelegt, der weniger Schulden vorsieht.", "de"),
    ("The council voted on Tuesday to keep the old bridge open for another ten years.", "en"),
])
def test_language_detection(text, lang):
    assert detect_language([text]) == lang
