#!/usr/bin/env python3
"""Writes the pose track samples in this folder (plain Python 3, no packages needed):

  wave.bvh            a CMU-named rig (cm, y up, facing +z) that raises its LEFT arm and waves, 4 s at 30 fps
  wave.kinora.json    wave.bvh as Kinora reads it with view=front, fps=25, height=400: forward kinematics, projection
                      and resampling done here independently of the Java reader, so the two can be compared
  walk-openpose/      20 OpenPose BODY_25 per-frame files of a person walking across a 640x480 picture, with a
                      bystander standing at the left (fewer, less confident keypoints)
  walk.coco17.json    the same walk as a COCO keypoint annotation file (images + annotations, v = 0/1/2)

Run from anywhere: python3 samples/pose/make_samples.py
"""
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- the BVH rig (CMU names; cm; T-pose; left = +x)
# (name, parent, offset, channels); an End Site is a child named None
CH_ROOT = ["Xposition", "Yposition", "Zposition", "Zrotation", "Xrotation", "Yrotation"]
CH = ["Zrotation", "Xrotation", "Yrotation"]
RIG = [
    ("Hips", None, (0, 0, 0), CH_ROOT),
    ("LeftUpLeg", "Hips", (9, -5, 0), CH),
    ("LeftLeg", "LeftUpLeg", (0, -43, 0), CH),
    ("LeftFoot", "LeftLeg", (0, -42, 0), CH),
    ("LeftFoot/End Site", "LeftFoot", (0, -5, 14), None),
    ("RightUpLeg", "Hips", (-9, -5, 0), CH),
    ("RightLeg", "RightUpLeg", (0, -43, 0), CH),
    ("RightFoot", "RightLeg", (0, -42, 0), CH),
    ("RightFoot/End Site", "RightFoot", (0, -5, 14), None),
    ("Spine", "Hips", (0, 10, 0), CH),
    ("Spine1", "Spine", (0, 15, 0), CH),
    ("Neck", "Spine1", (0, 20, 0), CH),
    ("Head", "Neck", (0, 10, 0), CH),
    ("Head/End Site", "Head", (0, 18, 0), None),
    ("LeftShoulder", "Spine1", (3, 18, 0), CH),  # the clavicle, as in CMU files
    ("LeftArm", "LeftShoulder", (14, 0, 0), CH),
    ("LeftForeArm", "LeftArm", (28, 0, 0), CH),
    ("LeftHand", "LeftForeArm", (25, 0, 0), CH),
    ("LeftHand/End Site", "LeftHand", (8, 0, 0), None),
    ("RightShoulder", "Spine1", (-3, 18, 0), CH),
    ("RightArm", "RightShoulder", (-14, 0, 0), CH),
    ("RightForeArm", "RightArm", (-28, 0, 0), CH),
    ("RightHand", "RightForeArm", (-25, 0, 0), CH),
    ("RightHand/End Site", "RightHand", (-8, 0, 0), None),
]
FPS_BVH = 30
SECONDS = 4


def smoothstep(a, b, t):
    t = min(1.0, max(0.0, (t - a) / (b - a)))
    return t * t * (3 - 2 * t)


