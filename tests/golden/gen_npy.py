#!/usr/bin/python3
"""Golden .npy/.npz files for tests/test_npy.cpp and tests/test_npz.cpp, written by NumPy itself.

    /usr/bin/python3 tests/golden/gen_npy.py        # NumPy 1.24 (Debian 12's python3-numpy)

Writes into tests/data/npy/. Every array is a formula (its comment gives it) so that the C++
tests can compute the expected values independently; nothing here is copied from the C++ side.

  - valid files: np.save / np.savez / np.savez_compressed output, unmodified;
  - hand_*: headers written by hand in the shapes NumPy's reader also accepts (keys reordered,
    double quotes, odd whitespace, Python 2 longs), each checked here with np.load;
  - legacy_zip64.npz, full_zip64.npz, data_descriptor.npz: the zip layouts other writers produce
    (older Pythons' forced ZIP64 local headers, ZIP64 central directory records, streamed members
    with data descriptors), each checked here with np.load;
  - broken_*: files that must be refused, each with the reason in the table below.

The script is deterministic (zipfile writes the date 1980-01-01 00:00 for numpy's members), so
rerunning it rewrites identical files.
"""
import io
import os
import struct
import sys
import zipfile
import zlib

import numpy as np

assert np.__version__.startswith("1.24"), "written with NumPy 1.24 (numpy.save's header padding changed over time)"

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "npy")
os.makedirs(OUT, exist_ok=True)


def path(name):
    return os.path.join(OUT, name)


def save(name, array):
    np.save(path(name), array)


def write(name, data):
    with open(path(name), "wb") as f:
        f.write(data)


def npy(array, version=None):
    b = io.BytesIO()
    np.lib.format.write_array(b, np.asanyarray(array), version=version)
    return b.getvalue()


def raw_npy(header, data, version=(1, 0)):
    """A .npy file with a hand-written header (no padding rules applied)."""
    h = header.encode("latin1")
    fmt = "<H" if version == (1, 0) else "<I"
    return b"\x93NUMPY" + bytes(version) + struct.pack(fmt, len(h)) + h + data


# ---------------------------------------------------------------------------- formulas
F4_2x3 = np.arange(6, dtype=np.float32).reshape(2, 3) * np.float32(0.25) - np.float32(1)   # (3i+j)/4 - 1
F8_3x4 = np.arange(12, dtype=np.float64).reshape(3, 4) / 3 - 1                               # (4i+j)/3 - 1
F4_3x4_F = np.asfortranarray(np.arange(12, dtype=np.float32).reshape(3, 4) * np.float32(0.5))  # (4i+j)/2
F4_1D = np.arange(5, dtype=np.float32) * np.float32(1.5) - np.float32(2)                     # 1.5k - 2
F8_0D = np.array(2.5)                                                                         # 2.5
F4_3D = np.arange(24, dtype=np.float32).reshape(2, 3, 4)                                      # k
I4_LABELS = (np.arange(7) * 5 % 3).astype(np.int32)                                           # 5k mod 3
U1_LABELS = (np.arange(6) % 4).astype(np.uint8)                                               # k mod 4
I8_LABELS = (np.arange(5) * 2 - 3).astype(np.int64)                                           # 2k - 3
I2_BIG = (np.arange(4) - 2).astype(">i2")                                                     # k - 2
I1_LABELS = np.arange(-3, 3, dtype=np.int8)                                                   # k - 3
U8_LABELS = np.array([0, 7, 2**31 - 1], dtype=np.uint64)
I4_COLUMN = (np.arange(4, dtype=np.int32) * 2).reshape(4, 1)                                  # 2i
I8_OUT_OF_RANGE = np.array([0, 1, 2**31, -(2**31) - 1], dtype=np.int64)
B1_2x3 = np.arange(6).reshape(2, 3) % 2 == 0                                                  # (3i+j) even
W_100x10 = np.arange(1000, dtype=np.float64).reshape(100, 10) % 7 * 0.5                      # (10i+j mod 7)/2

