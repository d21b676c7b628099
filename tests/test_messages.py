"""The message catalogue: every translation covers every English key with the same fields."""
import string

import pytest

from autograder.core import messages
from autograder.core.messages import CATALOG, LANGUAGES, render
from autograder.grading.runner import grade
from autograder.paths import REPO_ROOT

TRANSLATIONS = [lang for lang in LANGUAGES if lang != "en"]
ENGLISH = CATALOG["en"]

# Fields a translation may leave out, with the reason. Nothing else may differ.
#   value.also_right/verb: the checks pass the English verb "is"/"are", which no Portuguese
#   or Spanish sentence can use; str.format ignores the unused keyword.
MAY_DROP = {("value.also_right", "verb")}

# Translations that may equal the English text (over 40 characters) on purpose. None so far.
IDENTICAL_OK: set[tuple[str, str]] = set()

FLOAT_TYPES = set("eEfFgGn%")


def fields(template: str) -> dict[str, tuple[str, str | None]]:
    """``{name: (format_spec, conversion)}`` of a template's replacement fields."""
    found = {}
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        assert name not in found or found[name] == (spec, conversion), (template, name)
        found[name] = (spec, conversion)
    return found


def dummies(template: str) -> dict:
    """A value of the right type for every field: a float where the spec formats a number."""
    values = {}
    for name, (spec, _) in fields(template).items():
        if spec and spec[-1] in FLOAT_TYPES:
            values[name] = 0.123456789
        elif spec and spec[-1] in "dboxX":
            values[name] = 7
        else:
            values[name] = f"<{name}>"
    return values


def test_languages():
    assert LANGUAGES == ("en", "pt", "es")
    assert set(CATALOG) == set(LANGUAGES)


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_every_english_key_is_translated_and_nothing_else(lang):
    assert set(CATALOG[lang]) == set(ENGLISH)
    assert all(isinstance(text, str) and text.strip() for text in CATALOG[lang].values())


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_translations_keep_the_fields_specs_and_conversions(lang):
    wrong = {}
    for key, english in ENGLISH.items():
        want = fields(english)
        got = fields(CATALOG[lang].get(key, english))
        dropped = {name for name in set(want) - set(got) if (key, name) in MAY_DROP}
        if got != {n: v for n, v in want.items() if n not in dropped}:
            wrong[key] = (want, got)
    assert not wrong


# render(key, lang, **fields) cannot take a field named like its own parameters: the English
# "optim.state_missing" has a field {key!r}, so render(..., key=...) raises TypeError (and so
# does Ctx.text, which the optimizer checks call with key=state_key).
CLASHES = {"key", "lang"}


def _render(key: str, lang: str, values: dict) -> str:
    if CLASHES & set(values):
        return (CATALOG[lang].get(key) or ENGLISH[key]).format(**values)
    return render(key, lang, **values)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_renders(lang):
    for key, english in ENGLISH.items():
        values = dummies(english)
        text = _render(key, lang, values)
        assert text == CATALOG[lang][key].format(**values)
        leftover = text.replace("{'q1': 42}", "")       # the one escaped brace pair
        assert "{" not in leftover and "}" not in leftover, (lang, key, text)
        assert _render(key, "en", values) == english.format(**values)


def test_render_accepts_a_field_named_key():
    assert "'m'" in render("optim.state_missing", "en", function="adam", key="m", keys="v")


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_no_long_text_is_left_in_english(lang):
    same = {key for key, english in ENGLISH.items()
            if len(english) > 40 and CATALOG[lang].get(key) == english and (lang, key) not in IDENTICAL_OK}
    assert not same


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_format_specs_and_escapes_survive(lang):
    text = render("value.mismatch", lang, function="f", case="c", name="dx", index="[0]", got=1.0,
                  expected=2.0, err=0.5, bad=1, size=4)
    assert "dx[0]" in text and "5.0e-01" in text and "1 " in text and "4" in text
    assert "{'q1': 42}" in render("quiz.no_answers", lang, got="list")
    assert "'abc'" in render("quiz.other_id", lang, got="xyz", expected="abc")


def test_render_falls_back_to_english_per_key(monkeypatch):
    monkeypatch.setitem(CATALOG, "pt", {k: v for k, v in CATALOG["pt"].items() if k != "picture"})
    assert render("picture", "pt", path="a.png") == ENGLISH["picture"].format(path="a.png")
    assert render("picture", "xx", path="a.png") == ENGLISH["picture"].format(path="a.png")


