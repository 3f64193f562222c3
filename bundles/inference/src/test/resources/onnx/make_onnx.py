#!/usr/bin/env python3
"""Writes small but genuine ONNX models without the onnx package (which cannot be installed here).

An .onnx file is one protobuf message, onnx.ModelProto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto); this
script encodes the few fields a one-node graph needs with a minimal protobuf writer. ONNX Runtime checks the graph
against the operator schema when it loads it, so a wrong encoding fails loudly.

Usage: make_onnx.py [output folder]   (default: this script's folder)
Writes blur9.onnx (AveragePool 9x9, stride 1, pads 4, count_include_pad 0 on FP32 [N, 3, H, W], any size) and
blur9-64.onnx (the same on [1, 3, 64, 64] only, as a network exported at a fixed size).
"""
import sys
from pathlib import Path


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field, wire):
    return varint(field << 3 | wire)


def f_int(field, n):
    return key(field, 0) + varint(n)


def f_bytes(field, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return key(field, 2) + varint(len(data)) + data


FLOAT = 1  # TensorProto.DataType.FLOAT
ATTR_INT = 2
ATTR_INTS = 7


def attr_ints(name, values):
    return f_bytes(1, name) + f_int(20, ATTR_INTS) + b"".join(f_int(8, v) for v in values)


def attr_int(name, value):
    return f_bytes(1, name) + f_int(20, ATTR_INT) + f_int(3, value)


def value_info(name, dims):
    shape = b"".join(f_bytes(1, f_int(1, d) if isinstance(d, int) else f_bytes(2, d)) for d in dims)
    tensor_type = f_int(1, FLOAT) + f_bytes(2, shape)
    return f_bytes(1, name) + f_bytes(2, f_bytes(1, tensor_type))


def model(dims):
    node = (f_bytes(1, "x") + f_bytes(2, "y") + f_bytes(3, "blur") + f_bytes(4, "AveragePool")
            + f_bytes(5, attr_ints("kernel_shape", [9, 9])) + f_bytes(5, attr_ints("pads", [4, 4, 4, 4]))
            + f_bytes(5, attr_ints("strides", [1, 1])) + f_bytes(5, attr_int("count_include_pad", 0)))
    graph = f_bytes(1, node) + f_bytes(2, "blur9") + f_bytes(11, value_info("x", dims)) + f_bytes(12, value_info("y", dims))
    opset = f_bytes(1, "") + f_int(2, 13)
    return f_int(1, 7) + f_bytes(2, "kinora make_onnx.py") + f_bytes(7, graph) + f_bytes(8, opset)


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    for name, dims in (("blur9.onnx", ["N", 3, "H", "W"]), ("blur9-64.onnx", [1, 3, 64, 64])):
        data = model(dims)
        (out / name).write_bytes(data)
        print(f"wrote {out / name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
