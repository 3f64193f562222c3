package org.kinora.effect.pose.internal.track;

import java.util.ArrayList;
import java.util.List;

/**
 * The HIERARCHY of a BVH file: joints (End Sites included, as joints without channels) listed parents first, with
 * their offsets and channels; and forward kinematics from one frame's channel values to world positions.
 */
final class BvhSkeleton {

    /** Channel kinds, as numbered in {@link Node#channels}. */
    static final String[] CHANNELS = {"Xposition", "Yposition", "Zposition", "Xrotation", "Yrotation", "Zrotation"};

    /**
     * @param name       as in the file; End Sites are named after their joint, {@code Head/End Site}
     * @param parent     index of the parent node, -1 for a root
     * @param endSite    whether this is an End Site
     * @param channels   channel kinds (indexes into {@link #CHANNELS}) in the order the file lists them
     * @param firstValue index in a frame's values of this node's first channel
     */
    record Node(String name, int parent, boolean endSite, double[] offset, int[] channels, int firstValue) {
    }

    private final List<Node> nodes;
    private final int values;

    BvhSkeleton(List<Node> nodes) {
        this.nodes = List.copyOf(nodes);
        int n = 0;
        for (Node node : nodes) {
            n += node.channels().length;
        }
        this.values = n;
    }

    List<Node> nodes() {
        return nodes;
    }

    /** Channel values in one frame. */
    int values() {
        return values;
    }

    /** The index of the End Site under {@code node}, or -1. */
    int endSiteOf(int node) {
        for (int i = node + 1; i < nodes.size(); i++) {
            if (nodes.get(i).parent() == node && nodes.get(i).endSite()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * World positions of every node for one frame ({@code frame == null}: the rest pose, every channel 0): a node's
     * transform is its parent's times a translation by its offset plus its position channels, times its rotation
     * channels multiplied in the order listed (intrinsic rotations, degrees).
     *
     * @return x, y, z per node, in node order
     */
    double[] positions(double[] frame) {
        int n = nodes.size();
        double[] rot = new double[9 * n];
        double[] pos = new double[3 * n];
        double[] local = new double[9];
        double[] step = new double[9];
        double[] tmp = new double[9];
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            double tx = node.offset()[0];
            double ty = node.offset()[1];
            double tz = node.offset()[2];
            identity(local);
            for (int c = 0; c < node.channels().length; c++) {
                double v = frame == null ? 0 : frame[node.firstValue() + c];
                int kind = node.channels()[c];
                switch (kind) {
                    case 0 -> tx += v;
                    case 1 -> ty += v;
                    case 2 -> tz += v;
                    default -> {
                        rotation(kind - 3, Math.toRadians(v), step);
                        multiply(local, step, tmp);
                        System.arraycopy(tmp, 0, local, 0, 9);
                    }
                }
            }
            int p = node.parent();
            if (p < 0) {
                System.arraycopy(local, 0, rot, 9 * i, 9);
                pos[3 * i] = tx;
                pos[3 * i + 1] = ty;
                pos[3 * i + 2] = tz;
            } else {
                for (int r = 0; r < 3; r++) {
                    double a = rot[9 * p + 3 * r];
                    double b = rot[9 * p + 3 * r + 1];
                    double c = rot[9 * p + 3 * r + 2];
                    pos[3 * i + r] = pos[3 * p + r] + a * tx + b * ty + c * tz;
                    for (int col = 0; col < 3; col++) {
                        rot[9 * i + 3 * r + col] = a * local[col] + b * local[3 + col] + c * local[6 + col];
                    }
                }
            }
        }
        return pos;
    }

    private static void identity(double[] m) {
        java.util.Arrays.fill(m, 0);
        m[0] = 1;
        m[4] = 1;
        m[8] = 1;
    }

    /** Right-handed rotation about axis 0 (x), 1 (y) or 2 (z), row-major, acting on column vectors. */
    private static void rotation(int axis, double a, double[] m) {
        double c = Math.cos(a);
        double s = Math.sin(a);
        identity(m);
        switch (axis) {
            case 0 -> {
                m[4] = c;
                m[5] = -s;
                m[7] = s;
                m[8] = c;
            }
            case 1 -> {
                m[0] = c;
                m[2] = s;
                m[6] = -s;
                m[8] = c;
            }
            default -> {
                m[0] = c;
                m[1] = -s;
                m[3] = s;
                m[4] = c;
            }
        }
    }

    private static void multiply(double[] a, double[] b, double[] out) {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                out[3 * r + c] = a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c];
            }
        }
    }

    /** For messages: the joint names in the file, End Sites left out. */
    List<String> jointNames() {
        List<String> names = new ArrayList<>();
        for (Node n : nodes) {
            if (!n.endSite()) {
                names.add(n.name());
            }
        }
        return names;
    }
}