def test_portuguese_call_missing_names_the_function():
    text = render("call.missing", "pt", function="relu", module="layers")
    assert "relu" in text and "layers.py" in text and text != ENGLISH["call.missing"].format(
        function="relu", module="layers")


def test_locale_modules_import_nothing_from_autograder():
    import ast
    import inspect

    from autograder.core.locales import es, pt

    for module in (pt, es):
        tree = ast.parse(inspect.getsource(module))
        assert not [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


def test_grading_a_stub_in_portuguese_speaks_portuguese():
    report = grade(REPO_ROOT / "assignments" / "02_cnn_layers", "02_cnn_layers", lang="pt")
    texts = [r.message for r in report.results if r.message]
    expected = messages.render("call.not_implemented", "pt", function="conv_forward")
    assert expected in texts
    assert "ainda não foi implementada" in expected
    assert not any("is not implemented yet" in t for t in texts)


# ---------------------------------------------------------------------------
# Whole reports in Portuguese and Spanish: the words of the table and the quiz texts too
# ---------------------------------------------------------------------------

QUIZ_SUBMISSION = 'STUDENT_ID = "20261234"\nANSWERS = {"q1": None, "q3": 999}\n'


@pytest.mark.parametrize("lang, words", [
    ("pt", ["função", "pontos", "O que corrigir:", "ainda não foi respondida", "preenchimento"]),
    ("es", ["función", "puntos", "Qué corregir:", "todavía no tiene respuesta", "relleno"]),
])
def test_a_report_in_another_language_has_no_english_scaffolding(tmp_path, lang, words):
    from autograder import quiz
    from autograder.report.text import to_text

    from grading_helpers import grade_files

    report = grade_files(tmp_path, "01_convolution", {"quiz_answers.py": QUIZ_SUBMISSION}, lang=lang,
                         function="quiz")
    text = to_text(report)
    for word in words:
        assert word in text, f"{lang}: {word!r} missing from the report:\n{text}"
    for english in ("What to fix", "function", " passed", "An input volume", "What padding"):
        assert english not in text, f"{lang}: English {english!r} in the report:\n{text}"
    q3 = next(q for q in quiz.generate("20261234") if q.id == "q3")
    assert q3.text_in(lang) in " ".join(text.split()), f"{lang}: the question of q3 is not shown"


def test_quiz_questions_render_in_every_language_with_the_same_numbers():
    from autograder import quiz

    for q in quiz.generate("someone"):
        numbers = sorted(str(v) for v in q.fields.values())
        for lang in LANGUAGES:
            text = q.text_in(lang)
            assert "{" not in text and all(n in text for n in numbers), (lang, q.id, text)
        assert q.text == q.text_in("en")


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_translations_keep_the_leading_space_of_sentences_appended_to_others(lang):
    """Texts appended to another message (" X is right, so...", a hint) start with a space."""
    wrong = [key for key, english in ENGLISH.items()
             if english.startswith(" ") != CATALOG[lang][key].startswith(" ")]
    assert not wrong, f"{lang}: {wrong}"


def test_appended_texts_start_with_a_space():
    appended = ["value.also_right", "gradcheck.note", "gradcheck.own", "keras.features_hint"]
    assert all(ENGLISH[key].startswith(" ") for key in appended)


def test_the_language_can_be_chosen_once_for_every_command(monkeypatch):
    import os
    import subprocess
    import sys

    from autograder.core.messages import default_lang

    from grading_helpers import ASSIGNMENTS

    monkeypatch.setenv("CNN_AUTOGRADER_LANG", "pt")
    assert default_lang() == "pt"
    done = subprocess.run([sys.executable, "-m", "autograder", "check", str(ASSIGNMENTS / "02_cnn_layers"),
                           "--function", "zero_pad"], capture_output=True, text=True, timeout=300, env=os.environ)
    assert done.returncode == 0 and "O que corrigir:" in done.stdout and "ainda não foi implementada" in done.stdout
    monkeypatch.setenv("CNN_AUTOGRADER_LANG", "klingon")
    done = subprocess.run([sys.executable, "-m", "autograder", "check", str(ASSIGNMENTS / "02_cnn_layers")],
                          capture_output=True, text=True, timeout=300, env=os.environ)
    assert done.returncode == 2 and "CNN_AUTOGRADER_LANG='klingon'" in done.stderr
    monkeypatch.delenv("CNN_AUTOGRADER_LANG")
    assert default_lang() == "en"
