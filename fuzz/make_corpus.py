#!/usr/bin/python3
"""Seed corpora for the libFuzzer targets of fuzz/: fuzz/corpus/npy/ and fuzz/corpus/npz/.

    /usr/bin/python3 fuzz/make_corpus.py      # after tests/golden/gen_npy.py

Seeds are small (a few dozen bytes to a few KB) so that the fuzzer mutates structure, not bulk
data: every golden file of tests/data/npy/ up to 4 KB (valid files of each dtype, byte order,
memory order, format version and zip layout, and the deliberately broken ones), plus a few more
written here with NumPy and zipfile. scripts/fuzz.sh runs on a scratch copy, so these files
never change unless this script is rerun. Deterministic: rerunning rewrites identical files.
"""
import io
import os
import shutil
import struct
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "tests", "data", "npy")
MAX_SEED = 4096


def out_dir(name):
    d = os.path.join(HERE, "corpus", name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def npy(array, version=None):
    b = io.BytesIO()
    np.lib.format.write_array(b, np.asanyarray(array), version=version)
    return b.getvalue()


def write(directory, name, data):
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


npy_dir, npz_dir = out_dir("npy"), out_dir("npz")
for name in sorted(os.listdir(GOLDEN)):
    src = os.path.join(GOLDEN, name)
    if os.path.getsize(src) > MAX_SEED:
        continue
    shutil.copyfile(src, os.path.join(npy_dir if name.endswith(".npy") else npz_dir, name))

# More dtypes and shapes than the golden files have.
extra = {
    "u2_2x2.npy": np.array([[1, 2], [3, 65535]], dtype="<u2"),
    "u4_big_3.npy": np.array([1, 2, 4294967295], dtype=">u4"),
    "i8_fortran_2x3.npy": np.asfortranarray(np.arange(6, dtype=np.int64).reshape(2, 3) - 3),
    "f8_1x1.npy": np.array([[np.nan]]),
    "f4_inf_1d.npy": np.array([np.inf, -np.inf, -0.0], dtype=np.float32),
    "b1_1d.npy": np.array([True, False, True]),
    "i4_row_1x4.npy": np.arange(4, dtype=np.int32).reshape(1, 4),
    "f4_empty_3x0.npy": np.zeros((3, 0), dtype=np.float32),
}
for name, array in extra.items():
    write(npy_dir, name, npy(array))
write(npy_dir, "f8_v3_0d.npy", npy(np.array(1.25), version=(3, 0)))

arrays = dict(a=np.arange(6, dtype=np.float32).reshape(2, 3), b=np.array([0, 1, 1, 0], dtype=np.int32))
for compressed in (False, True):
    b = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(b, **arrays)
    write(npz_dir, "small_%s.npz" % ("compressed" if compressed else "stored"), b.getvalue())
b = io.BytesIO()
np.savez(b)  # an archive without members
write(npz_dir, "empty.npz", b.getvalue())
b = io.BytesIO()
with zipfile.ZipFile(b, "w", compression=zipfile.ZIP_DEFLATED) as z:  # without numpy's ZIP64 extras
    z.writestr("x.npy", npy(np.arange(3, dtype=np.uint8)))
    z.writestr("y.npy", npy(np.ones((2, 2))))
write(npz_dir, "plain_zip_deflate.npz", b.getvalue())

# Older Pythons' forced-ZIP64 local headers (sizes 0xFFFFFFFF, real sizes in the extra field).
legacy = bytearray(open(os.path.join(npz_dir, "small_stored.npz"), "rb").read())
eocd = legacy.rindex(b"PK\x05\x06")
count, cd_offset = struct.unpack("<H", legacy[eocd + 10:eocd + 12])[0], struct.unpack("<I", legacy[eocd + 16:eocd + 20])[0]
pos = cd_offset
for _ in range(count):
    local = struct.unpack("<I", legacy[pos + 42:pos + 46])[0]
    legacy[local + 4:local + 6] = struct.pack("<H", 45)
    legacy[local + 18:local + 26] = b"\xff" * 8
    n, m, k = struct.unpack("<HHH", legacy[pos + 28:pos + 34])
    pos += 46 + n + m + k
write(npz_dir, "small_legacy_zip64.npz", bytes(legacy))

print("npy seeds:", len(os.listdir(npy_dir)), " npz seeds:", len(os.listdir(npz_dir)))