def wave_frame(t):
    """Channel values (degrees, cm) per joint at time t (s)."""
    up = smoothstep(0.3, 1.2, t) * (1 - smoothstep(3.2, 3.9, t))  # 0 = arm down, 1 = raised
    wave = math.sin(2 * math.pi * 1.6 * (t - 1.2)) * smoothstep(1.1, 1.5, t) * (1 - smoothstep(3.0, 3.3, t))
    v = {name: [0.0, 0.0, 0.0] for name, _, _, ch in RIG if ch}
    v["Hips"] = [1.5 * math.sin(2 * math.pi * 0.5 * t), 95.0, 0.0, 2 * math.sin(2 * math.pi * 0.5 * t), 0.0, 0.0]
    # arms hang by the sides: the T-pose arm turned down about z (positive z turns +x towards +y)
    v["LeftArm"] = [-80 + 140 * up, 0.0, 0.0]  # raised: 60 degrees above horizontal, out to the side
    v["LeftForeArm"] = [10 + 20 * up + 28 * wave, 0.0, 0.0]
    v["LeftHand"] = [10 * wave, 0.0, 0.0]
    v["RightArm"] = [80, 0.0, 0.0]
    v["RightForeArm"] = [-8, 0.0, 0.0]
    v["Head"] = [-6 * up, 0.0, 0.0]
    v["LeftUpLeg"] = [1.0, 0.0, 0.0]
    v["RightUpLeg"] = [-1.0, 0.0, 0.0]
    return v


def rot(axis, deg):
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    if axis == "X":
        return [[1, 0, 0], [0, c, -s], [0, s, c]]
    if axis == "Y":
        return [[c, 0, s], [0, 1, 0], [-s, 0, c]]
    return [[c, -s, 0], [s, c, 0], [0, 0, 1]]


def mul(a, b):
    return [[sum(a[r][k] * b[k][c] for k in range(3)) for c in range(3)] for r in range(3)]


def apply(m, v):
    return [sum(m[r][k] * v[k] for k in range(3)) for r in range(3)]


def forward(values):
    """World positions per node: world = parent * T(offset + position channels) * R(channels in listed order)."""
    world = {}
    for name, parent, offset, channels in RIG:
        t = list(offset)
        r = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
        for i, ch in enumerate(channels or []):
            x = values[name][i]
            if ch.endswith("position"):
                t["XYZ".index(ch[0])] += x
            else:
                r = mul(r, rot(ch[0], x))
        if parent is None:
            world[name] = (r, t)
        else:
            pr, pt = world[parent]
            world[name] = (mul(pr, r), [a + b for a, b in zip(pt, apply(pr, t))])
    return {k: v[1] for k, v in world.items()}


def fmt(x, d=3):
    s = f"{x:.{d}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def write_bvh(path):
    lines = ["HIERARCHY"]
    children = {}
    for node in RIG:
        children.setdefault(node[1], []).append(node)

    def emit(node, depth, root):
        name, _, offset, channels = node
        pad = "  " * depth
        if channels is None:
            lines.append(pad + "End Site")
        else:
            lines.append(pad + ("ROOT " if root else "JOINT ") + name)
        lines.append(pad + "{")
        lines.append(pad + "  OFFSET " + " ".join(fmt(o) for o in offset))
        if channels is not None:
            lines.append(pad + f"  CHANNELS {len(channels)} " + " ".join(channels))
        for child in children.get(name, []):
            emit(child, depth + 1, False)
        lines.append(pad + "}")

    emit(RIG[0], 0, True)
    frames = SECONDS * FPS_BVH + 1
    lines += ["MOTION", f"Frames: {frames}", f"Frame Time: {1 / FPS_BVH:.7f}"]
    for f in range(frames):
        v = wave_frame(f / FPS_BVH)
        lines.append(" ".join(fmt(x, 2) for name, _, _, ch in RIG if ch for x in v[name]))
    with open(path, "w", newline="\n") as out:
        out.write("\n".join(lines) + "\n")


def read_bvh_values(path):
    """The rounded channel values as written, so the projection below starts from exactly what the file holds."""
    with open(path) as f:
        text = f.read().split("\n")
    i = text.index("MOTION")
    rows = [list(map(float, l.split())) for l in text[i + 3:] if l.strip()]
    frame_time = float(text[i + 2].split()[2])
    out = []
    for row in rows:
        v, k = {}, 0
        for name, _, _, ch in RIG:
            if ch:
                v[name] = row[k:k + len(ch)]
                k += len(ch)
        out.append(v)
    return out, frame_time


COCO = ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder", "left_elbow",
        "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle",
        "right_ankle"]
