from django.utils.safestring import SafeString

from heatwiki.wiki.textdiff import DiffLine, diff_lines, diff_values

from .html_safety import script_capable_markup

LINES = [f"line {n}" for n in range(1, 21)]


def text(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def test_identical_texts_give_no_hunks():
    assert diff_lines(text(LINES), text(LINES)) == []
    assert diff_lines("same\nlines", "same\nlines\n") == []


def test_diff_hunks_have_context_around_each_change():
    new = LINES.copy()
    new[1] = "line two"
    new[15:16] = []

    hunks = diff_lines(text(LINES), text(new), context=2)

    assert [[(d.kind, d.old_number, d.new_number) for d in hunk] for hunk in hunks] == [
        [
            ("equal", 1, 1),
            ("delete", 2, None),
            ("insert", None, 2),
            ("equal", 3, 3),
            ("equal", 4, 4),
        ],
        [
            ("equal", 14, 14),
            ("equal", 15, 15),
            ("delete", 16, None),
            ("equal", 17, 16),
            ("equal", 18, 17),
        ],
    ]
    assert hunks[1][2] == DiffLine("delete", 16, None, "line 16")


def test_word_marks_on_a_changed_line():
    old = "Neil McCauley leads the crew.\n"
    new = "Neil McCauley leads a crew of professionals.\n"

    [[deleted, inserted]] = diff_lines(old, new)

    assert deleted.html == "Neil McCauley leads <del>the</del> crew."
    assert inserted.html == "Neil McCauley leads <ins>a</ins> crew<ins> of professionals</ins>."
    assert isinstance(deleted.html, SafeString)


def test_unpaired_lines_of_a_replace_get_no_word_marks():
    [hunk] = diff_lines("a b\n", "a c\nextra line\n")

    assert [(d.kind, d.html) for d in hunk] == [
        ("delete", "a <del>b</del>"),
        ("insert", "a <ins>c</ins>"),
        ("insert", "extra line"),
    ]


def test_html_in_either_text_is_escaped():
    old = "plain\n<b>bold</b> & more\n"
    new = "<script>alert(1)</script>\n<b>bold</b> & <img src=x onerror=alert(1)>\n"

    [hunk] = diff_lines(old, new)

    html = "".join(line.html for line in hunk)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;" in html
    assert "<script>" not in html
    assert script_capable_markup(html) == []


def test_diff_values_marks_changed_words():
    old_html, new_html = diff_values("Heat (1995 film)", "Heat (1995 crime drama)")

    assert old_html == "Heat (1995 <del>film</del>)"
    assert new_html == "Heat (1995 <ins>crime drama</ins>)"


def test_diff_values_escapes_html():
    old_html, new_html = diff_values("Heat", "<script>Heat</script>")

    assert old_html == "Heat"
    assert new_html == "<ins>&lt;script&gt;</ins>Heat<ins>&lt;/script&gt;</ins>"
    assert isinstance(new_html, SafeString)


def test_diff_values_joins_changed_words_across_a_space():
    assert diff_values("Vincent Hanna", "Neil McCauley") == (
        "<del>Vincent Hanna</del>",
        "<ins>Neil McCauley</ins>",
    )
