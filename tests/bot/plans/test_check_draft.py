"""`chibo plans check` on a draft `chibo plans import` wrote: each todo reported at the line of the
field it is about (not at the todo entry at the bottom of the file), with that field named."""

import re

import pytest
import yaml

from bot.cli import main

KY_LOI_SEED = "004_e0cf88b19ba32315.txt"
TRA_VINH_SEED = "002_7956c4d43d58e490.txt"


def _key_line(text: str, path: list[str | int]) -> int | None:
    """The 1-based line of the key a path ends at (YAML's own reading); of its holder when the
    key is not written (deadlines[2] for a missing deadlines[2].audience); None at top level."""
    node = yaml.compose(text)
    line = None
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, yaml.SequenceNode) or part >= len(node.value):
                return line
            node = node.value[part]
            line = node.start_mark.line + 1
            continue
        pairs = (
            [(k, v) for k, v in node.value if k.value == part]
            if isinstance(node, yaml.MappingNode)
            else []
        )
        if not pairs:
            return line
        key, node = pairs[0]
        line = key.start_mark.line + 1
    return line


@pytest.mark.parametrize("seed", [KY_LOI_SEED, TRA_VINH_SEED])
def test_check_names_each_todos_field_at_its_line(tmp_path, seeds, capsys, seed):
    draft = tmp_path / "nhap.yaml"
    assert main(["plans", "import", str(seeds / seed), "-o", str(draft)]) == 0
    capsys.readouterr()
    todo = yaml.safe_load(draft.read_text(encoding="utf-8"))["todo"]
    text = draft.read_text(encoding="utf-8")
    assert main(["plans", "check", str(draft)]) == 1
    out = capsys.readouterr().out.splitlines()
    reported = [line for line in out if "việc chưa hoàn thiện" in line]
    assert len(reported) == len(todo)
    placed = 0
    for entry, line in zip(todo, reported, strict=True):
        field = entry["field"]
        m = re.match(rf"{re.escape(str(draft))}, dòng (\d+): việc chưa hoàn thiện", line)
        assert m, line
        if field:
            assert f"({field}):" in line
        path = [int(i) if i else k for k, i in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field)]
        expected = _key_line(text, path)
        if expected is None:  # a top-level field not written yet: the todo's own line
            continue
        assert int(m[1]) == expected, (field, line)
        placed += 1
    assert placed >= 1  # todos about a field the draft holds point at it
