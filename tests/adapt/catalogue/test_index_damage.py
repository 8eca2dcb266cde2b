"""A damaged vector index beside the database is noticed and rebuilt, never used as is or fatal (issue 18).

Each case damages the saved files the way a crash, a full disk or a careless hand would, then opens a new
Catalogue on the same folder: the search must answer correctly and the index must have been rebuilt.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import numpy as np
import pytest

from adapt.catalogue.catalogue import Catalogue
from models.index import VectorIndex

MAX = 10_000_000


@pytest.fixture
def saved(catalogue, jsonl, topics):
    catalogue.add_paths([jsonl(topics)], max_bytes=MAX)
    catalogue.index()
    assert catalogue.index_rebuilds == 1 and (catalogue.folder / "state.json").exists()
    return catalogue


def _empty(folder, name):
    (folder / name).write_bytes(b"")


def _truncate(folder, name):
    data = (folder / name).read_bytes()
    (folder / name).write_bytes(data[: len(data) // 2])


def _zero_rows(folder, name):
    """Zero the rows but keep the .npy header: numpy loads it happily, the checksum does not."""
    path = folder / name
    array = np.load(path)
    np.save(path, np.zeros_like(array))


def _zero_all(folder, name):
    path = folder / name
    path.write_bytes(b"\0" * path.stat().st_size)


def _wrong_shape(folder, name):
    array = np.load(folder / name)
    np.save(folder / name, array[:-1])


DAMAGE = {
    "empty keys.npy": (_empty, "keys.npy"),
    "empty vectors.npy": (_empty, "vectors.npy"),
    "truncated vectors.npy": (_truncate, "vectors.npy"),
    "truncated keys.npy": (_truncate, "keys.npy"),
    "zeroed rows in vectors.npy": (_zero_rows, "vectors.npy"),
    "zeroed vectors.npy": (_zero_all, "vectors.npy"),
    "one row short in keys.npy": (_wrong_shape, "keys.npy"),
    "garbage state.json": (lambda f, n: (f / n).write_text("{not json"), "state.json"),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_damaged_index_is_detected_and_rebuilt(saved, embedder, case):
    damage, name = DAMAGE[case]
    damage(saved.folder, name)
    assert VectorIndex.load(saved.folder) is None  # detected
    reopened = Catalogue(saved.store, embedder, index_folder=saved.index_folder)
    assert reopened.related_to_text("plants sunlight glucose", k=1)[0].item.title == "Photosynthesis in plants"
    assert reopened.index_rebuilds == 1
    assert VectorIndex.load(saved.folder) is not None  # and written back whole
    again = Catalogue(saved.store, embedder, index_folder=saved.index_folder)
    again.related_to_text("plants")
    assert again.index_rebuilds == 0


def test_index_path_that_is_a_file_is_replaced(saved, embedder):
    shutil.rmtree(saved.folder)
    saved.folder.write_bytes(b"not a folder")
    reopened = Catalogue(saved.store, embedder, index_folder=saved.index_folder)
    assert reopened.related_to_text("for loop python", k=1)[0].item.title == "For loops in Python"
    assert saved.folder.is_dir() and VectorIndex.load(saved.folder) is not None


def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.mark.skipif(not _can_mount(), reason="a read-only bind mount needs root (CI runs as root)")
def test_read_only_index_folder_is_used_from_memory(saved, embedder):
    """The index folder on a read-only bind mount: search still works (rebuilt in memory), nothing raised."""
    _zero_rows(saved.folder, "vectors.npy")
    target = saved.index_folder
    subprocess.run(["mount", "--bind", str(target), str(target)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], check=True)
        with pytest.raises(OSError):
            (target / "probe").write_bytes(b"x")  # really read-only, even for root
        reopened = Catalogue(saved.store, embedder, index_folder=target)
        assert reopened.related_to_text("plants sunlight glucose", k=1)[0].item.title == "Photosynthesis in plants"
        assert reopened.index_rebuilds == 1
    finally:
        subprocess.run(["umount", "-l", str(target)], check=True)