BVH_OF = {"nose": "Head/End Site", "left_shoulder": "LeftArm", "right_shoulder": "RightArm",
          "left_elbow": "LeftForeArm", "right_elbow": "RightForeArm", "left_wrist": "LeftHand",
          "right_wrist": "RightHand", "left_hip": "LeftUpLeg", "right_hip": "RightUpLeg", "left_knee": "LeftLeg",
          "right_knee": "RightLeg", "left_ankle": "LeftFoot", "right_ankle": "RightFoot"}


def write_kinora_from_bvh(bvh, path, fps=25.0, height=400, margin=0.05):
    """The front view (screen x = world x, screen y = -world y), scaled so the rest pose's head top to lowest ankle is
    `height` px, moved so every point is at least `margin` of that height from the picture's edge, resampled."""
    values, frame_time = read_bvh_values(bvh)
    rest = forward({name: [0.0] * len(ch) for name, _, _, ch in RIG if ch})
    rest_h = rest["Head/End Site"][1] - min(rest["LeftFoot"][1], rest["RightFoot"][1])
    scale = height / rest_h
    pts = []
    for v in values:
        w = forward(v)
        pts.append({k: (scale * w[n][0], -scale * w[n][1]) for k, n in BVH_OF.items()})
    xs = [p[0] for f in pts for p in f.values()]
    ys = [p[1] for f in pts for p in f.values()]
    m = margin * scale * rest_h
    dx, dy = m - min(xs), m - min(ys)
    width_px = math.ceil(max(xs) - min(xs) + 2 * m)
    height_px = math.ceil(max(ys) - min(ys) + 2 * m)
    src_fps = 1 / frame_time
    count = math.floor((len(pts) - 1) / src_fps * fps + 1e-3) + 1
    frames = []
    for i in range(count):
        at = min(len(pts) - 1, i / fps * src_fps)
        a = math.floor(at)
        b = min(len(pts) - 1, a + 1)
        t = at - a
        row = []
        for k in COCO:
            if k in BVH_OF:
                (xa, ya), (xb, yb) = pts[a][k], pts[b][k]
                row.append([round(xa + t * (xb - xa) + dx, 2), round(ya + t * (yb - ya) + dy, 2), 1])
            else:
                row.append([0, 0, 0])
        frames.append(row)
    write_kinora(path, "wave.bvh", fps, width_px, height_px, frames)


def write_kinora(path, source, fps, width, height, frames):
    def num(x):
        return str(int(x)) if x == int(x) else repr(float(x))
    with open(path, "w", newline="\n") as out:
        out.write('{\n  "format": "kinora-pose-track",\n  "version": 1,\n  "skeleton": "coco17",\n')
        out.write(f'  "source": {json.dumps(source)},\n  "fps": {num(fps)},\n  "width": {width},\n  "height": {height},\n')
        out.write('  "joints": [' + ", ".join(f'"{k}"' for k in COCO) + '],\n  "frames": [\n')
        out.write(",\n".join("    [" + ", ".join("[" + ", ".join(num(v) for v in j) + "]" for j in f) + "]"
                             for f in frames))
        out.write("\n  ]\n}\n")


# ---------------------------------------------------------------- the walk (2D, 640x480, walking to the right)
WALK_FRAMES = 20
SIDEWAYS = 0.15  # how much of a forward swing shows as x: the walker is seen mostly from the front


