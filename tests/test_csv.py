"""read_csv reads the named columns as numbers, and every bad row or column gives one line naming line and column."""
import pytest

from backprop_lib import data


def write(tmp_path, text):
    path = tmp_path / "points.csv"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path, inputs, targets):
    with pytest.raises(ValueError) as err:
        data.read_csv(path, inputs=inputs, targets=targets)
    return str(err.value).splitlines()


def test_the_named_columns_are_read_in_the_order_asked(tmp_path):
    path = write(tmp_path, "a,b,c\n1,2,3\n4,5,6.5\n")
    d = data.read_csv(path, inputs=["c", "a"], targets=["b"])
    assert d.x.tolist() == [[3.0, 1.0], [6.5, 4.0]]
    assert d.targets.tolist() == [[2.0], [5.0]]
    assert (d.inputs, d.outputs) == (["c", "a"], ["b"])


def test_blank_lines_are_skipped(tmp_path):
    d = data.read_csv(write(tmp_path, "x,y\n1,2\n\n3,4\n"), inputs=["x"], targets=["y"])
    assert d.x.tolist() == [[1.0], [3.0]]


def test_a_missing_column_names_line_one_and_the_column(tmp_path):
    path = write(tmp_path, "x,y\n1,2\n")
    assert problems(path, ["x", "z"], ["w"]) == [
        f"{path}: line 1, column 'z': no such column (columns: x, y)",
        f"{path}: line 1, column 'w': no such column (columns: x, y)"]


def test_each_bad_cell_is_one_line_naming_its_line_and_column(tmp_path):
    path = write(tmp_path, "x,y,t\n1,2,3\n1,two,3\n4,5\n7,8,nan\n")
    assert problems(path, ["x", "y"], ["t"]) == [
        f"{path}: line 3, column 'y': not a number: 'two'",
        f"{path}: line 4, column 't': missing value",
        f"{path}: line 5, column 't': not a finite number: 'nan'"]


def test_an_empty_file_and_a_header_alone_are_refused(tmp_path):
    path = write(tmp_path, "")
    assert problems(path, ["x"], ["y"]) == [f"{path}: line 1: empty file (expected a header row naming the columns)"]
    path = write(tmp_path, "x,y\n")
    assert problems(path, ["x"], ["y"]) == [f"{path}: line 2: no samples after the header"]


def test_more_rows_than_a_spec_may_hold_are_refused(tmp_path):
    path = write(tmp_path, "x,y\n" + "1,2\n" * 257)
    assert problems(path, ["x"], ["y"]) == [f"{path}: line 258: too many samples: 257 (a spec may have at most 256)"]


def test_a_file_that_is_not_there_is_one_line(tmp_path):
    path = tmp_path / "none.csv"
    assert len(problems(path, ["x"], ["y"])) == 1


def test_text_in_hand_is_read_as_a_file_would_be_and_named_in_messages():
    d = data.parse_csv("x,y\n1,2\n", inputs=["x"], targets=["y"], where="upload.csv")
    assert d.x.tolist() == [[1.0]] and d.targets.tolist() == [[2.0]]
    with pytest.raises(ValueError) as err:
        data.parse_csv("x,y\n1,?\n", inputs=["x"], targets=["y"], where="upload.csv")
    assert str(err.value) == "upload.csv: line 2, column 'y': not a number: '?'"
