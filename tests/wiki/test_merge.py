from heatwiki.wiki.merge import Conflict, merge_snapshots, merge_text

BODY = "Neil McCauley leads the crew.\n\nVincent Hanna runs the unit.\n\nThe bank job goes wrong.\n"


def credit(character: int, status: str = "confirmed") -> dict:
    return {
        "work": 1,
        "job": "actor",
        "character": character,
        "status": status,
        "source_news": None,
        "source_url": "",
    }


def test_non_overlapping_scalar_changes_merge():
    base = {"title": "Heat", "year": 1994, "rating": "R"}
    theirs = {"title": "Heat", "year": 1995, "rating": "R"}
    mine = {"title": "Heat (film)", "year": 1994, "rating": "R"}

    result = merge_snapshots(base, theirs, mine)

    assert result.clean
    assert result.merged == {"title": "Heat (film)", "year": 1995, "rating": "R"}


def test_same_change_on_both_sides_is_not_a_conflict():
    base = {"year": 1994}

    result = merge_snapshots(base, {"year": 1995}, {"year": 1995})

    assert result.clean
    assert result.merged == {"year": 1995}


def test_conflicting_scalar_changes_conflict_and_keep_mine():
    result = merge_snapshots({"year": 1994}, {"year": 1995}, {"year": 1996})

    assert not result.clean
    assert result.conflicts == [Conflict(field="year", base=1994, theirs=1995, mine=1996)]
    assert result.merged == {"year": 1996}


def test_missing_key_counts_as_unchanged_by_that_side():
    result = merge_snapshots({"year": 1994}, {}, {"year": 1995, "runtime": 170})

    assert result.clean
    assert result.merged == {"year": 1995, "runtime": 170}


def test_relation_sets_merge_both_sides_additions_and_removals():
    base = {"cast": [1, 2, 3]}
    theirs = {"cast": [1, 3, 4]}  # removed 2, added 4
    mine = {"cast": [0, 1, 2]}  # removed 3, added 0

    result = merge_snapshots(base, theirs, mine)

    assert result.clean
    assert result.merged == {"cast": [0, 1, 4]}


def test_dict_rows_merge_by_content_in_theirs_order_then_my_additions():
    base = {"credits": [credit(1), credit(2)]}
    theirs = {"credits": [credit(3), credit(1), credit(2)]}
    mine = {"credits": [credit(1), credit(2, status="disputed"), credit(5)]}

    result = merge_snapshots(base, theirs, mine)

    assert result.clean
    assert result.merged == {
        "credits": [credit(3), credit(1), credit(2, status="disputed"), credit(5)]
    }


def test_body_edits_in_different_paragraphs_merge_cleanly():
    theirs = BODY.replace("leads the crew", "leads a crew of professionals")
    mine = BODY.replace("goes wrong", "goes badly wrong")

    result = merge_snapshots({"body": BODY}, {"body": theirs}, {"body": mine})

    assert result.clean
    assert result.merged["body"] == (
        "Neil McCauley leads a crew of professionals.\n\nVincent Hanna runs the unit.\n\n"
        "The bank job goes badly wrong.\n"
    )


def test_overlapping_body_edits_conflict_and_keep_the_editors_text():
    theirs = BODY.replace("runs the unit", "runs the Major Crimes unit")
    mine = BODY.replace("runs the unit", "leads Robbery-Homicide")

    result = merge_snapshots({"body": BODY, "year": 1994}, {"body": theirs}, {"body": mine})

    assert not result.clean
    assert result.conflicts == [Conflict("body", BODY, theirs, mine)]
    assert result.merged == {"body": mine, "year": 1994}


def test_multiline_text_in_other_fields_merges_line_wise():
    base = {"notes": "one\ntwo\nthree\nfour"}
    theirs = {"notes": "ONE\ntwo\nthree\nfour"}
    mine = {"notes": "one\ntwo\nthree\nFOUR"}

    result = merge_snapshots(base, theirs, mine)

    assert result.clean
    assert result.merged == {"notes": "ONE\ntwo\nthree\nFOUR"}


def test_trailing_newline_round_trips_on_a_clean_merge():
    base = "a\nb\nc\nd\ne"

    assert merge_text(base, "A\nb\nc\nd\ne", "a\nb\nc\nd\nE") == ("A\nb\nc\nd\nE", True)
    assert merge_text(base + "\n", "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n") == (
        "A\nb\nc\nd\nE\n",
        True,
    )
    assert merge_text(base, "A\nb\nc\nd\ne", base + "\n") == ("A\nb\nc\nd\ne\n", True)
    assert merge_text(base + "\n", base, "A\nb\nc\nd\ne\n") == ("A\nb\nc\nd\ne", True)


def test_merge_text_returns_mine_when_edits_overlap():
    assert merge_text("a\nb\nc\n", "a\nB\nc\n", "a\nX\nc\n") == ("a\nX\nc\n", False)