def walker(f):
    """COCO-17 keypoints (name -> (x, y, visible)) and the extra BODY_25 points of a person walking right, seen at an
    angle from the front-left (their left side nearer the camera: their left is on the picture's right)."""
    t = f / WALK_FRAMES  # one stride cycle over the clip
    phase = 2 * math.pi * t
    px = 200 + 12 * f  # pelvis x: 12 px a frame
    py = 250 + 3 * abs(math.sin(phase))  # bobs
    h = 220  # shoulder-to-ankle height in px
    hip_half, sh_half = 0.07 * h, 0.13 * h  # hip joints 0.14 h apart, shoulders 0.26 h
    thigh, shin, upper, fore = 0.33 * h, 0.32 * h, 0.21 * h, 0.19 * h
    swing = 0.45 * math.sin(phase)  # hip flexion (rad), legs in antiphase
    k = {}
    for side, sgn in (("left", 1), ("right", -1)):
        hip = (px + sgn * hip_half, py)
        a = sgn * swing
        knee_bend = 0.5 * max(0.0, math.sin(phase * 1 + (0 if sgn > 0 else math.pi) + 1.2))
        knee = (hip[0] + thigh * math.sin(a) * SIDEWAYS, hip[1] + thigh * math.cos(a))
        ankle = (knee[0] + shin * math.sin(a - knee_bend) * SIDEWAYS, knee[1] + shin * math.cos(a - knee_bend))
        sh = (px + sgn * sh_half, py - 0.48 * h)
        arm = -0.6 * a  # arms swing against the legs
        elbow = (sh[0] + upper * math.sin(arm) * SIDEWAYS + sgn * 4, sh[1] + upper * math.cos(arm))
        wrist = (elbow[0] + fore * math.sin(arm + 0.3) * SIDEWAYS + sgn * 2, elbow[1] + fore * math.cos(arm + 0.3))
        k[side + "_hip"], k[side + "_knee"], k[side + "_ankle"] = hip, knee, ankle
        k[side + "_shoulder"], k[side + "_elbow"], k[side + "_wrist"] = sh, elbow, wrist
        k[side + "_eye"] = (px + sgn * 0.03 * h, py - 0.66 * h)
        k[side + "_ear"] = (px + sgn * 0.07 * h, py - 0.64 * h)
        k[side + "_heel"] = (ankle[0] - 3, ankle[1] + 6)
        k[side + "_bigtoe"] = (ankle[0] + 10 + sgn * 2, ankle[1] + 8)
        k[side + "_smalltoe"] = (ankle[0] + 8 + sgn * 6, ankle[1] + 8)
    k["nose"] = (px + 2, py - 0.62 * h)
    k["neck"] = (px, py - 0.48 * h)
    k["midhip"] = (px, py)
    return {n: (round(x, 2), round(y, 2)) for n, (x, y) in k.items()}


def bystander(f):
    """A smaller person standing still at the picture's left, partly seen (lower confidences, no legs)."""
    px, py, h = 70, 230, 150
    k = {"nose": (px, py - 0.62 * h), "neck": (px, py - 0.48 * h), "midhip": (px, py)}
    for side, sgn in (("left", 1), ("right", -1)):
        k[side + "_shoulder"] = (px + sgn * 0.13 * h, py - 0.48 * h)
        k[side + "_elbow"] = (px + sgn * 0.15 * h, py - 0.28 * h)
        k[side + "_wrist"] = (px + sgn * 0.15 * h, py - 0.1 * h + 0.5 * f)
        k[side + "_hip"] = (px + sgn * 0.07 * h, py)
    return {n: (round(x, 2), round(y, 2)) for n, (x, y) in k.items()}


BODY_25 = ["nose", "neck", "right_shoulder", "right_elbow", "right_wrist", "left_shoulder", "left_elbow", "left_wrist",
           "midhip", "right_hip", "right_knee", "right_ankle", "left_hip", "left_knee", "left_ankle", "right_eye",
           "left_eye", "right_ear", "left_ear", "left_bigtoe", "left_smalltoe", "left_heel", "right_bigtoe",
           "right_smalltoe", "right_heel"]


def body25(points, confidence):
    out = []
    for n in BODY_25:
        if n in points:
            out += [points[n][0], points[n][1], confidence(n)]
        else:
            out += [0, 0, 0]
    return out


