#!/usr/bin/env python3
"""Writes small but genuine TorchScript archives without torch installed.

A TorchScript file (what torch.jit.save writes and torch.jit.load / DJL's PtModel read) is a zip whose records sit under
one top-level folder:
  <name>/version            the file-format version ("3", what PyTorch produces for TorchScript)
  <name>/byteorder          "little"
  <name>/data.pkl           the module object: a pickle (protocol 2) of an instance of a class from __torch__
  <name>/constants.pkl      the tensor constants of the code (a pickled tuple; none here)
  <name>/code/__torch__.py  the TorchScript source of the module's class, compiled at load time
PyTorch's unpickler resolves GLOBAL '__torch__ Affine' to the class compiled from code/__torch__.py; BUILD sets the
module's attributes from the pickled dict ('training' is the one every nn.Module has).

Usage: make_torchscript.py [output folder]   (default: this script's folder)
Writes affine.pt (y = x * 2 + 1) and sigmoid.pt (y = sigmoid(x)), both FP32 in, FP32 out, any shape; and three
image-to-image networks on FP32 [N, 3, H, W]: blur9.pt (9x9 box blur, any size), blur9-64.pt (the same, but it refuses
anything but 64x64, as a network exported at a fixed size does) and invert255.pt (255 - x); and nearest2x.pt, which
doubles an [N, 3, H, W] image's size by repeating pixels (a super-resolution network's shape).
"""
import io
import pickle
import sys
import types
import zipfile
from pathlib import Path

TORCH = types.ModuleType("__torch__")
sys.modules["__torch__"] = TORCH


def module_pickle(class_name):
    cls = type(class_name, (), {"__module__": "__torch__", "__qualname__": class_name})
    setattr(TORCH, class_name, cls)
    obj = cls.__new__(cls)
    obj.__dict__["training"] = False
    return pickle.dumps(obj, protocol=2)


def write(path, archive, class_name, body, checks=()):
    code = (
        f"class {class_name}(Module):\n"
        "  __parameters__ = []\n"
        "  __buffers__ = []\n"
        "  training : bool\n"
        f"  def forward(self: __torch__.{class_name},\n"
        "    x: Tensor) -> Tensor:\n"
        + "".join(f"    {line}\n" for line in checks)
        + f"    return {body}\n"
    )
    records = {
        "version": b"3\n",
        "byteorder": b"little",
        "data.pkl": module_pickle(class_name),
        "constants.pkl": pickle.dumps((), protocol=2),
        "code/__torch__.py": code.encode("utf-8"),
    }
    buf = io.BytesIO()
    # stored, not deflated, as torch.jit.save writes it; fixed timestamps keep the output byte-identical between runs
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as z:
        for name, data in records.items():
            info = zipfile.ZipInfo(f"{archive}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, data)
    path.write_bytes(buf.getvalue())
    print(f"wrote {path} ({len(buf.getvalue())} bytes)")


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    write(out / "affine.pt", "affine", "Affine", "torch.add(torch.mul(x, 2), 1)")
    write(out / "sigmoid.pt", "sigmoid", "Sigmoid", "torch.sigmoid(x)")
    # image-to-image networks ([N, 3, H, W] in, the same out) for the style-network tiling tests
    blur = "torch.avg_pool2d(x, [9, 9], [1, 1], [4, 4], False, False)"
    write(out / "blur9.pt", "blur9", "Blur9", blur)
    write(out / "blur9-64.pt", "blur9_64", "Blur9Fixed", blur, checks=(
        "if torch.ne(torch.size(x, 2), 64) or torch.ne(torch.size(x, 3), 64):",
        "  ops.prim.RaiseException(\"this network takes 64x64 tiles only\")"))
    write(out / "invert255.pt", "invert255", "Invert255", "torch.rsub(x, 255)")
    # a super-resolution network's shape ([1, 3, H, W] in, [1, 3, 2H, 2W] out): nearest-neighbour doubling, for the
    # generate effect's upsampler slot
    write(out / "nearest2x.pt", "nearest2x", "Nearest2x", "torch.repeat_interleave(torch.repeat_interleave(x, 2, 2), 2, 3)")


if __name__ == "__main__":
    main()
