"""The records of ``citecheck.model`` made by ``record``: their ``__init__`` sets each slot itself
and their other methods are shared, and they must take the arguments ``dataclass`` would, with the
same defaults, and make records that compare, hash, show, copy and refuse changes as the frozen
dataclass would."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle

import pytest

from citecheck import model
from citecheck.model import record

RECORDS = [
    cls
    for cls in vars(model).values()
    if isinstance(cls, type)
    and dataclasses.is_dataclass(cls)
    and cls.__init__.__code__.co_filename == "<string>"
    and cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"
    and "__slots__" in vars(cls)
]


def _twin(cls: type) -> type:
    """The class as ``dataclass`` alone makes it."""
    fields = [
        (f.name, f.type, dataclasses.field(default=f.default)) if f.default is not dataclasses.MISSING else (f.name, f.type)
        for f in dataclasses.fields(cls)
    ]
    return dataclasses.make_dataclass(cls.__name__, fields, frozen=True, slots=True)


def _fields_of(made: object) -> list[object]:
    return [getattr(made, f.name) for f in dataclasses.fields(made)]  # type: ignore[arg-type]


def _values(cls: type) -> list[object]:
    """A distinct value for every field, none of them its default."""
    return [object() for _ in dataclasses.fields(cls)]


def test_the_core_records_are_made_so() -> None:
    names = {cls.__name__ for cls in RECORDS}
    assert {"Span", "Citation", "Reference", "Link", "Candidate", "Finding", "Author", "Pages", "Locator", "Report"} <= names


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
def test_the_same_arguments_as_dataclass_writes(cls: type) -> None:
    ours = inspect.signature(cls).parameters
    theirs = inspect.signature(_twin(cls)).parameters
    assert [(p.name, p.kind, p.default) for p in ours.values()] == [(p.name, p.kind, p.default) for p in theirs.values()]


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
def test_the_same_record_by_position_by_name_and_by_default(cls: type) -> None:
    twin = _twin(cls)
    fields = dataclasses.fields(cls)
    values = _values(cls)
    by_position = cls(*values)
    by_name = cls(**{f.name: v for f, v in zip(fields, values, strict=True)})
    for f, v in zip(fields, values, strict=True):
        assert getattr(by_position, f.name) is v
        assert getattr(by_name, f.name) is v
    assert _fields_of(by_position) == _fields_of(twin(*values))
    required = [v for f, v in zip(fields, values, strict=True) if f.default is dataclasses.MISSING]
    assert _fields_of(cls(*required)) == _fields_of(twin(*required))
    with pytest.raises(TypeError):
        cls(*values, None)  # one argument too many
    if required:
        with pytest.raises(TypeError):
            cls(*required[:-1])  # one too few


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
def test_still_frozen_comparable_hashable_replaceable_and_picklable(cls: type) -> None:
    fields = dataclasses.fields(cls)
    values = [f"v{i}" for i in range(len(fields))]
    made = cls(*values)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, fields[0].name, "changed")
    assert made == cls(*values) and hash(made) == hash(cls(*values))
    assert made != cls(*values[:-1], "other")
    changed = dataclasses.replace(made, **{fields[-1].name: "other"})
    assert getattr(changed, fields[-1].name) == "other" and getattr(made, fields[-1].name) == values[-1]
    assert pickle.loads(pickle.dumps(made)) == made
    assert not hasattr(made, "__dict__")


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
def test_compared_hashed_and_shown_as_the_frozen_dataclass(cls: type) -> None:
    twin = _twin(cls)
    values = [f"v{i}" for i in range(len(dataclasses.fields(cls)))]
    ours, theirs = cls(*values), twin(*values)
    assert repr(ours) == repr(theirs)
    assert hash(ours) == hash(theirs)
    other = cls(*values[:-1], "other")
    assert (ours == other) == (theirs == twin(*values[:-1], "other")) is False
    assert ours.__eq__(theirs) is NotImplemented  # another class, however alike
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(ours, dataclasses.fields(cls)[0].name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ours.unknown = 1  # type: ignore[attr-defined]
    assert copy.copy(ours) == ours and copy.deepcopy(ours) == ours


def test_an_undocumented_record_is_documented_by_its_signature() -> None:
    assert model.Pages.__doc__ == "Pages(first, last=None)"
    assert model.Citation.__doc__.startswith("One author-date citation")


def test_fields_it_cannot_set_are_refused() -> None:
    with pytest.raises(TypeError):

        @record
        class Listed:
            items: list[int] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError):

        @record
        class Checked:
            n: int

            def __post_init__(self) -> None:
                pass