# ---------------------------------------------------------------------------- valid .npy (np.save)
save("f4_2x3.npy", F4_2x3)
save("f8_3x4.npy", F8_3x4)
save("f8_3x4_as_f4.npy", F8_3x4.astype(np.float32))  # NumPy's own float64 → float32 rounding
save("f8_big_3x4.npy", F8_3x4.astype(">f8"))
save("f4_big_2x3.npy", F4_2x3.astype(">f4"))
save("f4_fortran_3x4.npy", F4_3x4_F)
save("f4_1d_5.npy", F4_1D)
save("f8_0d.npy", F8_0D)
save("f4_3d_2x3x4.npy", F4_3D)
save("f4_empty_0x3.npy", np.zeros((0, 3), dtype=np.float32))
save("f8_empty_0.npy", np.zeros((0,), dtype=np.float64))
save("i4_labels_7.npy", I4_LABELS)
save("u1_labels_6.npy", U1_LABELS)
save("i8_labels_5.npy", I8_LABELS)
save("i2_big_labels_4.npy", I2_BIG)
save("i1_labels_6.npy", I1_LABELS)
save("u8_labels_3.npy", U8_LABELS)
save("i4_column_4x1.npy", I4_COLUMN)
save("i8_out_of_range_4.npy", I8_OUT_OF_RANGE)
save("b1_2x3.npy", B1_2x3)
save("f8_100x10.npy", W_100x10)
# A header whose length lands exactly on the 64-byte boundary: NumPy then pads with a full 64
# spaces (its padlen is 64 − (…) % 64, never 0).
ALIGNED_SHAPE = (2,) + (1,) * 12 + (100,)
save("f4_aligned_header_14d.npy", np.arange(200, dtype=np.float32).reshape(ALIGNED_SHAPE))       # k
assert open(path("f4_aligned_header_14d.npy"), "rb").read()[:192].endswith(b"}" + b" " * 20 + b" " * 64 + b"\n")
write("f4_v2_2x3.npy", npy(F4_2x3, version=(2, 0)))
write("f4_v3_2x3.npy", npy(F4_2x3, version=(3, 0)))

assert open(path("f4_fortran_3x4.npy"), "rb").read().find(b"'fortran_order': True") > 0

# ---------------------------------------------------------------------------- hand-written headers
F4_DATA = F4_2x3.tobytes()
hand = {
    "hand_reordered.npy": raw_npy("{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}\n", F4_DATA),
    "hand_double_quotes.npy": raw_npy('{ "descr" :"<f4",\t"fortran_order":False , "shape":( 2 ,3 , ) ,}  \n', F4_DATA),
    "hand_py2_long.npy": raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }\n", F4_DATA),
    "hand_v2_unpadded.npy": raw_npy("{'descr':'<f4','fortran_order':False,'shape':(2,3)}", F4_DATA, version=(2, 0)),
}
for name, data in hand.items():
    write(name, data)
    loaded = np.load(path(name))
    assert loaded.dtype == np.float32 and np.array_equal(loaded, F4_2x3), name

# ---------------------------------------------------------------------------- broken .npy
good = open(path("f4_2x3.npy"), "rb").read()
write("broken_truncated_data.npy", good[:-4])           # 20 of 24 data bytes
write("broken_trailing_data.npy", good + b"\0\0\0\0")    # 28 bytes after the header
write("broken_truncated_header.npy", good[:50])         # header says 118 bytes, 40 present
write("broken_bad_magic.npy", b"\x93NUMPZ" + good[6:])
write("broken_version_4.npy", good[:6] + b"\x04\x00" + good[8:])
np.save(path("broken_object.npy"), np.array([1, "a", None], dtype=object), allow_pickle=True)
save("broken_unicode.npy", np.array(["ab", "c"]))
save("broken_complex.npy", np.arange(3) * 1j)
save("broken_structured.npy", np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))
save("broken_float16.npy", np.arange(3, dtype=np.float16))
write("broken_huge_shape.npy", raw_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (%d,), }\n" % 2**62, b"\0" * 8))
write("broken_negative_dim.npy", raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3), }\n", F4_DATA))
write("broken_not_a_dict.npy", raw_npy("['<f4', False, (2, 3)]\n", F4_DATA))
write("broken_missing_key.npy", raw_npy("{'descr': '<f4', 'shape': (2, 3), }\n", F4_DATA))
write("broken_empty.npy", b"")

