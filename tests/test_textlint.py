"""The text lint (tests/textlint.py) finds what it is meant to find, and only that."""

from __future__ import annotations

from pathlib import Path

import pytest
import textlint  # tests/ is on sys.path: pytest's default "prepend" import mode


def _rules(tmp_path: Path, text: str, name: str = "page.md") -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    if name.endswith(".po"):
        return [hit.rule for hit in textlint.lint_catalog(path)]
    return [hit.rule for hit in textlint.lint_chinese(path)]


@pytest.mark.parametrize(
    ("bad", "good", "rule"),
    [
        ("学习率是每一步的步长。", "卷积核每次移动的步长为 2。", "zh-stride"),
        ("Adam 给每个参数各自的步长。", "池化窗口的步长通常等于窗口大小。", "zh-stride"),
        ("训练 30 个 epoch。", "训练 30 轮（epoch）。", "zh-epoch"),
        ("批量大小为 32。", "批大小为 32。", "zh-batch-size"),
        ("LSTM 的四个门。", "LSTM 的三个门。", "zh-lstm-gates"),
        ("准确率为 97 %。", "准确率为 97%。", "zh-percent"),
        ("使用ReLU激活函数。", "使用 ReLU 激活函数。", "zh-spacing"),
        ("第3层。", "第 3 层。", "zh-spacing"),
        ("形状为 (输出，输入)。", "形状为（输出，输入）。", "zh-parentheses"),
        ("输出,输入。", "输出，输入。", "zh-punctuation"),
    ],
)
def test_chinese_rule_finds_the_slip_and_passes_the_fix(tmp_path, bad, good, rule):
    assert rule in _rules(tmp_path, bad + "\n")
    assert rule not in _rules(tmp_path, good + "\n")


def _catalog(msgid: str, msgstr: str) -> str:
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
    return header + f'msgid "{msgid}"\nmsgstr ""\n"{msgstr}"\n'


@pytest.mark.parametrize(
    ("bad", "good", "rule"),
    [
        ("a hyper-parameter", "a hyperparameter", "en-hyperparameter"),
        ("an elementwise product", "an element-wise product", "en-element-wise"),
        ("a feed-forward network", "a feedforward network", "en-feedforward"),
        ("the learnt weights", "the learned weights", "en-learned"),
        ("a minibatch", "a mini-batch", "en-mini-batch"),
        ("Backpropagation computes", "Back-propagation computes", "en-back-propagation"),
        ("ReLU vs. sigmoid", "ReLU versus sigmoid", "en-versus"),
        ("the initialization", "the initialisation", "en-british"),
        ("zero-centered outputs", "zero-centred outputs", "en-british"),
        ("accuracy 97.6 %", "accuracy 97.6%", "en-percent"),
    ],
)
def test_english_rule_finds_the_slip_and_passes_the_fix(tmp_path, bad, good, rule):
    assert rule in _rules(tmp_path, _catalog("句子", bad), "x.po")
    assert rule not in _rules(tmp_path, _catalog("句子", good), "x.po")


def test_filter_rule_pairs_the_chinese_word_with_its_translation(tmp_path):
    assert _rules(tmp_path, _catalog("遗忘门筛选旧记忆", "the forget gate selects"), "x.po")
    assert not _rules(tmp_path, _catalog("遗忘门筛选旧记忆", "the forget gate filters"), "x.po")
    assert not _rules(tmp_path, _catalog("特征选择", "feature selection"), "x.po")


def test_code_math_and_link_targets_are_not_read(tmp_path):
    page = (
        "用 `Perceptron(max_epochs=100)` 训练，$x_1,x_2$ 见[链接](https://a.b/c_d)。\n"
        "```{code-cell} python\nprint('第3层', 'epoch')\n```\n"
        ":::{note}\n使用ReLU。\n:::\n"
    )
    assert _rules(tmp_path, page) == ["zh-spacing"]  # only the directive's prose is read
    assert textlint.visible("见 {ref}`ch-intro` 与 {term}`激活函数`") == "见 · 与 激活函数"
    assert textlint.visible("the module dlnotes.regularization") == "the module ·"


def test_gallery_scripts_are_read_on_their_chinese_lines_only(tmp_path):
    script = '"""\n训练 20 个 epoch。\n"""\nax.set_xlabel("epoch")\n'
    hits = list(textlint.lint_chinese(_write(tmp_path / "plot_x.py", script)))
    assert [(hit.rule, hit.line) for hit in hits] == [("zh-epoch", 2)]


def test_a_hit_names_file_line_and_rule(tmp_path):
    text = _catalog("一句", "first") + '\nmsgid "二"\nmsgstr "a minibatch"\n'
    po = _write(tmp_path / "x.po", text)
    (hit,) = textlint.lint_catalog(po)
    assert (hit.line, hit.rule) == (10, "en-mini-batch")  # the msgstr line
    assert str(hit).endswith("x.po:10: en-mini-batch: write mini-batch (“minibatch”)")


def test_obsolete_and_untranslated_entries_are_skipped(tmp_path):
    text = _catalog("一", "") + '\n#~ msgid "二"\n#~ msgstr "a minibatch"\n'
    assert _rules(tmp_path, text, "x.po") == []


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_directive_options_are_not_read(tmp_path):
    """A directive's options, as ``:key:`` lines or a YAML block, are code, not prose."""
    page = (
        "::::{quiz} q\n:values: epoch = 3\n\n题目。\n::::\n\n"
        "::::{quiz} r\n---\ntype: numeric\nvalues: |\n  for epoch in range(3): pass\n---\n"
        "训练 30 个 epoch。\n::::\n"
    )
    assert _rules(tmp_path, page) == ["zh-epoch"]  # the prose line only


def test_code_wider_than_the_books_page_is_found(tmp_path):
    """A code line over 88 columns is a hit (a Chinese character counts two); options and
    prose are not code; a line that fits passes."""
    fits = "x = 1  # " + "a" * 79  # 88 columns
    wide = "y = 1  # " + "中" * 40  # 9 + 80 = 89 columns
    page = tmp_path / "page.md"
    page.write_text(
        f"```{{code-cell}} python\n:tags: [{'t' * 90}]\n{fits}\n{wide}\n```\n\n{'长' * 60}\n",
        encoding="utf-8",
    )
    hits = list(textlint.lint_code_width(page))
    assert [(hit.line, hit.rule) for hit in hits] == [(4, "code-width")]
    assert "89 columns" in hits[0].message


def test_a_glossary_entrys_other_names_keep_their_spelling(tmp_path):
    """The glossary lists the names readers meet, so that search finds them; prose may not."""
    glossary = ":::{glossary}\n批大小\n批量大小\n  *batch size*：一次更新所用的样本数。\n:::\n"
    assert _rules(tmp_path, glossary) == []
    assert textlint.glossary_other_names(tmp_path / "page.md") == {"批量大小"}
    assert "zh-batch-size" in _rules(tmp_path, glossary.replace("批大小\n批量", "批量"))
    assert "zh-batch-size" in _rules(tmp_path, "批量大小为 32。\n")
    path = tmp_path / "glossary.po"
    path.write_text(_catalog("backprop", "backprop"), encoding="utf-8")
    assert [hit.rule for hit in textlint.lint_catalog(path, {"backprop"})] == []
    assert [hit.rule for hit in textlint.lint_catalog(path, set())] == ["en-back-propagation"]
