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


def test_a_label_column_gives_one_output_per_class_with_one_hot_targets(tmp_path):
    path = write(tmp_path, "petal,sepal,kind\n1.4,5.1,setosa\n4.7,7.0,versicolor\n1.3,4.9,setosa\n6.0,6.3,virginica\n")
    d = data.read_csv(path, inputs=["petal", "sepal"], label="kind")
    assert d.names == ["setosa", "versicolor", "virginica"] and d.outputs == ["c1", "c2", "c3"]
    kinds = ["setosa", "versicolor", "setosa", "virginica"]
    assert d.labels.tolist() == [d.names.index(k) for k in kinds]
    assert d.targets.tolist() == [[float(j == d.names.index(k)) for j in range(3)] for k in kinds]
    assert d.x.tolist() == [[1.4, 5.1], [4.7, 7.0], [1.3, 4.9], [6.0, 6.3]]
    assert d.classes == 3
    assert d.text().startswith("4 samples; class 1 'setosa' (circles): 2; class 2 'versicolor' (squares): 1")
    train, test = data.split(d, test=0.5, seed=0)
    assert train.names == d.names and len(train) + len(test) == 4


def test_a_labelled_csv_trains_a_softmax_network(tmp_path):
    import backprop_lib as bp
    rows = "\n".join(f"{x},{y},{'in' if x * x + y * y < 0.5 else 'out'}"
                     for x in (-0.8, -0.3, 0.2, 0.7) for y in (-0.75, -0.25, 0.25, 0.75))
    d = data.read_csv(write(tmp_path, "x,y,where\n" + rows), inputs=["x", "y"], label="where")
    net = bp.load(data.network(d, hidden=(4,), loss="softmax_cross_entropy", output="identity", seed=1))
    run = net.train(300, lr=0.5)
    assert run.losses[0] == net.loss() and run.losses[-1] < run.losses[0] / 2, run.losses[::100]


def test_label_problems_are_one_line_each(tmp_path):
    path = write(tmp_path, "x,kind\n1,a\n2,\n3,a\n")
    with pytest.raises(ValueError) as err:
        data.read_csv(path, inputs=["x"], label="kind")
    assert str(err.value).splitlines() == [f"{path}: line 3, column 'kind': missing value"]
    with pytest.raises(ValueError) as err:
        data.read_csv(write(tmp_path, "x,kind\n1,a\n3,a\n"), inputs=["x"], label="kind")
    assert str(err.value).splitlines() == [
        f"{path}: column 'kind': one class only ('a'); classes need two or more "
        "(for a number to fit, name the column in targets)"]
    for targets, label, says in ((["x"], "kind", "not both"), ([], None, "the targets or a label column"),
                                 ([], "sort", "column 'sort': no such column")):
        with pytest.raises(ValueError) as err:
            data.read_csv(path, inputs=["x"], targets=targets, label=label)
        assert says in str(err.value) and len(str(err.value).splitlines()) == 1