for name in sorted(os.listdir(OUT)):
    if name.startswith("broken_") and name.endswith(".npy") and name not in (
            "broken_object.npy", "broken_unicode.npy", "broken_complex.npy", "broken_structured.npy",
            "broken_float16.npy", "broken_trailing_data.npy",
            # NumPy 1.24 mangles '-2' in the header (its Python 2 token filter drops the sign) and
            # loads the data as shape (2, 3); a negative dimension is refused here.
            "broken_negative_dim.npy"):
        try:
            np.load(path(name))
        except Exception:  # noqa: BLE001 - NumPy refuses them too
            continue
        sys.exit("NumPy loads %s, which the tests expect to be refused" % name)

# ---------------------------------------------------------------------------- .npz
NPZ_ARRAYS = dict(X=F4_2x3, y=I4_LABELS, W=W_100x10, s=F8_0D, empty=np.zeros((0, 3), dtype=np.float32))
np.savez(path("arrays_stored.npz"), **NPZ_ARRAYS)
np.savez_compressed(path("arrays_compressed.npz"), **NPZ_ARRAYS)
np.savez(path("positional.npz"), F4_1D, I1_LABELS)  # arr_0, arr_1

# A 2-3-2 network's parameters saved the way the book's Python would pass them to nnfs:
# np.savez(path, *[a for weights_biases in model.get_parameters() for a in weights_biases]).
# W1 = (arange(6)·0.25 − 0.5) as 2×3, b1 = [0.1, 0.2, 0.3], W2 = (arange(6)·−0.125 + 0.375) as
# 3×2, b2 = [−0.05, 0.05]; float32 (W2 float64, to check the conversion on loading).
MODEL_W1 = (np.arange(6, dtype=np.float32) * np.float32(0.25) - np.float32(0.5)).reshape(2, 3)
MODEL_B1 = np.array([[0.1, 0.2, 0.3]], dtype=np.float32)
MODEL_W2 = (np.arange(6, dtype=np.float64) * -0.125 + 0.375).reshape(3, 2)
MODEL_B2 = np.array([[-0.05, 0.05]], dtype=np.float32)
np.savez(path("model_parameters.npz"), MODEL_W1, MODEL_B1, MODEL_W2, MODEL_B2)


def members(data):
    """(local header offset, central directory entry offset) of every member of a zip."""
    eocd = data.rindex(b"PK\x05\x06")
    count, cd_size, cd_offset = struct.unpack("<HII", data[eocd + 10:eocd + 20])
    out, pos = [], cd_offset
    for _ in range(count):
        n, m, k = struct.unpack("<HHH", data[pos + 28:pos + 34])
        out.append((struct.unpack("<I", data[pos + 42:pos + 46])[0], pos))
        pos += 46 + n + m + k
    return out


def check_npz(name, expected):
    with np.load(path(name)) as z:
        assert list(z.keys()) == list(expected.keys()), name
        for k, v in expected.items():
            assert z[k].dtype == v.dtype and np.array_equal(z[k], v), (name, k)


stored = bytearray(open(path("arrays_stored.npz"), "rb").read())

# Older Pythons (before 3.8) wrote numpy's force_zip64 members with sizes 0xFFFFFFFF in the local
# header, the real sizes only in its ZIP64 extra field, and "version needed" 4.5.
legacy = bytearray(stored)
for local, central in members(stored):
    legacy[local + 4:local + 6] = struct.pack("<H", 45)
    legacy[local + 18:local + 26] = b"\xff" * 8
    legacy[central + 4:central + 8] = struct.pack("<BBH", 45, 3, 45)
write("legacy_zip64.npz", bytes(legacy))
check_npz("legacy_zip64.npz", NPZ_ARRAYS)