def hidden(f, name):
    """The walker's right wrist passes behind the body in frames 8-10."""
    return name == "right_wrist" and 8 <= f <= 10


def write_openpose(folder):
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        if old.endswith(".json"):
            os.remove(os.path.join(folder, old))
    for f in range(WALK_FRAMES):
        w = walker(f)
        walker_kp = body25(w, lambda n: 0 if hidden(f, n) else round(0.93 - 0.1 * ("ear" in n) - 0.05 * ("toe" in n), 3))
        if any(hidden(f, n) for n in BODY_25):
            i = 3 * BODY_25.index("right_wrist")
            walker_kp[i:i + 2] = [0, 0]
        people = [{"person_id": [-1], "pose_keypoints_2d": walker_kp, "face_keypoints_2d": [],
                   "hand_left_keypoints_2d": [], "hand_right_keypoints_2d": [], "pose_keypoints_3d": [],
                   "face_keypoints_3d": [], "hand_left_keypoints_3d": [], "hand_right_keypoints_3d": []}]
        # the bystander is listed first, so the reader must pick the walker by confidence and then by distance
        people.insert(0, {"person_id": [-1], "pose_keypoints_2d": body25(bystander(f), lambda n: 0.55),
                          "face_keypoints_2d": [], "hand_left_keypoints_2d": [], "hand_right_keypoints_2d": [],
                          "pose_keypoints_3d": [], "face_keypoints_3d": [], "hand_left_keypoints_3d": [],
                          "hand_right_keypoints_3d": []})
        with open(os.path.join(folder, f"walk_{f:012d}_keypoints.json"), "w", newline="\n") as out:
            json.dump({"version": 1.3, "people": people}, out, separators=(",", ":"))


def write_coco(path):
    images, annotations = [], []
    for f in range(WALK_FRAMES):
        w = walker(f)
        images.append({"id": f + 1, "file_name": f"walk_{f:04d}.png", "width": 640, "height": 480})
        kp = []
        for n in COCO:
            if hidden(f, n):
                kp += [0, 0, 0]
            elif n == "left_ear" and f % 5 == 4:
                kp += [w[n][0], w[n][1], 1]  # labelled, not visible
            else:
                kp += [w[n][0], w[n][1], 2]
        annotations.append({"id": 100 + f, "image_id": f + 1, "category_id": 1, "iscrowd": 0,
                            "num_keypoints": sum(1 for i in range(2, 51, 3) if kp[i] > 0), "keypoints": kp})
    doc = {"info": {"description": "Kinora sample: a walk, drawn by samples/pose/make_samples.py"},
           "images": images, "annotations": annotations,
           "categories": [{"id": 1, "name": "person", "supercategory": "person", "keypoints": COCO,
                           "skeleton": [[16, 14], [14, 12], [17, 15], [15, 13], [12, 13], [6, 12], [7, 13], [6, 7],
                                        [6, 8], [7, 9], [8, 10], [9, 11], [2, 3], [1, 2], [1, 3], [2, 4], [3, 5],
                                        [4, 6], [5, 7]]}]}
    with open(path, "w", newline="\n") as out:
        out.write("{\n")
        out.write(f'  "info": {json.dumps(doc["info"])},\n')
        out.write('  "images": [\n' + ",\n".join("    " + json.dumps(i) for i in images) + "\n  ],\n")
        out.write('  "annotations": [\n' + ",\n".join("    " + json.dumps(a) for a in annotations) + "\n  ],\n")
        out.write(f'  "categories": {json.dumps(doc["categories"])}\n')
        out.write("}\n")


if __name__ == "__main__":
    write_bvh(os.path.join(HERE, "wave.bvh"))
    write_kinora_from_bvh(os.path.join(HERE, "wave.bvh"), os.path.join(HERE, "wave.kinora.json"))
    write_openpose(os.path.join(HERE, "walk-openpose"))
    write_coco(os.path.join(HERE, "walk.coco17.json"))