def full_zip64(arrays):
    """An archive in which every size and offset is in ZIP64 records: local and central ZIP64
    extra fields, a ZIP64 end-of-central-directory record and its locator (what writers that
    always use ZIP64 produce)."""
    out, central = bytearray(), bytearray()
    for key, value in arrays.items():
        name = (key + ".npy").encode()
        data = npy(value)
        crc = zlib.crc32(data)
        offset = len(out)
        extra = struct.pack("<HHQQ", 1, 16, len(data), len(data))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 0x21, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                           len(name), len(extra)) + name + extra + data
        cextra = struct.pack("<HHQQQ", 1, 24, len(data), len(data), offset)
        central += struct.pack("<IBBBBHHHHIIIHHHHHII", 0x02014B50, 45, 3, 45, 0, 0, 0, 0, 0x21, crc, 0xFFFFFFFF,
                               0xFFFFFFFF, len(name), len(cextra), 0, 0, 0, 0o600 << 16, 0xFFFFFFFF) + name + cextra
    cd_offset = len(out)
    out += central
    eocd64 = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(arrays), len(arrays), len(central), cd_offset)
    out += struct.pack("<IIQI", 0x07064B50, 0, eocd64, 1)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return bytes(out)


ZIP64_ARRAYS = dict(X=F4_2x3, y=I4_LABELS)
write("full_zip64.npz", full_zip64(ZIP64_ARRAYS))
check_npz("full_zip64.npz", ZIP64_ARRAYS)


class Unseekable:
    """A write-only stream: zipfile then streams members with data descriptors (flag bit 3)."""

    def __init__(self):
        self.buffer = bytearray()

    def write(self, b):
        self.buffer += b
        return len(b)

    def flush(self):
        pass

    def read(self, *args):  # numpy only checks that it exists (a file object, not a path)
        raise io.UnsupportedOperation("write-only")


stream = Unseekable()
np.savez_compressed(stream, X=F4_2x3, y=I4_LABELS)
write("data_descriptor.npz", bytes(stream.buffer))
assert struct.unpack("<H", stream.buffer[6:8])[0] & 8, "expected a data descriptor"
check_npz("data_descriptor.npz", dict(X=F4_2x3, y=I4_LABELS))

# ---------------------------------------------------------------------------- broken .npz
with zipfile.ZipFile(path("broken_not_npy_member.npz"), "w") as z:
    z.writestr("X.npy", npy(F4_2x3))
    z.writestr("readme.txt", b"not an array")
with zipfile.ZipFile(path("broken_duplicate.npz"), "w") as z:
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name"
        z.writestr("X.npy", npy(F4_2x3))
        z.writestr("X.npy", npy(F4_1D))
with zipfile.ZipFile(path("broken_bzip2.npz"), "w", compression=zipfile.ZIP_BZIP2) as z:
    z.writestr("X.npy", npy(F4_2x3))
with zipfile.ZipFile(path("broken_member.npz"), "w") as z:
    z.writestr("X.npy", npy(F4_2x3)[:-4])  # a truncated .npy inside a valid archive

crc = bytearray(stored)
first_local = members(stored)[0][0]
name_len, extra_len = struct.unpack("<HH", stored[first_local + 26:first_local + 30])
crc[first_local + 30 + name_len + extra_len + 128] ^= 0x01  # first data byte of X.npy's elements
write("broken_crc.npz", bytes(crc))
write("broken_truncated.npz", bytes(stored[:-10]))

encrypted = bytearray(stored)
for local, central in members(stored):
    encrypted[local + 6] |= 1  # general purpose flag bit 0: encrypted
    encrypted[central + 8] |= 1
write("broken_encrypted.npz", bytes(encrypted))

for name in ("broken_duplicate.npz", "broken_crc.npz", "broken_truncated.npz", "broken_encrypted.npz",
             "broken_member.npz"):
    try:
        with np.load(path(name)) as z:
            for k in z.keys():
                z[k]
    except Exception:  # noqa: BLE001 - Python refuses them too
        continue
    if name != "broken_duplicate.npz":  # zipfile accepts duplicates (the last one wins); we do not
        sys.exit("NumPy loads %s, which the tests expect to be refused" % name)

print("wrote", len(os.listdir(OUT)), "files into", os.path.normpath(OUT))
